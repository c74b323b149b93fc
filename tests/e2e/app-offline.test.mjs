// Offline: after a first visit the service worker has cached the app, so a reload with no network
// still renders the course and a unit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage } from './harness.mjs';

let server, browser;
before(async () => {
  server = await serveDist(undefined, '/offline/');
  browser = await launchBrowser({ serviceWorkers: 'allow' });
});
after(async () => { await browser?.close(); await server?.close(); });

test('the app reloads and navigates with the network gone', async () => {
  const { page, problems } = await openPage(browser.context, server.url);
  await page.waitForSelector('.unit-list');
  // Wait until the service worker controls the page and has finished caching.
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload({ waitUntil: 'load' });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await browser.context.setOffline(true);
  try {
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('.unit-list', { timeout: 15000 });
    await page.click('.unit-list .unit-card a');
    await page.waitForSelector('article.unit h1');
  } finally {
    await browser.context.setOffline(false);
  }
  assert.deepEqual(problems.foreignRequests, []);
  assert.deepEqual(problems.consoleErrors, []);
  await page.close();
});
