// The dashboard page: every event of the store's stream is applied to the page as it arrives (live.js), in order;
// views are read again, a moment later, for the details events do not carry.
import {h, money, amount, time, badge} from './dom.js';
import {gauge, bars, dayChart, tiles, providerNotes} from './cost.js';
import {session, read, post, seg} from './api.js';
import {Model, RESOURCES, SETTLE_MS} from './live.js';
import {setUpPlanning} from './plan.js';
import {learningView} from './learning.js';
import {showRun, onRunEvent} from './run.js';
import {setUpHistory, showHistory, templatesChanged} from './history.js';
import {showCharts, chartsStale, resizeCharts} from './charts.js';
import {setUpBuilder, showBuilder} from './builder.js';
import './pwa.js'; // installable: registers the service worker

const LANES = ['HIGH', 'MEDIUM', 'LOW'];
/** How long to gather stale views before reading them again. */
const READ_DELAY_MS = 200;
/** A slow safety net: what no event announces (a provider's probe time) is read this often. */
const FALLBACK_MS = 30000;
/** How many applied events the page remembers for whoever watches it (window.__dashboardLog). */
const LOG_SIZE = 5000;

const state = {project: null, projects: [], tab: 'runs', stream: null, model: new Model(null), stale: new Set(),
  readTimer: null, reading: null, questions: new Map(), sent: new Set(), firstUnshown: null};
const log = {applied: []};
window.__dashboardLog = log;

const $ = (id) => document.getElementById(id);

function toast(message, isError) {
  const t = $('toast');
  t.textContent = message;
  t.className = 'toast' + (isError ? ' error' : '');
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, isError ? 8000 : 3000);
}

/** Runs a POST from a control and shows what happened; the change itself arrives as events. */
async function act(control, path, body, done) {
  if (control) control.disabled = true;
  try {
    await post(path, body);
    if (done) toast(done, false);
    return true;
  } catch (e) {
    toast(e.message, true);
    return false;
  } finally {
    if (control) control.disabled = false;
    stale(RESOURCES);
  }
}

/**
 * Puts each item's element in the box in order, reusing the element drawn for an unchanged item (so a control the
 * user is on survives updates elsewhere).
 */
function reconcile(box, items, keyOf, build) {
  const old = new Map();
  for (const el of box.children) {
    if (el.dataset.key !== undefined) old.set(el.dataset.key, el);
  }
  const next = items.map((item) => {
    const key = keyOf(item);
    const sig = JSON.stringify(item);
    const el = old.get(key);
    if (el && el.drawnFrom === sig) return el;
    const made = build(item);
    made.dataset.key = key;
    made.drawnFrom = sig;
    return made;
  });
  const same = next.length === box.children.length && next.every((el, i) => box.children[i] === el);
  if (!same) box.replaceChildren(...next);
}

function taskPath(t) {
  return 'api/projects/' + seg(t.project) + '/runs/' + seg(t.runId) + '/tasks/' + seg(t.taskId);
}

function prioritySelect(t) {
  const select = h('select', {class: 'priority', 'aria-label': 'Priority of ' + t.title, 'data-action': 'priority'},
      LANES.map((l) => h('option', {value: l, selected: l === t.lane}, l.toLowerCase())));
  select.addEventListener('change', () =>
    act(select, taskPath(t) + '/priority', {priority: select.value}, 'Priority of ' + t.title + ': ' + select.value));
  return select;
}

