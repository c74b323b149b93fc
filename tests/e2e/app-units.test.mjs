// Every unit of the shipped course loads in the app: each card on the home page opens its unit, with
// the card's title as the heading, its sections and interactive blocks rendered, and nothing reported
// wrong with the lesson files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage } from './harness.mjs';

let server, browser;
before(async () => {
  server = await serveDist(undefined, '/units/');
  browser = await launchBrowser({ serviceWorkers: 'block' });
});
after(async () => { await browser?.close(); await server?.close(); });

test('every unit on the home page opens, with its sections and exercises', async () => {
  const { page, problems } = await openPage(browser.context, server.url);
  await page.waitForSelector('.unit-list .unit-card a');
  const cards = await page.$$eval('.unit-list .unit-card a', (links) =>
    links.map((a) => ({ title: a.textContent.trim(), href: a.getAttribute('href') })));
  assert.equal(cards.length, 6, `six units on the home page: ${JSON.stringify(cards)}`);
  assert.equal(await page.locator('.problems').count(), 0, 'no lesson-file problems reported');
  for (const card of cards) {
    await page.goto(new URL(card.href, server.url).href);
    await page.waitForSelector('article.unit h1');
    assert.equal((await page.textContent('article.unit h1')).trim(), card.title);
    assert.ok((await page.locator('article.unit .unit-section').count()) >= 3, `${card.title}: sections`);
    assert.ok((await page.locator('article.unit textarea').count()) >= 4, `${card.title}: at least four exercise editors`);
    assert.equal(await page.locator('.problems').count(), 0, `${card.title}: no lesson-file problems`);
  }
  assert.deepEqual(problems.consoleErrors, []);
  assert.deepEqual(problems.foreignRequests, []);
  await page.close();
});
