// A Secret printed by a script: the playground's `kubectl logs` view shows it masked, with a note
// that says how many values were hidden and that a real cluster would not hide them; the lint rule
// that flags the script is listed under the editor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage } from './harness.mjs';

let server, browser;
before(async () => {
  server = await serveDist(undefined, '/');
  browser = await launchBrowser({ serviceWorkers: 'block' });
});
after(async () => { await browser?.close(); await server?.close(); });

const TOKEN = 'tok-9f8e7d6c5b4a';
const MANIFEST = `apiVersion: v1
kind: Secret
metadata:
  name: api-credentials
stringData:
  token: ${TOKEN}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: leaky-report
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: report
          image: busybox:1.36
          env:
            - name: API_TOKEN
              valueFrom:
                secretKeyRef: {name: api-credentials, key: token}
          command: ["sh", "-c", "echo using token $API_TOKEN; echo report written"]
`;

test('a secret echoed by the script is masked in kubectl logs, with a note', async () => {
  const { page, problems } = await openPage(browser.context, server.url + '#/playground');
  const editor = page.locator('#pg-manifest textarea');
  await editor.waitFor();
  await editor.fill(MANIFEST);
  await page.locator('#pg-scenario textarea').fill('seed: 1\n');
  const timeline = page.locator('.timeline');
  await timeline.waitFor();

  // Static: the lint rule names the line that prints the Secret.
  const lint = page.locator('#pg-manifest .diag-list li', { hasText: 'prints the Secret-backed variable' });
  await lint.waitFor();
  assert.match(await lint.textContent(), /line 23, column 33.*container "report" prints the Secret-backed variable \$API_TOKEN with echo/);

  // Move the cursor to the end of the run, where the pod has printed everything.
  await timeline.locator('input[type=range]').evaluate((el) => {
    el.value = el.max;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const logs = timeline.locator('figure.kubectl-view', { hasText: '$ kubectl logs leaky-report-' });
  await logs.waitFor();
  await page.waitForFunction(() => /report written/.test(
    [...document.querySelectorAll('figure.kubectl-view')].find((f) => /kubectl logs/.test(f.textContent))?.querySelector('pre')?.textContent || ''));
  assert.equal(await logs.locator('pre').textContent(), 'using token ***\nreport written\n');
  const note = await logs.locator('.kubectl-note').textContent();
  assert.match(note, /1 secret value was masked as \*\*\* \(Secret `api-credentials`, key `token`\)/);
  assert.match(note, /real `kubectl logs` would print it in clear/);
  assert.equal(await logs.locator('.kubectl-note').getAttribute('role'), 'note');
  // The secret is nowhere in what the cluster views show.
  assert.doesNotMatch(await timeline.locator('.kubectl').textContent(), new RegExp(TOKEN));

  // A script that only says the token was loaded: no mask, no note.
  await editor.fill(MANIFEST.replace('echo using token $API_TOKEN', 'echo api token loaded'));
  await lint.waitFor({ state: 'detached' });
  await timeline.locator('input[type=range]').evaluate((el) => {
    el.value = el.max;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.waitForFunction(() => /api token loaded/.test(
    [...document.querySelectorAll('figure.kubectl-view')].find((f) => /kubectl logs/.test(f.textContent))?.querySelector('pre')?.textContent || ''));
  assert.equal(await page.locator('.kubectl-note').count(), 0);

  assert.deepEqual(problems.consoleErrors, []);
  assert.deepEqual(problems.foreignRequests, []);
  await page.close();
});
