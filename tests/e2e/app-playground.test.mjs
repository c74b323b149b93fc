// The playground: a Share link carries the manifest and scenario in the URL fragment and reproduces
// them in a fresh browser; a damaged link is reported, not crashed on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage } from './harness.mjs';

let server, browser;
before(async () => {
  server = await serveDist(undefined, '/pg/');
  browser = await launchBrowser({ serviceWorkers: 'block' });
});
after(async () => { await browser?.close(); await server?.close(); });

const MANIFEST = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: shared-run\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: c\n          image: busybox:1.36\n          command: ["sh", "-c", "echo shared"]\n';

test('a share link reproduces the manifest and scenario', async () => {
  const { page, problems } = await openPage(browser.context, server.url + '#/playground');
  const editor = page.locator('#pg-manifest textarea');
  await editor.waitFor();
  await editor.fill(MANIFEST);
  await page.locator('#pg-scenario textarea').fill('seed: 42\n');
  await page.click('text=Share this run');
  const link = await page.locator('.share-link input').inputValue();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/pg\/#\/playground\/[A-Za-z0-9_-]+$/);
  assert.equal(page.url(), link);

  const other = await launchBrowser({ serviceWorkers: 'block' });
  const { page: fresh, problems: freshProblems } = await openPage(other.context, link);
  await fresh.locator('#pg-manifest textarea').waitFor();
  assert.equal(await fresh.locator('#pg-manifest textarea').inputValue(), MANIFEST);
  assert.equal(await fresh.locator('#pg-scenario textarea').inputValue(), 'seed: 42\n');
  assert.deepEqual(freshProblems.consoleErrors, []);
  await other.close();
  assert.deepEqual(problems.consoleErrors, []);
  assert.deepEqual(problems.foreignRequests, []);
  await page.close();
});

test('a damaged share link is reported in words', async () => {
  const { page, problems } = await openPage(browser.context, server.url + '#/playground/not-a-real-link');
  await page.waitForSelector('.playground');
  assert.match(await page.textContent('main'), /could not be opened: .*damaged/);
  assert.deepEqual(problems.consoleErrors, []);
  await page.close();
});

const WIDE = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: wide\nspec:\n  completions: 30\n  parallelism: 30\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: c\n          image: busybox:1.36\n          command: ["sh", "-c", "sleep 5"]\n';

test("a Job of 30 pods: the event list marks what the API server never stored, and describe shows the combined event", async () => {
  const { page, problems } = await openPage(browser.context, server.url + '#/playground');
  const editor = page.locator('#pg-manifest textarea');
  await editor.waitFor();
  await editor.fill(WIDE);
  // Wait for the new run (its describe view) before moving the cursor to its end.
  await page.locator('figure.kubectl-view', { hasText: '$ kubectl describe job wide' }).waitFor();
  await page.locator('.timeline input[type=range]').evaluate((el) => {
    el.value = el.max;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  // Creations 26 to 30 and the completion found the Job's 25 events spent.
  const caption = page.locator('figure.kubectl-view figcaption', { hasText: 'Events so far' });
  await page.waitForFunction(() => /Events so far \(\d+, 6 not stored\)/.test(
    [...document.querySelectorAll('figure.kubectl-view figcaption')].map((f) => f.textContent).join('\n')));
  assert.match(await caption.textContent(), /6 not stored/);
  const dropped = page.locator('.event-list li.event-dropped');
  assert.equal(await dropped.count(), 6);
  assert.match(await dropped.first().textContent(), /Completed.*\(not stored\)/);
  await page.locator('.kubectl-note', { hasText: 'one more every 5 minutes' }).waitFor();
  const describe = await page.locator('figure.kubectl-view', { hasText: '$ kubectl describe job wide' }).locator('pre').textContent();
  assert.match(describe, /\(x16 over \S+\)\s+job-controller\s+\(combined from similar events\): Created pod: wide-/);
  assert.doesNotMatch(describe, /Job completed/);
  assert.deepEqual(problems.consoleErrors, []);
  await page.close();
});

test('on the instant "Next event" stops at, the chart draws the state kubectl shows', async () => {
  const { page, problems } = await openPage(browser.context, server.url + '#/playground/example/flaky-retries');
  await page.locator('figure.kubectl-view', { hasText: '$ kubectl get pods' }).waitFor();
  const getPods = page.locator('figure.kubectl-view', { hasText: '$ kubectl get pods' }).locator('pre');
  const next = page.locator('button', { hasText: 'Next event' });
  // Step until the first pod is Running in kubectl's view, then look at its row in the chart.
  for (let i = 0; i < 20 && !/\n\S+\s+1\/1\s+Running/.test(await getPods.textContent()); i++) {
    await next.click();
  }
  const row = (await getPods.textContent()).split('\n').find((l) => /\s1\/1\s+Running/.test(l));
  assert.ok(row, 'a pod became Running');
  const name = row.split(/\s+/)[0];
  const pod = page.locator('.chart .pod-row', { has: page.locator('.pod-label', { hasText: name }) });
  const last = pod.locator('.bar').last();
  assert.match(await last.getAttribute('class'), /bar-running/);
  assert.deepEqual(problems.consoleErrors, []);
  await page.close();
});

test('errors head the diagnostics, and a long review scrolls inside its list', async () => {
  const { page, problems } = await openPage(browser.context, server.url + '#/playground');
  const editor = page.locator('#pg-manifest textarea');
  await editor.waitFor();
  // No restartPolicy (an error at line 7) under a metadata the reviewer has notes on (line 3).
  await editor.fill('apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: unsorted\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: busybox:1.36\n');
  await page.waitForFunction(() => /1 error, [5-9] warnings/.test(document.querySelector('#pg-manifest .diag-summary')?.textContent ?? ''));
  const items = page.locator('#pg-manifest .diag-list li');
  assert.match(await items.first().getAttribute('class'), /diag-error/);
  assert.match(await items.first().textContent(), /line 7, column \d+.*restartPolicy/);
  assert.match(await items.nth(1).textContent(), /line 3,/);
  const list = page.locator('#pg-manifest .diag-list ul');
  const [scroll, client] = await list.evaluate((ul) => [ul.scrollHeight, ul.clientHeight]);
  assert.ok(scroll > client, `the list scrolls (${scroll} px of content in ${client} px)`);
  // What follows the list (sharing, then the run) stays within a screen and a half of the editor.
  const editorBox = await editor.boundingBox();
  const shareBox = await page.locator('.share').boundingBox();
  assert.ok(shareBox.y - editorBox.y < 1100, `the share button ${shareBox.y - editorBox.y} px below the editor`);
  assert.deepEqual(problems.consoleErrors, []);
  await page.close();
});
