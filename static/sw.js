// Batch Lab's service worker: the whole site is static files, so after the first visit it can run
// with no network at all.
//
// - On install it caches the page and every same-origin asset the page references (Trunk gives them
//   content-hashed names, so a new deployment means new names, never a stale mix).
// - Navigations are network-first: a new deployment is picked up on the next visit, and offline the
//   cached page is served.
// - Other same-origin GETs are cache-first (hashed assets never change), filling the cache as they go.
// - Old caches are deleted when a new worker activates.
const CACHE = 'batchlab-v1';

async function precache() {
  const cache = await caches.open(CACHE);
  const response = await fetch('./', { cache: 'no-cache' });
  const page = await response.clone().text();
  await cache.put('./', response);
  const urls = new Set();
  for (const m of page.matchAll(/(?:href|src)="([^"#?]+)"/g)) {
    const url = new URL(m[1], self.registration.scope);
    if (url.origin === self.location.origin) urls.add(url.href);
  }
  // The wasm file is loaded by the JS glue, not referenced by an attribute: derive it from the glue.
  for (const href of [...urls]) {
    if (href.endsWith('.js') && !href.endsWith('/sw.js') && !href.endsWith('/register-sw.js')) {
      urls.add(href.replace(/\.js$/, '_bg.wasm'));
    }
  }
  await Promise.all([...urls].map(async (u) => {
    try {
      const r = await fetch(u, { cache: 'no-cache' });
      if (r.ok) await cache.put(u, r);
    } catch (_) { /* a missing optional asset must not stop installation */ }
  }));
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  if (req.mode === 'navigate') {
    event.respondWith((async () => {
      try {
        const fresh = await fetch(req);
        const cache = await caches.open(CACHE);
        cache.put('./', fresh.clone());
        return fresh;
      } catch (_) {
        return (await caches.match('./')) || Response.error();
      }
    })());
    return;
  }
  event.respondWith((async () => {
    const cached = await caches.match(req);
    if (cached) return cached;
    const fresh = await fetch(req);
    if (fresh.ok) (await caches.open(CACHE)).put(req, fresh.clone());
    return fresh;
  })());
});
