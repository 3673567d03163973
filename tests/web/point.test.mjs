// SPDX-License-Identifier: LGPL-2.1-or-later
// The point page as people use it: the year point's hour table shows the
// values of docs/web-testing.md ("The year point") at the node's Moscow
// wall-clock time (the browser is in UTC, lersd in Yekaterinburg), a year
// of hours scrolls as a virtual table, the chart draws the chosen
// parameters, CSV and XLSX exports hold the API's rows, an operator's
// "read now" of the live point ends "done" with a new row, a viewer has no
// "read now", a subscriber cannot open another subscriber's point; phone
// size, English once, axe, screenshots.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
let work;

// Moscow has kept UTC+3 all year since 2014: its wall clock is UTC + 3 h.
const MSK = 3 * 3600 * 1000;
const pad = (n) => String(n).padStart(2, '0');
/** The Moscow wall-clock parts of an instant. */
function moscow(ms) {
  const d = new Date(ms + MSK);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), min: d.getUTCMinutes() };
}
/** A Moscow local day as the API's from/to ("2026-11-28T00:00"), @days after @ms's day. */
function moscowDay(ms, days = 0) {
  const p = moscow(ms);
  const d = new Date(Date.UTC(p.y, p.m - 1, p.d + days));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T00:00`;
}
/** A decimal in Russian: a comma for the point ("2,625"). */
const ru = (v) => String(v).replace('.', ',');

/**
 * The seeded hourly values at Moscow local hour @h of the local day @day
 * (docs/web-testing.md): d counts days from the Moscow day of hour_from.
 */
function seeded(day, h) {
  const first = Date.parse(moscowDay(Date.parse(stack.archive.hour_from)) + ':00Z');
  const d = Math.round((Date.parse(day + ':00Z') - first) / 86400000);
  const tIn = 70 + 0.5 * (h % 12);
  const tOut = 45 + 0.25 * (h % 12);
  const mIn = 2.5 + 0.125 * (d % 8);
  return { tIn, tOut, tDelta: tIn - tOut, mIn, mOut: mIn - 0.125, qIn: 0.0625 * (1 + (d % 4)) };
}

async function openPoint(page, id, q = '') {
  await page.goto(`${stack.url}#/points/${id}${q ? '?' + q : ''}`);
  await page.locator('.point-properties, main .error').first().waitFor();
}

/** The value cells of the table row whose first cell (time) is @time. */
async function rowCells(page, time) {
  const row = page.locator('.point-table tbody tr', { has: page.locator(`td:first-child:text-is("${time}")`) });
  await row.waitFor();
  return (await row.locator('td').allInnerTexts()).slice(1);
}

/** The column headers as read (without the sort mark). */
async function headers(page) {
  await page.locator('.point-table thead th').first().waitFor();
  const texts = await page.locator('.point-table thead th').allInnerTexts();
  return texts.map((s) => s.replace(/[\s▲▼]+$/, ''));
}

/** The number of rows the table's summary counts. */
async function summaryCount(page) {
  const text = await page.locator('.point-table .dt-summary').innerText();
  return Number(text.replace(/[^\d]/g, ''));
}

