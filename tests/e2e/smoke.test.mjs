// The foundation's browser test: the release build loads from a sub-path, renders the course index,
// navigates to a unit, and stays quiet (no console errors, no request to another origin).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage, screenshot } from './harness.mjs';

let server, browser;
before(async () => {
  server = await serveDist(undefined, '/some/sub/path/');
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); await server?.close(); });

test('home page renders the course index from a sub-path, quietly', async () => {
  const { page, problems } = await openPage(browser.context, server.url);
  await page.waitForSelector('.unit-list li a', { timeout: 20000 });
  const heading = await page.textContent('h1');
  assert.match(heading, /Jobs and CronJobs/);
  const firstUnit = await page.textContent('.unit-list li a');
  assert.equal(firstUnit.trim(), 'Your first Job');
  const shot = await screenshot(page, 'home-1280.png');
  assert.ok(shot.endsWith('.png'));
  assert.deepEqual(problems.consoleErrors, []);
  assert.deepEqual(problems.foreignRequests, []);
  await page.close();
});

test('clicking a unit opens it at a hash route', async () => {
  const { page, problems } = await openPage(browser.context, server.url);
  await page.click('.unit-list li a >> text=Your first Job');
  await page.waitForSelector('article.unit h1');
  assert.match(page.url(), /#\/unit\/first-job$/);
  assert.equal((await page.textContent('article.unit h1')).trim(), 'Your first Job');
  // Deep link: reloading the unit's URL lands on the same unit.
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('article.unit h1');
  assert.equal((await page.textContent('article.unit h1')).trim(), 'Your first Job');
  assert.deepEqual(problems.consoleErrors, []);
  assert.deepEqual(problems.foreignRequests, []);
  await page.close();
});
