// The one-tap link page: shows the question its signed link names, then acts once. The link is the credential.

const query = window.location.search;
const $ = (id) => document.getElementById(id);

function show(id, text) {
  $(id).textContent = text == null ? '' : String(text);
}

function finish(text, ok) {
  const r = $('result');
  r.textContent = text;
  r.className = 'result ' + (ok ? 'ok' : 'refused');
  r.hidden = false;
  $('act').disabled = true;
}

async function call(method, body) {
  const response = await fetch('api/link' + query, {
    method,
    headers: {Accept: 'application/json', 'Content-Type': 'application/json'},
    body: body ? JSON.stringify(body) : undefined,
  });
  let json = null;
  try {
    json = await response.json();
  } catch (e) {
    json = null;
  }
  return {ok: response.ok, status: response.status, json};
}

const LABELS = {approve: 'Approve', reject: 'Reject', answer: 'Send answer'};

async function load() {
  const r = await call('GET');
  if (!r.ok) {
    $('status').hidden = true;
    finish('Link refused: ' + (r.json && r.json.error ? r.json.error : 'HTTP ' + r.status), false);
    return;
  }
  const v = r.json;
  $('status').hidden = true;
  $('card').hidden = false;
  show('project', v.project);
  show('run', v.runId);
  show('title', v.title);
  show('question', v.question);
  show('cost', v.costSoFar);
  show('run-cost', v.runCost);
  show('expires', new Date(v.expiresAt).toLocaleString());
  if (v.output != null) {
    $('output-box').hidden = false;
    show('output', v.output);
  }
  const act = $('act');
  act.textContent = LABELS[v.action] || v.action;
  act.dataset.action = v.action;
  if (v.action === 'reject') {
    act.className = 'danger';
  }
  if (v.action === 'answer') {
    $('answer-form').hidden = false;
  }
  if (!v.open) {
    finish('This link was used already: the question was answered (' + v.answer + ').', false);
    return;
  }
  act.addEventListener('click', submit);
}

async function submit() {
  const act = $('act');
  const body = act.dataset.action === 'answer' ? {answer: $('answer').value} : {};
  if (act.dataset.action === 'answer' && !body.answer.trim()) {
    $('answer').focus();
    return;
  }
  act.disabled = true;
  const r = await call('POST', body);
  if (r.ok) {
    finish(act.dataset.action === 'approve' ? 'Approved.' : act.dataset.action === 'reject' ? 'Rejected.'
        : 'Answer sent.', true);
  } else {
    finish('Refused: ' + (r.json && r.json.error ? r.json.error : 'HTTP ' + r.status), false);
  }
}

load();
