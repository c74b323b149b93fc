// The course pages: home with progress and "continue where you left off", a unit with its sections
// and blocks, deep links to a section and an exercise, a checklist that survives a reload, and the
// layout at a laptop width and a phone width (screenshots saved as test artefacts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage, screenshot } from './harness.mjs';

let server, browser;
before(async () => {
  server = await serveDist(undefined, '/course/');
  browser = await launchBrowser({ serviceWorkers: 'block' });
});
after(async () => { await browser?.close(); await server?.close(); });

function quiet(problems) {
  assert.deepEqual(problems.consoleErrors, [], 'no console errors');
  assert.deepEqual(problems.foreignRequests, [], 'no request to another origin');
}

test('home lists the units and offers to start, then to continue where the learner left off', async () => {
  const { page, problems } = await openPage(browser.context, server.url);
  await page.waitForSelector('.unit-list');
  await page.evaluate(() => localStorage.clear());
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('.unit-list .unit-card');
  assert.ok((await page.locator('.unit-card').count()) >= 1);
  assert.match(await page.textContent('.resume'), /Start the course/);
  await page.click('.resume >> text=Start the course');
  await page.waitForSelector('article.unit h1');
  // A deep link to a section, then back home: "continue" leads back to that section.
  await page.goto(server.url + '#/unit/first-job/section/anatomy');
  await page.waitForSelector('#sec-anatomy');
  await page.goto(server.url + '#/');
  await page.waitForSelector('.resume');
  await page.click('.resume >> text=Continue where you left off');
  await page.waitForSelector('#sec-anatomy');
  assert.match(page.url(), /#\/unit\/first-job\/section\/anatomy$/);
  quiet(problems);
  await page.close();
});

test('a unit opens at the top with one heading, its title, focused, and a numbered list of sections', async () => {
  const { page, problems } = await openPage(browser.context, server.url + '#/unit/cronjobs');
  await page.waitForSelector('article.unit h1');
  await page.waitForFunction(() => document.activeElement?.id === 'unit-title');
  assert.deepEqual(await page.locator('h1').allTextContents(), ['CronJobs']);
  assert.equal(await page.evaluate(() => window.scrollY), 0, 'the site menu and the course trail are in view');
  assert.ok(await page.locator('header a:has-text("Playground")').isVisible());
  // Each section's number sits before its own title, clear of the title before it.
  const items = page.locator('.toc li');
  assert.ok((await items.count()) >= 5);
  const [first, second] = [await items.nth(0).boundingBox(), await items.nth(1).boundingBox()];
  const firstText = await items.nth(0).locator('a').boundingBox();
  assert.ok(first.x < firstText.x, 'the number "1." is inside the first item, before its title');
  assert.ok(second.y > first.y || second.x >= firstText.x + firstText.width + 8,
    'the second item starts clear of the first title');
  quiet(problems);
  await page.close();
});

test('a deep link to an exercise opens its unit with the exercise in view', async () => {
  const { page, problems } = await openPage(browser.context, server.url + '#/unit/first-job/exercise/hello-job');
  await page.waitForSelector('#ex-hello-job textarea');
  const box = await page.locator('#ex-hello-job').boundingBox();
  assert.ok(box && box.y < 800, `exercise scrolled into view (y = ${box?.y})`);
  quiet(problems);
  await page.close();
});

test('a ticked checklist item is still ticked after a reload, and counts on the home page', async () => {
  const { page, problems } = await openPage(browser.context, server.url + '#/unit/first-job');
  await page.waitForSelector('article.unit');
  await page.evaluate(() => localStorage.clear());
  await page.reload({ waitUntil: 'load' });
  const first = page.locator('.checklist input[type=checkbox]').first();
  await first.waitFor();
  assert.equal(await first.isChecked(), false);
  await first.check();
  await page.reload({ waitUntil: 'load' });
  await page.locator('.checklist input[type=checkbox]').first().waitFor();
  assert.equal(await page.locator('.checklist input[type=checkbox]').first().isChecked(), true);
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('batchlab.progress')));
  assert.equal(stored.version, 2);
  await page.goto(server.url + '#/');
  await page.waitForSelector('.unit-card');
  assert.match(await page.locator('.unit-card').first().textContent(), /1 of \d+ checklist items ticked/);
  quiet(problems);
  await page.close();
});

test('unreadable stored progress is kept aside and the learner is told', async () => {
  const { page, problems } = await openPage(browser.context, server.url);
  // Let the app start first, so its own first save cannot land after ours.
  await page.waitForSelector('.unit-list');
  await page.evaluate(() => { localStorage.clear(); localStorage.setItem('batchlab.progress', '{"version": 2, "completed": 7'); });
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('.startup-notice');
  assert.match(await page.textContent('.startup-notice'), /could not be read.*batchlab\.progress\.unreadable/s);
  assert.equal(await page.evaluate(() => localStorage.getItem('batchlab.progress.unreadable')), '{"version": 2, "completed": 7');
  quiet(problems);
  await page.close();
});

test('screenshots of home, a unit and the playground at 1280 and 390 px wide', async () => {
  for (const width of [1280, 390]) {
    const { page, problems } = await openPage(browser.context, server.url);
    await page.setViewportSize({ width, height: 900 });
    for (const [name, route, ready] of [['home', '#/', '.unit-list'], ['unit', '#/unit/first-job', 'article.unit'], ['playground', '#/playground', '.playground']]) {
      await page.goto(server.url + route);
      await page.waitForSelector(ready);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${name} at ${width}px has no horizontal page scroll (overflow ${overflow}px)`);
      await screenshot(page, `${name}-${width}.png`);
    }
    quiet(problems);
    await page.close();
  }
});
