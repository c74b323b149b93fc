// "Start from an example" in the playground: the menu lists the course's examples, shows the chosen
// one's summary, Open puts its manifests and scenario in the editors and runs them, Undo brings back
// what the learner had written, and what is in the editors survives a reload. The scenario
// reference sits under the scenario editor, and a scenario mistake is shown at its line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage } from './harness.mjs';

let server, browser;
before(async () => {
  server = await serveDist(undefined, '/');
  browser = await launchBrowser({ serviceWorkers: 'block' });
});
after(async () => { await browser?.close(); await server?.close(); });

const MINE = `apiVersion: batch/v1
kind: Job
metadata:
  name: my-own-job
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: mine
          image: busybox:1.36
`;

/** Move the timeline's cursor to the end of the run. */
async function toEnd(page) {
  await page.locator('.timeline input[type=range]').evaluate((el) => {
    el.value = el.max;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/** The text of the kubectl view whose command starts with `command`. */
function view(page, command) {
  return page.locator('figure.kubectl-view', { hasText: `$ ${command}` }).locator('pre');
}

test('an example opens, runs, can be undone, and the editors survive a reload', async () => {
  const { page, problems } = await openPage(browser.context, server.url + '#/playground');
  const manifest = page.locator('#pg-manifest textarea');
  const scenario = page.locator('#pg-scenario textarea');
  await manifest.waitFor();
  await manifest.fill(MINE);

  const menu = page.locator('#pg-example');
  const titles = await menu.locator('option').allTextContents();
  assert.equal(titles[0], 'Choose one…');
  assert.ok(titles.includes('Retries run out'), titles.join(' | '));
  assert.ok(titles.includes('A CronJob on the spring-forward night'), titles.join(' | '));
  const open = page.getByRole('button', { name: 'Open', exact: true });
  assert.equal(await open.isDisabled(), true);

  await menu.selectOption({ label: 'Retries run out' });
  assert.match(await page.locator('#pg-example-summary').textContent(), /BackoffLimitExceeded/);
  await open.click();
  assert.match(await manifest.inputValue(), /name: import-orders/);
  assert.equal(await scenario.inputValue(), '');
  await page.waitForSelector('text=Opened the example “Retries run out”');

  // The example runs: three pods, then the Job fails because its retries ran out.
  // Wait for the example's own run (the previous text's run is on screen until it replaces it),
  // then move to its end.
  await page.waitForFunction(() => /import-orders/.test(
    [...document.querySelectorAll('figure.kubectl-view')].find((f) => /\$ kubectl get jobs/.test(f.textContent))?.textContent || ''));
  await toEnd(page);
  await page.waitForFunction(() => /import-orders\s+Failed\s+0\/1/.test(
    [...document.querySelectorAll('figure.kubectl-view')].find((f) => /\$ kubectl get jobs/.test(f.textContent))?.textContent || ''));
  const pods = (await view(page, 'kubectl get pods').textContent()).trim().split('\n').slice(1);
  assert.equal(pods.length, 3, pods.join('\n'));
  assert.ok(pods.every((row) => /^import-orders-[a-z0-9]{5}\s+0\/1\s+Error\s/.test(row)), pods.join('\n'));
  assert.match(await view(page, 'kubectl describe job import-orders').textContent(),
    /Warning\s+BackoffLimitExceeded\s+.*Job has reached the specified backoff limit/);
  // The last pod created is described: its container's exit, and the Job that owns it.
  const described = await view(page, 'kubectl describe pod import-orders-').textContent();
  assert.match(described, /Status:\s+Failed\n/);
  assert.match(described, /Controlled By:\s+Job\/import-orders\n/);
  assert.match(described, /State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+[1-9]\d*\n/);

  // An example with a scenario fills both editors.
  await menu.selectOption({ label: 'A flaky worker and backoffLimit' });
  await open.click();
  assert.match(await manifest.inputValue(), /name: fetch-rates/);
  assert.match(await scenario.inputValue(), /connection reset by peer/);

  // Undo brings back the texts the last example replaced, and the notice goes.
  await page.getByRole('button', { name: 'Undo' }).click();
  assert.match(await manifest.inputValue(), /name: import-orders/);
  assert.equal(await page.locator('.example-opened').count(), 0);

  // The scenario reference under the editor, and a scenario mistake shown at its line.
  await page.locator('.scenario-reference summary').click();
  assert.match(await page.locator('.scenario-reference pre').textContent(), /- \{at: 30s, drainNode: node-1\}/);
  const before = await scenario.inputValue();
  await scenario.fill('faults:\n  - {at: 5s, drainNode: node-9}\n');
  const problem = page.locator('#pg-scenario .diag-list li', { hasText: 'no node named' });
  await problem.waitFor();
  assert.match(await problem.textContent(), /line 2, column 5.*no node named "node-9" in the cluster/);
  await scenario.fill(before);

  // What is in the editors is saved like any edit.
  await page.reload({ waitUntil: 'load' });
  await manifest.waitFor();
  assert.match(await manifest.inputValue(), /name: import-orders/);

  assert.deepEqual(problems.consoleErrors, []);
  assert.deepEqual(problems.foreignRequests, []);
  await page.close();
});

test("a unit's 'Try it' link opens its example in the playground; an unknown one says so", async () => {
  const { page, problems } = await openPage(browser.context, server.url + '#/unit/cronjobs');
  const link = page.getByRole('link', { name: 'open “A CronJob on the spring-forward night” in the playground' });
  await link.click();
  await page.waitForFunction(() => location.hash === '#/playground/example/cron-dst-night');
  const manifest = page.locator('#pg-manifest textarea');
  await manifest.waitFor();
  assert.match(await manifest.inputValue(), /timeZone: America\/New_York/);
  assert.match(await page.locator('#pg-scenario textarea').inputValue(), /start: 2026-03-06T12:00:00Z/);
  await page.waitForSelector('text=Opened the example “A CronJob on the spring-forward night”');
  // The run shows the night without a 02:30.
  await page.locator('.run-notes li', { hasText: 'clocks in America/New_York jump from 02:00 to 03:00' }).waitFor();
  // kubectl get cronjobs beside the timeline, at the end of the run.
  await toEnd(page);
  await page.waitForFunction(() => /nightly-report\s+30 2 \* \* \*\s+America\/New_York\s+False\s+0\s+\S+\s+4d/.test(
    [...document.querySelectorAll('figure.kubectl-view')].find((f) => /\$ kubectl get cronjobs/.test(f.textContent))?.textContent || ''));
  // … and kubectl describe cronjob, with the spec's defaults and the events the API server kept.
  const described = await view(page, 'kubectl describe cronjob nightly-report').textContent();
  assert.match(described, /^Schedule:\s+30 2 \* \* \*$/m);
  assert.match(described, /^Successful Job History Limit:\s+3$/m);
  assert.match(described, /^Events:/m);

  await page.goto(server.url + '#/playground/example/no-such-example');
  await page.waitForSelector('text=There is no playground example “no-such-example”');
  assert.deepEqual(problems.consoleErrors, []);
  assert.deepEqual(problems.foreignRequests, []);
  await page.close();
});
