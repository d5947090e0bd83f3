// The learning section: each provider's figures on each task type and the recommendations in words, as
// `orchestrator learn report` prints them. Builds elements from a learning view; text only goes in as text.
import {h, money} from './dom.js';

const COLUMNS = ['Provider', 'Type', 'Attempts', 'First try', 'Success', 'Failovers', 'Review', 'Guards', 'P50',
  'P95', 'Tokens', 'Cost/success', 'Demoted'];

function percent(share) {
  return Math.round(share * 100) + '%';
}

/** A weighted count: whole when it is, one decimal otherwise (recent outcomes weigh more than old ones). */
function count(n) {
  const one = n.toFixed(1);
  return one.endsWith('.0') ? one.slice(0, -2) : one;
}

/** An ISO-8601 duration (PT12.5S, PT4M5S) as 850ms, 12.3s, 4m05s or 1h02m. */
export function duration(iso) {
  if (!iso) return '-';
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso);
  if (!m) return iso;
  const ms = Math.round(((Number(m[1] || 0) * 60 + Number(m[2] || 0)) * 60 + Number(m[3] || 0)) * 1000);
  if (ms < 1000) return ms + 'ms';
  if (ms < 60000) return (ms / 1000).toFixed(1) + 's';
  const s = Math.floor(ms / 1000);
  if (s < 3600) return Math.floor(s / 60) + 'm' + String(s % 60).padStart(2, '0') + 's';
  return Math.floor(s / 3600) + 'h' + String(Math.floor((s % 3600) / 60)).padStart(2, '0') + 'm';
}

function row(f) {
  const cells = [f.provider, f.taskType, String(f.samples), percent(f.firstTrySuccessRate), percent(f.successRate),
    count(f.failovers), f.reviewScoreMean === null || f.reviewScoreMean === undefined ? '-'
      : f.reviewScoreMean.toFixed(1), count(f.guardViolations), duration(f.latencyP50), duration(f.latencyP95),
    String(Math.round(f.tokens)), f.costPerSuccess ? money(f.costPerSuccess) : '-', f.demotion ? 'yes' : '-'];
  return h('tr', {'data-provider': f.provider, 'data-type': f.taskType, class: f.demotion ? 'demoted' : null},
      cells.map((c, i) => h('td', {class: i >= 2 && i <= 11 ? 'num' : null,
        title: i === 12 && f.demotion ? f.demotion.evidence : null}, c)));
}

const SHADOW_COLUMNS = ['Challenger', 'Type', 'Compared', 'Won', 'Cost', 'Promoted'];

function shadowRow(s) {
  const cells = [s.challenger, s.taskType, String(s.comparisons), String(s.wins), money(s.cost),
    s.promotion ? 'yes' : '-'];
  return h('tr', {'data-challenger': s.challenger, 'data-type': s.taskType},
      cells.map((c, i) => h('td', {class: i >= 2 && i <= 4 ? 'num' : null,
        title: i === 5 && s.promotion ? s.promotion : null}, c)));
}

/** Shadow evaluation's table, or nothing when it never compared. */
function shadowTable(view) {
  const shadows = view.shadows || [];
  if (!shadows.length) return [];
  return [h('h3', {}, 'Shadow comparisons'),
    h('p', {class: 'meta'}, 'A cheaper challenger answered beside the provider a task succeeded on; a judge chose.'),
    h('div', {class: 'table-box'}, h('table', {class: 'learning-table shadow-table'},
        h('thead', {}, h('tr', {}, SHADOW_COLUMNS.map((c) => h('th', {}, c)))),
        h('tbody', {}, shadows.map(shadowRow))))];
}

/** The section's elements for a learning view. */
export function learningView(view) {
  if (!view.figures.length) {
    return [h('p', {class: 'empty'}, 'Nothing to learn from yet in project ' + view.project + ': figures appear'
        + ' here once tasks have run (each provider\'s attempts, successes, reviews, time and cost per task type,'
        + ' from the store\'s events).')];
  }
  const table = h('div', {class: 'table-box'}, h('table', {class: 'learning-table'},
      h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', {}, c)))),
      h('tbody', {}, view.figures.map(row))));
  const demoted = view.figures.filter((f) => f.demotion);
  const parts = [table,
    demoted.length ? h('h3', {}, 'Demoted') : null,
    demoted.length ? h('ul', {class: 'demotions'}, demoted.map((f) => h('li', {}, f.demotion.evidence))) : null,
    ...shadowTable(view),
    h('h3', {}, 'Recommendations'),
    h('ul', {class: 'recommendations'}, view.recommendations.map((r) => h('li', {}, r))),
    h('p', {class: 'meta'}, 'A comparison needs at least ' + view.minSamples + ' attempts on each provider;'
        + ' recent outcomes count more.')];
  // replaceChildren would show a missing part as the text "null".
  return parts.filter((p) => p !== null);
}
