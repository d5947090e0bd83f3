// The run page (#run/<project>/<run>): the workflow's graph laid out by dagre, each node coloured by its task's live
// state; the attempts on a timeline (ECharts); and, for the task picked, its prompt, output (Markdown, sanitised),
// attempts, review verdicts, guard results, question and answer, its conversation with collaborators and reviewers
// (a thread by attempt, each message's text as sanitised Markdown) and its version-control commits, with the controls. Events of the run recolour the
// nodes as they arrive; the details are read again a moment later.
import {h, s, money, time, badge, present} from './dom.js';
import {get, post, seg} from './api.js';
import {load, markdown} from './libs.js';

const NODE_W = 190;
const NODE_H = 54;
const REREAD_MS = 150;
const OUTCOME_COLOURS = {SUCCEEDED: '#1f8a4c', APPROVED: '#1f8a4c', FAILED: '#c4312b', REJECTED: '#c77700',
  TIMED_OUT: '#c4312b', CANCELLED: '#8a94a6', ASKED_FOR_INPUT: '#c77700'};

const page = {project: null, runId: null, detail: null, selected: null, timer: null, toast: () => {}, chart: null,
  drawnGraph: null, drawnTask: null};
const $ = (id) => document.getElementById(id);

/** Shows a run; `toast` reports what a control did. */
export function showRun(project, runId, toast) {
  page.toast = toast;
  if (page.project !== project || page.runId !== runId) {
    page.project = project;
    page.runId = runId;
    page.detail = null;
    page.selected = null;
    page.drawnGraph = null;
    page.drawnTask = null;
    $('run-page').replaceChildren(h('p', {class: 'empty'}, 'Loading run ' + runId + '…'));
  }
  reread(0);
}

/** An event of the store's stream: a transition of this run's task recolours its node at once. */
export function onRunEvent(ev) {
  if (!page.runId || ev.runId !== page.runId || ev.project !== page.project) return;
  if (ev.taskId && ev.to) {
    const node = document.querySelector('#run-graph g.node[data-task-id="' + CSS.escape(ev.taskId) + '"]');
    if (node) paint(node, ev.to);
  }
  reread(REREAD_MS);
}

function reread(delay) {
  clearTimeout(page.timer);
  page.timer = setTimeout(read, delay);
}

async function read() {
  const project = page.project;
  const runId = page.runId;
  if (!runId) return;
  try {
    const d = await get('api/projects/' + seg(project) + '/runs/' + seg(runId) + '/detail');
    if (page.runId !== runId) return;
    page.detail = d;
    if (!page.selected && d.tasks.length) page.selected = d.tasks[0].taskId;
    await render();
  } catch (e) {
    $('run-page').replaceChildren(h('p', {class: 'empty error'}, e.message));
  }
}

async function act(control, path, body, done) {
  if (control) control.disabled = true;
  try {
    const answer = await post(path, body);
    if (done) page.toast(done, false);
    return answer;
  } catch (e) {
    page.toast(e.message, true);
    return null;
  } finally {
    if (control) control.disabled = false;
    reread(REREAD_MS);
  }
}

function runPath() {
  return 'api/projects/' + seg(page.project) + '/runs/' + seg(page.runId);
}

async function render() {
  const d = page.detail;
  const root = $('run-page');
  if (!root.querySelector('#run-graph')) {
    root.replaceChildren(
        h('div', {id: 'run-header', class: 'card'}),
        h('div', {class: 'run-layout'},
            h('section', {class: 'card graph-card', 'aria-label': 'Task graph'},
                h('h3', {}, 'Graph'), h('div', {id: 'run-graph', class: 'graph'})),
            h('section', {id: 'run-task', class: 'card task-detail', 'aria-live': 'polite'})),
        h('section', {class: 'card'}, h('h3', {}, 'Timeline of attempts'),
            h('div', {id: 'run-timeline', class: 'echart timeline'})));
  }
  renderHeader(d);
  await renderGraph(d);
  await renderTask(d);
  await renderTimeline(d);
  document.body.dataset.runShown = d.run.id;
}

