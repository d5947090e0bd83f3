// The visual builder (#builder): tasks from a palette, dependencies drawn by dragging from a task's right-hand port
// to another task, each task's fields in a side panel, and the server's own checks (the template loader's rules,
// cycles with their path, unknown providers, missing parameters, the dry run's cost range and waves) shown on the
// nodes as you edit. The workflow is kept in the roadmap's template JSON: saved as a template of your own, exported,
// imported, opened from any template as a copy, and run from the canvas. Everything works from the keyboard too:
// "Add task", Tab to a task, Enter to edit it, the arrow keys to move it, Delete to remove it, and the side panel's
// "Depends on" boxes to connect it.
import {h, s, money, present} from './dom.js';
import {get, post, seg} from './api.js';
import {load} from './libs.js';

const W = 170;
const H = 64;
const CHECK_MS = 250;
/** The task fields of the template format the side panel edits; the others are kept as read. */
const EDITED = ['id', 'title', 'instructions', 'assigned_to', 'depends_on', 'priority', 'review', 'schedule',
  'max_cost'];
const b = {model: null, selected: null, check: null, refused: null, timer: null, drag: null, project: () => 'default',
  toast: () => {}, providers: [], canSave: false, seq: 0};
const $ = (id) => document.getElementById(id);

function blank() {
  return {name: 'My workflow', description: '', parameters: [], tasks: []};
}

function nextId() {
  let n = b.model.tasks.length + 1;
  while (b.model.tasks.some((t) => t.id === 'task' + n)) n++;
  return 'task' + n;
}

/** The roadmap's template JSON of the canvas. */
export function toJson(model) {
  const m = model || b.model;
  const params = {};
  for (const p of m.parameters) {
    if (!p.name) continue;
    // What the builder does not edit (limits, allowed values, examples) comes back as it was read.
    const spec = Object.assign({}, p.spec || {});
    const type = p.type || 'string';
    if (spec.type === 'enum' && type !== 'enum') delete spec.allowed_values;
    spec.type = type;
    if (p.description) spec.description = p.description;
    else delete spec.description;
    if (p.default !== '' && p.default !== undefined && p.default !== null) {
      spec.default = type === 'integer' || type === 'number' ? Number(p.default)
        : type === 'boolean' ? String(p.default) === 'true'
          : type === 'array' ? String(p.default).split(',').map((v) => v.trim()).filter(Boolean) : p.default;
    } else {
      delete spec.default;
    }
    params[p.name] = spec;
  }
  const doc = {name: m.name || 'Untitled'};
  if (m.description) doc.description = m.description;
  doc.parameters = params;
  doc.tasks = m.tasks.map((t) => {
    const o = {id: t.id};
    if (t.title) o.title = t.title;
    if (t.instructions) o.instructions = t.instructions;
    if (t.provider) o.assigned_to = t.provider;
    if (t.dependsOn.length) o.depends_on = t.dependsOn.slice();
    if (t.priority) o.priority = t.priority;
    if (t.reviewBy) o.review = t.reviewInstructions ? {by: t.reviewBy, instructions: t.reviewInstructions}
      : {by: t.reviewBy};
    if (t.schedule) o.schedule = t.schedule;
    if (t.maxCost !== '' && t.maxCost !== undefined && t.maxCost !== null) o.max_cost = Number(t.maxCost);
    // Fields the builder has no control for come back as they were read.
    for (const [key, value] of Object.entries(t.extra || {})) if (!(key in o)) o[key] = value;
    return o;
  });
  return JSON.stringify(doc, null, 2);
}

