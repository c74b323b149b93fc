// Accessibility: axe-core finds no violations on the home page, a unit and the playground, in the
// light and the dark theme.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { serveDist, launchBrowser, openPage } from './harness.mjs';

let server, browser;
before(async () => {
  server = await serveDist(undefined, '/');
  browser = await launchBrowser({ serviceWorkers: 'block' });
});
after(async () => { await browser?.close(); await server?.close(); });

for (const scheme of ['light', 'dark']) {
  for (const [name, route, ready] of [
    ['home', '#/', '.unit-list'],
    ['a unit', '#/unit/first-job', 'article.unit .exercise'],
    ['the playground', '#/playground', '.playground'],
  ]) {
    test(`axe: no violations on ${name} (${scheme})`, async () => {
      const { page, problems } = await openPage(browser.context, server.url + route);
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForSelector(ready);
      const results = await new AxeBuilder({ page }).analyze();
      const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
      assert.deepEqual(summary, []);
      assert.deepEqual(problems.consoleErrors, []);
      await page.close();
    });
  }
}