function taskActions(t) {
  const out = [];
  if (t.actions.includes('priority')) out.push(prioritySelect(t));
  if (t.actions.includes('retry')) {
    out.push(h('button', {class: 'btn', 'data-action': 'retry',
      onclick: (e) => act(e.currentTarget, taskPath(t) + '/retry', {}, 'Retrying ' + t.title)}, 'Retry'));
  }
  if (t.actions.includes('resume')) {
    out.push(h('button', {class: 'btn', 'data-action': 'resume',
      onclick: (e) => act(e.currentTarget, taskPath(t) + '/resume', {}, 'Resumed ' + t.title)}, 'Resume'));
  }
  if (t.actions.includes('cancel')) {
    out.push(h('button', {class: 'btn danger', 'data-action': 'cancel',
      onclick: (e) => act(e.currentTarget, taskPath(t) + '/cancel', {reason: 'cancelled from the dashboard'},
          'Cancelled ' + t.title)}, 'Cancel'));
  }
  return h('div', {class: 'actions'}, out);
}

function taskRow(t) {
  const detail = [];
  if (t.provider) detail.push(t.provider);
  detail.push(t.lane.toLowerCase());
  if (t.attempts > 0) detail.push(t.attempts + (t.attempts === 1 ? ' attempt' : ' attempts'));
  if (amount(t.cost) > 0 || t.costBasis === 'UNPRICED') {
    detail.push(money(t.cost) + (t.costBasis === 'ESTIMATED' ? ' (estimated)'
        : t.costBasis === 'UNPRICED' ? ' (unpriced)' : ''));
  }
  const notes = [];
  if (t.error) notes.push(h('div', {class: 'note error'}, (t.errorKind ? t.errorKind + ': ' : '') + t.error));
  if (t.cancellation) notes.push(h('div', {class: 'note'}, 'Cancelled by ' + t.cancellation.by + ': '
      + t.cancellation.reason));
  if (t.question) notes.push(h('div', {class: 'note'}, 'Asks: ' + t.question));
  else if (t.waiting) notes.push(h('div', {class: 'note waiting'}, 'Waiting: ' + t.waiting));
  return h('div', {class: 'task', 'data-run-id': t.runId, 'data-task-id': t.taskId, 'data-state': t.state},
      h('div', {class: 'task-main'},
          h('span', {class: 'title'}, t.title),
          badge(t.state, 'state'),
          h('span', {class: 'meta'}, detail.join(' · '))),
      notes,
      taskActions(t));
}

function runHead(r) {
  const counts = Object.entries(r.counts).map(([k, v]) => v + ' ' + k.toLowerCase().replace(/_/g, ' ')).join(', ');
  return [h('div', {class: 'run-head'},
      h('span', {class: 'title'}, r.workflow),
      badge(r.status, 'run-status'),
      h('span', {class: 'meta'}, h('a', {href: '#run/' + encodeURIComponent(r.project) + '/' + encodeURIComponent(r.id),
        class: 'run-link', title: 'Open the run page'}, r.id), ' · ' + time(r.submittedAt) + ' · ' + money(r.cost)),
      r.status === 'RUNNING'
        ? h('button', {class: 'btn danger small', 'data-action': 'cancel-run',
          onclick: (e) => act(e.currentTarget, 'api/projects/' + seg(r.project) + '/runs/' + seg(r.id) + '/cancel',
              {reason: 'cancelled from the dashboard'}, 'Cancelled run ' + r.id)}, 'Cancel run')
        : null),
  h('div', {class: 'counts'}, counts)];
}

function renderRuns() {
  const list = $('runs');
  const runs = state.model.runs;
  if (!runs.length) {
    list.replaceChildren(h('p', {class: 'empty'}, 'No runs in this project yet.'));
    return;
  }
  const old = new Map();
  for (const el of list.children) {
    if (el.dataset.key !== undefined) old.set(el.dataset.key, el);
  }
  // A run's card stays while the run is shown; its head and its tasks are drawn again only where they changed.
  const next = runs.map((r) => {
    let card = old.get(r.id);
    if (!card) {
      card = h('article', {class: 'card run', 'data-run-id': r.id}, h('div', {class: 'run-top'}),
          h('div', {class: 'tasks'}));
      card.dataset.key = r.id;
    }
    card.setAttribute('data-status', r.status);
    const head = JSON.stringify([r.workflow, r.status, r.submittedAt, r.cost, r.counts]);
    if (card.drawnFrom !== head) {
      card.firstChild.replaceChildren(...runHead(r));
      card.drawnFrom = head;
    }
    reconcile(card.lastChild, r.tasks, (t) => t.taskId, taskRow);
    return card;
  });
  const same = next.length === list.children.length && next.every((el, i) => list.children[i] === el);
  if (!same) list.replaceChildren(...next);
}

