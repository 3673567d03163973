// SPDX-License-Identifier: LGPL-2.1-or-later
// The report template editor (#/report-templates/:id) as an operator uses
// it: a new template stored from the list; a template with an unknown
// field shows the server's "строка N, столбец M" (N is the line written
// below; N and M as the check route answers them) and a click puts the
// cursor there; the field list (from /reports/fields?rows=archive)
// inserts {T1} at the cursor; the bands outline selects a column and its
// properties panel rewrites the attribute in the text; the live preview
// of the year point is an image that changes after an edit; Save stores
// version 2, and a save over a version changed meanwhile says so; a
// system template is read only and "Копировать" stores an editable copy;
// "Удалить" asks first (the question names the template), "Нет, вернуться"
// keeps it, and yes removes it with its versions: the API answers 404 and
// the database (psql, outside lersd) holds no row of it; a system
// template has no "Удалить".
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { api, checkA11y, expectNoConsoleErrors, gotoRoute, login, newPage, screenshot, useStack } from './harness.mjs';

const world = useStack();
// Chromium logs the check route's 422 for a bad template as a failed load.
const CHECK_422 = /status of 422 \(Unprocessable Entity\) \(https?:\/\/[^/]+\/api\/v1\/reports\/templates\/check:/;
const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();

// A template whose 9th line names a field that does not exist (T7).
const BAD = `<?xml version="1.0" encoding="UTF-8"?>
<report version="1" id="web-test-bad" source="point">
  <title ru="Проверка" en="Check"/>
  <parameters kinds="day" default-kind="day" period="month"/>
  <report-header>
    <text>{Point.Title}</text>
  </report-header>
  <table rows="archive">
    <column title="x" value="T7"/>
  </table>
</report>
`;

/** The offset of 1-based line and column in text (worked out here, not by the page). */
function offset(text, line, column) {
  const lines = text.split('\n');
  let off = 0;
  for (let i = 0; i < line - 1; i++) off += lines[i].length + 1;
  return off + column - 1;
}

async function setText(page, text) {
  await page.locator('#template-text').fill(text);
}
const textOf = (page) => page.locator('#template-text').inputValue();

/** A new own template, opened in the editor: its id. */
async function newTemplate(page, stack) {
  await login(page, stack, 'operator');
  await gotoRoute(page, stack, '/report-templates');
  await page.getByRole('heading', { name: 'Шаблоны отчётов' }).waitFor();
  await page.getByRole('button', { name: 'Новый шаблон' }).click();
  await page.waitForURL(/#\/report-templates\/[^/]+$/);
  await page.locator('#template-text').waitFor();
  return decodeURIComponent(/#\/report-templates\/([^/?]+)/.exec(page.url())[1]);
}

test('a bad template shows the line and column the server gives; a click goes there', async () => {
  const { stack, browser } = world;
  const page = await newPage(browser);
  await newTemplate(page, stack);
  await setText(page, BAD);
  const check = await api(stack, 'operator', 'POST', '/api/v1/reports/templates/check', { body: BAD });
  assert.equal(check.status, 422); // docs/api-reports.md: a bad text is 422 with its errors
  assert.equal(check.body.ok, false);
  const e = check.body.errors[0];
  assert.equal(e.line, 9, 'the unknown field T7 is on line 9');
  await page.getByRole('button', { name: 'Проверить' }).click();
  const place = page.locator('.template-problems .problem-place').first();
  await place.waitFor();
  assert.equal(plain(await place.textContent()), `строка ${e.line}, столбец ${e.column}`);
  assert.match(await page.locator('.template-problems li').first().textContent(), /T7/);
  await place.click();
  const at = await page.locator('#template-text').evaluate((ta) => [ta.selectionStart, document.activeElement === ta]);
  assert.deepEqual(at, [offset(BAD, e.line, e.column), true]);
  await screenshot(page, 'reports-editor-error');
  expectNoConsoleErrors(page, { allow: [CHECK_422] });
});

test('the field list inserts a field; the outline and properties rewrite an attribute', async () => {
  const { stack, browser } = world;
  const page = await newPage(browser);
  await newTemplate(page, stack);
  const fields = await api(stack, 'operator', 'GET', '/api/v1/reports/fields?rows=archive');
  assert.equal(fields.status, 200);
  assert.ok(fields.body.fields.includes('T1'), 'T1 is an archive field (docs/report-templates.md)');
  await page.getByRole('heading', { name: 'Список полей' }).waitFor();
  const before = await textOf(page);
  // the cursor right after "<text>" of the report header
  const at = before.indexOf('<text>') + '<text>'.length;
  await page.locator('#template-text').evaluate((ta, at) => {
    ta.focus();
    ta.setSelectionRange(at, at);
    ta.dispatchEvent(new KeyboardEvent('keyup'));
  }, at);
  await page.locator('.field-list').getByRole('button', { name: 'T1', exact: true }).click();
  assert.equal(await textOf(page), before.slice(0, at) + '{T1}' + before.slice(at));

  // the outline: the table's column "Q" (the new template's second column)
  await page.locator('.bands-outline').getByRole('button', { name: 'Столбец: Q', exact: true }).click();
  await page.getByRole('heading', { name: 'Свойства: Столбец <column>' }).waitFor();
  const format = page.locator('.properties-panel').getByLabel('format', { exact: true });
  assert.equal(await format.inputValue(), '0.000');
  await format.fill('0.00');
  assert.match(await textOf(page), /<column title="Q" value="Q" format="0\.00" total="sum"\/>/);
  await checkA11y(page);
  expectNoConsoleErrors(page);
});

test('the live preview shows the year point and changes after an edit; save and a stale save', async () => {
  const { stack, browser } = world;
  const page = await newPage(browser);
  const id = await newTemplate(page, stack);
  await page.getByLabel('Точка учёта', { exact: true }).selectOption(String(stack.points.year));
  const img = page.locator('.template-preview img');
  await img.waitFor({ timeout: 60_000 });
  const digest = () =>
    img.evaluate(async (i) => {
      await i.decode();
      // the pixels (a fetch of the blob: URL is not allowed by the page's
      // connect-src; a canvas reads them)
      const c = document.createElement('canvas');
      c.width = i.naturalWidth;
      c.height = i.naturalHeight;
      const g = c.getContext('2d');
      g.drawImage(i, 0, 0);
      const bytes = g.getImageData(0, 0, c.width, c.height).data;
      const h = await crypto.subtle.digest('SHA-256', bytes);
      return [i.src, i.naturalWidth, Array.from(new Uint8Array(h), (b) => b.toString(16)).join('')];
    });
  const first = await digest();
  assert.ok(first[1] > 0, 'the preview decodes');
  // a line of text more in the report header: another picture
  const text = await textOf(page);
  await setText(page, text.replace('<text>{Point.Title}</text>', '<text>{Point.Title}</text>\n    <text>Вторая строка</text>'));
  await page.waitForFunction((src) => {
    const i = document.querySelector('.template-preview img');
    return i && i.src !== src && i.complete;
  }, first[0], { timeout: 60_000 });
  const second = await digest();
  assert.ok(second[1] > 0);
  assert.notEqual(second[2], first[2], 'the edit changed the picture');
  await screenshot(page, 'reports-editor-preview');

  await page.getByRole('button', { name: 'Сохранить' }).click();
  await page.getByText('Сохранено: версия 2.').waitFor();
  const stored = await api(stack, 'operator', 'GET', `/api/v1/reports/templates/${encodeURIComponent(id)}`);
  assert.equal(stored.body.version, 2);
  assert.match(stored.body.body, /Вторая строка/);
  // someone else saves version 3 meanwhile
  const other = await api(stack, 'admin', 'PUT', `/api/v1/reports/templates/${encodeURIComponent(id)}`,
    { body: stored.body.body.replace('Вторая строка', 'Третья строка'), version: 2 });
  assert.equal(other.status, 200);
  await setText(page, (await textOf(page)).replace('Вторая строка', 'Моя строка'));
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await page.getByText('Шаблон изменил кто-то другой.', { exact: false }).waitFor();
  await page.getByRole('button', { name: 'Загрузить заново' }).click();
  await page.locator('.template-status').filter({ hasText: 'Версия 3' }).waitFor();
  assert.match(await textOf(page), /Третья строка/);
  expectNoConsoleErrors(page, { allow: [/status of 409 \(Conflict\)/] });
});

test('a system template is read only; "Копировать" makes an editable copy', async () => {
  const { stack, browser } = world;
  const list = await api(stack, 'operator', 'GET', '/api/v1/reports/templates');
  assert.equal(list.status, 200);
  const sys = list.body.find((x) => x.system);
  assert.ok(sys, 'a system template');
  const page = await newPage(browser);
  await login(page, stack, 'operator');
  await gotoRoute(page, stack, `/report-templates/${encodeURIComponent(String(sys.id))}`);
  await page.locator('#template-text').waitFor();
  assert.equal(await page.locator('#template-text').evaluate((ta) => ta.readOnly), true);
  assert.equal(await page.getByRole('button', { name: 'Сохранить' }).count(), 0);
  await page.getByText('Системный шаблон только для чтения').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Удалить' }).count(), 0, 'a system template cannot be deleted');
  await page.getByRole('button', { name: 'Копировать' }).click();
  await page.waitForURL((u) => !u.hash.endsWith(`/report-templates/${encodeURIComponent(String(sys.id))}`));
  await page.locator('.template-status .template-mark').filter({ hasText: 'свой' }).waitFor();
  assert.equal(await page.locator('#template-text').evaluate((ta) => ta.readOnly), false);
  const copyId = decodeURIComponent(/#\/report-templates\/([^/?]+)/.exec(page.url())[1]);
  const copy = await api(stack, 'operator', 'GET', `/api/v1/reports/templates/${encodeURIComponent(copyId)}`);
  assert.equal(copy.status, 200);
  assert.equal(copy.body.system, false);
  assert.match(copy.body.body, /\(копия\)/);
  assert.notEqual(String(copy.body.id), String(sys.id));
  await screenshot(page, 'reports-editor-copy');
  expectNoConsoleErrors(page);
});

/** What psql (a client of its own, not lersd) reads from the stack's database. */
function sql(stack, query) {
  return execFileSync('psql', ['-XAtq', '-v', 'ON_ERROR_STOP=1', '-d', stack.db, '-c', query], { encoding: 'utf8' }).trim();
}

test('"Удалить" asks, then deletes an own template with its versions', async () => {
  const { stack, browser } = world;
  const page = await newPage(browser);
  const id = await newTemplate(page, stack);
  const path = `/api/v1/reports/templates/${encodeURIComponent(id)}`;
  // a second version, so that versions go with it
  const stored = await api(stack, 'operator', 'GET', path);
  assert.equal(stored.status, 200);
  const v2 = await api(stack, 'operator', 'PUT', path, { body: stored.body.body.replace('{Point.Title}', '{Point.Title}!'), version: 1 });
  assert.equal(v2.status, 200);
  const quoted = id.replace(/'/g, "''");
  const rowId = sql(stack, `SELECT id FROM report_templates WHERE name = '${quoted}'`);
  assert.match(rowId, /^\d+$/);
  assert.equal(sql(stack, `SELECT count(*) FROM report_template_versions WHERE template_id = ${rowId}`), '2');
  await page.reload();
  await page.locator('.template-status').filter({ hasText: 'Версия 2' }).waitFor();

  // the first press only asks; "no" keeps the template
  await page.getByRole('button', { name: 'Удалить' }).click();
  const question = page.getByRole('alertdialog');
  await question.waitFor();
  assert.equal(plain(await question.locator('p').first().textContent()),
    // the new template's Russian title (web/src/pages/reports/template-list.tsx)
    'Удалить шаблон «Новый отчёт» со всеми его версиями? Это нельзя отменить.');
  await checkA11y(page);
  await screenshot(page, 'reports-editor-delete');
  await question.getByRole('button', { name: 'Нет, вернуться' }).click();
  await question.waitFor({ state: 'detached' });
  assert.equal((await api(stack, 'operator', 'GET', path)).status, 200, '"no" deletes nothing');

  // yes: back to the list, the template gone from it, the API and the database
  await page.getByRole('button', { name: 'Удалить' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Удалить' }).click();
  await page.waitForURL(/#\/report-templates$/);
  await page.getByRole('heading', { name: 'Шаблоны отчётов' }).waitFor();
  await page.locator('.report-templates-table tbody tr').first().waitFor();
  assert.equal(await page.locator(`.report-templates-table a[href$="/report-templates/${encodeURIComponent(id)}"]`).count(), 0);
  assert.equal((await api(stack, 'operator', 'GET', path)).status, 404);
  assert.equal(sql(stack, `SELECT count(*) FROM report_templates WHERE name = '${quoted}'`), '0');
  assert.equal(sql(stack, `SELECT count(*) FROM report_template_versions WHERE template_id = ${rowId}`), '0');
  expectNoConsoleErrors(page);
});
