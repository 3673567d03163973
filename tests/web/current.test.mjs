// SPDX-License-Identifier: LGPL-2.1-or-later
// Сводка текущих (#/current) as a person meets it: the seeded current
// values of every point, each with its unit, in Russian, at the node's local
// time; a record stored afterwards (psql) appears in its row within seconds
// without a reload; stale rows are greyed and say "устарело"; the live
// indicator; filters; a subscriber's rows; phone size, English, axe,
// screenshots.
//
// What stack.py seeds (tests/web/stack.py seed_archive), a minute before it
// started, as current records:
//   4 points of node a (Yekaterinburg, UTC+5) and "Отопление" of node b
//   (Moscow, UTC+3): T_in 71.5 degC, T_out 46.25, T_delta 25.25 K, M_in
//   2.75 t, M_out 2.625 t, Q_in 0.125 Gcal, HeatPower 0.125 Gcal/h;
//   "ГВС" (b): T_in 60.5 degC, V_in 1234.5 m3, VolumeFlow_in 0.75 m3/h;
//   "ХВС" (d, Moscow): V 876.25 m3;
//   "Электроэнергия" (c, Yekaterinburg): Ap 15000.5 kWh, PowerP 12.5 kW,
//   U 230.5 V.
// Every point has poll_interval 0, so a record older than one hour is stale
// (docs/api-current.md); this test moves ХВС's record 3 hours back.
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

