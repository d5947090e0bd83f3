// Builds DOM from data without ever parsing it as HTML: text goes in through text nodes and attributes through
// setAttribute, so a task titled <script>alert(1)</script> shows as those characters.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'text') {
      el.textContent = String(value);
    } else if (key === 'innerHTML' || key === 'outerHTML' || key === 'style') {
      throw new Error('refusing to set ' + key + ': build elements instead');
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** An HTML element: h('div', {class: 'x'}, 'text', otherElement). */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/**
 * Money as people read it, with at least two significant digits: cents from ten cents up ($1.23), more decimals
 * below ($0.0042, $0.012), so a cost that is not zero never shows as $0.00 (as the cost report's text).
 */
export function money(m) {
  if (!m) return '–';
  const n = Number(m.amount);
  let text;
  if (n === 0 || Math.abs(n) >= 0.1) {
    text = n.toFixed(2);
  } else {
    const digits = Math.min(20, Math.max(2, 1 - Math.floor(Math.log10(Math.abs(n)))));
    text = n.toFixed(digits).replace(/(\.\d\d\d*?)0+$/, '$1');
  }
  return m.currency && m.currency !== 'USD' ? text + ' ' + m.currency : '$' + text;
}

export function amount(m) {
  return m ? Number(m.amount) : 0;
}

/** A time as a short local clock time. */
export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? '' : d.toLocaleTimeString();
}

/** A small coloured label for a state. */
export function badge(state, extraClass) {
  const name = String(state);
  return h('span', {class: 'badge state-' + name.toLowerCase() + (extraClass ? ' ' + extraClass : ''),
    'data-state': name}, name.replace(/_/g, ' '));
}

/** The children that are there: null, undefined and false left out (replaceChildren would show them as text). */
export function present(...children) {
  return children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false);
}
