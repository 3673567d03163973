// SPDX-License-Identifier: LGPL-2.1-or-later
// The Reports page (#/reports) as people meet it: the system templates of
// data/templates/*.xml are listed with their Russian titles and the
// "системный" mark; the preview of the year point shows page 1 as an image
// the browser decoded; "Скачать" gives a PDF whose text (pdftotext, a
// third-party reader) holds the point's title "Отопление"; a node group
// makes the document register: a job whose progress reaches "выполнено",
// 6 из 6, and a zip with one file a point; a subscriber makes reports but
// has no template editor. In English (the browser's locale and the app's
// stored language, as tests/web/lists.test.mjs selects it) the page shows
// English labels, the templates' English titles and a preview; every
// message of the Reports pages has its Russian translation.
//
// Expected values from outside the page: the titles from the template
// files (their <title ru=… en=…>), the point titles and the group from
// docs/web-testing.md ("Жилой фонд" = nodes a and b: "Тепловой ввод 1…4"
// and "Отопление", "ГВС", 6 points), the PDF's text from pdftotext, the
// zip's entries from unzip.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  api,
  checkA11y,
  expectNoConsoleErrors,
  gotoRoute,
  login,
  newPage,
  screenshot,
  sourceRoot,
  useStack,
} from './harness.mjs';

const world = useStack();
const work = mkdtempSync(path.join(tmpdir(), 'lers-web-reports-'));
after(() => rmSync(work, { recursive: true, force: true }));

const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();

/** The system templates as their files say: id, Russian title, kinds. */
function systemTemplates() {
  const dir = path.join(sourceRoot, 'data', 'templates');
  const out = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.xml')).sort()) {
    const text = readFileSync(path.join(dir, f), 'utf8');
    const root = /<report\b[^>]*>/.exec(text)[0];
    const title = /<title\b[^>]*\bru="([^"]*)"/.exec(text);
    const titleEn = /<title\b[^>]*\ben="([^"]*)"/.exec(text);
    const unescape = (x) => x.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&amp;/g, '&');
    const kinds = /<parameters\b[^>]*\bkinds="([^"]*)"/.exec(text);
    out.push({
      file: f,
      id: /\bid="([^"]*)"/.exec(root)[1],
      source: /\bsource="([^"]*)"/.exec(root)?.[1] ?? 'point',
      title: title ? unescape(title[1]) : null,
      titleEn: titleEn ? unescape(titleEn[1]) : null,
      kinds: kinds ? kinds[1].split(/\s+/) : [],
    });
  }
  assert.ok(out.length > 0, `no templates in ${dir}`);
  return out;
}

/** The heat statement (a per-point template over the daily archive). */
function heatStatement() {
  const all = systemTemplates();
  const t = all.find((x) => /heat/.test(x.id) && x.source === 'point' && x.kinds.includes('day')) ??
    all.find((x) => x.source === 'point' && x.kinds.includes('day'));
  assert.ok(t, 'a system template per point over daily records');
  return t;
}

/** The template's radio on the page, by its Russian title. */
async function chooseTemplate(page, title) {
  const item = page.locator('.report-templates li').filter({ hasText: title }).first();
  await item.getByRole('radio').check();
}

test('the Reports page lists the system templates with their mark', async () => {
  const { stack, browser } = world;
  const page = await newPage(browser);
  await login(page, stack, 'operator');
  await gotoRoute(page, stack, '/reports');
  await page.getByRole('heading', { name: 'Отчёты' }).waitFor();
  await page.locator('.report-templates li').first().waitFor();
  for (const t of systemTemplates()) {
    const item = page.locator('.report-templates li').filter({ hasText: t.title });
    assert.equal(await item.count(), 1, `the template ${t.file} (${t.title}) is listed once`);
    assert.equal(plain(await item.locator('.template-mark').textContent()), 'системный', t.file);
  }
  // the menu leads here
  assert.equal(await page.getByRole('link', { name: 'Отчёты' }).getAttribute('aria-current'), 'page');
  // operators reach the editor from here
  await page.getByRole('link', { name: 'Редактор шаблонов' }).waitFor();
  await checkA11y(page);
  expectNoConsoleErrors(page);
  await screenshot(page, 'reports-list');
});

