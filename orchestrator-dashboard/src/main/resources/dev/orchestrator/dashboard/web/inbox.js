// The phone's inbox: every open approval and question of the projects shown, answered in one tap.

import {get, post, seg, session} from './api.js';

const list = document.getElementById('inbox');
const status = document.getElementById('inbox-status');

function el(tag, props, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props || {});
  for (const c of children) {
    e.append(c);
  }
  return e;
}

async function answer(item, text, li) {
  li.querySelectorAll('button').forEach((b) => { b.disabled = true; });
  try {
    await post('api/questions/' + seg(item.questionId) + '/answer', {answer: text});
    li.remove();
    if (!list.children.length) {
      status.textContent = 'Nothing waits for you.';
    }
  } catch (e) {
    li.append(el('p', {className: 'meta', textContent: 'Refused: ' + e.message}));
  }
}

function render(items) {
  list.replaceChildren();
  status.textContent = items.length ? items.length + ' waiting' : 'Nothing waits for you.';
  for (const item of items) {
    const li = el('li', {}, el('div', {className: 'kind', textContent: item.approval ? 'Approval' : 'Question'}),
        el('p', {className: 'meta', textContent: item.project + ' · ' + item.taskId}),
        el('p', {className: 'question', textContent: item.text}));
    const actions = el('div', {className: 'actions'});
    if (item.approval) {
      const yes = el('button', {type: 'button', className: 'primary', textContent: 'Approve'});
      const no = el('button', {type: 'button', className: 'danger', textContent: 'Reject'});
      yes.addEventListener('click', () => answer(item, 'approve', li));
      no.addEventListener('click', () => answer(item, 'reject', li));
      actions.append(yes, no);
    } else {
      const input = el('input', {type: 'text', placeholder: 'Your answer', ariaLabel: 'Answer'});
      const send = el('button', {type: 'button', className: 'primary', textContent: 'Send'});
      send.addEventListener('click', () => input.value.trim() && answer(item, input.value, li));
      li.append(input);
      actions.append(send);
    }
    li.append(actions);
    list.append(li);
  }
}

function b64(buffer) {
  return btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_')
      .replace(/=+$/, '');
}

function bytes(b64url) {
  const s = atob(b64url.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Offers Web Push when the dashboard knows the VAPID key: subscribes and shows what the channel needs. */
async function offerPush() {
  const {key} = await get('api/push-key');
  if (!key || !('serviceWorker' in navigator) || !('PushManager' in window)) {
    return;
  }
  document.getElementById('push').hidden = false;
  document.getElementById('push-enable').addEventListener('click', async () => {
    const registration = await navigator.serviceWorker.ready;
    const sub = await registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: bytes(key)});
    const out = document.getElementById('push-subscription');
    out.textContent = JSON.stringify({type: 'webpush', endpoint: sub.endpoint, p256dh: b64(sub.getKey('p256dh')),
      auth: b64(sub.getKey('auth'))}, null, 2);
    out.hidden = false;
  });
}

async function main() {
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('sw.js').catch(() => {});
  }
  try {
    await session();
    render(await get('api/inbox'));
    await offerPush();
  } catch (e) {
    status.textContent = 'Could not load the inbox: ' + e.message;
  }
}

main();
