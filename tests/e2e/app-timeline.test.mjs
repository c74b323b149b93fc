// What a learner sees of a run besides the chart: a CronJob's calendar strip (every scheduled
// instant fired, skipped, missed or pending, with a text alternative, the schedule in words and the
// next runs), and the `aria-live` region that announces events while the timeline plays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage } from './harness.mjs';

let server, browser;
before(async () => {
  server = await serveDist(undefined, '/');
  browser = await launchBrowser({ serviceWorkers: 'block' });
});
after(async () => { await browser?.close(); await server?.close(); });

// Every 5 minutes, Forbid, and each run lasts 7 minutes: every other start is skipped. The
// controller is down from 12m to 20m, and with a 60 s starting deadline the 09:15 start is missed.
const CRON_JOB = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ledger-sync
spec:
  schedule: "*/5 * * * *"
  timeZone: Etc/UTC
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 60
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: sync
              image: busybox:1.36
              command: ["sh", "-c", "echo syncing; sleep 420; echo synced"]
`;
const CRON_SCENARIO = `horizon: 30m
faults:
  - at: 12m
    controllerDown: {for: 8m}
`;

async function runInPlayground(manifest, scenario) {
  const opened = await openPage(browser.context, server.url + '#/playground');
  const { page } = opened;
  await page.locator('#pg-manifest textarea').waitFor();
  // The scenario first: the run drawn after the manifest is then the one under test.
  await page.locator('#pg-scenario textarea').fill(scenario);
  await page.locator('#pg-manifest textarea').fill(manifest);
  await page.locator('.timeline').waitFor();
  return opened;
}

test('a CronJob run shows its calendar strip: fired, skipped and missed starts, in words too', async () => {
  const { page, problems } = await runInPlayground(CRON_JOB, CRON_SCENARIO);
  const strip = page.locator('.calendar[aria-label="Schedule of CronJob ledger-sync"]');
  await strip.waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.calendar .slot').length === 6);
  assert.equal(await strip.locator('.slot-fired').count(), 2);
  assert.equal(await strip.locator('.slot-skipped').count(), 2);
  assert.equal(await strip.locator('.slot-missed').count(), 1);
  assert.equal(await strip.locator('.slot-pending').count(), 1);
  // Colour is not the only signal: each slot has a symbol and a sentence for screen readers.
  const spoken = await strip.locator('.slot .sr-only').allTextContents();
  assert.deepEqual(spoken, [
    '2026-01-05T09:05:00Z: fired. ',
    '2026-01-05T09:10:00Z: skipped. concurrencyPolicy Forbid: ledger-sync-29460065 still running (JobAlreadyActive)',
    '2026-01-05T09:15:00Z: missed. kube-controller-manager was down at this time',
    '2026-01-05T09:20:00Z: fired. ',
    '2026-01-05T09:25:00Z: skipped. concurrencyPolicy Forbid: ledger-sync-29460080 still running (JobAlreadyActive)',
    '2026-01-05T09:30:00Z: pending. the simulation ended before the controller handled it',
  ]);
  assert.deepEqual(await strip.locator('.slot [aria-hidden=true]').allTextContents(), ['✓', '⤼', '✕', '✓', '⤼', '◇']);
  // The schedule, in words, and what comes after the run.
  assert.equal(await strip.locator('.calendar-title').textContent(), 'CronJob ledger-sync: */5 * * * *');
  assert.equal(await strip.locator('p').nth(1).textContent(), 'Every 5 minutes');
  assert.equal(await strip.locator('.next-runs').textContent(),
    'Next runs: 2026-01-05T09:35:00Z, 2026-01-05T09:40:00Z, 2026-01-05T09:45:00Z, 2026-01-05T09:50:00Z, 2026-01-05T09:55:00Z');
  // The Jobs it created are grouped under it in the chart.
  const labels = await page.locator('.chart .group-label').allTextContents();
  assert.deepEqual(labels, ['CronJob ledger-sync', 'Job ledger-sync-29460065', 'Job ledger-sync-29460080']);
  assert.deepEqual(problems.consoleErrors, []);
  await page.close();
});

test('long Job and pod names are shortened to fit the label column, whole on hover', async () => {
  const name = 'quarterly-ledger-reconciliation-report';
  const { page, problems } = await runInPlayground(CRON_JOB.replace('name: ledger-sync', `name: ${name}`), CRON_SCENARIO);
  await page.waitForFunction(() => document.querySelectorAll('.chart .pod-label').length > 0);
  // The first axis line is where the plot starts; no label may run into it.
  const plotStart = await page.locator('.chart .axis line').first().boundingBox();
  const labels = page.locator('.chart .pod-label, .chart .group-label');
  for (let i = 0; i < await labels.count(); i++) {
    const box = await labels.nth(i).boundingBox();
    assert.ok(box.x + box.width < plotStart.x, `${await labels.nth(i).textContent()} ends at ${box.x + box.width}, the plot starts at ${plotStart.x}`);
  }
  // The calendar strip under the chart starts where the plot starts, so a start lines up with its Job.
  const strip = await page.locator('.calendar .slots').boundingBox();
  assert.ok(Math.abs(strip.x - plotStart.x) < 3, `strip starts at ${strip.x}, the plot at ${plotStart.x}`);
  const job = page.locator('.chart .group-label').nth(1);
  assert.equal(await job.textContent(), 'Job …iliation-report-29460065');
  assert.equal(await job.locator('xpath=..').locator('title').textContent(), `Job ${name}-29460065`);
  assert.match(await page.locator('.chart .pod-label').first().textContent(), /^…iliation-report-29460065-[a-z0-9]{5}$/);
  assert.deepEqual(problems.consoleErrors, []);
  await page.close();
});

test('a run of hundreds of Jobs draws those around the cursor, and says so', async () => {
  const manifest = CRON_JOB.replace('"*/5 * * * *"', '"*/1 * * * *"').replace('sleep 420', 'sleep 20');
  const { page, problems } = await runInPlayground(manifest, 'horizon: 6h\n');
  await page.waitForFunction(() => document.querySelectorAll('.calendar .slot').length > 300);
  const fired = await page.locator('.calendar .slot-fired').count();
  const setCursor = (fraction) => page.locator('.timeline input[type=range]').evaluate((el, f) => {
    el.value = String(Number(el.max) * f);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, fraction);
  await setCursor(0.5);
  const note = page.locator('.chart-window');
  await page.waitForFunction(() => /around 3h/.test(document.querySelector('.chart-window')?.textContent ?? ''));
  const [, first, last, total] = (await note.textContent()).match(/Jobs (\d+)–(\d+) of (\d+)/).map(Number);
  assert.equal(total, fired, 'every Job of the run is counted');
  assert.equal(last - first + 1, 24);
  assert.equal(await page.locator('.chart .group-label').count(), 1 + 24, 'the CronJob and 24 of its Jobs');
  // The Jobs drawn are those around the cursor: the last one started shortly before it.
  const started = await page.locator('.chart .pod-row:not(.future)').count();
  assert.ok(started >= 12 && started < 24, `${started} of the 24 Jobs drawn have started`);
  await setCursor(1);
  await page.waitForFunction((n) => new RegExp(`–${n} of ${n}`).test(document.querySelector('.chart-window').textContent), total);
  assert.deepEqual(problems.consoleErrors, []);
  await page.close();
});

const JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: announce
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: c
          image: busybox:1.36
          command: ["sh", "-c", "echo working; sleep 2"]
`;