/** A canvas model of a template document (roadmap JSON) or of a template view from the API. */
function fromDocument(doc) {
  const list = (v) => v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)];
  const params = [];
  if (Array.isArray(doc.parameters)) {
    for (const p of doc.parameters) {
      params.push({name: p.name, type: p.type, default: p.defaultValue ?? '', description: p.description || '',
        spec: p.spec || {type: p.type}});
    }
  } else {
    for (const [name, spec] of Object.entries(doc.parameters || {})) {
      const o = typeof spec === 'string' ? {type: spec} : spec;
      params.push({name, type: o.type || 'string', default: o.default ?? '', description: o.description || '',
        spec: o});
    }
  }
  for (const p of params) if (Array.isArray(p.default)) p.default = p.default.join(', ');
  const tasks = (doc.tasks || []).map((t) => {
    const review = t.review || null;
    const providers = t.providers || list(t.assigned_to);
    const extra = t.extra ? Object.assign({}, t.extra) : Object.fromEntries(Object.entries(t).filter(([k]) =>
      !EDITED.includes(k)));
    return {extra, id: String(t.id), title: t.title || '', instructions: t.instructions || '', provider: providers[0] || '',
      priority: (t.priority || '').toLowerCase(), dependsOn: (t.dependsOn || list(t.depends_on)).map(String),
      reviewBy: (t.reviewBy || (review ? list(review.by) : []))[0] || '',
      reviewInstructions: t.reviewInstructions || (review && review.instructions) || '', schedule: t.schedule || '',
      maxCost: t.maxCost ? Number(t.maxCost.amount) : (t.max_cost ?? ''), x: 0, y: 0};
  });
  return {name: doc.name || 'Untitled', description: doc.description || '', parameters: params, tasks};
}

async function layOut(model) {
  const dagre = await load('dagre');
  const g = new dagre.graphlib.Graph();
  g.setGraph({rankdir: 'LR', nodesep: 30, ranksep: 70, marginx: 20, marginy: 20});
  g.setDefaultEdgeLabel(() => ({}));
  for (const t of model.tasks) g.setNode(t.id, {width: W, height: H});
  for (const t of model.tasks) for (const d of t.dependsOn) if (g.hasNode(d)) g.setEdge(d, t.id);
  dagre.layout(g);
  for (const t of model.tasks) {
    const p = g.node(t.id);
    t.x = Math.round(p.x - W / 2);
    t.y = Math.round(p.y - H / 2);
  }
}

/** Sets the builder up once. */
export function setUpBuilder(session, project, toast) {
  b.project = project;
  b.toast = toast;
  b.canSave = !!(session.planning && session.planning.templates);
  b.model = blank();
  $('builder-save').hidden = !b.canSave;
  $('builder-save-name').hidden = !b.canSave;
  for (const item of document.querySelectorAll('#palette [data-palette]')) {
    item.addEventListener('pointerdown', (e) => startPaletteDrag(e, item));
    item.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        addTask(40 + 30 * (b.model.tasks.length % 6), 40 + 90 * Math.floor(b.model.tasks.length / 6) % 400);
      }
    });
  }
  $('builder-add').addEventListener('click', () => addTask(40 + 200 * (b.model.tasks.length % 4),
      40 + 100 * Math.floor(b.model.tasks.length / 4)));
  $('builder-name').addEventListener('input', (e) => {
    b.model.name = e.target.value;
    changed();
  });
  $('builder-new').addEventListener('click', () => {
    b.model = blank();
    b.selected = null;
    b.refused = null;
    draw();
    changed();
  });
  $('builder-open').addEventListener('change', openTemplate);
  $('builder-export').addEventListener('click', exportJson);
  $('builder-import').addEventListener('click', importJson);
  $('builder-save').addEventListener('click', save);
  $('builder-run').addEventListener('click', run);
  $('builder-param-add').addEventListener('click', () => {
    b.model.parameters.push({name: 'param' + (b.model.parameters.length + 1), type: 'string', default: '',
      description: ''});
    drawParameters();
    changed();
  });
  $('builder-canvas').addEventListener('pointerdown', (e) => {
    if (e.target === $('builder-canvas') || e.target.id === 'builder-edges') select(null);
  });
  document.addEventListener('pointermove', onPointerMove);
  document.addEventListener('pointerup', onPointerUp);
}