function renderProjectControl() {
  const p = state.model.projects.find((x) => x.name === state.project);
  const box = $('project-control');
  if (!p) {
    box.replaceChildren();
    return;
  }
  const path = 'api/projects/' + seg(p.name);
  box.replaceChildren(
      h('span', {class: 'title'}, 'Project ' + p.name),
      p.paused ? badge('PAUSED') : badge('ACTIVE'),
      p.pauseReason ? h('span', {class: 'meta'}, p.pauseReason) : null,
      p.paused
        ? h('button', {class: 'btn', 'data-action': 'resume-project',
          onclick: (e) => act(e.currentTarget, path + '/resume', {}, 'Resumed ' + p.name)}, 'Resume project')
        : h('button', {class: 'btn', 'data-action': 'pause-project',
          onclick: (e) => act(e.currentTarget, path + '/pause', {reason: 'paused from the dashboard'},
              'Paused ' + p.name)}, 'Pause project'));
}

function renderQueue() {
  const box = $('queue');
  const tasks = state.model.queue;
  if (!tasks.length) {
    box.replaceChildren(h('p', {class: 'empty'}, 'Nothing is queued.'));
    return;
  }
  reconcile(box, LANES.map((lane) => ({lane, tasks: tasks.filter((t) => t.lane === lane)})), (l) => l.lane,
      (l) => h('div', {class: 'card lane', 'data-lane': l.lane},
          h('h3', {}, l.lane.toLowerCase() + ' priority (' + l.tasks.length + ')'),
          l.tasks.length ? l.tasks.map(taskRow) : h('p', {class: 'empty'}, 'empty')));
}

function renderProviders() {
  reconcile($('providers'), state.model.providers, (p) => p.name, (p) => {
    const c = p.circuit;
    const path = 'api/providers/' + seg(p.name);
    return h('article', {class: 'card provider', 'data-provider': p.name, 'data-state': p.state},
        h('div', {class: 'run-head'}, h('span', {class: 'title'}, p.name), badge(p.state.toUpperCase(), 'status')),
        h('dl', {class: 'facts'},
            h('dt', {}, 'Circuit'), h('dd', {}, badge(c.state, 'circuit'),
                c.recentFailures ? ' ' + c.recentFailures + ' recent failures' : '',
                c.probeAt ? ' · probe at ' + time(c.probeAt) : ''),
            h('dt', {}, 'In flight'), h('dd', {class: 'in-flight'}, String(p.inFlight)),
            h('dt', {}, 'Waiting'), h('dd', {}, String(p.waiting)),
            h('dt', {}, 'Today'), h('dd', {class: 'today'}, money(p.todaySpend)),
            h('dt', {}, 'Total'), h('dd', {}, money(p.totalSpend))),
        c.paused ? h('div', {class: 'note'}, 'Paused: ' + (c.pauseReason || '')) : null,
        h('div', {class: 'actions'}, c.paused
          ? h('button', {class: 'btn', 'data-action': 'resume-provider',
            onclick: (e) => act(e.currentTarget, path + '/resume', {}, 'Resumed ' + p.name)}, 'Resume')
          : h('button', {class: 'btn', 'data-action': 'pause-provider',
            onclick: (e) => act(e.currentTarget, path + '/pause', {reason: 'paused from the dashboard'},
                'Paused ' + p.name)}, 'Pause')));
  });
}