test('preview of page 1 and a PDF of the year point with its title', async () => {
  const { stack, browser } = world;
  const tpl = heatStatement();
  const page = await newPage(browser);
  await login(page, stack, 'operator');
  await gotoRoute(page, stack, '/reports');
  await page.locator('.report-templates li').first().waitFor();
  await chooseTemplate(page, tpl.title);
  await page.getByLabel('Точки учёта', { exact: true }).selectOption(String(stack.points.year));
  await page.getByRole('button', { name: 'Предпросмотр' }).click();
  const img = page.locator('.report-preview img');
  await img.waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('.report-preview img')?.complete, null, { timeout: 30_000 });
  const size = await img.evaluate((i) => [i.naturalWidth, i.naturalHeight]);
  assert.ok(size[0] > 0 && size[1] > 0, `the preview decodes: ${size}`);
  await screenshot(page, 'reports-preview');

  assert.equal(await page.getByLabel('Формат').inputValue(), 'pdf');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.getByRole('button', { name: 'Скачать', exact: true }).click(),
  ]);
  const file = path.join(work, 'one.pdf');
  await download.saveAs(file);
  assert.equal(readFileSync(file).subarray(0, 5).toString('latin1'), '%PDF-');
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  assert.match(text, /Отопление/, 'the point title (docs/web-testing.md: node b, "Отопление")');
  expectNoConsoleErrors(page);
});

test('a node group makes the document register: progress, then a zip a point', async () => {
  const { stack, browser } = world;
  const tpl = heatStatement();
  const page = await newPage(browser);
  await login(page, stack, 'operator');
  await gotoRoute(page, stack, '/reports');
  await page.locator('.report-templates li').first().waitFor();
  await chooseTemplate(page, tpl.title);
  await page.getByRole('radio', { name: 'По группе объектов' }).check();
  await page.getByLabel('Группа объектов', { exact: true }).selectOption({ label: 'Жилой фонд' });
  await page.getByRole('button', { name: 'Сформировать реестр документов' }).click();
  // 6 points in the group (nodes a and b): the job ends with 6 of 6
  await page.locator('.report-job-state').filter({ hasText: 'выполнено' }).waitFor({ timeout: 120_000 });
  assert.equal(plain(await page.locator('.report-job-state').textContent()), 'выполнено: 6 из 6 документов');
  assert.equal(await page.locator('.report-job progress').getAttribute('value'), '6');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.getByRole('button', { name: 'Скачать архив (zip)' }).click(),
  ]);
  const file = path.join(work, 'register.zip');
  await download.saveAs(file);
  const names = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
  assert.equal(names.length, 6, `one file a point: ${names.join(', ')}`);
  for (const n of names) assert.match(n, /\.pdf$/);
  await screenshot(page, 'reports-register');
  expectNoConsoleErrors(page);
});