/** Shows the builder: the providers for the fields and the templates to open, read when shown. */
export async function showBuilder() {
  try {
    const [providers, templates] = await Promise.all([get('api/providers'), get('api/templates')]);
    b.providers = providers.map((p) => p.name);
    const open = $('builder-open');
    open.replaceChildren(h('option', {value: ''}, 'Open a copy of a template…'),
        ...templates.map((t) => h('option', {value: t.id}, t.name)));
  } catch (e) {
    b.toast(e.message, true);
  }
  $('builder-name').value = b.model.name;
  draw();
  changed();
}

function addTask(x, y) {
  const id = nextId();
  b.model.tasks.push({id, title: 'Task ' + id.replace('task', ''), instructions: '', provider: '', priority: '',
    dependsOn: [], reviewBy: '', reviewInstructions: '', schedule: '', maxCost: '', x: Math.max(0, Math.round(x)),
    y: Math.max(0, Math.round(y))});
  b.refused = null;
  draw();
  select(id);
  changed();
  return id;
}

function task(id) {
  return b.model.tasks.find((t) => t.id === id);
}

// --- Pointer interaction: palette drops, moving nodes, drawing dependencies ---

function canvasPoint(e) {
  const r = $('builder-canvas').getBoundingClientRect();
  const c = $('builder-canvas');
  return {x: e.clientX - r.left + c.scrollLeft, y: e.clientY - r.top + c.scrollTop};
}

function startPaletteDrag(e, item) {
  e.preventDefault();
  const ghost = h('div', {class: 'bnode ghost', 'aria-hidden': 'true'}, item.textContent);
  document.body.append(ghost);
  ghost.style.left = e.clientX + 'px';
  ghost.style.top = e.clientY + 'px';
  b.drag = {kind: 'palette', ghost};
}

function startMove(e, id) {
  if (e.button !== 0 || e.target.classList.contains('port')) return;
  const t = task(id);
  const p = canvasPoint(e);
  b.drag = {kind: 'move', id, dx: p.x - t.x, dy: p.y - t.y, moved: false};
  e.preventDefault();
}

function startLink(e, id) {
  e.preventDefault();
  e.stopPropagation();
  const t = task(id);
  const line = s('line', {class: 'link-temp', x1: t.x + W, y1: t.y + H / 2, x2: t.x + W, y2: t.y + H / 2});
  $('builder-edges').append(line);
  b.drag = {kind: 'link', from: id, line};
}

function onPointerMove(e) {
  const d = b.drag;
  if (!d) return;
  if (d.kind === 'palette') {
    d.ghost.style.left = e.clientX + 'px';
    d.ghost.style.top = e.clientY + 'px';
  } else if (d.kind === 'move') {
    const p = canvasPoint(e);
    const t = task(d.id);
    t.x = Math.max(0, Math.round(p.x - d.dx));
    t.y = Math.max(0, Math.round(p.y - d.dy));
    d.moved = true;
    place(t);
    drawEdges();
  } else if (d.kind === 'link') {
    const p = canvasPoint(e);
    d.line.setAttribute('x2', p.x);
    d.line.setAttribute('y2', p.y);
  }
}

function onPointerUp(e) {
  const d = b.drag;
  if (!d) return;
  b.drag = null;
  if (d.kind === 'palette') {
    d.ghost.remove();
    const r = $('builder-canvas').getBoundingClientRect();
    if (e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom) {
      const p = canvasPoint(e);
      addTask(p.x - W / 2, p.y - H / 2);
    }
  } else if (d.kind === 'move') {
    if (!d.moved) select(d.id);
  } else if (d.kind === 'link') {
    d.line.remove();
    const under = document.elementFromPoint(e.clientX, e.clientY);
    const node = under && under.closest ? under.closest('.bnode[data-task-id]') : null;
    if (node && node.dataset.taskId !== d.from) connect(d.from, node.dataset.taskId);
  }
}

/**
 * Adds the dependency "to waits for from", then asks the server: when its checks find a cycle, the dependency is
 * taken back and the refusal, with the cycle's path, shows on the nodes of the cycle.
 */
