// Unit 5's native-sidecar exercise through the app: the starter (a log shipper written as a second
// regular container) keeps its pod NotReady and the Job running; the solution (the shipper as an
// init container with `restartPolicy: Always`) meets every goal, the chart marks the shipper's
// exit by name without calling it a failure, and `kubectl get pods` ends on Completed (0/2:
// READY counts the sidecar).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage } from './harness.mjs';

let server, browser;
before(async () => {
  server = await serveDist(undefined, '/');
  browser = await launchBrowser({ serviceWorkers: 'block' });
});
after(async () => { await browser?.close(); await server?.close(); });

const EX = '#ex-native-sidecar';
const SOLUTION = `apiVersion: batch/v1
kind: Job
metadata:
  name: ledger-export
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      initContainers:
        - name: log-shipper
          image: busybox:1.36
          restartPolicy: Always
          command:
            - sh
            - -c
            - |
              trap 'echo "log-shipper: final flush done"; exit 0' TERM
              while true; do
                echo "log-shipper: sent a batch"
                sleep 5
              done
      containers:
        - name: export
          image: busybox:1.36
          command:
            - sh
            - -c
            - |
              for day in 01 02 03 04; do
                echo "exported ledger for 2026-01-$day"
                sleep 5
              done
              echo "export finished: 4 days"
`;

/** Moves the timeline's cursor to `seconds` (the range input, as a learner drags it). */
async function scrubTo(page, seconds) {
  await page.locator(`${EX} .timeline input[type=range]`).evaluate((el, value) => {
    el.value = String(value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, seconds);
}

async function kubectlText(page) {
  return page.locator(`${EX} .timeline .kubectl`).first().textContent();
}

async function markLabels(page) {
  return page.locator(`${EX} .timeline .pod-row .mark`).evaluateAll((marks) =>
    marks.map((m) => [m.querySelector('text').textContent, m.classList.contains('mark-failed')]));
}

test('a native sidecar lets the Job complete; its exit is named and not a failure', async () => {
  const { page, problems } = await openPage(browser.context, server.url + '#/unit/advanced-config/exercise/native-sidecar');
  await page.waitForSelector(`${EX} textarea`);
  await page.evaluate(() => localStorage.clear());
  await page.reload({ waitUntil: 'load' });
  const editor = page.locator(`${EX} textarea`);
  await editor.waitFor();

  // The starter: at the end of the run the Job is still running, its pod NotReady (the export
  // is done, the shipper is not).
  await page.waitForSelector(`${EX} .timeline`);
  await scrubTo(page, 900);
  const starter = await kubectlText(page);
  assert.match(starter, /ledger-export-[a-z0-9]{5}\s+1\/2\s+NotReady/);
  assert.match(starter, /ledger-export\s+Running\s+0\/1/);
  assert.equal(await page.locator(`${EX} .goals-met`).count(), 0);

  // The solution: every goal met, the shipper stopped by the kubelet after the export.
  await editor.fill(SOLUTION);
  await page.waitForSelector(`${EX} .goals-met`);
  await scrubTo(page, 900);
  // READY counts the sidecar too (kubectl's printPod): 0/2 once both are down.
  const solved = await kubectlText(page);
  assert.match(solved, /ledger-export-[a-z0-9]{5}\s+0\/2\s+Completed/);
  assert.match(solved, /ledger-export\s+Complete\s+1\/1\s+29s/);
  const exits = (await markLabels(page)).filter(([label]) => / exit /.test(label));
  // The shipper's trap ends it with 0 after SIGTERM; neither exit is drawn as a failure.
  assert.deepEqual(exits.sort(), [['export exit 0', false], ['log-shipper exit 0', false]]);
  assert.deepEqual(problems.consoleErrors, []);
  assert.deepEqual(problems.foreignRequests, []);
  await page.close();
});
