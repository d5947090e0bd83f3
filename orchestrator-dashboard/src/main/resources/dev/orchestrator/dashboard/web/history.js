// The runs list (#history): every run of the store, searched and filtered on the server (words, project, status,
// workflow, provider, dates) one page at a time; a run opens its page, a finished one runs again; and a form,
// generated from a template's parameter schema, starts a run of any template.
import {h, money, badge} from './dom.js';
import {get, post, seg} from './api.js';

const PAGE = 20;
const STATUSES = ['', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
const list = {offset: 0, projects: [], toast: () => {}, templates: null, timer: null, scheduling: false};
const $ = (id) => document.getElementById(id);

function runLink(project, id) {
  return '#run/' + encodeURIComponent(project) + '/' + encodeURIComponent(id);
}

/** Sets the section up once: the filters, the pager and the template form. */
export function setUpHistory(projects, toast, scheduling) {
  list.projects = projects;
  list.toast = toast;
  list.scheduling = !!scheduling;
  const form = $('run-filters');
  form.replaceChildren(
      h('input', {type: 'search', name: 'q', placeholder: 'Search runs, workflows, tasks', 'aria-label': 'Search'}),
      h('select', {name: 'project', 'aria-label': 'Project'}, h('option', {value: ''}, 'All projects'),
          ...projects.map((p) => h('option', {value: p}, p))),
      h('select', {name: 'status', 'aria-label': 'Status'},
          ...STATUSES.map((s) => h('option', {value: s}, s ? s.toLowerCase() : 'Any status'))),
      h('select', {name: 'workflow', 'aria-label': 'Workflow'}, h('option', {value: ''}, 'Any workflow')),
      h('select', {name: 'provider', 'aria-label': 'Provider'}, h('option', {value: ''}, 'Any provider')),
      h('label', {class: 'meta'}, 'From ', h('input', {type: 'date', name: 'from', 'aria-label': 'From'})),
      h('label', {class: 'meta'}, 'To ', h('input', {type: 'date', name: 'to', 'aria-label': 'To'})));
  const changed = () => {
    clearTimeout(list.timer);
    list.timer = setTimeout(() => {
      list.offset = 0;
      readRuns();
    }, 250);
  };
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('submit', (e) => e.preventDefault());
  $('runs-prev').addEventListener('click', () => {
    list.offset = Math.max(0, list.offset - PAGE);
    readRuns();
  });
  $('runs-next').addEventListener('click', () => {
    list.offset += PAGE;
    readRuns();
  });
  $('template-pick').addEventListener('change', drawTemplateForm);
}

/** Reads the page of runs the filters select, and the templates once. */
export async function showHistory() {
  await Promise.all([readRuns(), readTemplates()]);
}

function fill(select, values) {
  const current = select.value;
  const first = select.options[0];
  select.replaceChildren(first, ...values.map((v) => h('option', {value: v}, v)));
  select.value = values.includes(current) ? current : '';
}

async function readRuns() {
  const form = $('run-filters');
  const params = new URLSearchParams();
  for (const el of form.elements) {
    if (el.name && el.value) params.set(el.name, el.value);
  }
  params.set('offset', String(list.offset));
  params.set('limit', String(PAGE));
  try {
    const page = await get('api/runs?' + params.toString());
    fill(form.elements.workflow, page.workflows);
    fill(form.elements.provider, page.providers);
    drawRuns(page);
  } catch (e) {
    list.toast(e.message, true);
  }
}

function drawRuns(page) {
  const table = $('run-table');
  table.dataset.total = String(page.total);
  if (!page.runs.length) {
    table.replaceChildren(h('p', {class: 'empty'}, 'No run matches.'));
  } else {
    table.replaceChildren(h('table', {class: 'runs-table'},
        h('thead', {}, h('tr', {}, ...['Run', 'Workflow', 'Project', 'Status', 'Tasks', 'Providers', 'Cost',
          'Submitted', ''].map((c) => h('th', {}, c)))),
        h('tbody', {}, ...page.runs.map((r) => h('tr', {'data-run-id': r.id, 'data-status': r.status},
            h('td', {}, h('a', {href: runLink(r.project, r.id)}, r.id)),
            h('td', {}, r.workflow), h('td', {}, r.project), h('td', {}, badge(r.status)),
            h('td', {}, r.succeeded + ' / ' + r.tasks), h('td', {}, r.providers.join(', ')),
            h('td', {}, money(r.cost)), h('td', {}, new Date(r.submittedAt).toLocaleString()),
            h('td', {}, r.rerun ? h('button', {class: 'btn small', 'data-action': 'rerun',
              onclick: (e) => start(e.currentTarget, 'api/projects/' + seg(r.project) + '/runs/' + seg(r.id)
                  + '/rerun', {})}, 'Run again') : null))))));
  }
  const end = Math.min(page.total, page.offset + page.runs.length);
  $('runs-page').textContent = page.total ? (page.offset + 1) + '–' + end + ' of ' + page.total : '0 runs';
  $('runs-prev').disabled = page.offset === 0;
  $('runs-next').disabled = end >= page.total;
}

async function start(control, path, body) {
  control.disabled = true;
  try {
    const started = await post(path, body);
    list.toast('Started run ' + started.runId, false);
    location.hash = runLink(started.project, started.runId);
  } catch (e) {
    list.toast(e.message, true);
  } finally {
    control.disabled = false;
  }
}

async function readTemplates() {
  if (list.templates) return;
  try {
    list.templates = await get('api/templates');
  } catch (e) {
    list.toast(e.message, true);
    return;
  }
  const pick = $('template-pick');
  pick.replaceChildren(h('option', {value: ''}, 'Choose a template…'),
      ...list.templates.map((t) => h('option', {value: t.id}, t.name + ' (' + t.category + ')')));
  const project = $('template-project');
  project.replaceChildren(...list.projects.map((p) => h('option', {value: p}, p)));
  if (!list.projects.length) project.append(h('option', {value: 'default'}, 'default'));
}

/** Forgets the template list, so a template saved meanwhile shows. */
export function templatesChanged() {
  list.templates = null;
}

/** A form field for a parameter, from its type, limits and allowed values. */
function field(p) {
  const id = 'param-' + p.name;
  const hint = [p.description, p.required ? 'required' : null].filter(Boolean).join(' · ');
  const example = p.example === null || p.example === undefined ? '' : Array.isArray(p.example)
    ? p.example.join('\n') : String(p.example);
  const initial = p.defaultValue === null || p.defaultValue === undefined ? '' : Array.isArray(p.defaultValue)
    ? p.defaultValue.join('\n') : String(p.defaultValue);
  let input;
  switch (p.type) {
    case 'enum':
      input = h('select', {id, name: p.name},
          p.required ? null : h('option', {value: ''}, '(default)'),
          ...p.allowedValues.map((v) => h('option', {value: v, selected: v === initial}, v)));
      break;
    case 'boolean':
      input = h('input', {id, name: p.name, type: 'checkbox', checked: initial === 'true'});
      break;
    case 'integer':
    case 'number':
      input = h('input', {id, name: p.name, type: 'number', step: p.type === 'integer' ? '1' : 'any',
        min: p.min ?? null, max: p.max ?? null, value: initial, placeholder: example, required: p.required});
      break;
    case 'array':
      input = h('textarea', {id, name: p.name, rows: 3, placeholder: example || 'one value a line',
        required: p.required}, initial);
      break;
    default:
      input = h('input', {id, name: p.name, type: 'text', value: initial, placeholder: example,
        required: p.required, pattern: p.pattern || null, minlength: p.min ?? null, maxlength: p.max ?? null});
  }
  input.dataset.type = p.type;
  return h('div', {class: 'field'}, h('label', {for: id}, p.name), input, hint ? h('div', {class: 'meta'}, hint) : null);
}

function drawTemplateForm() {
  const id = $('template-pick').value;
  const box = $('template-form');
  const t = (list.templates || []).find((x) => x.id === id);
  if (!t) {
    box.replaceChildren();
    return;
  }
  const cron = h('input', {id: 'template-cron', placeholder: '0 9 * * MON, or @daily', 'aria-label': 'Schedule (cron)'});
  const form = h('form', {class: 'param-form', 'data-template': t.id},
      t.description ? h('p', {class: 'meta'}, t.description) : null,
      ...t.parameters.map(field),
      h('div', {class: 'actions'}, h('button', {class: 'btn primary', type: 'submit', 'data-action': 'start'},
          'Start run'),
      list.scheduling ? h('label', {class: 'meta'}, 'or on a schedule ', cron) : null,
      list.scheduling ? h('button', {class: 'btn', type: 'button', 'data-action': 'schedule',
        onclick: (e) => schedule(e.currentTarget, t, form, cron.value)}, 'Schedule') : null));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const project = $('template-project').value || 'default';
    start(e.submitter || form.querySelector('button'), 'api/projects/' + seg(project) + '/templates/' + seg(t.id)
        + '/run', {values: formValues(form)});
  });
  box.replaceChildren(form);
}