async function connect(from, to) {
  const t = task(to);
  if (!t || t.dependsOn.includes(from)) return;
  t.dependsOn.push(from);
  b.refused = null;
  draw();
  const verdict = await runCheck();
  if (verdict && verdict.cycle.length) {
    t.dependsOn = t.dependsOn.filter((x) => x !== from);
    const message = verdict.problems.find((p) => /cycle/.test(p.message));
    b.refused = {tasks: verdict.cycle, message: 'Refused: ' + (message ? message.message : 'it would form a cycle')};
    draw();
    b.toast(b.refused.message, true);
    await runCheck();
  } else if (verdict) {
    b.toast(to + ' now waits for ' + from, false);
  }
}

// --- Drawing ---

function place(t) {
  const el = document.querySelector('#builder-canvas .bnode[data-task-id="' + CSS.escape(t.id) + '"]');
  if (el) {
    el.style.left = t.x + 'px';
    el.style.top = t.y + 'px';
  }
}

function draw() {
  const canvas = $('builder-canvas');
  const nodes = b.model.tasks.map((t) => {
    const node = h('div', {class: 'bnode', 'data-task-id': t.id, tabindex: 0, role: 'button',
      'aria-label': 'Task ' + t.id + ': ' + (t.title || t.id) + '. Enter to edit, arrows to move, Delete to remove',
      onpointerdown: (e) => startMove(e, t.id),
      onkeydown: (e) => nodeKey(e, t.id)},
    h('div', {class: 'port in', title: 'Depends on (drop a link here)', 'aria-hidden': 'true'}),
    h('div', {class: 'bnode-title'}, t.title || t.id),
    h('div', {class: 'bnode-meta'}, t.id + (t.provider ? ' · ' + t.provider : '')),
    h('div', {class: 'bnode-problems', 'data-role': 'problems'}),
    h('div', {class: 'port out', 'data-port': 'out', title: 'Drag to the task that depends on this one',
      'aria-hidden': 'true', onpointerdown: (e) => startLink(e, t.id)}));
    node.style.left = t.x + 'px';
    node.style.top = t.y + 'px';
    node.classList.toggle('selected', t.id === b.selected);
    return node;
  });
  const edges = s('svg', {id: 'builder-edges', class: 'edges'},
      s('defs', {}, s('marker', {id: 'barrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
        orient: 'auto-start-reverse'}, s('path', {d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head'}))));
  canvas.replaceChildren(edges, ...nodes);
  drawEdges();
  mark();
  drawPanel();
  drawParameters();
}

function drawEdges() {
  const svg = $('builder-edges');
  if (!svg) return;
  for (const old of svg.querySelectorAll('path.edge')) old.remove();
  let w = 600;
  let hgt = 360;
  for (const t of b.model.tasks) {
    w = Math.max(w, t.x + W + 40);
    hgt = Math.max(hgt, t.y + H + 40);
    for (const d of t.dependsOn) {
      const u = task(d);
      if (!u) continue;
      const x1 = u.x + W;
      const y1 = u.y + H / 2;
      const x2 = t.x;
      const y2 = t.y + H / 2;
      const mid = Math.max(30, Math.abs(x2 - x1) / 2);
      svg.append(s('path', {class: 'edge', 'data-from': d, 'data-to': t.id, 'marker-end': 'url(#barrow)',
        d: 'M' + x1 + ',' + y1 + ' C' + (x1 + mid) + ',' + y1 + ' ' + (x2 - mid) + ',' + y2 + ' ' + x2 + ',' + y2}));
    }
  }
  svg.setAttribute('width', w);
  svg.setAttribute('height', hgt);
}

function nodeKey(e, id) {
  const t = task(id);
  const step = e.shiftKey ? 50 : 10;
  const moves = {ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step]};
  if (moves[e.key]) {
    e.preventDefault();
    t.x = Math.max(0, t.x + moves[e.key][0]);
    t.y = Math.max(0, t.y + moves[e.key][1]);
    place(t);
    drawEdges();
  } else if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    select(id);
    const first = $('builder-panel').querySelector('input, textarea, select');
    if (first) first.focus();
  } else if (e.key === 'Delete' || e.key === 'Backspace') {
    e.preventDefault();
    remove(id);
  }
}

function remove(id) {
  b.model.tasks = b.model.tasks.filter((t) => t.id !== id);
  for (const t of b.model.tasks) t.dependsOn = t.dependsOn.filter((d) => d !== id);
  if (b.selected === id) b.selected = null;
  b.refused = null;
  draw();
  changed();
}

function select(id) {
  b.selected = id;
  for (const el of document.querySelectorAll('#builder-canvas .bnode')) {
    el.classList.toggle('selected', el.dataset.taskId === id);
  }
  drawPanel();
}

/** The problems of the last check on their nodes, and a refused link on the cycle's nodes. */
function mark() {
  const byTask = new Map();
  const general = [];
  const c = b.check;
  if (c) {
    for (const p of c.problems) {
      if (!p.tasks.length) general.push(p.message);
      for (const id of p.tasks) {
        if (!byTask.has(id)) byTask.set(id, []);
        byTask.get(id).push(p.message);
      }
    }
  }
  for (const el of document.querySelectorAll('#builder-canvas .bnode')) {
    const id = el.dataset.taskId;
    const messages = (byTask.get(id) || []).slice();
    const refused = b.refused && b.refused.tasks.includes(id);
    if (refused) messages.unshift(b.refused.message);
    el.classList.toggle('invalid', messages.length > 0);
    el.classList.toggle('refused', !!refused);
    el.classList.toggle('cycle', !!(c && c.cycle.includes(id)) || !!refused);
    const box = el.querySelector('[data-role=problems]');
    box.textContent = messages.length ? '⚠ ' + messages[0] + (messages.length > 1 ? ' (+' + (messages.length - 1)
      + ' more)' : '') : '';
    el.title = messages.join('\n');
  }
  const problems = $('builder-problems');
  const all = c ? c.problems.map((p) => p.message) : [];
  problems.replaceChildren(...(all.length ? all.map((m) => h('li', {}, m)) : [h('li', {class: 'ok'},
      c ? 'No problems: the server\'s checks pass.' : 'Checking…')]));
  problems.dataset.ok = c ? String(c.ok) : '';
  const dry = $('builder-dry');
  if (c && c.dryRun) {
    const d = c.dryRun;
    dry.replaceChildren(
        h('div', {class: 'dry-cost', 'data-role': 'cost'}, 'Cost: ' + money(d.low) + ' – ' + money(d.high)
            + ' (expected ' + money(d.expected) + ')'),
        h('ol', {class: 'waves'}, ...d.waves.map((w, i) => h('li', {'data-wave': i + 1},
            'Wave ' + (i + 1) + ': ' + w.map((st) => st.taskId + (st.provider ? ' (' + st.provider + ')' : ''))
                .join(', ')))));
  } else {
    dry.replaceChildren(h('p', {class: 'meta'}, c ? 'The dry run waits for the problems to be fixed.' : ''));
  }
  $('builder-run').disabled = !(c && c.ok);
  $('builder-save').disabled = !(c && c.ok);
}

// --- The side panel ---

function input(label, value, onInput, attrs) {
  const id = 'bf-' + label.toLowerCase().replace(/[^a-z]+/g, '-');
  const tag = attrs && attrs.rows ? 'textarea' : 'input';
  const el = tag === 'textarea' ? h('textarea', Object.assign({id}, attrs), value || '')
    : h('input', Object.assign({id, value: value ?? ''}, attrs || {}));
  el.addEventListener('input', () => onInput(el.value));
  return h('div', {class: 'field'}, h('label', {for: id}, label), el);
}

function choose(label, value, options, onChange) {
  const id = 'bf-' + label.toLowerCase().replace(/[^a-z]+/g, '-');
  const el = h('select', {id}, ...options.map(([v, text]) => h('option', {value: v, selected: v === value}, text)));
  el.addEventListener('change', () => onChange(el.value));
  return h('div', {class: 'field'}, h('label', {for: id}, label), el);
}

function drawPanel() {
  const panel = $('builder-panel');
  const t = b.selected ? task(b.selected) : null;
  if (!t) {
    panel.replaceChildren(h('p', {class: 'meta'}, 'Pick a task to edit its fields, or add one from the palette.'));
    return;
  }
  const redraw = () => {
    const el = document.querySelector('#builder-canvas .bnode[data-task-id="' + CSS.escape(t.id) + '"]');
    if (el) {
      el.querySelector('.bnode-title').textContent = t.title || t.id;
      el.querySelector('.bnode-meta').textContent = t.id + (t.provider ? ' · ' + t.provider : '');
    }
  };
  const set = (field) => (v) => {
    t[field] = v;
    redraw();
    changed();
  };
  const providerOptions = [['', 'default provider'], ['auto', 'auto (learning chooses)'],
    ...b.providers.map((p) => [p, p])];
  if (t.provider && !providerOptions.some(([v]) => v === t.provider)) providerOptions.push([t.provider, t.provider]);
  const instructions = input('Instructions', t.instructions, set('instructions'), {rows: 5,
    placeholder: 'What the task should do; {{parameter}} and {{tasks.<id>.output}} are filled in'});
  const area = instructions.querySelector('textarea');
  const completions = [...b.model.parameters.map((p) => '{{' + p.name + '}}'),
    ...t.dependsOn.map((d) => '{{tasks.' + d + '.output}}')];
  const others = b.model.tasks.filter((x) => x.id !== t.id);
  panel.replaceChildren(...present(
      h('h3', {}, 'Task ' + t.id),
      input('Id', t.id, (v) => rename(t, v), {pattern: '[a-z0-9][a-z0-9_\\-]*'}),
      input('Title', t.title, set('title'), {}),
      instructions,
      completions.length ? h('div', {class: 'completions', role: 'group', 'aria-label': 'Insert a placeholder'},
          ...completions.map((c) => h('button', {type: 'button', class: 'btn chip', onclick: () => {
            const at = area.selectionStart ?? area.value.length;
            area.value = area.value.slice(0, at) + c + area.value.slice(area.selectionEnd ?? at);
            area.focus();
            area.selectionStart = area.selectionEnd = at + c.length;
            set('instructions')(area.value);
          }}, c))) : null,
      choose('Provider', t.provider, providerOptions, set('provider')),
      choose('Priority', t.priority, [['', 'medium (default)'], ['high', 'high'], ['medium', 'medium'],
        ['low', 'low']], set('priority')),
      choose('Review by', t.reviewBy, [['', 'no review'], ...b.providers.map((p) => [p, p])], set('reviewBy')),
      input('Review instructions', t.reviewInstructions, set('reviewInstructions'), {}),
      input('Schedule', t.schedule, set('schedule'), {placeholder: 'cron, such as 0 9 * * MON, or @daily'}),
      input('Max cost', t.maxCost, set('maxCost'), {type: 'number', min: 0, step: 'any', placeholder: 'USD'}),
      h('fieldset', {class: 'depends'}, h('legend', {}, 'Depends on'),
          others.length ? others.map((o) => h('label', {class: 'check'}, h('input', {type: 'checkbox',
            'data-depends': o.id, checked: t.dependsOn.includes(o.id), onchange: (e) => {
              if (e.target.checked) {
                connect(o.id, t.id);
              } else {
                t.dependsOn = t.dependsOn.filter((d) => d !== o.id);
                drawEdges();
                changed();
              }
            }}), ' ' + o.id)) : h('p', {class: 'meta'}, 'No other task yet.')),
      h('button', {type: 'button', class: 'btn danger', onclick: () => remove(t.id)}, 'Remove task')));
}

function rename(t, id) {
  if (!id || b.model.tasks.some((x) => x !== t && x.id === id)) return;
  const old = t.id;
  t.id = id;
  for (const x of b.model.tasks) x.dependsOn = x.dependsOn.map((d) => (d === old ? id : d));
  b.selected = id;
  const el = document.querySelector('#builder-canvas .bnode[data-task-id="' + CSS.escape(old) + '"]');
  if (el) {
    el.dataset.taskId = id;
    el.querySelector('.bnode-meta').textContent = id + (t.provider ? ' · ' + t.provider : '');
  }
  drawEdges();
  changed();
}

function drawParameters() {
  const box = $('builder-params');
  box.replaceChildren(...b.model.parameters.map((p, i) => h('div', {class: 'param-row'},
      h('input', {value: p.name, 'aria-label': 'Parameter name', oninput: (e) => {
        p.name = e.target.value;
        changed();
      }}),
      h('select', {'aria-label': 'Type of ' + p.name, onchange: (e) => {
        p.type = e.target.value;
        changed();
      }}, ...['string', 'integer', 'number', 'boolean', 'enum', 'array'].map((tp) => h('option', {value: tp,
        selected: tp === p.type}, tp))),
      h('input', {value: p.default ?? '', placeholder: 'default', 'aria-label': 'Default of ' + p.name, oninput: (e) => {
        p.default = e.target.value;
        changed();
      }}),
      h('button', {type: 'button', class: 'btn small', 'aria-label': 'Remove parameter ' + p.name, onclick: () => {
        b.model.parameters.splice(i, 1);
        drawParameters();
        changed();
      }}, '✕'))));
}

// --- Checking, saving, running, import and export ---

function changed() {
  // A refused link is shown until the next edit.
  b.refused = null;
  clearTimeout(b.timer);
  b.timer = setTimeout(runCheck, CHECK_MS);
}

async function runCheck() {
  clearTimeout(b.timer);
  const seq = ++b.seq;
  $('builder').dataset.checking = 'true';
  try {
    const verdict = await post('api/projects/' + seg(b.project()) + '/builder/check', {template: toJson()});
    if (seq !== b.seq) return null;
    b.check = verdict;
    mark();
    return verdict;
  } catch (e) {
    b.toast(e.message, true);
    return null;
  } finally {
    if (seq === b.seq) $('builder').dataset.checking = 'false';
  }
}

async function openTemplate(e) {
  const id = e.target.value;
  if (!id) return;
  try {
    const t = await get('api/templates/' + seg(id));
    const model = fromDocument(t);
    model.name = 'Copy of ' + t.name;
    await layOut(model);
    b.model = model;
    b.selected = null;
    b.refused = null;
    $('builder-name').value = model.name;
    draw();
    changed();
  } catch (err) {
    b.toast(err.message, true);
  }
  e.target.value = '';
}

function exportJson() {
  const json = toJson();
  $('builder-json').value = json;
  const link = $('builder-download');
  if (link.href) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([json], {type: 'application/json'}));
  link.download = (b.model.name || 'workflow').toLowerCase().replace(/[^a-z0-9]+/g, '-') + '.json';
  link.hidden = false;
}

async function importJson() {
  let doc;
  try {
    doc = JSON.parse($('builder-json').value);
  } catch (e) {
    b.toast('The JSON cannot be read: ' + e.message, true);
    return;
  }
  const model = fromDocument(doc);
  await layOut(model);
  b.model = model;
  b.selected = null;
  b.refused = null;
  $('builder-name').value = model.name;
  draw();
  changed();
}

async function save(e) {
  const name = $('builder-save-name').value.trim();
  if (!name) {
    b.toast('Give the template a name to save it under, such as weekly-digest', true);
    $('builder-save-name').focus();
    return;
  }
  e.currentTarget.disabled = true;
  try {
    const saved = await post('api/templates', {name, template: toJson()});
    b.toast('Saved as template ' + saved.name, false);
    $('builder').dataset.saved = saved.name;
    document.dispatchEvent(new CustomEvent('orchestrator-templates-changed'));
  } catch (err) {
    b.toast(err.message, true);
  } finally {
    e.currentTarget.disabled = !(b.check && b.check.ok);
  }
}

async function run(e) {
  e.currentTarget.disabled = true;
  try {
    const started = await post('api/projects/' + seg(b.project()) + '/builder/run', {template: toJson()});
    b.toast('Started run ' + started.runId, false);
    location.hash = '#run/' + encodeURIComponent(started.project) + '/' + encodeURIComponent(started.runId);
  } catch (err) {
    b.toast(err.message, true);
  } finally {
    e.currentTarget.disabled = !(b.check && b.check.ok);
  }
}