/** Questions are kept by id, so an answer being typed survives the live updates. */
function renderQuestions() {
  const questions = state.model.questions;
  const box = $('questions');
  const seen = new Set();
  for (const q of questions) {
    seen.add(q.id);
    if (state.questions.has(q.id)) continue;
    const input = h('textarea', {rows: 2, 'aria-label': 'Answer to: ' + q.text, class: 'answer'});
    const button = h('button', {class: 'btn primary', type: 'submit', 'data-action': 'answer'}, 'Answer');
    const status = h('div', {class: 'meta answer-status'});
    const form = h('form', {class: 'card question', 'data-question-id': q.id},
        h('div', {class: 'meta'}, 'Task ' + q.taskId + ' · run ' + q.runId + ' · asked ' + time(q.askedAt)),
        h('p', {class: 'question-text'}, q.text),
        input,
        h('div', {class: 'actions'}, button),
        status);
    const sent = () => {
      // The engine that runs the task takes the answer within about a second; the question goes when it has.
      state.sent.add(q.id);
      form.dataset.sent = 'true';
      input.disabled = true;
      button.disabled = true;
      status.textContent = 'Answer sent: the task goes on as soon as its engine takes it.';
    };
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!input.value.trim()) {
        toast('Type an answer first.', true);
        return;
      }
      input.disabled = true;
      const ok = await act(button, 'api/questions/' + seg(q.id) + '/answer', {answer: input.value},
          'Answered: ' + q.text);
      if (ok) {
        sent();
      } else {
        input.disabled = false;
      }
    });
    if (state.sent.has(q.id)) sent();
    state.questions.set(q.id, form);
    box.append(form);
  }
  for (const [id, el] of state.questions) {
    if (!seen.has(id)) {
      el.remove();
      state.questions.delete(id);
    }
  }
  const empty = box.querySelector('.empty');
  if (!questions.length && !empty) box.append(h('p', {class: 'empty'}, 'No question is waiting.'));
  if (questions.length && empty) empty.remove();
  $('question-count').textContent = questions.length ? String(questions.length) : '';
}

function renderCost() {
  const c = state.model.cost;
  if (!c) return;
  $('cost-summary').replaceChildren(...tiles(c));
  $('gauges').replaceChildren(...(c.gauges.length ? c.gauges.map(gauge)
      : [h('p', {class: 'empty'}, 'No budget is set.')]));
  const byProvider = Object.entries(c.byProvider);
  $('by-provider').replaceChildren(...(byProvider.length ? bars(byProvider, providerNotes(c.providers))
      : [h('p', {class: 'empty'}, 'Nothing spent yet.')]));
  $('by-day').replaceChildren(dayChart(c.byDay));
}

/** The learning section is read when shown (project, tab or the fallback timer): no event carries its figures. */
async function readLearning() {
  if (state.tab !== 'learning' || !state.project) return;
  const project = state.project;
  try {
    const {body} = await read('api/projects/' + seg(project) + '/learning');
    if (project !== state.project) return;
    $('learning').replaceChildren(...learningView(body));
    document.body.dataset.learning = project;
  } catch (e) {
    toast(e.message, true);
  }
}

function renderProjects() {
  const names = state.projects;
  const select = $('project');
  const current = Array.from(select.options).map((o) => o.value).join('\n');
  if (current !== names.join('\n')) {
    select.replaceChildren(...names.map((n) => h('option', {value: n}, n)));
  }
  if (state.project) select.value = state.project;
  renderProjectControl();
}

const RENDER = {projects: renderProjects, runs: renderRuns, queue: renderQueue, questions: renderQuestions,
  providers: renderProviders, cost: renderCost};

function render(sections) {
  for (const section of sections) RENDER[section]();
}

/** Marks views to read again, soon: events that changed what they show without carrying all of it. */
function stale(resources) {
  for (const r of resources) state.stale.add(r);
  if (state.readTimer || state.reading) return;
  state.readTimer = setTimeout(readStale, READ_DELAY_MS);
}

