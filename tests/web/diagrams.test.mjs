// SPDX-License-Identifier: LGPL-2.1-or-later
// Mnemonic diagrams (#/diagrams) as people meet them: an operator draws one
// for the seeded node on a blank canvas with a label bound to the live
// point's T_in, saves it and reopens it: the label shows the current value
// in Russian with its unit; a record stored afterwards (psql) changes the
// label without a reload; an uploaded SVG with a <script> and an onload
// is stored without them and nothing runs; a subscriber sees its node's
// diagram read-only and "not found" for another node's; phone size,
// English, axe, screenshots.
//
// What stack.py seeds (tests/web/stack.py seed_archive) as the newest
// current record of the live point (node a, "Жилой дом №1",
// Yekaterinburg): T_in 71.5 degC. With 1 decimal, Russian: "71,5 °C"
// (decimal comma; °C as written). The test stores T_in 75.5 (parameter
// 1 = T_in, as in tests/web/current.test.mjs): "75,5 °C", in English
// "75.5 °C".
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import {
  api,
  checkA11y,
  expectNoConsoleErrors,
  login,
  newPage,
  noHorizontalScroll,
  openBrowser,
  screenshot,
  startStack,
} from './harness.mjs';

let stack;
let browser;
let diagramId;

// A diagram another user cannot see answers 404 (Chromium logs it).
const NOT_FOUND = /status of 404 \(Not Found\) \(https?:\/\/[^/]+\/api\/v1\/diagrams\/\d+:/;

function psql(sql) {
  return execFileSync('psql', ['-XAtq', '-v', 'ON_ERROR_STOP=1', '-d', stack.db, '-c', sql], {
    encoding: 'utf8',
  }).trim();
}

/** The archive's packed record: parameter byte, flags byte, LE float8 each. */
function pack(values) {
  const b = Buffer.alloc(values.length * 10);
  values.forEach(([param, value, flags = 0], i) => {
    b.writeUInt8(param, i * 10);
    b.writeUInt8(flags, i * 10 + 1);
    b.writeDoubleLE(value, i * 10 + 2);
  });
  return b.toString('hex');
}

const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();
const label = (page) => page.locator('.diagram-overlay .d-label .d-value').first();

async function labelText(page) {
  return plain(await label(page).textContent());
}

describe('mnemonic diagrams', () => {
  before(async () => {
    stack = await startStack();
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('an operator draws a diagram with a live label; it updates without reload', async () => {
    const live = stack.points.live;
    // what the API says the label must show
    const cur = await api(stack, 'operator', 'GET', `/api/v1/current?point=${live}`);
    assert.equal(cur.status, 200);
    const tIn = cur.body.items[0].values.find((v) => v.parameter === 'T_in');
    assert.deepEqual([tIn.value, tIn.unit], [71.5, 'degC']);

    const page = await newPage(browser);
    await login(page, stack, 'operator');
    await page.goto(`${stack.url}#/diagrams`);
    await page.getByText('Мнемосхем пока нет.').waitFor();
    await page.getByRole('link', { name: 'Новая мнемосхема' }).click();
    await page.getByRole('heading', { name: 'Новая мнемосхема' }).waitFor();
    await page.getByLabel('Наименование').fill('ИТП дома №1');
    await page.getByLabel('Относится к').selectOption({ label: 'Жилой дом №1' });
    await page.getByLabel('Ширина', { exact: true }).fill('400');
    await page.getByLabel('Ширина', { exact: true }).dispatchEvent('change');
    await page.getByLabel('Высота', { exact: true }).fill('200');
    await page.getByLabel('Высота', { exact: true }).dispatchEvent('change');
    await checkA11y(page);
    await page.getByRole('button', { name: 'Значение' }).click();
    // the middle of the canvas: (200, 100) in the drawing's coordinates
    const box = await page.locator('.diagram-overlay').boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByLabel('Точка учёта').selectOption(String(live));
    await page.locator('#p-parameter option[value="T_in"]').waitFor({ state: 'attached' });
    await page.getByLabel('Параметр').selectOption('T_in');
    await page.getByText('Есть несохранённые изменения.').waitFor();
    // arrows move the selected element: 3 right, 1 up
    await page.locator('.diagram-overlay').focus();
    for (const k of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowUp']) await page.keyboard.press(k);
    assert.equal(await page.getByLabel('X', { exact: true }).inputValue(), '203');
    assert.equal(await page.getByLabel('Y', { exact: true }).inputValue(), '99');
    await screenshot(page, 'diagrams-editor');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Сохранено.').waitFor();
    diagramId = Number(/#\/diagrams\/(\d+)\/edit/.exec(page.url())?.[1]);
    assert.ok(diagramId > 0, page.url());

    // what the server stored
    const stored = await api(stack, 'operator', 'GET', `/api/v1/diagrams/${diagramId}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.title, 'ИТП дома №1');
    assert.equal(stored.body.node_id, stack.nodes.a);
    assert.deepEqual([stored.body.width, stored.body.height, stored.body.svg], [400, 200, null]);
    assert.equal(stored.body.elements.length, 1);
    const el = stored.body.elements[0];
    assert.deepEqual([el.kind, el.point_id, el.parameter, el.x, el.y, el.digits], ['label', live, 'T_in', 203, 99, 1]);

    // reopen: the viewer, in the list first
    await page.goto(`${stack.url}#/diagrams`);
    const row = page.locator(`tr.diagram-${diagramId}`);
    await row.waitFor();
    assert.match(plain(await row.textContent()), /ИТП дома №1\s*Жилой дом №1.*operator/);
    await row.getByRole('link', { name: 'ИТП дома №1' }).click();
    await page.getByRole('heading', { name: 'ИТП дома №1' }).waitFor();
    await page.waitForFunction(() => /\d/.test(document.querySelector('.d-label .d-value')?.textContent ?? ''));
    assert.equal(await labelText(page), '71,5 °C');
    // the label links to its point
    assert.equal(await page.locator('.diagram-overlay a').first().getAttribute('href'), `#/points/${live}`);
    assert.ok(await page.getByRole('link', { name: 'Редактировать' }).isVisible());

    // a record stored now: the label changes without a reload
    await page.evaluate(() => {
      window.__sameDocument = true;
    });
    psql(`INSERT INTO archive (point_id, kind, ts, data)
            VALUES (${live}, 0, date_trunc('second', now()), '\\x${pack([[1, 75.5], [2, 47.5]])}'::bytea)`);
    const after = await api(stack, 'operator', 'GET', `/api/v1/current?point=${live}`);
    assert.equal(after.body.items[0].values.find((v) => v.parameter === 'T_in').value, 75.5);
    await page.waitForFunction(
      () => (document.querySelector('.d-label .d-value')?.textContent ?? '').replace(/[\u00a0\u202f]/g, ' ') === '75,5 °C',
      null,
      { timeout: 15_000 },
    );
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
    // a fresh record: its point's state colours it, not the stale grey
    assert.equal(await page.locator('.d-label.d-stale').count(), 0);
    await checkA11y(page);
    await screenshot(page, 'diagrams-viewer');
    expectNoConsoleErrors(page);
    await page.close();
  });

  test('an uploaded SVG loses its script and onload; nothing runs', async () => {
    assert.ok(diagramId, 'the first test made the diagram');
    const page = await newPage(browser);
    const dialogs = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      d.dismiss().catch(() => {});
    });
    await login(page, stack, 'operator');
    await page.goto(`${stack.url}#/diagrams/${diagramId}/edit`);
    await page.getByRole('heading', { name: 'Редактирование: ИТП дома №1' }).waitFor();
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300" onload="alert(1)">' +
      '<script>alert(2)</script>' +
      '<rect x="10" y="10" width="580" height="280" fill="#dbeafe" stroke="#1d4f7c"/>' +
      '<text x="20" y="40" font-size="20">Тепловой пункт</text></svg>';
    await page.getByLabel('Чертёж (файл SVG)').setInputFiles({ name: 'itp.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(svg) });
    // the file is read asynchronously: the canvas takes its size (600 × 300)
    await page.waitForFunction(() => document.querySelector('#d-width')?.value === '600');
    assert.equal(await page.getByLabel('Высота', { exact: true }).inputValue(), '300');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Сохранено.').waitFor();
    const stored = await api(stack, 'operator', 'GET', `/api/v1/diagrams/${diagramId}`);
    assert.equal(stored.status, 200);
    assert.ok(stored.body.svg.includes('Тепловой пункт'), stored.body.svg);
    assert.doesNotMatch(stored.body.svg, /script/i);
    assert.doesNotMatch(stored.body.svg, /onload/i);
    assert.deepEqual([stored.body.width, stored.body.height], [600, 300]);
    assert.equal(stored.body.elements.length, 1, 'the label stays');

    // the viewer shows it as an image
    await page.goto(`${stack.url}#/diagrams/${diagramId}`);
    await page.locator('img.diagram-image').waitFor();
    assert.match(await page.locator('img.diagram-image').getAttribute('src'), /^data:image\/svg\+xml/);
    await page.waitForFunction(() => /\d/.test(document.querySelector('.d-label .d-value')?.textContent ?? ''));
    await screenshot(page, 'diagrams-viewer-svg');

    // a drawing the server refuses (it declares an entity): its message
    // beside the upload field, nothing stored
    await page.goto(`${stack.url}#/diagrams/${diagramId}/edit`);
    await page.getByRole('heading', { name: 'Редактирование: ИТП дома №1' }).waitFor();
    const bad = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "x">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&a;</text></svg>';
    await page.getByLabel('Чертёж (файл SVG)').setInputFiles({ name: 'bad.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Сохранить' }).click();
    const fieldError = page.locator('.field.has-error').filter({ has: page.getByLabel('Чертёж (файл SVG)') }).locator('.field-error');
    await fieldError.waitFor();
    assert.ok(plain(await fieldError.textContent()).length > 0);
    const unchanged = await api(stack, 'operator', 'GET', `/api/v1/diagrams/${diagramId}`);
    assert.equal(unchanged.body.svg, stored.body.svg);
    assert.deepEqual(dialogs, [], 'no dialog opened');
    expectNoConsoleErrors(page, { allow: [/status of 400 \(Bad Request\)/] });
    await page.close();
  });

  test('a subscriber sees its node\'s diagram read-only, not another node\'s; phone', async () => {
    assert.ok(diagramId, 'the first test made the diagram');
    const other = await api(stack, 'operator', 'POST', '/api/v1/diagrams', {
      title: 'Дом №2',
      node_id: stack.nodes.b,
      width: 100,
      height: 100,
      elements: [],
    });
    assert.equal(other.status, 201);
    const page = await newPage(browser, { viewport: 'phone' });
    await login(page, stack, 'sub1');
    await page.goto(`${stack.url}#/diagrams`);
    await page.locator(`tr.diagram-${diagramId}`).waitFor();
    assert.equal(await page.locator('tr.diagram-row').count(), 1, 'only its node\'s diagram');
    assert.equal(await page.getByRole('link', { name: 'Новая мнемосхема' }).count(), 0);
    await noHorizontalScroll(page);
    await checkA11y(page);
    await screenshot(page, 'diagrams-list-phone');
    await page.getByRole('link', { name: 'ИТП дома №1' }).click();
    await page.waitForFunction(() => /\d/.test(document.querySelector('.d-label .d-value')?.textContent ?? ''));
    assert.equal(await labelText(page), '75,5 °C');
    assert.equal(await page.getByRole('link', { name: 'Редактировать' }).count(), 0, 'no edit link');
    // scaled to the phone's width
    const box = await page.locator('.diagram-canvas').boundingBox();
    assert.ok(box.width <= 390, `canvas ${box.width} px wide`);
    await noHorizontalScroll(page);
    await checkA11y(page);
    await screenshot(page, 'diagrams-viewer-phone');

    await page.goto(`${stack.url}#/diagrams/${other.body.id}`);
    await page.getByText('Не найдено, или у вас нет к этому доступа.').waitFor();
    // nor the editor, even by its address
    await page.goto(`${stack.url}#/diagrams/new`);
    await page.getByRole('heading', { name: 'Нет доступа' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Сохранить' }).count(), 0);
    await page.goto(`${stack.url}#/diagrams/${diagramId}/edit`);
    await page.getByRole('heading', { name: 'Нет доступа' }).waitFor();
    expectNoConsoleErrors(page, { allow: [NOT_FOUND] });
    await page.close();
  });

  test('in English', async () => {
    assert.ok(diagramId, 'the first test made the diagram');
    const page = await newPage(browser, { lang: 'en' });
    await login(page, stack, 'operator');
    await page.getByRole('button', { name: 'English' }).click();
    await page.goto(`${stack.url}#/diagrams/${diagramId}`);
    await page.getByRole('link', { name: 'Edit' }).waitFor();
    await page.waitForFunction(() => /\d/.test(document.querySelector('.d-label .d-value')?.textContent ?? ''));
    assert.equal(await labelText(page), '75.5 °C');
    assert.match(plain(await page.locator('.diagram-meta').textContent()), /^Updated .* by operator/);
    await checkA11y(page);
    await screenshot(page, 'diagrams-viewer-en');
    expectNoConsoleErrors(page);
    await page.close();
  });
});