function renderHeader(d) {
  const r = d.run;
  const params = Object.entries(d.params || {}).map(([k, v]) => k + ' = ' + v).join(' · ');
  $('run-header').replaceChildren(...present(
      h('div', {class: 'run-head'},
          h('a', {href: '#history', class: 'back'}, '← Runs'),
          h('span', {class: 'title'}, r.workflow),
          badge(r.status, 'run-status'),
          h('span', {class: 'meta'}, r.project + ' · ' + r.id + ' · ' + time(r.submittedAt) + ' · ' + money(r.cost)),
          r.status === 'RUNNING'
            ? h('button', {class: 'btn danger small', 'data-action': 'cancel-run',
              onclick: (e) => act(e.currentTarget, runPath() + '/cancel', {reason: 'cancelled from the dashboard'},
                  'Cancelled run ' + r.id)}, 'Cancel run')
            : h('button', {class: 'btn small', 'data-action': 'rerun', onclick: rerun}, 'Run again')),
      params ? h('div', {class: 'meta'}, params) : null,
      d.runBranch ? h('div', {class: 'meta run-branch'}, 'Branch ', h('code', {}, d.runBranch),
          ...(d.runCommits || []).map((c) => [' · ', commitLabel(c)])) : null));
}

function commitLabel(c) {
  return h('span', {class: 'commit-label'}, h('code', {class: 'commit-id', title: c.commit}, c.shortId), ' ',
      badge(c.action.toUpperCase(), 'commit-action'));
}

/** The task's commits: short id, action, branch and the files each changed. */
function commitsList(t) {
  if (!t.commits || !t.commits.length) return null;
  return [h('h4', {}, 'Commits'), h('ul', {class: 'commits'}, ...t.commits.map((c) => h('li',
      {'data-commit': c.commit, 'data-commit-action': c.action},
      commitLabel(c), ' on ', h('code', {class: 'commit-branch'}, c.branch), ' · ', time(c.at),
      c.files.length
        ? h('ul', {class: 'commit-files'}, ...c.files.map((f) => h('li', {}, h('code', {}, f))))
        : h('div', {class: 'meta'}, 'No files changed.'),
      page.detail.diffs ? diffBox(c) : null)))];
}

/** A commit's diff, read when opened (only when the project's repository is on the dashboard's machine). */
function diffBox(c) {
  const pre = h('pre', {class: 'diff', 'data-role': 'diff'});
  const box = h('details', {class: 'commit-diff'}, h('summary', {}, 'Diff'), pre);
  box.addEventListener('toggle', async () => {
    if (!box.open || pre.dataset.loaded) return;
    pre.dataset.loaded = 'true';
    pre.textContent = 'Reading…';
    try {
      const d = await get(runPath() + '/commits/' + seg(c.commit) + '/diff');
      pre.textContent = d.diff + (d.truncated ? '\n… (cut: the diff is longer than the page shows)' : '');
    } catch (e) {
      pre.textContent = e.message;
      pre.classList.add('error');
    }
  });
  return box;
}

/**
 * The task's conversation as a thread, grouped by attempt as `orchestrator logs` prints it: who spoke to whom, the
 * kind, tokens and cost, and the text as Markdown through DOMPurify (a DOM fragment, never an HTML string).
 */
async function conversation(t) {
  if (!t.conversation || !t.conversation.length) return null;
  const thread = h('div', {class: 'thread', 'data-role': 'conversation'});
  let attempt = null;
  let group = null;
  for (const m of t.conversation) {
    if (m.attempt !== attempt) {
      attempt = m.attempt;
      group = h('div', {class: 'thread-attempt', 'data-attempt': attempt}, h('div', {class: 'meta'}, 'Attempt ' + attempt));
      thread.append(group);
    }
    const text = h('div', {class: 'markdown message-text'});
    text.append(await markdown(m.text));
    group.append(h('div', {class: 'message kind-' + m.kind, 'data-kind': m.kind, 'data-from': m.from},
        h('div', {class: 'message-head'}, h('strong', {}, m.from), ' → ', h('strong', {}, m.to), ' ',
            h('span', {class: 'badge message-kind'}, m.kind),
            h('span', {class: 'meta'}, ' ' + m.inputTokens + ' / ' + m.outputTokens + ' tokens · ' + money(m.cost))),
        text));
  }
  return [h('h4', {}, 'Conversation'), thread];
}

