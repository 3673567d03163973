// SPDX-License-Identifier: LGPL-2.1-or-later
// The service worker: the application's files are kept for offline use (the
// build lists them), and the last answers of the API's read routes are kept
// so the objects list, a point's archive and the map open offline from the
// last data seen. An answer from that store carries the header
// X-Lers-Offline: 1 (with the time it was stored in X-Lers-Stored-At), so
// the page can mark it as such.
/// <reference lib="webworker" />
export {};
declare const self: ServiceWorkerGlobalScope;

const APP_CACHE = `lers-app-${LERS_BUILD_ID}`;
const DATA_CACHE = 'lers-data-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(APP_CACHE)
      .then((c) => c.addAll(LERS_PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('lers-app-') && k !== APP_CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

/** Read routes whose last answer is worth keeping for offline use. */
function keepsData(url: URL): boolean {
  return /^\/api\/v1\/(nodes|points|server|auth\/session|auth\/me|current|territories|groups)(\/|$|\?)/.test(url.pathname) &&
    !url.pathname.endsWith('/stream');
}

async function fromNetworkKeeping(request: Request): Promise<Response> {
  const cache = await caches.open(DATA_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) {
      const headers = new Headers(response.headers);
      headers.set('X-Lers-Stored-At', new Date().toISOString());
      const body = await response.clone().arrayBuffer();
      await cache.put(request, new Response(body, { status: response.status, headers }));
    }
    return response;
  } catch (e) {
    const cached = await cache.match(request);
    if (!cached) throw e;
    const headers = new Headers(cached.headers);
    headers.set('X-Lers-Offline', '1');
    return new Response(await cached.arrayBuffer(), { status: 200, headers });
  }
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || event.request.method !== 'GET') return;
  if (url.pathname.startsWith('/api/')) {
    if (keepsData(url)) event.respondWith(fromNetworkKeeping(event.request));
    return;
  }
  // the page itself: the network's (a new build is seen at once), else the
  // copy kept at install (offline)
  if (event.request.mode === 'navigate') {
    event.respondWith(
      fetch(event.request).catch(() => caches.match('/').then((hit) => hit ?? Response.error())),
    );
    return;
  }
  // scripts, styles, icons: their names carry their content's hash, so a
  // kept copy is always right
  event.respondWith(caches.match(event.request).then((hit) => hit ?? fetch(event.request)));
});

// a user who logs out: the data of their session is forgotten
self.addEventListener('message', (event) => {
  // (its entries, not the cache itself: a page already fetching for the next
  // session holds the open cache, and what it puts there must stay)
  if (event.data === 'logout')
    event.waitUntil(
      caches.open(DATA_CACHE).then(async (cache) => {
        for (const request of await cache.keys()) await cache.delete(request);
      }),
    );
});
