/**
 * Cangku's service worker: the app shell offline, so a phone that reloads the page with no network
 * still opens the app and its queue of unsent scans (web/src/scan/queue.ts keeps those in
 * localStorage; the API itself is never cached here).
 *
 * - Precaches index.html and every file of the build (content-hashed, under /assets/).
 * - Navigations (any page: /m/count, /documents/12, ...): network first, the cached index.html
 *   when the network fails or is too slow: the router in the app takes it from there.
 * - /assets/*: cache first (a name never changes content); a miss is fetched and kept.
 * - /api/* (the SSE stream /api/v1/live included) and /healthz: never touched, always the network.
 *
 * `vite build` (web/vite.config.ts, plugin cangku:service-worker) fills in BUILD and PRECACHE;
 * a new build changes this file, so the browser installs the new worker, which takes over at
 * once and deletes the caches of older builds.
 */
const BUILD = 'dev'; // cangku:build
const PRECACHE = ['/index.html']; // cangku:precache

const CACHE_PREFIX = 'cangku-shell-';
const CACHE = `${CACHE_PREFIX}${BUILD}`;
const INDEX = '/index.html';
/** A navigation waits this long for the network before the cached shell answers (lie-fi). */
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload`: past the HTTP cache, so the shell is exactly this build's.
      await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

/** Never cached: the API (the offline queue handles its failures), the health check, this file. */
function networkOnly(path) {
  return path === '/api' || path.startsWith('/api/') || path === '/healthz' || path === '/sw.js';
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || networkOnly(url.pathname)) return;
  if (request.mode === 'navigate') event.respondWith(navigate(request));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(request));
});

async function cachedShell() {
  const cache = await caches.open(CACHE);
  return cache.match(INDEX);
}

async function navigate(request) {
  const network = fetch(request);
  let timer;
  const slow = new Promise((resolve) => {
    timer = setTimeout(resolve, NAVIGATION_TIMEOUT_MS);
  });
  try {
    const first = await Promise.race([network, slow]);
    if (first) return first;
    // Still waiting: answer from the cache if we can, else keep waiting for the network.
    return (await cachedShell()) ?? (await network);
  } catch (error) {
    const shell = await cachedShell();
    if (shell) return shell;
    throw error;
  } finally {
    clearTimeout(timer);
    network.catch(() => undefined); // a late failure after the cache answered is no error
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  // E.g. a chunk a page of an older build still loads: kept so it works offline too.
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