function url(resource) {
  const p = state.project ? 'api/projects/' + seg(state.project) : null;
  switch (resource) {
    case 'projects': return 'api/projects';
    case 'providers': return 'api/providers';
    case 'cost': return p ? p + '/cost' : 'api/cost';
    default: return p ? p + '/' + resource : null;
  }
}

async function readStale() {
  state.readTimer = null;
  const resources = Array.from(state.stale);
  state.stale.clear();
  const model = state.model;
  state.reading = Promise.all(resources.map(async (r) => {
    const path = url(r);
    if (!path) return;
    try {
      const {body, sequence} = await read(path);
      if (model !== state.model) return; // the project changed meanwhile
      if (r === 'projects') {
        state.projects = body.map((p) => p.name);
        if (!state.project && state.projects.length) {
          // The first project appeared while the page showed none: its stream starts before its first event.
          selectProject(state.projects[0], state.firstUnshown);
          return;
        }
      }
      const loaded = model.load(r, body, sequence);
      render(loaded.changed);
      // The view was ahead of the events: they show each state as they come; read again once they surely have.
      if (loaded.held) setTimeout(() => stale([r]), SETTLE_MS + READ_DELAY_MS);
    } catch (e) {
      toast(e.message, true);
    }
  }));
  try {
    await state.reading;
  } finally {
    state.reading = null;
    document.body.dataset.refreshed = String(Date.now());
    if (state.stale.size) stale([]);
  }
}

/** Applies one message of the stream: an event of the store, in order, or a notice. */
function onMessage(message) {
  let ev;
  try {
    ev = JSON.parse(message.data);
  } catch (e) {
    return;
  }
  switch (ev.type) {
    case 'Hello':
      // The stream starts after ev.sequence: what came before is read afresh.
      state.model.seq = Math.max(state.model.seq, ev.sequence || 0);
      stale(RESOURCES);
      return;
    case 'Reset':
      // The server could not send what the page missed: start over from the views.
      state.model = new Model(state.project);
      state.model.seq = ev.sequence || 0;
      stale(RESOURCES);
      return;
    case 'BudgetsChanged':
      stale(['cost']);
      return;
    case 'PausesChanged':
      stale(['projects', 'providers', 'queue', 'runs']);
      return;
    case 'ProjectsChanged':
      stale(['projects']);
      return;
    default:
      break;
  }
  onRunEvent(ev);
  if (state.tab === 'charts') chartsStale(state.project);
  if (!state.project && ev.project && state.firstUnshown === null) state.firstUnshown = ev.sequence - 1;
  const result = state.model.apply(ev);
  if (!result) return;
  render(result.changed);
  if (state.project) { // with no project shown, an event only tells the page to look for projects
    log.applied.push({sequence: ev.sequence, type: ev.type, at: ev.at, shownAt: Date.now()});
    if (log.applied.length > LOG_SIZE) log.applied.splice(0, log.applied.length - LOG_SIZE);
  }
  document.body.dataset.sequence = String(state.model.seq);
  stale(result.stale);
}

/** Opens the project's stream: from now, or after the sequence `after` (the events after it come first). */
function connect(after) {
  if (state.stream) state.stream.close();
  const params = new URLSearchParams();
  if (state.project) params.set('project', state.project);
  // The browser itself sends Last-Event-ID when it reconnects a stream; a new stream says where to start here.
  if (after !== null && after !== undefined) params.set('lastEventId', String(after));
  const query = params.toString();
  const stream = new EventSource('api/events' + (query ? '?' + query : ''));
  const live = $('live');
  stream.onopen = () => {
    live.textContent = 'live';
    live.className = 'live on';
  };
  stream.onmessage = onMessage;
  stream.onerror = () => {
    live.textContent = 'reconnecting';
    live.className = 'live off';
    if (stream.readyState === EventSource.CLOSED && state.stream === stream) {
      // The server refused the stream (it restarted and forgot this session): open a new one shortly.
      setTimeout(() => {
        if (state.stream === stream) connect(state.model.seq > 0 ? state.model.seq : null);
      }, 3000);
    }
  };
  state.stream = stream;
}