test('a subscriber makes reports but cannot open the template editor', async () => {
  const { stack, browser } = world;
  const page = await newPage(browser);
  await login(page, stack, 'sub1');
  await gotoRoute(page, stack, '/reports');
  await page.locator('.report-templates li').first().waitFor();
  assert.equal(await page.getByRole('link', { name: 'Редактор шаблонов' }).count(), 0);
  // sub1 sees the points of node a only: "Тепловой ввод 1…4"
  const options = await page.getByLabel('Точки учёта', { exact: true }).locator('option').allTextContents();
  assert.deepEqual(options.map((o) => plain(o).split(' — ')[0]).sort(),
    ['Тепловой ввод 1', 'Тепловой ввод 2', 'Тепловой ввод 3', 'Тепловой ввод 4']);
  await gotoRoute(page, stack, '/report-templates');
  await page.getByRole('heading', { name: 'Нет доступа' }).waitFor();
  await gotoRoute(page, stack, `/report-templates/${encodeURIComponent(heatStatement().id)}`);
  await page.getByRole('heading', { name: 'Нет доступа' }).waitFor();
  assert.equal(await page.locator('#template-text').count(), 0);
  // nor can the API be asked to store one (a good text: the refusal is
  // about who asks, docs/api-reports.md)
  const text = readFileSync(path.join(sourceRoot, 'data', 'templates', heatStatement().file), 'utf8')
    .replace(/(<report\b[^>]*\bid=")[^"]*"/, '$1web-test-subscriber"');
  const r = await api(stack, 'sub1', 'POST', '/api/v1/reports/templates', { body: text });
  assert.equal(r.status, 403);
  expectNoConsoleErrors(page);
});

test('in English: English labels, the English titles of the templates and a preview', async () => {
  const { stack, browser } = world;
  const tpl = heatStatement();
  assert.equal(tpl.titleEn, 'Heat consumption parameter statement (daily)', 'data/templates/heat-statement-daily.xml');
  const page = await newPage(browser, { lang: 'en' });
  await login(page, stack, 'operator');
  await page.evaluate(() => localStorage.setItem('lers.language', 'en'));
  await gotoRoute(page, stack, '/reports');
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
  await page.locator('.report-templates li').first().waitFor();
  for (const t of systemTemplates()) {
    assert.ok(t.titleEn, `${t.file} has an English title`);
    const item = page.locator('.report-templates li').filter({ hasText: t.titleEn });
    assert.equal(await item.count(), 1, `the template ${t.file} (${t.titleEn}) is listed once`);
    assert.equal(plain(await item.locator('.template-mark').textContent()), 'system template', t.file);
  }
  // the words of the form (web/src/pages/reports.tsx, English is the source)
  for (const legend of ['Template', 'Objects'])
    assert.equal(await page.locator('legend').filter({ hasText: new RegExp(`^${legend}$`) }).count(), 1, legend);
  for (const label of ['Measure points', 'Archive', 'Language', 'Format'])
    assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, label);
  await page.getByRole('radio', { name: 'By measure points' }).waitFor();
  await page.getByRole('link', { name: 'Template editor' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Reports' }).getAttribute('aria-current'), 'page');
  // nothing of the page's own words in Russian: the Cyrillic left is data
  // (point titles in the list of points)
  const chrome = await page.locator('main').evaluate((m) => {
    const c = m.cloneNode(true);
    c.querySelectorAll('option').forEach((o) => o.remove());
    return c.textContent;
  });
  assert.doesNotMatch(chrome, /[А-Яа-яЁё]/, 'no Russian words on the English page');

  await chooseTemplate(page, tpl.titleEn);
  await page.getByLabel('Measure points', { exact: true }).selectOption(String(stack.points.year));
  await page.getByRole('button', { name: 'Preview' }).click();
  const img = page.locator('.report-preview img');
  await img.waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('.report-preview img')?.complete, null, { timeout: 30_000 });
  const size = await img.evaluate((i) => [i.naturalWidth, i.naturalHeight]);
  assert.ok(size[0] > 0 && size[1] > 0, `the preview decodes: ${size}`);
  assert.equal(await img.getAttribute('alt'), 'Page 1 of the report');
  await page.getByRole('button', { name: 'Download', exact: true }).waitFor();
  await checkA11y(page);
  await screenshot(page, 'reports-preview-en');
  expectNoConsoleErrors(page);
});

test('the Russian catalogue holds every message of the Reports pages', () => {
  // the messages: t('…') or t("…") with a literal first argument (the
  // literal is the English text and the key, web/src/i18n.ts)
  const web = path.join(sourceRoot, 'web', 'src');
  const pages = path.join(web, 'pages');
  const files = [
    ...readdirSync(pages).filter((f) => /^report.*\.tsx?$/.test(f)).map((f) => path.join(pages, f)),
    ...readdirSync(path.join(pages, 'reports')).filter((f) => /\.tsx?$/.test(f)).map((f) => path.join(pages, 'reports', f)),
  ];
  assert.ok(files.length >= 3, files.join(', '));
  const catalogue = {};
  const localeDir = path.join(web, 'locale', 'ru');
  for (const f of readdirSync(localeDir).filter((n) => n.endsWith('.json')))
    Object.assign(catalogue, JSON.parse(readFileSync(path.join(localeDir, f), 'utf8')));
  const re = /\bt\(\s*(['"])((?:\\.|(?!\1)[^\\\n])*)\1/g;
  const missing = [];
  let count = 0;
  for (const f of files) {
    const source = readFileSync(f, 'utf8');
    for (let m; (m = re.exec(source)) !== null; ) {
      const msg = m[2].replace(/\\(['"\\])/g, '$1');
      count++;
      if (typeof catalogue[msg] !== 'string' || catalogue[msg] === '' || !/[А-Яа-яЁё]/.test(catalogue[msg]))
        missing.push(`${path.basename(f)}: ${msg}`);
    }
  }
  assert.ok(count > 50, `the pages' messages were found (${count})`);
  assert.deepEqual(missing, [], 'messages without a Russian translation');
});