test('while the timeline plays, its events are announced in an aria-live region', async () => {
  const { page, problems } = await runInPlayground(JOB, 'seed: 3\n');
  // The playground may first show the run of what it held before; play the one under test.
  await page.waitForFunction(() => /announce-[a-z0-9]{5}/.test(document.querySelector('.timeline').textContent));
  const live = page.locator('.timeline [aria-live=polite]');
  assert.equal(await live.getAttribute('role'), 'log');
  assert.equal((await live.textContent()).trim(), '', 'nothing is announced before playing');
  // Record every text the region takes, as a screen reader would hear the changes.
  await page.evaluate(() => {
    const region = document.querySelector('.timeline [aria-live=polite]');
    window.announced = [];
    new MutationObserver(() => window.announced.push(region.textContent))
      .observe(region, { childList: true, subtree: true, characterData: true });
  });
  await page.locator('.timeline select').selectOption('5');
  await page.locator('.timeline button.play').click();
  await page.waitForFunction(() => /Job completed/.test(document.querySelector('.timeline [aria-live=polite]').textContent), null, { timeout: 20000 });
  const heard = await page.evaluate(() => window.announced.join('\n'));
  assert.match(heard, /At 0s: job\/announce SuccessfulCreate: Created pod: announce-[a-z0-9]{5}/);
  assert.match(heard, /pod\/announce-[a-z0-9]{5} Started: Started container c/);
  assert.match(heard, /job\/announce Completed: Job completed/);
  // The announcements came one after another as the cursor moved, not all at once at the end.
  assert.ok(await page.evaluate(() => window.announced.length) >= 3);
  assert.deepEqual(problems.consoleErrors, []);
  await page.close();
});
