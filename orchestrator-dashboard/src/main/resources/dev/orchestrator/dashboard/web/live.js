// The page's model of what the store holds, and how each event of the store's stream changes it.
//
// Events come in sequence order (their server-sent event id is their place in the store's stream) and each is
// applied once, at once: a state change shows when its event arrives, not at the next re-read. Views read from the
// server (runs, queue, ...) bring the details events do not carry (costs, attempts); each comes with the sequence it
// reflects, and the events after that sequence are applied again on top of it.
//
// A view is read from the store directly, so it can be a moment ahead of the events (the stream is read every 200 ms):
// a task the page already shows keeps the state its events gave it, and each later state shows when its event
// comes, so none is skipped; a task of a run the page saw submitted, changed since, waits for its events to show
// it. Only when a view's change is older than SETTLE_MS, and so no event is coming for it, does the view's state
// win. Any other task takes the view's state; an event older than that is not applied to it, so nothing shown ever
// goes back.

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'SKIPPED']);
const KEEP = 2000;
const LANES = ['HIGH', 'MEDIUM', 'LOW'];
/** How long after a change its event surely has arrived. */
export const SETTLE_MS = 2000;
/** What a view says of a task that the page keeps from the events it applied, while the view is ahead of them. */
const EVENT_FIELDS = ['state', 'updatedAt', 'actions', 'lane', 'provider', 'attempts', 'errorKind', 'error',
  'cancellation', 'questionId', 'question'];

export const RESOURCES = ['projects', 'runs', 'queue', 'questions', 'providers', 'cost'];

/** What the pages offer for a task in a state: the server's rule (Views.actions), for states events bring. */
export function actionsFor(state) {
  const out = [];
  if (!TERMINAL.has(state)) out.push('cancel');
  if (state === 'FAILED') out.push('retry');
  if (state === 'CANCELLED') out.push('resume');
  if (!TERMINAL.has(state) && state !== 'RUNNING') out.push('priority');
  return out;
}

/** An ISO-8601 instant with nine fraction digits, so that two of them compare as text. */
function nanos(iso) {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(iso || '');
  return m ? m[1] + '.' + (m[2] || '').padEnd(9, '0') + 'Z' : String(iso || '');
}

function byLane(a, b) {
  return LANES.indexOf(a.lane) - LANES.indexOf(b.lane) || nanos(a.updatedAt).localeCompare(nanos(b.updatedAt));
}

/** Applies a task's transition; false when the task, as a view showed it, changed after the event. */
function transition(t, ev) {
  if (t.viewed && nanos(t.updatedAt) > nanos(ev.at)) return false;
  t.viewed = false;
  const from = ev.from;
  t.state = ev.to;
  t.updatedAt = ev.at;
  t.actions = actionsFor(ev.to);
  switch (ev.type) {
    case 'TaskStartedEvent':
      t.provider = ev.provider;
      t.attempts = Math.max(t.attempts || 0, ev.attempt);
      break;
    case 'TaskFailedEvent':
      t.errorKind = ev.kind;
      t.error = ev.message;
      break;
    case 'TaskCancelledEvent':
      t.cancellation = {by: ev.by, reason: ev.reason, at: ev.at};
      break;
    case 'InputRequestedEvent':
      t.questionId = ev.questionId;
      t.question = ev.question;
      break;
    case 'TaskReadyEvent':
      if (ev.lane) t.lane = ev.lane;
      break;
    default:
      break;
  }
  if ((ev.type === 'TaskReadyEvent' || ev.type === 'TaskBlockedEvent') && TERMINAL.has(from)) {
    t.error = null;
    t.errorKind = null;
    t.cancellation = null;
  }
  if (from === 'AWAITING_INPUT' && ev.type !== 'InputRequestedEvent') {
    t.questionId = null;
    t.question = null;
  }
  return true;
}

/** A task known only from an event so far (its run was just submitted): the next read brings its details. */
function sketch(ev) {
  return {project: ev.project, runId: ev.runId, taskId: ev.taskId, title: ev.taskId, state: ev.from,
    lane: ev.lane || 'MEDIUM', provider: ev.provider || null, attempts: 0, cost: {amount: 0, currency: 'USD'},
    errorKind: null, error: null, cancellation: null, questionId: null, question: null, updatedAt: ev.at,
    actions: actionsFor(ev.from)};
}