// GET /auth/me/settings/KEY answers 404 while the user has stored no such
// setting (the map's view, the summary's columns): the page keeps its
// default; Chromium logs the 404.
const UNSET_SETTING = /status of 404 \(Not Found\) \(https?:\/\/[^/]+\/api\/v1\/auth\/me\/settings\//;
const ALLOW = { allow: [UNSET_SETTING] };

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

/** "dd.mm.yyyy, hh:mm" of @iso at a fixed UTC offset of @hours. */
function wallClock(iso, hours) {
  const d = new Date(new Date(iso).getTime() + hours * 3600_000);
  const two = (n) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}.${two(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

const row = (page, point) => page.locator(`.current-table tr.current-row.point-${point}`);
const cell = (page, point, parameter) => row(page, point).locator(`[data-parameter="${parameter}"]`);

async function openCurrent(page, query = '') {
  await page.goto(`${stack.url}#/current${query}`);
  await page.locator('.current-table tr.current-row').first().waitFor();
}

describe('the summary of current values', () => {
  before(async () => {
    stack = await startStack();
    browser = await openBrowser();
    psql(`UPDATE archive SET ts = ts - interval '3 hours' WHERE point_id = ${stack.points.cold_water} AND kind = 0`);
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('the seeded values with units, in the nodes’ local time; stale rows marked', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'admin');
    await openCurrent(page);
    const p = stack.points;
    const all = [...p.sim, p.year, p.hot_water, p.electricity, p.cold_water].sort((a, b) => a - b);
    const shown = await page.$$eval('.current-table tr.current-row', (rows) =>
      rows.map((r) => Number(/point-(\d+)/.exec(r.className)[1])),
    );
    assert.deepEqual([...shown].sort((a, b) => a - b), all);
    assert.equal(plain(await cell(page, p.hot_water, 'T_in').innerText()), '60,5 °C');
    assert.equal(plain(await cell(page, p.hot_water, 'V_in').innerText()), '1 234,5 м³');
    assert.equal(plain(await cell(page, p.hot_water, 'VolumeFlow_in').innerText()), '0,75 м³/ч');
    assert.equal(plain(await cell(page, p.electricity, 'Ap').innerText()), '15 000,5 кВт·ч');
    assert.equal(plain(await cell(page, p.electricity, 'PowerP').innerText()), '12,5 кВт');
    assert.equal(plain(await cell(page, p.electricity, 'U').innerText()), '230,5 В');
    assert.equal(plain(await cell(page, p.sim[0], 'T_delta').innerText()), '25,25 К');
    assert.equal(plain(await cell(page, p.sim[0], 'Q_in').innerText()), '0,125 Гкал');
    assert.equal(plain(await cell(page, p.sim[0], 'HeatPower').innerText()), '0,125 Гкал/ч');
    // times: node b in Moscow (UTC+3), node a in Yekaterinburg (UTC+5)
    const at = stack.archive.current_at;
    assert.ok(plain(await row(page, p.hot_water).innerText()).includes(wallClock(at, 3)), wallClock(at, 3));
    assert.ok(plain(await row(page, p.sim[0]).innerText()).includes(wallClock(at, 5)), wallClock(at, 5));
    // ХВС's record is 3 h old: the row is greyed and says so; the others are not
    const cold = row(page, p.cold_water);
    assert.match(await cold.getAttribute('class'), /\bstale\b/);
    assert.match(plain(await cold.innerText()), /устарело/);
    assert.equal(plain(await cell(page, p.cold_water, 'V').innerText()), '876,25 м³');
    assert.doesNotMatch(await row(page, p.hot_water).getAttribute('class'), /\bstale\b/);
    assert.equal(await page.locator('.current-table tr.current-row.stale').count(), 1);
    // the stream is open
    await page.locator('.live-indicator', { hasText: 'онлайн' }).waitFor();
    await checkA11y(page);
    await screenshot(page, 'current-desktop-ru');
    expectNoConsoleErrors(page, ALLOW);
    await page.close();
  });

  test('a record stored now appears in its row within seconds, without a reload', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'admin');
    await openCurrent(page);
    await page.locator('.live-indicator', { hasText: 'онлайн' }).waitFor();
    const year = stack.points.year;
    assert.equal(plain(await cell(page, year, 'T_in').innerText()), '71,5 °C');
    await page.evaluate(() => {
      window.__sameDocument = true;
    });
    // T_in 75.25 degC, T_out 47.5 degC, stored now (parameters 1 and 2)
    psql(`INSERT INTO archive (point_id, kind, ts, data)
            VALUES (${year}, 0, date_trunc('second', now()), '\\x${pack([[1, 75.25], [2, 47.5]])}'::bytea)`);
    const stored = psql(`SELECT to_char(max(ts) AT TIME ZONE 'Europe/Moscow', 'DD.MM.YYYY, HH24:MI')
                           FROM archive WHERE point_id = ${year} AND kind = 0`);
    await page.waitForFunction(
      ([id]) => {
        const c = document.querySelector(`.current-table tr.point-${id} [data-parameter="T_in"]`);
        return c && c.textContent.replace(/[\u00a0\u202f]/g, ' ').trim() === '75,25 °C';
      },
      [year],
      { timeout: 10_000 },
    );
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
    assert.equal(plain(await cell(page, year, 'T_out').innerText()), '47,5 °C');
    // the record has only T_in and T_out: the others are gone from the row
    assert.equal(await cell(page, year, 'M_in').count(), 0);
    assert.ok(plain(await row(page, year).innerText()).includes(stored), stored);
    // the changed cell lights up for a moment
    assert.match(await cell(page, year, 'T_in').getAttribute('class'), /\bchanged\b/);
    await screenshot(page, 'current-update-ru');
    expectNoConsoleErrors(page, ALLOW);
    await page.close();
  });

  test('filters: resource and node, kept in the address', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'admin');
    await openCurrent(page);
    await page.getByRole('search').getByLabel('Ресурс').selectOption({ label: 'электроэнергия' });
    await page.waitForFunction(() => document.querySelectorAll('.current-table tr.current-row').length === 1);
    assert.equal(await row(page, stack.points.electricity).count(), 1);
    assert.match(page.url(), /resource=electricity/);
    await page.getByRole('search').getByLabel('Ресурс').selectOption({ label: 'Все ресурсы' });
    await page.getByRole('search').getByLabel('Объект учёта').selectOption({ label: 'Жилой дом №2' });
    await page.waitForFunction(() => document.querySelectorAll('.current-table tr.current-row').length === 2);
    assert.equal(await row(page, stack.points.year).count(), 1);
    assert.equal(await row(page, stack.points.hot_water).count(), 1);
    await page.getByRole('search').getByLabel('Объект учёта').selectOption({ label: 'Все объекты' });
    await page.getByRole('search').getByLabel('Группа').selectOption({ label: 'Котельные' });
    await page.waitForFunction(() => document.querySelectorAll('.current-table tr.current-row').length === 1);
    assert.equal(await row(page, stack.points.electricity).count(), 1);
    expectNoConsoleErrors(page, ALLOW);
    await page.close();
  });

  test('a subscriber sees only its node’s points', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'sub2');
    await openCurrent(page);
    const shown = await page.$$eval('.current-table tr.current-row', (rows) =>
      rows.map((r) => Number(/point-(\d+)/.exec(r.className)[1])),
    );
    assert.deepEqual(shown.sort((a, b) => a - b), [stack.points.year, stack.points.hot_water].sort((a, b) => a - b));
    // the API agrees
    const r = await api(stack, 'sub2', 'GET', '/api/v1/current');
    assert.deepEqual(r.body.items.map((i) => i.node_id), [stack.nodes.b, stack.nodes.b]);
    assert.equal(await page.getByRole('search').getByLabel('Группа').count(), 0);
    await checkA11y(page);
    expectNoConsoleErrors(page, ALLOW);
    await page.close();
  });

  test('on a phone, in English', async () => {
    const page = await newPage(browser, { viewport: 'phone', lang: 'en' });
    await login(page, stack, 'viewer');
    await page.getByRole('button', { name: 'English' }).click();
    await openCurrent(page);
    await page.locator('.live-indicator', { hasText: 'online' }).waitFor();
    assert.equal(await page.locator('h1').innerText(), 'Current values');
    assert.equal(plain(await cell(page, stack.points.hot_water, 'V_in').innerText()), '1,234.5 m³');
    assert.match(plain(await row(page, stack.points.cold_water).innerText()), /stale/);
    await noHorizontalScroll(page);
    await checkA11y(page);
    await screenshot(page, 'current-phone-en');
    expectNoConsoleErrors(page, ALLOW);
    await page.close();
  });
});