/** Shows a project; its stream starts after `after` when given (events before it are in the views read). */
function selectProject(name, after) {
  state.project = name;
  try {
    localStorage.setItem('orchestrator.project', name);
  } catch (e) {
    // Storage may be disabled; the switcher still works for this page.
  }
  for (const el of state.questions.values()) el.remove();
  state.questions.clear();
  state.model = new Model(name);
  if (after !== null && after !== undefined) state.model.seq = after;
  connect(after);
  stale(RESOURCES);
  readLearning();
}

const TABS = ['runs', 'history', 'queue', 'providers', 'questions', 'cost', 'charts', 'learning', 'builder'];

function showTab() {
  const tab = (location.hash || '#runs').slice(1);
  const runPage = /^run\/([^/]+)\/([^/]+)$/.exec(tab);
  state.tab = runPage ? 'run' : TABS.includes(tab) ? tab : 'runs';
  for (const section of document.querySelectorAll('[data-section]')) {
    section.hidden = section.dataset.section !== state.tab;
  }
  for (const a of document.querySelectorAll('[data-tab]')) {
    a.classList.toggle('active', a.dataset.tab === state.tab || (runPage !== null && a.dataset.tab === 'history'));
  }
  if (!state.started) return;
  if (runPage) {
    const project = decodeURIComponent(runPage[1]);
    // The page follows the run's project's stream.
    if (project !== state.project && state.projects.includes(project)) {
      $('project').value = project;
      selectProject(project, null);
    }
    showRun(project, decodeURIComponent(runPage[2]), toast);
  } else if (state.tab === 'history') {
    showHistory();
  } else if (state.tab === 'charts') {
    showCharts(state.project).catch((e) => toast(e.message, true));
  } else if (state.tab === 'builder') {
    showBuilder();
  }
  readLearning();
}

async function start() {
  showTab();
  window.addEventListener('hashchange', showTab);
  const s = await session();
  let saved = null;
  try {
    saved = localStorage.getItem('orchestrator.project');
  } catch (e) {
    saved = null;
  }
  const first = s.projects.includes(saved) ? saved : s.defaultProject;
  state.projects = s.projects;
  renderProjects();
  if (first) {
    selectProject(first, null);
  } else {
    connect(null);
    stale(RESOURCES);
  }
  $('project').addEventListener('change', (e) => {
    selectProject(e.target.value, null);
    if (state.tab === 'charts') showCharts(state.project).catch((err) => toast(err.message, true));
  });
  setUpHistory(s.projects, toast, s.scheduling);
  setUpBuilder(s, () => state.project || 'default', toast);
  document.addEventListener('orchestrator-templates-changed', templatesChanged);
  window.addEventListener('resize', resizeCharts);
  // A page left for another keeps no stream open (a browser allows a host only a few connections); it reconnects
  // from where it was if it comes back from the back-forward cache.
  window.addEventListener('pagehide', () => {
    if (state.stream) state.stream.close();
  });
  window.addEventListener('pageshow', (e) => {
    if (e.persisted) connect(state.model.seq > 0 ? state.model.seq : null);
  });
  state.started = true;
  showTab();
  const planning = setUpPlanning(s.planning, () => state.project || 'default', toast, () => stale(RESOURCES));
  if (planning) $('project').addEventListener('change', planning.discard);
  setInterval(() => {
    stale(RESOURCES);
    readLearning();
  }, FALLBACK_MS);
  // Ready once the first views are drawn.
  await new Promise((resolve) => {
    const check = () => (state.readTimer || state.reading ? setTimeout(check, 20) : resolve());
    check();
  });
  document.body.dataset.ready = 'true';
}

start().catch((e) => toast(e.message, true));
