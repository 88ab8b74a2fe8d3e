/**
 * The app shell, cached so the app opens and shows codes with no network. Shell files are
 * answered from the cache and refreshed from the network behind it (the next start gets the
 * update); the SoftToken protocol is never cached.
 */
const worker = globalThis as unknown as ServiceWorkerGlobalScope;

const CACHE = 'tokenward-app-v1';
const SHELL = [
  '/app/',
  '/app/main.js',
  '/app/app.css',
  '/app/manifest.webmanifest',
  '/app/icon.svg',
];

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => worker.clients.claim()),
  );
});

/** A login request while the app is closed (Web Push): shown, and the app opened when tapped. */
worker.addEventListener('push', (event) => {
  const request = (event.data?.json() ?? {}) as {
    push_id?: string;
    username?: string;
    user_ip?: string;
    application?: string;
  };
  event.waitUntil(
    worker.registration.showNotification('Login request', {
      body: `${request.username ?? 'Someone'} is logging in from ${request.user_ip ?? 'an unknown address'} (${request.application ?? 'unknown application'}). Open the app to approve or deny.`,
      tag: request.push_id ?? 'login-request',
      requireInteraction: true,
      data: { url: '/app/' },
    }),
  );
});

worker.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    worker.clients.matchAll({ type: 'window' }).then(async (windows) => {
      const open = windows.find((client) => new URL(client.url).pathname.startsWith('/app/'));
      if (open !== undefined) await open.focus();
      else await worker.clients.openWindow('/app/');
    }),
  );
});

worker.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== location.origin) return;
  const path =
    url.pathname === '/app' || url.pathname === '/app/index.html' ? '/app/' : url.pathname;
  if (!SHELL.includes(path)) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const cached = await cache.match(path);
      const fresh = fetch(path)
        .then(async (response) => {
          if (response.ok) await cache.put(path, response.clone());
          return response;
        })
        .catch(() => undefined);
      if (cached !== undefined) {
        event.waitUntil(fresh);
        return cached;
      }
      return (
        (await fresh) ?? new Response('Offline, and this page was never stored.', { status: 503 })
      );
    }),
  );
});