describe('the point page', () => {
  before(async () => {
    stack = await startStack();
    browser = await openBrowser();
    work = mkdtempSync(path.join(tmpdir(), 'lers-point-test-'));
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the hour table shows the seeded values at Moscow wall-clock time', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'admin');
    // two days before today in Moscow: every hour of it is seeded
    const now = Date.now();
    const from = moscowDay(now, -2);
    const to = moscowDay(now, -1);
    await openPoint(page, stack.points.year, `kind=hour&from=${from}&to=${to}`);
    assert.equal(await page.locator('#page-title').innerText(), 'Отопление');
    await page.getByRole('link', { name: 'Жилой дом №2' }).waitFor();
    assert.match(await page.locator('.point-properties').innerText(), /Europe\/Moscow/);
    // headers: parameter with its unit, in Russian
    assert.deepEqual(await headers(page), ['Время', 'T_in, °C', 'T_out, °C', 'T_delta, К', 'M_in, т', 'M_out, т', 'Q_in, Гкал']);
    // 14:00 Moscow on that day (11:00 UTC; 16:00 in the server's zone)
    const [y, m, d] = from.slice(0, 10).split('-');
    const v = seeded(from, 14);
    // by hand: h = 14, h mod 12 = 2: T_in 71 °C (column of halves: "71,0"),
    // T_out 45.5 (quarters: "45,50"), T_delta 25.5 K ("25,50", calculated)
    assert.equal(v.tIn, 71);
    assert.equal(v.tOut, 45.5);
    const cells = await rowCells(page, `${d}.${m}.${y}, 14:00`);
    assert.equal(cells[0], '71,0');
    assert.equal(cells[1], '45,50');
    assert.equal(cells[2], '25,50*');
    assert.equal(cells[3], ru(v.mIn));
    assert.equal(cells[4], ru(v.mOut));
    assert.equal(cells[5], ru(v.qIn));
    const flagged = page.locator('.point-table .pt-flagged').first();
    assert.equal(await flagged.getAttribute('title'), 'Признаки: расчётное');
    // 24 hours of that day
    assert.equal(await page.locator('.point-table .dt-summary').innerText(), 'Строк: 24');
    await checkA11y(page);
    await screenshot(page, 'point-hour-table');
    expectNoConsoleErrors(page);
    await page.close();
  });

  test('a year of hours is a virtual table that scrolls to the last hour', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'admin');
    await openPoint(page, stack.points.year, 'kind=hour');
    await page.getByLabel('Период').selectOption({ label: 'Год' });
    await page.waitForFunction(() => /Строк: [\d\s\u00a0]{5,}/.test(document.querySelector('.point-table .dt-summary')?.textContent ?? ''));
    const url = new URL(page.url().replace('#', ''));
    const from = url.searchParams.get('from');
    const to = url.searchParams.get('to');
    const r = await api(stack, 'admin', 'GET', `/api/v1/points/${stack.points.year}/archive?kind=hour&from=${from}&to=${to}`);
    assert.equal(r.status, 200);
    const n = r.body.records.length;
    assert.ok(n > 8000, `a year of hours: ${n}`);
    assert.equal(await summaryCount(page), n);
    // only the rows in view are in the DOM
    const rows = await page.locator('.point-table tbody tr:not(.dt-spacer)').count();
    assert.ok(rows < 100, `${rows} rows in the DOM`);
    // the last record at the bottom
    await page.locator('.point-table .dt-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    const last = moscow(Date.parse(r.body.records[n - 1].timestamp));
    await rowCells(page, `${pad(last.d)}.${pad(last.m)}.${last.y}, ${pad(last.h)}:00`);
    expectNoConsoleErrors(page);
    await page.close();
  });

  test('the chart draws the chosen parameters in the node zone', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'admin');
    const now = Date.now();
    await openPoint(page, stack.points.year, `kind=hour&from=${moscowDay(now, -3)}&to=${moscowDay(now, -1)}`);
    await page.getByRole('button', { name: 'График' }).click();
    await page.locator('.chart canvas').waitFor();
    const legend = await page.locator('.chart .u-legend').innerText();
    for (const name of ['T_in, °C', 'T_out, °C', 'T_delta, К']) assert.ok(legend.includes(name), `${name} in ${legend}`);
    assert.ok(!legend.includes('Q_in'), legend);
    await page.getByRole('checkbox', { name: 'Q_in, Гкал' }).check();
    await page.locator('.chart .u-legend', { hasText: 'Q_in, Гкал' }).waitFor();
    // a unit a y axis: °C, К and Гкал
    const box = await page.locator('.chart canvas').boundingBox();
    assert.ok(box.width > 600 && box.height > 100, JSON.stringify(box));
    // the canvas has lines drawn on it (not a blank one)
    const painted = await page.locator('.chart canvas').evaluate((c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
    assert.ok(painted > 1000, `${painted} painted pixels`);
    assert.ok(page.url().includes('view=chart'));
    await checkA11y(page);
    await screenshot(page, 'point-chart');
    expectNoConsoleErrors(page);
    await page.close();
  });

  test('CSV and XLSX exports hold the API rows', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'admin');
    const now = Date.now();
    const from = moscowDay(now, -2);
    const to = moscowDay(now, -1);
    await openPoint(page, stack.points.year, `kind=hour&from=${from}&to=${to}`);
    await page.locator('.point-table tbody tr').first().waitFor();
    const r = await api(stack, 'admin', 'GET', `/api/v1/points/${stack.points.year}/archive?kind=hour&from=${from}&to=${to}`);
    assert.equal(r.body.records.length, 24);
    const names = ['T_in', 'T_out', 'T_delta', 'M_in', 'M_out', 'Q_in'];
    const value = (rec, name) => rec.values.find((v) => v.parameter === name)?.value;

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Выгрузить CSV' }).click()]);
    assert.equal(csvDownload.suggestedFilename(), `точка_${stack.points.year}_Отопление_hour_${from.slice(0, 10)}_${to.slice(0, 10)}.csv`);
    const csvPath = path.join(work, 'a.csv');
    await csvDownload.saveAs(csvPath);
    const bytes = readFileSync(csvPath);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
    const lines = bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'Время, Europe/Moscow;T_in, °C;T_out, °C;T_delta, К;M_in, т;M_out, т;Q_in, Гкал');
    assert.equal(lines.length, 25);
    r.body.records.forEach((rec, i) => {
      const p = moscow(Date.parse(rec.timestamp));
      const expected = [`${pad(p.d)}.${pad(p.m)}.${p.y} ${pad(p.h)}:${pad(p.min)}`, ...names.map((n) => ru(value(rec, n)))];
      assert.deepEqual(lines[i + 1].split(';'), expected, `row ${i + 1}`);
    });

    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Выгрузить XLSX' }).click()]);
    assert.match(xlsxDownload.suggestedFilename(), /\.xlsx$/);
    const xlsxPath = path.join(work, 'a.xlsx');
    await xlsxDownload.saveAs(xlsxPath);
    const read = execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        `import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
rows = []
for row in ws.iter_rows():
    rows.append([[c.value.isoformat() if hasattr(c.value, 'isoformat') else c.value, c.data_type, c.number_format, c.is_date] for c in row])
print(json.dumps(rows))`,
        xlsxPath,
      ],
      { encoding: 'utf8' },
    );
    const sheet = JSON.parse(read);
    assert.deepEqual(
      sheet[0].map((c) => c[0]),
      ['Время, Europe/Moscow', 'T_in, °C', 'T_out, °C', 'T_delta, К', 'M_in, т', 'M_out, т', 'Q_in, Гкал'],
    );
    assert.equal(sheet.length, 25);
    r.body.records.forEach((rec, i) => {
      const row = sheet[i + 1];
      const p = moscow(Date.parse(rec.timestamp));
      // the time: a date cell of the Moscow wall clock
      assert.equal(row[0][0], `${p.y}-${pad(p.m)}-${pad(p.d)}T${pad(p.h)}:${pad(p.min)}:00`);
      assert.equal(row[0][3], true, 'a date cell');
      names.forEach((n, k) => {
        assert.equal(row[k + 1][0], value(rec, n), `${n} of row ${i + 1}`);
        assert.equal(row[k + 1][1], 'n', 'a numeric cell');
        assert.notEqual(row[k + 1][2], 'General');
      });
    });
    // T_in's column: halves, one decimal
    assert.equal(sheet[1][1][2], '#,##0.0');

    // what is shown: sorted by T_in, highest first, the export follows
    const tIn = page.locator('.point-table thead th button', { hasText: 'T_in' });
    await tIn.click();
    await tIn.click();
    await page.locator('.point-table thead th[aria-sort="descending"]', { hasText: 'T_in' }).waitFor();
    const [sorted] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Выгрузить CSV' }).click()]);
    const sortedPath = path.join(work, 'sorted.csv');
    await sorted.saveAs(sortedPath);
    const sortedLines = readFileSync(sortedPath, 'utf8').slice(1).split('\r\n').filter(Boolean);
    // the highest T_in of a day: h mod 12 = 11, 70 + 5.5 = 75.5 °C (at 11:00 and 23:00)
    assert.deepEqual(sortedLines.slice(1, 3).map((l) => l.split(';')[1]), ['75,5', '75,5']);
    assert.equal(sortedLines.at(-1).split(';')[1], '70');
    expectNoConsoleErrors(page);
    await page.close();
  });

  test('an operator reads the live point now and sees it done with a new row', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'operator');
    const id = stack.points.live;
    await openPoint(page, id, 'kind=current');
    const url = new URL(page.url().replace('#', ''));
    await page.locator('.point-table .dt-summary, .pt-empty').first().waitFor();
    const period = await page.evaluate(() => {
      const q = new URLSearchParams(location.hash.split('?')[1] ?? '');
      return { from: q.get('from'), to: q.get('to') };
    });
    assert.ok(url);
    const count = async () => {
      const fromTo = period.from
        ? `&from=${period.from}&to=${period.to}`
        : `&from=${new Date(Date.now() - 8 * 86400000).toISOString().slice(0, 19)}Z&to=${new Date(Date.now() + 86400000).toISOString().slice(0, 19)}Z`;
      const r = await api(stack, 'operator', 'GET', `/api/v1/points/${id}/archive?kind=current${fromTo}`);
      assert.equal(r.status, 200);
      return r.body.records.length;
    };
    const before = await count();
    await page.getByRole('button', { name: 'Опросить сейчас' }).click();
    await page.locator('.pt-read-status').waitFor();
    assert.match(await page.locator('.pt-read-status .pt-read-state').innerText(), /^Опрос: (в очереди|выполняется|выполнено)$/);
    await page.locator('.pt-read-status .pt-read-state', { hasText: /Опрос: (выполнено|ошибка|отменено)/ }).waitFor({ timeout: 120_000 });
    await screenshot(page, 'point-read-now');
    assert.equal(await page.locator('.pt-read-status .pt-read-state').innerText(), 'Опрос: выполнено', await page.locator('.pt-read-status').innerText());
    const afterCount = await count();
    assert.ok(afterCount > before, `records ${before} → ${afterCount}`);
    await page.waitForFunction(
      (n) => (document.querySelector('.point-table .dt-summary')?.textContent ?? '').replace(/\s/g, '') === `Строк:${n}`,
      afterCount,
    );
    assert.match(await page.locator('.pt-read-records').innerText(), /записей сохранено: [1-9]/);
    expectNoConsoleErrors(page);
    await page.close();
  });

  test('a viewer has no "read now"; a subscriber cannot open another one’s point', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'viewer');
    await openPoint(page, stack.points.year, 'kind=day');
    await page.locator('.point-table').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Опросить сейчас' }).count(), 0);
    // daily records: T_in 72.75 °C every day
    assert.equal(await page.locator('.point-table tbody tr:not(.dt-spacer)').first().locator('td').nth(1).innerText(), '72,75');
    // the meter events of the last 30 days: power off 5 h ago (alarm, not ended),
    // flow out of range 30 h ago (warning, ended 28 h ago)
    await page.getByRole('link', { name: 'События прибора' }).click();
    const power = page.locator('.point-table tbody tr', { hasText: 'Отключение питания' });
    await power.waitFor();
    const cells = await power.locator('td').allInnerTexts();
    assert.equal(cells[1], 'не закончилось');
    assert.equal(cells[2], 'авария');
    assert.equal(cells[4], 'power-off (3)');
    const start = moscow(Date.parse(stack.archive.current_at) + 60_000 - 5 * 3600_000);
    assert.equal(cells[0], `${pad(start.d)}.${pad(start.m)}.${start.y}, ${pad(start.h)}:00`);
    const flow = await page.locator('.point-table tbody tr', { hasText: 'Расход вне диапазона' }).locator('td').allInnerTexts();
    assert.equal(flow[2], 'предупреждение');
    assert.equal(await summaryCount(page), 2);
    await checkA11y(page);
    await screenshot(page, 'point-events');
    expectNoConsoleErrors(page);
    await page.close();

    // the year point is node b's; sub1 is node a's subscriber
    const sub = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(sub, stack, 'sub1');
    await openPoint(sub, stack.points.year);
    await sub.getByText('Не найдено, или у вас нет к этому доступа.').waitFor();
    assert.equal(await sub.locator('.point-table').count(), 0);
    assert.equal(await sub.getByRole('button', { name: 'Опросить сейчас' }).count(), 0);
    // its own point opens, read-only
    await openPoint(sub, stack.points.live, 'kind=current');
    await sub.locator('.point-table').waitFor();
    assert.equal(await sub.getByRole('button', { name: 'Опросить сейчас' }).count(), 0);
    expectNoConsoleErrors(sub, { allow: [/status of 404 \(Not Found\)/] });
    await sub.close();
  });

  test('on a phone: no sideways scrolling, the table and the chart fit', async () => {
    const page = await newPage(browser, { viewport: 'phone', lang: 'ru' });
    await login(page, stack, 'operator');
    const now = Date.now();
    await openPoint(page, stack.points.year, `kind=hour&from=${moscowDay(now, -2)}&to=${moscowDay(now, -1)}`);
    await page.locator('.point-table tbody tr').first().waitFor();
    await noHorizontalScroll(page);
    await checkA11y(page);
    await screenshot(page, 'point-phone-table');
    await page.getByRole('button', { name: 'График' }).click();
    await page.locator('.chart canvas').waitFor();
    await noHorizontalScroll(page);
    const box = await page.locator('.chart canvas').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 390, JSON.stringify(box));
    await screenshot(page, 'point-phone-chart');
    expectNoConsoleErrors(page);
    await page.close();
  });

  test('in English', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'en' });
    await login(page, stack, 'admin');
    await page.getByRole('button', { name: 'English' }).click();
    const now = Date.now();
    const from = moscowDay(now, -2);
    await openPoint(page, stack.points.year, `kind=hour&from=${from}&to=${moscowDay(now, -1)}`);
    await page.getByRole('link', { name: 'Hourly' }).waitFor();
    assert.deepEqual(await headers(page), ['Time', 'T_in, °C', 'T_out, °C', 'T_delta, K', 'M_in, t', 'M_out, t', 'Q_in, Gcal']);
    const [y, m, d] = from.slice(0, 10).split('-');
    // en-GB: 28/11/2026, 09:00 — h = 9: T_in 74.5, T_out 47.25, T_delta 27.25
    const cells = await rowCells(page, `${d}/${m}/${y}, 09:00`);
    assert.deepEqual(cells.slice(0, 3), ['74.5', '47.25', '27.25*']);
    await page.getByRole('button', { name: 'Export CSV' }).waitFor();
    await page.getByRole('button', { name: 'Read now' }).waitFor();
    await checkA11y(page);
    await screenshot(page, 'point-english');
    expectNoConsoleErrors(page);
    await page.close();
  });
});