function recount(run) {
  const counts = {};
  for (const t of run.tasks) counts[t.state] = (counts[t.state] || 0) + 1;
  run.counts = counts;
}

export class Model {
  constructor(project) {
    this.project = project;
    /** The sequence of the last event applied. */
    this.seq = 0;
    /** The events applied, newest last, for applying again on top of views read later. */
    this.recent = [];
    this.projects = [];
    this.runs = [];
    this.queue = [];
    this.questions = [];
    this.providers = [];
    this.cost = null;
  }

  /**
   * Applies the next event of the stream. Returns what changed (sections to draw again) and what is stale
   * (resources to read again for details the event does not carry), or null for an event already applied.
   */
  apply(ev) {
    if (!(ev.sequence > this.seq)) return null;
    this.seq = ev.sequence;
    this.recent.push(ev);
    if (this.recent.length > KEEP) this.recent.splice(0, this.recent.length - KEEP);
    const out = {changed: new Set(), stale: new Set()};
    this.patch(ev, out, null);
    return out;
  }

  /** Takes a view read at `sequence`, then applies again, to it alone, the events after that sequence. */
  load(resource, body, sequence) {
    const out = {changed: new Set([resource]), stale: new Set(), held: false};
    const tasks = resource === 'runs' ? body.flatMap((r) => r.tasks) : resource === 'queue' ? body : [];
    const shown = new Map();
    for (const t of this.runs.flatMap((r) => r.tasks).concat(this.queue)) shown.set(t.runId + '/' + t.taskId, t);
    // Runs whose every event the page has had since their submission: a task's change in them comes as an event.
    const live = new Map(this.runs.filter((r) => r.live).map((r) => [r.id, r.submittedAt]));
    const settled = Date.now() - SETTLE_MS;
    for (const t of tasks) {
      t.viewed = true;
      const before = shown.get(t.runId + '/' + t.taskId);
      const recent = Date.parse(t.updatedAt) > settled;
      if (before && recent && nanos(t.updatedAt) > nanos(before.updatedAt)) {
        for (const f of EVENT_FIELDS) t[f] = before[f];
        t.viewed = before.viewed;
        out.held = true;
      } else if (!before && recent && live.has(t.runId) && nanos(t.updatedAt) > nanos(live.get(t.runId))) {
        t.early = true; // left out until its events come: they show each of its states
        out.held = true;
      }
    }
    if (resource === 'runs') {
      for (const r of body) {
        r.live = live.has(r.id);
        r.tasks = r.tasks.filter((t) => !t.early);
      }
    } else if (resource === 'queue') {
      body = body.filter((t) => !t.early);
    }
    this[resource] = body;
    if (resource === 'runs') body.forEach(recount);
    for (const ev of this.recent) {
      if (ev.sequence > sequence) this.patch(ev, out, resource);
    }
    if (resource === 'queue') this.queue.sort(byLane);
    return out;
  }

