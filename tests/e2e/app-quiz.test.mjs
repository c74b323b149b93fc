// Quiz answers are progress: a multiple-choice pick and a short answer are saved as they are given,
// and a reload shows them again with their feedback. A short-answer question has a text field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage } from './harness.mjs';

let server, browser;
before(async () => {
  server = await serveDist(undefined, '/');
  browser = await launchBrowser({ serviceWorkers: 'block' });
});
after(async () => { await browser?.close(); await server?.close(); });

const stored = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('batchlab.progress') || '{}').quizAnswers || {});

test('quiz answers survive a reload, with their feedback', async () => {
  const { page, problems } = await openPage(browser.context, server.url + '#/unit/parallel-indexed/section/check');
  await page.waitForSelector('article.unit');
  await page.evaluate(() => localStorage.clear());
  await page.reload({ waitUntil: 'load' });
  const choice = page.locator('#quiz-indexed-env');
  const short = page.locator('#quiz-completed-indexes-format');
  await choice.waitFor();

  // Multiple choice: a wrong pick, then the right one; the last pick is what is kept.
  await choice.getByLabel('It has to parse its own Pod name').check();
  await choice.locator('.quiz-feedback', { hasText: '✗ Not quite.' }).waitFor();
  await choice.getByLabel('The controller adds `JOB_COMPLETION_INDEX` to every container').check();
  await choice.locator('.quiz-feedback', { hasText: '✓ Correct.' }).waitFor();

  // Short answer: typed, then checked (case and spaces do not matter).
  assert.equal(await short.locator('input[type=radio]').count(), 0);
  await short.getByLabel('Your answer').fill(' 0-2,4,5 ');
  await short.getByRole('button', { name: 'Check' }).click();
  await short.locator('.quiz-feedback', { hasText: '✓ Correct.' }).waitFor();

  assert.deepEqual(await stored(page), {
    'parallel-indexed/indexed-env': 'The controller adds `JOB_COMPLETION_INDEX` to every container',
    'parallel-indexed/completed-indexes-format': '0-2,4,5',
  });

  await page.reload({ waitUntil: 'load' });
  await choice.waitFor();
  assert.equal(await choice.getByLabel('The controller adds `JOB_COMPLETION_INDEX` to every container').isChecked(), true);
  assert.equal(await choice.getByLabel('It has to parse its own Pod name').isChecked(), false);
  assert.match(await choice.locator('.quiz-feedback').textContent(), /✓ Correct\. It is injected automatically/);
  assert.equal(await short.getByLabel('Your answer').inputValue(), '0-2,4,5');
  assert.match(await short.locator('.quiz-feedback').textContent(), /✓ Correct\.Runs of three or more/);

  // A wrong short answer replaces the saved one and says so.
  await short.getByLabel('Your answer').fill('0,1,2,4,5');
  await short.getByLabel('Your answer').press('Enter');
  await short.locator('.quiz-feedback', { hasText: '✗ Not quite.' }).waitFor();
  assert.equal((await stored(page))['parallel-indexed/completed-indexes-format'], '0,1,2,4,5');
  assert.deepEqual(problems.consoleErrors, []);
  await page.close();
});
