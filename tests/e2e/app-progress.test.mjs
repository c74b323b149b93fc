// "Your progress": export to a JSON file, reset (after a confirm), import the file back (after a
// confirm), and a file that is not progress refused in words with nothing changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { serveDist, launchBrowser, openPage } from './harness.mjs';

let server, browser;
before(async () => {
  server = await serveDist(undefined, '/');
  browser = await launchBrowser({ serviceWorkers: 'block' });
});
after(async () => { await browser?.close(); await server?.close(); });

test('export, reset and import progress', async () => {
  const { page, problems } = await openPage(browser.context, server.url + '#/unit/first-job');
  await page.waitForSelector('article.unit');
  await page.evaluate(() => localStorage.clear());
  await page.reload({ waitUntil: 'load' });
  await page.locator('.checklist input[type=checkbox]').first().check();
  await page.goto(server.url + '#/progress');
  await page.waitForSelector('text=1 checklist item ticked');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Export progress')]);
  const dir = await mkdtemp(join(tmpdir(), 'batchlab-export-'));
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  assert.equal(download.suggestedFilename(), 'batchlab-progress.json');
  const exported = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(exported.version, 2);
  assert.equal(Object.keys(exported.checklists).length, 1);

  // Reset asks first; declining changes nothing, accepting forgets.
  page.once('dialog', (d) => d.dismiss());
  await page.click('text=Reset progress…');
  await page.waitForSelector('text=1 checklist item ticked');
  page.once('dialog', (d) => d.accept());
  await page.click('text=Reset progress…');
  await page.waitForSelector('text=0 checklist items ticked');

  // Import the exported file back.
  page.once('dialog', (d) => d.accept());
  await page.setInputFiles('input[type=file]', file);
  await page.waitForSelector('text=Progress imported.');
  await page.waitForSelector('text=1 checklist item ticked');

  // A file that is not progress is refused, and nothing changes.
  const bad = join(dir, 'bad.json');
  await writeFile(bad, '{"hello": "world"}');
  await page.setInputFiles('input[type=file]', bad);
  await page.waitForSelector('text=That file is not Batch Lab progress');
  assert.match(await page.textContent('main'), /1 checklist item ticked/);
  assert.deepEqual(problems.consoleErrors, []);
  assert.deepEqual(problems.foreignRequests, []);
  await page.close();
  await rm(dir, { recursive: true, force: true });
});
