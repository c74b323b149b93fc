// Batch Lab's service worker: the whole site is static files, so after the first visit it can run
// with no network at all.
//
// - On install it caches the page and every same-origin asset the page references (Trunk gives them
//   content-hashed names, so a new deployment means new names, never a stale mix).
// - Navigations are network-first: a new deployment is picked up on the next visit, and offline the
//   cached page is served. Each fresh page also drops from the cache the assets it no longer
//   references (an earlier deployment's), so the cache holds one deployment, not all of them.
// - Other same-origin GETs are cache-first (hashed assets never change), filling the cache as they go.
// - Old caches are deleted when a new worker activates.
const CACHE = 'batchlab-v1';

/** The same-origin URLs a page needs: what its attributes reference, and the wasm its JS glue loads. */
function assetUrls(page) {
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
  return urls;
}

async function precache() {
  const cache = await caches.open(CACHE);
  const response = await fetch('./', { cache: 'no-cache' });
  const page = await response.clone().text();
  await cache.put('./', response);
  await Promise.all([...assetUrls(page)].map(async (u) => {
    try {
      const r = await fetch(u, { cache: 'no-cache' });
      if (r.ok) await cache.put(u, r);
    } catch (_) { /* a missing optional asset must not stop installation */ }
  }));
}

/** Keep the page and what `page` references; drop the rest (an earlier deployment's assets). */
async function prune(page) {
  const cache = await caches.open(CACHE);
  const keep = assetUrls(page);
  keep.add(new URL('./', self.registration.scope).href);
  for (const request of await cache.keys()) {
    if (!keep.has(request.url)) await cache.delete(request);
  }
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
        if (fresh.ok) {
          const cache = await caches.open(CACHE);
          await cache.put('./', fresh.clone());
          const page = await fresh.clone().text();
          event.waitUntil(prune(page));
        }
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