/** The form's values as the parameters' types take them; empty fields are left to their defaults. */
function formValues(form) {
  const values = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    const type = el.dataset.type;
    if (type === 'boolean') values[el.name] = el.checked;
    else if (type === 'array') values[el.name] = el.value.split('\n').map((v) => v.trim()).filter(Boolean);
    else if ((type === 'integer' || type === 'number') && el.value !== '') values[el.name] = Number(el.value);
    else values[el.name] = el.value;
    if (Array.isArray(values[el.name]) && !values[el.name].length) delete values[el.name];
  }
  return values;
}

async function schedule(control, t, form, cron) {
  if (!cron.trim()) {
    list.toast('Give a cron expression to schedule it, such as 0 9 * * MON', true);
    return;
  }
  if (!form.reportValidity()) return;
  control.disabled = true;
  const project = $('template-project').value || 'default';
  try {
    const s = await post('api/projects/' + seg(project) + '/templates/' + seg(t.id) + '/schedule',
        {values: formValues(form), cron});
    list.toast('Scheduled ' + s.id + (s.nextFire ? ': next at ' + new Date(s.nextFire).toLocaleString() : ''), false);
    $('template-form').dataset.scheduled = s.id;
  } catch (e) {
    list.toast(e.message, true);
  } finally {
    control.disabled = false;
  }
}