async function rerun(e) {
  const started = await act(e.currentTarget, runPath() + '/rerun', {}, null);
  if (started) {
    page.toast('Started run ' + started.runId, false);
    location.hash = '#run/' + encodeURIComponent(started.project) + '/' + encodeURIComponent(started.runId);
  }
}

function paint(node, state) {
  node.setAttribute('data-state', state);
  node.setAttribute('class', 'node state-' + state.toLowerCase());
  const label = node.querySelector('.node-state');
  if (label) label.textContent = state.replace(/_/g, ' ').toLowerCase();
}

async function renderGraph(d) {
  const shape = JSON.stringify(d.graph);
  const box = $('run-graph');
  const states = new Map(d.tasks.map((t) => [t.taskId, t.state]));
  if (page.drawnGraph !== shape) {
    const dagre = await load('dagre');
    const g = new dagre.graphlib.Graph();
    g.setGraph({rankdir: 'LR', nodesep: 24, ranksep: 56, marginx: 12, marginy: 12});
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of d.graph) g.setNode(n.id, {width: NODE_W, height: NODE_H});
    for (const n of d.graph) {
      for (const dep of n.dependsOn) if (g.hasNode(dep)) g.setEdge(dep, n.id);
    }
    dagre.layout(g);
    const size = g.graph();
    const svg = s('svg', {class: 'graph-svg', viewBox: '0 0 ' + Math.ceil(size.width) + ' ' + Math.ceil(size.height),
      width: Math.ceil(size.width), height: Math.ceil(size.height), role: 'group', 'aria-label': 'Tasks and dependencies'},
    s('defs', {}, s('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
      orient: 'auto-start-reverse'}, s('path', {d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head'}))));
    for (const e of g.edges()) {
      const pts = g.edge(e).points;
      const path = 'M' + pts.map((p) => p.x.toFixed(1) + ',' + p.y.toFixed(1)).join(' L');
      svg.append(s('path', {class: 'edge', d: path, 'marker-end': 'url(#arrow)', 'data-from': e.v, 'data-to': e.w}));
    }
    for (const n of d.graph) {
      const p = g.node(n.id);
      const x = p.x - NODE_W / 2;
      const y = p.y - NODE_H / 2;
      const title = n.title.length > 26 ? n.title.slice(0, 25) + '…' : n.title;
      const node = s('g', {class: 'node', 'data-task-id': n.id, tabindex: 0, role: 'button',
        'aria-label': 'Task ' + n.title, transform: 'translate(' + x.toFixed(1) + ',' + y.toFixed(1) + ')',
        onclick: () => select(n.id),
        onkeydown: (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            select(n.id);
          }
        }},
      s('rect', {width: NODE_W, height: NODE_H, rx: 9}),
      s('text', {x: 10, y: 21, class: 'node-title'}, title),
      s('text', {x: 10, y: 41, class: 'node-state'}, ''),
      s('title', {}, n.title + (n.providers.length ? ' · ' + n.providers.join(', ') : '')));
      svg.append(node);
    }
    box.replaceChildren(svg);
    page.drawnGraph = shape;
  }
  for (const node of box.querySelectorAll('g.node')) {
    const state = states.get(node.dataset.taskId) || 'BLOCKED';
    paint(node, state);
    node.classList.toggle('selected', node.dataset.taskId === page.selected);
  }
}

function select(taskId) {
  page.selected = taskId;
  page.drawnTask = null;
  for (const node of document.querySelectorAll('#run-graph g.node')) {
    node.classList.toggle('selected', node.dataset.taskId === taskId);
  }
  renderTask(page.detail);
}

function ms(n) {
  if (n === null || n === undefined) return 'in flight';
  return n < 1000 ? n + ' ms' : (n / 1000).toFixed(1) + ' s';
}

function controls(t) {
  const path = runPath() + '/tasks/' + seg(t.taskId);
  const out = [];
  if (t.actions.includes('cancel')) {
    out.push(h('button', {class: 'btn danger', 'data-action': 'cancel',
      onclick: (e) => act(e.currentTarget, path + '/cancel', {reason: 'cancelled from the dashboard'},
          'Cancelled ' + t.taskId)}, 'Cancel'));
  }
  if (t.actions.includes('retry')) {
    out.push(h('button', {class: 'btn', 'data-action': 'retry',
      onclick: (e) => act(e.currentTarget, path + '/retry', {}, 'Retrying ' + t.taskId)}, 'Retry'));
  }
  if (t.actions.includes('resume')) {
    out.push(h('button', {class: 'btn', 'data-action': 'resume',
      onclick: (e) => act(e.currentTarget, path + '/resume', {}, 'Resumed ' + t.taskId)}, 'Resume'));
  }
  if (t.actions.includes('priority')) {
    const select = h('select', {class: 'priority', 'aria-label': 'Priority of ' + t.title,
      onchange: (e) => act(e.currentTarget, path + '/priority', {priority: e.currentTarget.value.toLowerCase()},
          'Priority of ' + t.taskId + ' is now ' + e.currentTarget.value.toLowerCase())},
    ...['HIGH', 'MEDIUM', 'LOW'].map((p) => h('option', {value: p, selected: p === t.lane}, p.toLowerCase())));
    out.push(h('label', {class: 'meta'}, 'Priority ', select));
  }
  return out;
}

function question(t) {
  const q = t.question;
  if (!q) return null;
  if (!q.open) {
    return h('div', {class: 'qa'}, h('h4', {}, 'Question'), h('p', {}, q.text),
        h('h4', {}, 'Answer'), h('p', {class: 'answer'}, q.answer || ''));
  }
  const box = h('textarea', {rows: 3, 'aria-label': 'Answer to: ' + q.text});
  return h('div', {class: 'qa question'}, h('h4', {}, 'Question'), h('p', {}, q.text), box,
      h('button', {class: 'btn primary', 'data-action': 'answer', onclick: (e) => {
        if (!box.value.trim()) return;
        act(e.currentTarget, 'api/questions/' + seg(q.id) + '/answer', {answer: box.value}, 'Answer sent');
      }}, 'Send answer'));
}

function attemptsTable(t) {
  if (!t.attempts.length) return h('p', {class: 'meta'}, 'No attempts yet.');
  return h('div', {class: 'scroll'}, h('table', {class: 'attempts'},
      h('thead', {}, h('tr', {}, ...['#', 'Provider', 'Outcome', 'Tokens in/out', 'Cost', 'Latency', 'Error']
          .map((c) => h('th', {}, c)))),
      h('tbody', {}, ...t.attempts.map((a) => h('tr', {'data-attempt': a.number},
          h('td', {}, a.number), h('td', {}, a.provider),
          h('td', {}, a.outcome ? badge(a.outcome) : badge('RUNNING')),
          h('td', {}, a.inputTokens + ' / ' + a.outputTokens),
          h('td', {}, money(a.cost) + (a.costBasis !== 'MEASURED' ? ' (' + a.costBasis.toLowerCase() + ')' : '')),
          h('td', {}, ms(a.latencyMs)),
          h('td', {class: a.errorKind ? 'error' : ''}, a.errorKind ? a.errorKind + ': ' + (a.message || '') : ''))))));
}

async function renderTask(d) {
  const t = d.tasks.find((x) => x.taskId === page.selected);
  const box = $('run-task');
  if (!t) {
    box.replaceChildren(h('p', {class: 'empty'}, 'Pick a task in the graph.'));
    return;
  }
  const key = JSON.stringify(t) + (d.diffs ? ' diffs' : '');
  if (page.drawnTask === key) return;
  // An answer being typed survives the task's own updates.
  const typing = box.querySelector('.question textarea');
  if (typing && typing.value && t.question && t.question.open && box.dataset.taskId === t.taskId) return;
  const output = h('div', {class: 'markdown', 'data-role': 'output'});
  if (t.output) output.append(await markdown(t.output));
  const talk = await conversation(t);
  box.dataset.taskId = t.taskId;
  box.replaceChildren(...present(
      h('div', {class: 'run-head'}, h('h3', {class: 'title'}, t.title), badge(t.state)),
      h('div', {class: 'meta'}, t.taskId + ' · ' + (t.provider || 'no provider yet') + ' · ' + t.lane.toLowerCase()
          + ' · ' + money(t.cost)),
      h('div', {class: 'actions'}, ...controls(t)),
      t.error ? h('p', {class: 'note error'}, (t.errorKind ? t.errorKind + ': ' : '') + t.error) : null,
      question(t),
      h('h4', {}, 'Prompt'),
      t.prompt ? h('pre', {class: 'prompt', 'data-role': 'prompt'}, t.prompt) : h('p', {class: 'meta'}, 'Not sent yet.'),
      h('h4', {}, 'Output'),
      t.output ? output : h('p', {class: 'meta'}, 'No output yet.'),
      h('h4', {}, 'Attempts'), attemptsTable(t),
      talk,
      commitsList(t),
      t.reviews.length ? h('h4', {}, 'Review verdicts') : null,
      t.reviews.length ? h('ul', {class: 'verdicts'}, ...t.reviews.map((r) => h('li', {},
          badge(r.approved ? 'APPROVED' : 'REJECTED'), ' ' + r.reviewer + ', round ' + r.round + ', score ' + r.score
          + ': ' + r.feedback))) : null,
      t.guards.length ? h('h4', {}, 'Guard results') : null,
      t.guards.length ? h('ul', {class: 'guards'}, ...t.guards.map((g) => h('li', {},
          badge(g.action), ' ' + g.guard + ' on the ' + g.phase.toLowerCase() + ': ' + g.reason))) : null));
  page.drawnTask = key;
}

async function renderTimeline(d) {
  const rows = [];
  for (const t of d.tasks) {
    for (const a of t.attempts) {
      rows.push({label: t.taskId + ' #' + a.number, start: Date.parse(a.startedAt),
        end: a.finishedAt ? Date.parse(a.finishedAt) : Date.now(), outcome: a.outcome || 'RUNNING', provider: a.provider});
    }
  }
  const box = $('run-timeline');
  box.dataset.attempts = String(rows.length);
  if (!rows.length) {
    if (page.chart) {
      page.chart.dispose();
      page.chart = null;
    }
    box.replaceChildren(h('p', {class: 'meta'}, 'No attempts yet.'));
    return;
  }
  const echarts = await load('echarts');
  if (!page.chart || page.chart.getDom() !== box || page.chart.isDisposed()) {
    box.replaceChildren();
    page.chart = echarts.init(box, null, {renderer: 'svg'});
  }
  const t0 = Math.min(...rows.map((r) => r.start));
  box.style.height = Math.max(120, 40 + rows.length * 26) + 'px';
  page.chart.resize();
  page.chart.setOption({
    animation: false,
    grid: {left: 110, right: 20, top: 10, bottom: 30},
    tooltip: {trigger: 'item', formatter: (p) => p.seriesIndex === 1 ? rows[p.dataIndex].label + ': '
      + rows[p.dataIndex].provider + ', ' + rows[p.dataIndex].outcome.toLowerCase() + ', '
      + ms(rows[p.dataIndex].end - rows[p.dataIndex].start) : ''},
    xAxis: {type: 'value', name: 'ms', axisLabel: {formatter: (v) => ms(v)}},
    yAxis: {type: 'category', inverse: true, data: rows.map((r) => r.label)},
    series: [
      {type: 'bar', stack: 't', silent: true, itemStyle: {color: 'transparent'}, data: rows.map((r) => r.start - t0)},
      {type: 'bar', stack: 't', name: 'attempt', data: rows.map((r) => ({value: Math.max(1, r.end - r.start),
        itemStyle: {color: OUTCOME_COLOURS[r.outcome] || '#3056d3'}}))},
    ],
  }, true);
}
