// An exercise end to end: the starter's diagnostic at the right line, typing a fix, an error typed in
// and shown at its line (gutter marker, underline, list; clicking the list moves the caret there),
// goals met and the exercise marked done, and the timeline played until pods appear.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage } from './harness.mjs';

let server, browser;
before(async () => {
  server = await serveDist(undefined, '/');
  browser = await launchBrowser({ serviceWorkers: 'block' });
});
after(async () => { await browser?.close(); await server?.close(); });

const EX = '#ex-hello-job';
const FIXED = `apiVersion: batch/v1
kind: Job
metadata:
  name: hello
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: hello
          image: busybox:1.36
          command: ["sh", "-c", "echo hello from a Job; sleep 3"]
`;

async function diagnostics(page) {
  return page.locator(`${EX} .diag-list li`).allTextContents();
}

test('diagnostics follow the text, goals pass, the timeline plays and the exercise is done', async () => {
  const { page, problems } = await openPage(browser.context, server.url + '#/unit/first-job/exercise/hello-job');
  await page.waitForSelector(`${EX} textarea`);
  await page.evaluate(() => localStorage.clear());
  await page.reload({ waitUntil: 'load' });
  const editor = page.locator(`${EX} textarea`);
  await editor.waitFor();

  // The starter lacks restartPolicy: the API server's message, naming the field.
  await page.waitForSelector(`${EX} .diag-list li`);
  const starter = (await diagnostics(page)).join('\n');
  assert.match(starter, /spec\.template\.spec\.restartPolicy/);
  assert.match(starter, /Required value/);
  // Goals set field names and values in backticks as code, as the prose does.
  const goal = page.locator(`${EX} .goal-says`, { hasText: 'The Pod template sets' });
  assert.deepEqual(await goal.locator('code').allTextContents(), ['restartPolicy', 'Never']);
  assert.equal(await goal.textContent(), 'The Pod template sets restartPolicy to Never.');

  // The fix: no errors, and every goal met.
  await editor.fill(FIXED);
  await page.waitForSelector(`${EX} .diag-none`);
  await page.waitForSelector(`${EX} .goals-met`);
  await page.waitForSelector(`${EX} .badge-done`);

  // Play the timeline: pods appear in the chart and in `kubectl get pods`.
  const timeline = page.locator(`${EX} .timeline`);
  await timeline.locator('select').selectOption('100');
  await timeline.locator('button.play').click();
  await page.waitForFunction((sel) => document.querySelectorAll(`${sel} .pod-row:not(.future) .bar`).length > 0, `${EX} .timeline`);
  await page.waitForFunction((sel) => /hello-[a-z0-9]{5}/.test(document.querySelector(`${sel} .kubectl`).textContent), `${EX} .timeline`);

  // An error typed on line 8, column 22, is shown there: gutter marker, underline, list entry.
  await editor.fill(FIXED.replace('restartPolicy: Never', 'restartPolicy: Sometimes'));
  await page.waitForSelector(`${EX} .diag-list li.diag-error`);
  const error = (await page.locator(`${EX} .diag-list li.diag-error`).first().textContent());
  assert.match(error, /line 8, column 22/);
  assert.match(error, /Unsupported value: "Sometimes"/);
  assert.equal(await page.locator(`${EX}-editor-L8.gutter-error`).count(), 1);
  assert.equal(await page.locator(`${EX} .sq-error`).first().textContent(), 'Sometimes');

  // Clicking the diagnostic puts the caret at line 8, column 22.
  await page.locator(`${EX} .diag-list li.diag-error button`).first().click();
  const caret = await editor.evaluate((el) => {
    const before = el.value.slice(0, el.selectionStart).split('\n');
    return [before.length, before[before.length - 1].length + 1, document.activeElement === el];
  });
  assert.deepEqual(caret, [8, 22, true]);

  // The exercise stays done (it was met once), and that survives a reload along with the edit.
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector(`${EX} .badge-done`);
  assert.match(await page.locator(`${EX} textarea`).inputValue(), /restartPolicy: Sometimes/);
  assert.deepEqual(problems.consoleErrors, []);
  assert.deepEqual(problems.foreignRequests, []);
  await page.close();
});

test('Tab and Shift+Tab indent by two spaces, Esc then Tab leaves the editor', async () => {
  const { page, problems } = await openPage(browser.context, server.url + '#/playground');
  const editor = page.locator('#pg-manifest textarea');
  await editor.waitFor();
  await editor.fill('a:\nb: 1');
  await editor.evaluate((el) => el.setSelectionRange(3, 3));
  await page.keyboard.press('Tab');
  assert.equal(await editor.inputValue(), 'a:\n  b: 1');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await editor.inputValue(), 'a:\nb: 1');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement?.tagName), 'TEXTAREA');
  assert.deepEqual(problems.consoleErrors, []);
  await page.close();
});

test('an edit based on an older starter is flagged, compared, and kept on request', async () => {
  const { page, problems } = await openPage(browser.context, server.url);
  // Let the app start first, so its own first save cannot land after ours; then load afresh.
  await page.waitForSelector('.unit-list');
  await page.evaluate(() => {
    localStorage.clear();
    localStorage.setItem('batchlab.progress', JSON.stringify({
      version: 2,
      edits: { 'first-job/hello-job': { text: 'kind: Job\n# my old edit\n', starterHash: '0000000000000000' } },
    }));
  });
  await page.goto(server.url + '#/unit/first-job/exercise/hello-job');
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector(`${EX} .stale`);
  assert.match(await page.textContent(`${EX} .stale`), /updated since your edit/);
  // The learner's text is shown, never silently replaced.
  assert.equal(await page.locator(`${EX} textarea`).inputValue(), 'kind: Job\n# my old edit\n');
  await page.click(`${EX} .stale >> text=Compare with the new starter`);
  await page.waitForSelector(`${EX} .diff`);
  assert.ok(await page.locator(`${EX} .diff .diff-add`).count() > 0);
  assert.equal(await page.locator(`${EX} .diff .diff-del`).last().textContent(), '− # my old edit\n');
  await page.click(`${EX} .stale >> text=Keep my version`);
  await page.waitForSelector(`${EX} .stale`, { state: 'detached' });
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector(`${EX} textarea`);
  assert.equal(await page.locator(`${EX} .stale`).count(), 0);
  assert.equal(await page.locator(`${EX} textarea`).inputValue(), 'kind: Job\n# my old edit\n');
  assert.deepEqual(problems.consoleErrors, []);
  await page.close();
});
