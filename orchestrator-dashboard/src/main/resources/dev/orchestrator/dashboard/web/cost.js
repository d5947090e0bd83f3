// The cost section: figures, a gauge per budget, spending per provider and per day. Builds elements from a cost
// view; nothing here reads the page's state.
import {h, s, money, amount} from './dom.js';

export function gauge(g) {
  const pct = Math.round(g.share * 1000) / 10;
  const crossedCount = g.thresholds.filter((t) => g.share >= t).length;
  const level = g.share >= 1 || (crossedCount > 0 && crossedCount === g.thresholds.length) ? ' over'
    : crossedCount > 0 ? ' warn' : '';
  const fill = h('div', {class: 'gauge-fill' + level, 'data-share': String(g.share)});
  fill.style.width = Math.min(100, Math.max(0, g.share * 100)) + '%';
  const ticks = g.thresholds.map((t) => {
    const tick = h('div', {class: 'gauge-tick' + (g.share >= t ? ' crossed' : ''), title: Math.round(t * 100) + '%'});
    tick.style.left = (t * 100) + '%';
    return tick;
  });
  const crossed = g.thresholds.filter((t) => g.share >= t).map((t) => Math.round(t * 100) + '%');
  return h('div', {class: 'card gauge', 'data-scope': g.scope},
      h('div', {class: 'run-head'}, h('span', {class: 'title'}, g.scope + (g.day ? ' ' + g.day : '')),
          g.paused ? badge('LIMIT REACHED') : null,
          h('span', {class: 'meta gauge-text'}, money(g.spent) + ' of ' + money(g.limit) + ' (' + pct + '%)')),
      h('div', {class: 'gauge-bar', role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': 100,
        'aria-valuenow': Math.min(100, pct), 'aria-label': g.scope}, fill, ticks),
      h('div', {class: 'meta'}, 'Alerts at ' + g.thresholds.map((t) => Math.round(t * 100) + '%').join(', ')
          + (crossed.length ? ' · crossed ' + crossed.join(', ') : '')
          + (amount(g.reserved) > 0 ? ' · ' + money(g.reserved) + ' reserved' : '')));
}

/**
 * One bar per entry. {@code notes}, when given, adds to each name's value what the report says of it (the estimated
 * part, the provider's limit share and whether it holds work back).
 */
export function bars(entries, notes) {
  const max = Math.max(0, ...entries.map(([, m]) => amount(m)));
  return entries.map(([name, m]) => {
    const bar = h('div', {class: 'bar-fill'});
    bar.style.width = (max > 0 ? amount(m) / max * 100 : 0) + '%';
    const note = notes && notes[name] ? notes[name] : '';
    return h('div', {class: 'bar-row', 'data-name': name}, h('span', {class: 'bar-label'}, name),
        h('div', {class: 'bar'}, bar), h('span', {class: 'bar-value'}, money(m) + note));
  });
}

/** What the report says of each provider beside its spend: " of which $0.30 estimated (117% of daily limit - PAUSED)". */
export function providerNotes(providers) {
  const notes = {};
  for (const p of providers || []) {
    let note = amount(p.estimated) > 0 ? ' of which ' + money(p.estimated) + ' estimated' : '';
    const line = p.limit;
    if (line && line.limit) {
      const share = amount(line.limit) > 0 ? Math.round(amount(line.spent) / amount(line.limit) * 100) : 0;
      note += ' (' + share + '% of ' + (line.scope.kind === 'PROVIDER_DAILY' ? 'daily' : 'total') + ' limit'
          + (line.paused ? ' - PAUSED' : '') + ')';
    }
    notes[p.provider] = note;
  }
  return notes;
}

export function dayChart(byDay) {
  const days = Object.entries(byDay);
  if (!days.length) return h('p', {class: 'empty'}, 'Nothing spent yet.');
  const w = 600;
  const hgt = 160;
  const pad = 28;
  const max = Math.max(...days.map(([, m]) => amount(m)), 0.000001);
  const slot = (w - pad * 2) / days.length;
  const svg = s('svg', {viewBox: '0 0 ' + w + ' ' + hgt, class: 'day-chart', role: 'img',
    'aria-label': 'Spending per day'});
  svg.append(s('line', {x1: pad, y1: hgt - pad, x2: w - pad, y2: hgt - pad, class: 'axis'}));
  days.forEach(([day, m], i) => {
    const bh = (amount(m) / max) * (hgt - pad * 2);
    const x = pad + i * slot + (slot - Math.min(48, Math.max(2, slot * 0.7))) / 2;
    const bw = Math.min(48, Math.max(2, slot * 0.7));
    svg.append(s('rect', {x, y: hgt - pad - bh, width: bw, height: bh, class: 'day-bar'},
        s('title', {}, day + ': ' + money(m))));
    svg.append(s('text', {x: x + bw / 2, y: hgt - pad + 14, class: 'label', 'text-anchor': 'middle'}, day.slice(5)));
    svg.append(s('text', {x: x + bw / 2, y: hgt - pad - bh - 4, class: 'label', 'text-anchor': 'middle'}, money(m)));
  });
  return svg;
}

/** The summary tiles of a cost view. */
export function tiles(c) {
  const tile = (label, value, cls) => h('div', {class: 'card tile ' + (cls || '')}, h('div', {class: 'meta'}, label),
      h('div', {class: 'big'}, value));
  const out = [
    tile('Spent', money(c.spent), 'spent'),
    tile('Reserved (in flight)', money(c.reserved)),
    tile('Remaining', c.remaining ? money(c.remaining) : 'no limit'),
    tile('Forecast', money(c.forecast) + (c.limit ? (c.forecastWithinBudget ? ' (within budget)' : ' (over budget)')
        : ''), c.forecastWithinBudget ? '' : 'over')];
  // Shown only when there is something to say, as in the report's text.
  if (amount(c.estimated) > 0) {
    out.splice(1, 0, tile('Measured', money(c.measured), 'measured'),
        tile('Estimated (may have been billed without usage)', money(c.estimated), 'estimated'));
  }
  if (amount(c.overrun) > 0) {
    out.push(tile('Overruns', money(c.overrun) + (c.overrunProviders.length ? ' (' + c.overrunProviders.join(', ')
        + ')' : ''), 'overrun over'));
  }
  if (c.unpricedCalls > 0) {
    out.push(tile('Unpriced calls (recorded at $0.00)', String(c.unpricedCalls), 'unpriced over'));
  }
  return out;
}
