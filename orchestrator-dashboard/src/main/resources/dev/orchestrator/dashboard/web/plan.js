// The "Describe a workflow" box: a request in words is planned on the server, shown (what was assumed, the tasks,
// the dependency graph, the dry run's order and cost), then run in the selected project, saved as a template, or
// discarded. Every text from the request or the plan goes into the page as text nodes (dom.js), never as HTML.
import {h, s, money} from './dom.js';
import {post, seg} from './api.js';

const COL_W = 150;
const COL_GAP = 46;
const ROW_H = 46;
const BOX_H = 34;

/** Cuts a label to fit a box of the graph; the full text stays in the task list and the node's tooltip. */
function cut(text, max) {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/** The plan's dependency graph: tasks in columns by wave, an arrow from each dependency to its dependent. */
export function graph(plan) {
  const byId = new Map(plan.tasks.map((t) => [t.id, t]));
  const where = new Map();
  const rows = Math.max(1, ...plan.layers.map((l) => l.length));
  plan.layers.forEach((layer, col) => layer.forEach((id, row) => where.set(id, {x: col * (COL_W + COL_GAP),
    y: row * ROW_H})));
  const width = plan.layers.length * (COL_W + COL_GAP) - COL_GAP;
  const height = (rows - 1) * ROW_H + BOX_H;
  const edges = [];
  for (const t of plan.tasks) {
    for (const dep of t.dependsOn) {
      const a = where.get(dep);
      const b = where.get(t.id);
      if (!a || !b) continue;
      edges.push(s('line', {class: 'edge', 'data-from': dep, 'data-to': t.id, x1: a.x + COL_W, y1: a.y + BOX_H / 2,
        x2: b.x - 4, y2: b.y + BOX_H / 2, 'marker-end': 'url(#plan-arrow)'}));
    }
  }
  const nodes = plan.tasks.map((t) => {
    const p = where.get(t.id);
    const label = cut(t.title, 20);
    return s('g', {class: 'node', 'data-task': t.id, transform: 'translate(' + p.x + ',' + p.y + ')'},
        s('title', {}, t.id + ': ' + t.title + ' (' + t.providers.join(', ') + ')'),
        s('rect', {width: COL_W, height: BOX_H, rx: 6}),
        s('text', {x: 8, y: 14, class: 'node-title'}, label),
        s('text', {x: 8, y: 28, class: 'node-provider'}, cut(t.providers.join(', '), 22)));
  });
  return s('svg', {class: 'plan-graph', role: 'img', 'aria-label': 'Dependency graph of the planned tasks',
    viewBox: '-2 -2 ' + (width + 4) + ' ' + (height + 4), width: width + 4, height: height + 4},
  s('defs', {}, s('marker', {id: 'plan-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7,
    markerHeight: 7, orient: 'auto-start-reverse'}, s('path', {d: 'M 0 0 L 10 5 L 0 10 z'}))),
  edges, nodes);
}

function list(title, items, cls) {
  if (!items || !items.length) return null;
  return h('div', {class: 'plan-notes ' + cls, 'data-list': cls}, h('h4', {}, title),
      h('ul', {}, items.map((i) => h('li', {}, i))));
}

function taskTable(plan) {
  return h('ol', {class: 'plan-tasks', 'data-list': 'tasks'}, plan.tasks.map((t) =>
    h('li', {'data-task': t.id},
        h('span', {class: 'title'}, t.title), ' ',
        h('span', {class: 'meta'}, t.providers.join(', ')),
        t.dependsOn.length ? h('span', {class: 'meta'}, ' · after ' + t.dependsOn.join(', ')) : null,
        t.schedule ? h('span', {class: 'meta'}, ' · ' + t.schedule) : null)));
}

function dryRun(plan) {
  const d = plan.dryRun;
  return h('div', {class: 'plan-dry'},
      h('h4', {}, 'Dry run'),
      h('ol', {class: 'plan-order', 'data-list': 'order'}, d.waves.map((wave) =>
        h('li', {}, wave.map((step) => step.title + (step.provider ? ' (' + step.provider + ')' : '')).join(' + ')))),
      h('dl', {class: 'facts plan-cost', 'data-cost': 'range'},
          h('dt', {}, 'Low'), h('dd', {'data-cost': 'low'}, money(d.low)),
          h('dt', {}, 'Expected'), h('dd', {'data-cost': 'expected'}, money(d.expected)),
          h('dt', {}, 'High'), h('dd', {'data-cost': 'high'}, money(d.high)),
          plan.planningCost ? [h('dt', {}, 'Planning'), h('dd', {}, money(plan.planningCost))] : null),
      list('Problems', d.problems, 'problems'),
      list('Notes', d.notes, 'notes'));
}

/**
 * Sets up the box. `status` is the session's planning status; `project()` answers the selected project;
 * `toast(message, isError)` reports; `ran()` is called after a run started.
 */
export function setUpPlanning(status, project, toast, ran) {
  const box = document.getElementById('describe');
  if (!status || !status.enabled) return;
  box.hidden = false;
  const request = document.getElementById('plan-request');
  const button = document.getElementById('plan-button');
  const llm = document.getElementById('plan-llm');
  const result = document.getElementById('plan-result');
  llm.parentElement.hidden = !status.llm;
  let current = null;

  function discard() {
    current = null;
    result.replaceChildren();
  }

  async function busy(control, action) {
    const controls = [...result.querySelectorAll('button, input')].filter((c) => !c.disabled);
    controls.forEach((c) => { c.disabled = true; });
    if (control) control.disabled = true;
    try {
      return await action();
    } catch (e) {
      toast(e.message, true);
      return null;
    } finally {
      controls.forEach((c) => { c.disabled = false; });
      if (control) control.disabled = false;
    }
  }

  function show(plan) {
    current = plan;
    const name = h('input', {id: 'plan-save-name', class: 'plan-name', type: 'text', maxlength: 100,
      placeholder: 'template-name', 'aria-label': 'Template name', autocomplete: 'off'});
    const run = h('button', {class: 'btn primary', id: 'plan-run', type: 'button',
      disabled: !plan.dryRun.ok}, 'Run');
    const save = h('button', {class: 'btn', id: 'plan-save', type: 'button'}, 'Save as template');
    const drop = h('button', {class: 'btn', id: 'plan-discard', type: 'button'}, 'Discard');
    run.addEventListener('click', () => busy(run, async () => {
      const started = await post('api/projects/' + seg(project()) + '/plan/run', {template: plan.json});
      toast('Started run ' + started.runId + ' in ' + started.project, false);
      discard();
      ran(started);
    }));
    save.addEventListener('click', () => busy(save, async () => {
      if (!name.value.trim()) {
        toast('Type a name for the template first (lower-case letters, digits, "-" or "_").', true);
        name.focus();
        return;
      }
      const saved = await post('api/templates', {name: name.value.trim(), template: plan.json});
      toast('Saved as template ' + saved.name, false);
    }));
    drop.addEventListener('click', discard);
    result.replaceChildren(h('div', {class: 'plan', 'data-plan': plan.planner},
        h('div', {class: 'title'}, plan.name || 'Planned workflow'),
        h('div', {class: 'meta'}, 'Planned by the ' + plan.planner + ' planner for project ' + project()),
        list('Assumed', plan.assumptions, 'assumptions'),
        list('Not understood', plan.notUnderstood, 'not-understood'),
        list('Left out', plan.refused, 'refused'),
        h('h4', {}, 'Tasks'),
        taskTable(plan),
        h('div', {class: 'plan-graph-box'}, graph(plan)),
        dryRun(plan),
        h('div', {class: 'actions plan-actions'}, run,
            status.save ? [name, save] : null, drop)));
  }

  button.addEventListener('click', () => busy(button, async () => {
    const text = request.value.trim();
    if (!text) {
      toast('Describe the workflow in words first.', true);
      request.focus();
      return;
    }
    show(await post('api/projects/' + seg(project()) + '/plan',
        {request: text, planner: llm.checked ? 'llm' : 'offline'}));
  }));
  return {discard, current: () => current};
}
