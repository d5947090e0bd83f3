// The dashboard's service worker: makes it installable, keeps the app shell for a flaky connection, and never
// caches the API (every view is read live from the store).

const SHELL = 'orchestrator-shell-v1';
const FILES = ['inbox.html', 'inbox.js', 'link.css', 'icon.svg', 'manifest.webmanifest'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.includes('/api/')
      || url.pathname.endsWith('/link')) {
    return;
  }
  // Network first: a fresh page when online, the cached shell when not.
  event.respondWith(fetch(event.request).catch(() => caches.match(event.request)));
});

// Web Push (the webpush notification channel): shows the message, with a button per one-tap link.
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = {title: 'Orchestrator', body: event.data ? event.data.text() : ''};
  }
  const links = data.actions || {};
  const actions = Object.keys(links).slice(0, 2).map((name) => ({
    action: name, title: name.charAt(0).toUpperCase() + name.slice(1),
  }));
  event.waitUntil(self.registration.showNotification(data.title || 'Orchestrator', {
    body: data.body || '', icon: 'icon.svg', actions, data: {url: data.url || './inbox.html', links},
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const d = event.notification.data || {};
  const url = (event.action && d.links && d.links[event.action]) || d.url || './inbox.html';
  event.waitUntil(self.clients.openWindow(url));
});