  patch(ev, out, only) {
    const want = (r) => only === null || only === r;
    const type = ev.type;
    if (ev.project && ev.project !== this.project) { // a stream on no project: a project the page does not show yet
      out.stale.add('projects');
      return;
    }
    if (type === 'TaskPriorityChangedEvent' || type === 'TaskPriorityBoostedEvent') {
      for (const t of this.tasks(ev, want)) t.lane = ev.to;
      if (want('queue')) this.queue.sort(byLane);
      out.changed.add('runs').add('queue');
      return;
    }
    if (ev.taskId && ev.to && ev.from) {
      this.taskTransition(ev, out, want);
      return;
    }
    if (ev.taskId) { // a guard's verdict, a review: details only
      out.stale.add('runs');
      return;
    }
    switch (type) {
      case 'RunSubmittedEvent':
        if (want('runs') && !this.runs.some((r) => r.id === ev.runId)) {
          this.runs.unshift({project: ev.project, id: ev.runId, workflow: ev.workflow, status: 'RUNNING',
            submittedAt: ev.at, finishedAt: null, cost: {amount: 0, currency: 'USD'}, counts: {}, controllable: true,
            tasks: [], live: true});
          out.changed.add('runs');
        }
        out.stale.add('runs').add('queue').add('projects');
        return;
      case 'RunFinishedEvent':
        for (const r of this.runs) {
          if (r.id === ev.runId && want('runs')) {
            r.status = ev.status;
            r.finishedAt = ev.at;
            r.cost = ev.cost;
            out.changed.add('runs');
          }
        }
        if (want('queue')) {
          this.queue = this.queue.filter((t) => t.runId !== ev.runId);
          out.changed.add('queue');
        }
        out.stale.add('projects').add('cost');
        return;
      case 'RunReopenedEvent':
        for (const r of this.runs) {
          if (r.id === ev.runId && want('runs')) {
            r.status = 'RUNNING';
            r.finishedAt = null;
            out.changed.add('runs');
          }
        }
        out.stale.add('runs').add('queue').add('projects');
        return;
      case 'ProjectPausedEvent':
      case 'ProjectResumedEvent':
        if (want('projects')) {
          for (const p of this.projects) {
            if (p.name === ev.project) {
              p.paused = type === 'ProjectPausedEvent';
              p.pauseReason = p.paused ? ev.reason : null;
              out.changed.add('projects');
            }
          }
        }
        return;
      default:
        break;
    }
    if (ev.provider && !ev.runId) {
      if (want('providers')) {
        for (const p of this.providers) {
          if (p.name !== ev.provider) continue;
          const c = p.circuit;
          if (type === 'ProviderPausedEvent') {
            c.paused = true;
            c.pauseReason = ev.reason;
            p.state = p.inFlight > 0 ? 'working' : 'waiting';
          } else if (type === 'ProviderResumedEvent') {
            c.paused = false;
            c.pauseReason = null;
          } else if (type === 'CircuitOpenedEvent') {
            c.state = 'OPEN';
            c.recentFailures = ev.recentFailures;
          } else if (type === 'CircuitHalfOpenedEvent') {
            c.state = 'HALF_OPEN';
          } else if (type === 'CircuitClosedEvent') {
            c.state = 'CLOSED';
          }
          out.changed.add('providers');
        }
      }
      out.stale.add('providers');
      return;
    }
    if (ev.scope) { // a budget's threshold or limit
      out.stale.add('cost');
      return;
    }
    out.stale.add('runs');
  }

  /** The task the event is about, in the runs and in the queue (those wanted). */
  tasks(ev, want) {
    const out = [];
    if (want('runs')) {
      const run = this.runs.find((r) => r.id === ev.runId);
      const t = run && run.tasks.find((x) => x.taskId === ev.taskId);
      if (t) out.push(t);
    }
    if (want('queue')) {
      const t = this.queue.find((x) => x.runId === ev.runId && x.taskId === ev.taskId);
      if (t) out.push(t);
    }
    return out;
  }

  taskTransition(ev, out, want) {
    const run = this.runs.find((r) => r.id === ev.runId);
    const shown = run && run.tasks.find((x) => x.taskId === ev.taskId);
    // Whether the task, as shown, has moved on since the event (a question it asked is answered already).
    const movedOn = Boolean(shown) && nanos(shown.updatedAt) > nanos(ev.at);
    if (want('runs')) {
      if (!run) {
        out.stale.add('runs');
      } else {
        const t = shown || sketch(ev);
        if (!shown) run.tasks.push(t);
        if (transition(t, ev)) {
          recount(run);
          out.changed.add('runs');
        }
      }
    }
    if (want('queue')) {
      let i = this.queue.findIndex((x) => x.runId === ev.runId && x.taskId === ev.taskId);
      if (i < 0 && !TERMINAL.has(ev.to)) {
        this.queue.push(shown ? Object.assign({}, shown) : sketch(ev));
        i = this.queue.length - 1;
      }
      if (i >= 0 && transition(this.queue[i], ev)) {
        if (TERMINAL.has(this.queue[i].state)) this.queue.splice(i, 1);
        this.queue.sort(byLane);
        out.changed.add('queue');
      }
    }
    if (want('questions')) {
      if (ev.type === 'InputRequestedEvent') {
        if (!movedOn && !this.questions.some((q) => q.id === ev.questionId)) {
          this.questions.push({id: ev.questionId, project: ev.project, runId: ev.runId, taskId: ev.taskId,
            text: ev.question, askedAt: ev.at});
        }
        out.changed.add('questions');
      } else if (ev.from === 'AWAITING_INPUT') {
        this.questions = this.questions.filter((q) => !(q.runId === ev.runId && q.taskId === ev.taskId));
        out.changed.add('questions');
      }
    }
    // Details that events do not carry: attempts and costs, calls in flight, money spent and reserved.
    out.stale.add('runs').add('providers').add('cost');
    if (!TERMINAL.has(ev.to)) out.stale.add('queue');
  }
}
