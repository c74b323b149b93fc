// A new deployment is picked up on the next visit: after the service worker has cached the first
// deployment, the site is replaced by one with new asset names (what a rebuild gives) and a page
// that says which deployment it is. A reload must show the new deployment, fetched from the
// network, and from then on serve it offline too, with the old deployment's files dropped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST, serveDist, launchBrowser, openPage } from './harness.mjs';

const CSP_HASHES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'csp-hashes.mjs');

let root, server, browser;
const requests = [];
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'batchlab-deploy-'));
  await cp(DIST, root, { recursive: true });
  server = await serveDist(root, '/deploy/', { onRequest: (path) => requests.push(path) });
  browser = await launchBrowser({ serviceWorkers: 'allow' });
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/**
 * Replace the deployment in `root` as a rebuild would: the JS glue and the wasm under new hashed
 * names (the old names gone), an index.html that loads them and announces `version`, and its
 * Content-Security-Policy re-hashed by the project's own build hook.
 */
async function deploy(version) {
  const files = await readdir(root);
  const js = files.find((f) => /^batchlab-app-[0-9a-f]+\.js$/.test(f));
  const oldHash = js.match(/-([0-9a-f]+)\.js$/)[1];
  const newHash = [...oldHash].map((c) => (c === 'f' ? '0' : (parseInt(c, 16) + 1).toString(16))).join('');
  const renamed = {};
  for (const f of files.filter((f) => f.includes(oldHash))) {
    renamed[f] = f.replace(oldHash, newHash);
    await rename(join(root, f), join(root, renamed[f]));
  }
  let html = await readFile(join(root, 'index.html'), 'utf8');
  html = html.replaceAll(oldHash, newHash)
    .replace('<meta charset="utf-8">', `<meta charset="utf-8">\n  <meta name="batchlab-deployment" content="${version}">`)
    .replace(/script-src 'self'( 'sha256-[^']+')+/, "script-src 'self'");
  await writeFile(join(root, 'index.html'), html);
  execFileSync('node', [CSP_HASHES], { env: { ...process.env, TRUNK_STAGING_DIR: root }, stdio: 'ignore' });
  return { js: renamed[js], oldJs: js, wasm: renamed[js.replace(/\.js$/, '_bg.wasm')] };
}

const deployment = (page) => page.evaluate(() => document.querySelector('meta[name=batchlab-deployment]')?.content ?? 'first');
const cachedUrls = (page) => page.evaluate(async () => {
  const urls = [];
  for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) urls.push(r.url);
  return urls;
});

test('a new deployment is picked up on the next visit, then works offline', async () => {
  // First visit: the service worker installs, caches the first deployment and takes control.
  const { page, problems } = await openPage(browser.context, server.url);
  await page.waitForSelector('.unit-list');
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload({ waitUntil: 'load' });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.waitForSelector('.unit-list');
  assert.equal(await deployment(page), 'first');

  const v2 = await deploy('v2');
  requests.length = 0;
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('.unit-list');
  // The new page, and the new JS and wasm, came from the network.
  assert.equal(await deployment(page), 'v2');
  assert.ok(requests.includes('/deploy/'), `requests: ${requests.join(' ')}`);
  assert.ok(requests.includes(`/deploy/${v2.js}`), `requests: ${requests.join(' ')}`);
  assert.ok(requests.includes(`/deploy/${v2.wasm}`), `requests: ${requests.join(' ')}`);
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  assert.ok(loaded.some((u) => u.endsWith(v2.wasm)), 'the page runs the new wasm');

  // The next visit with no network at all gets the new deployment from the cache, and the old
  // deployment's files are no longer kept.
  await browser.context.setOffline(true);
  try {
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('.unit-list', { timeout: 15000 });
    assert.equal(await deployment(page), 'v2');
  } finally {
    await browser.context.setOffline(false);
  }
  const cached = await cachedUrls(page);
  assert.ok(cached.some((u) => u.endsWith(v2.wasm)), `cached: ${cached.join(' ')}`);
  assert.ok(!cached.some((u) => u.endsWith(v2.oldJs)), `cached: ${cached.join(' ')}`);
  assert.deepEqual(problems.consoleErrors, []);
  assert.deepEqual(problems.foreignRequests, []);
  await page.close();
});
