// SPDX-License-Identifier: LGPL-2.1-or-later
// The objects list, the points list and a node's page as a person uses
// them: find a node by part of its address, open it, see its points and
// devices (with the next calibration date and "overdue"), its meter
// events; sort and group the list (group headers count the seed's nodes);
// hide a column, and it stays hidden for this user on another browser but
// not for another user; a subscriber's list shows only its node; the
// phone layout, English once, axe-core, screenshots.
//
// The seed (tests/web/stack.py), worked out by hand:
//   a  Жилой дом №1          ул. Ленина, 1       Екатеринбург  {Жилой фонд}  4 points (Тепловой ввод 1–4)
//   b  Жилой дом №2          ул. Мира, 2         Москва        {Жилой фонд}  Отопление, ГВС (devices 90000001, 90000002)
//   c  Котельная «Северная»  ул. Заводская, 10   Екатеринбург  {Котельные}   Электроэнергия
//   d  Школа №5              ул. Школьная, 5     Москва        {}            ХВС
// so grouping by "Группы" gives Жилой фонд (2), Котельные (1) and one node
// without a group (1); sorting titles descending (Ж < К < Ш) starts with
// Школа №5 and ends with Жилой дом №1.
import assert from 'node:assert/strict';
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

// settings.ts asks for all of a user's settings at once, so a setting never
// stored is no 404: nothing is excused
const allow = { allow: [] };

let stack;
let browser;

before(async () => {
  stack = await startStack();
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The titles in the table's body, top to bottom (group headers left out). */
async function titles(page, column = 'title') {
  return page.evaluate((col) => {
    const table = document.querySelector('.dt-table');
    const heads = [...table.querySelectorAll('thead th')];
    const i = heads.findIndex((th) => th.dataset.column === col);
    return [...table.querySelectorAll('tbody tr:not(.dt-spacer):not(.dt-group):not(.dt-empty)')].map(
      (tr) => tr.children[i].textContent.trim(),
    );
  }, column);
}

async function headers(page) {
  return (await page.locator('.dt-table thead th').allTextContents()).map((s) => s.replace(/[▲▼]/g, '').trim());
}

async function openNodes(page) {
  await page.goto(new URL('/#/nodes', stack.url).href);
  await page.getByRole('heading', { level: 1, name: 'Объекты учёта' }).waitFor();
  await page.locator('.dt-table tbody tr:not(.dt-spacer)').first().waitFor();
}

/** "30.11.2026, 17:05" of an instant in a zone at a fixed offset (hours). */
function ruDateTime(iso, offsetHours) {
  const d = new Date(Date.parse(iso) + offsetHours * 3600e3);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}, ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

describe('objects list and node page', () => {
  test('find a node by its address, open it, see its points, devices and events', async () => {
    // a calibration long overdue on node b's heating device: 15.01.2020 + 12 months
    const dev = await api(stack, 'admin', 'GET', '/api/v1/devices?serial_number=90000001');
    assert.equal(dev.status, 200);
    const deviceId = dev.body.items[0].id;
    const patched = await api(stack, 'admin', 'PATCH', `/api/v1/devices/${deviceId}`, {
      calibration_date: '2020-01-15T00:00:00+03:00',
      calibration_interval: 12,
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));

    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'admin');
    await openNodes(page);
    assert.equal(await page.locator('.dt-summary').textContent(), 'Строк: 4');
    await page.getByLabel('Поиск').fill('мира');
    await page.locator('.dt-summary', { hasText: 'Показано: 1 из 4' }).waitFor();
    assert.deepEqual(await titles(page), ['Жилой дом №2']);
    const row = await page.locator('.dt-table tbody tr:not(.dt-spacer)').first().allInnerTexts();
    assert.match(row[0], /ул\. Мира, 2/);
    assert.match(row[0], /ТСЖ «Мира, 2»/);
    assert.match(row[0], /Д-102/);
    assert.match(row[0], /Москва/);
    // its newest record: the current values a minute before the stack started, shown in Moscow (UTC+3 all year)
    assert.match(row[0], new RegExp(ruDateTime(stack.archive.current_at, 3).replace(/\./g, '\\.')));
    await page.waitForFunction(() => location.hash.includes('q=%D0%BC%D0%B8%D1%80%D0%B0'));
    await checkA11y(page);
    await screenshot(page, 'lists-nodes-search');

    await page.getByRole('link', { name: 'Жилой дом №2' }).click();
    await page.getByRole('heading', { level: 1, name: 'Жилой дом №2' }).waitFor();
    const passport = await page.locator('.node-passport').innerText();
    for (const text of ['ул. Мира, 2', 'ТСЖ «Мира, 2»', 'Д-102', 'Жилой фонд', 'Москва', 'Europe/Moscow', '56,8500, 60,6100', 'Жилой дом'])
      assert.ok(passport.includes(text), `the passport shows ${text}:\n${passport}`);
    assert.deepEqual((await titles(page)).sort(), ['ГВС', 'Отопление']);
    assert.equal(await page.getByRole('tab', { name: 'Точки учёта' }).getAttribute('aria-selected'), 'true');
    await checkA11y(page);
    await screenshot(page, 'lists-node');

    await page.getByRole('tab', { name: 'Приборы' }).click();
    await page.getByRole('table', { name: 'Приборы' }).waitFor();
    await page.locator('.dt-table tbody tr:not(.dt-spacer)', { hasText: '90000002' }).waitFor();
    assert.deepEqual((await titles(page, 'serial')).sort(), ['90000001', '90000002']);
    const overdue = await page.locator('.dt-table tbody tr', { hasText: '90000001' }).innerText();
    assert.match(overdue, /15\.01\.2020/);
    assert.match(overdue, /15\.01\.2021 \(просрочена\)/);
    assert.match(overdue, /Линия без ответа/);
    assert.match(overdue, /Отопление/);
    const fresh = await page.locator('.dt-table tbody tr', { hasText: '90000002' }).innerText();
    assert.doesNotMatch(fresh, /просрочена/);
    await checkA11y(page);
    await screenshot(page, 'lists-node-devices');

    // the meter events of its points: two on "Отопление" in the seed
    await page.getByRole('tab', { name: 'События приборов' }).click();
    await page.getByRole('table', { name: 'События приборов' }).waitFor();
    await page.locator('.dt-table tbody tr', { hasText: 'Отключение питания' }).waitFor();
    const events = await titles(page, 'text');
    assert.deepEqual(events, ['Отключение питания', 'Расход вне диапазона'], 'newest first');
    assert.match(await page.locator('.dt-table tbody tr', { hasText: 'Отключение питания' }).innerText(), /Авария/);
    assert.match(await page.locator('.dt-table tbody tr', { hasText: 'Отключение питания' }).innerText(), /продолжается/);
    await checkA11y(page);
    expectNoConsoleErrors(page, allow);
    await page.context().close();
  });

  test('sort and group the list', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'operator');
    await openNodes(page);
    assert.deepEqual(await titles(page), ['Жилой дом №1', 'Жилой дом №2', 'Котельная «Северная»', 'Школа №5']);
    const th = page.locator('th[data-column=title]');
    assert.equal(await th.getAttribute('aria-sort'), 'ascending');
    await th.getByRole('button').click();
    assert.equal(await th.getAttribute('aria-sort'), 'descending');
    assert.deepEqual(await titles(page), ['Школа №5', 'Котельная «Северная»', 'Жилой дом №2', 'Жилой дом №1']);

    // drag the "Группы" header onto the grouping zone
    await page.locator('th[data-column=groups]').dragTo(page.locator('.dt-group-zone'));
    const groups = page.locator('.dt-group');
    await groups.first().waitFor();
    assert.deepEqual(await groups.allInnerTexts(), [
      '▾ Группы: Жилой фонд (2)',
      '▾ Группы: Котельные (1)',
      '▾ Группы: (не задано) (1)',
    ].map((s) => s.replace(/\s+/g, ' ')).map((s) => s));
    // collapse "Жилой фонд": its two rows go
    await page.getByRole('button', { name: /Группы: Жилой фонд/ }).click();
    assert.equal(await page.getByRole('button', { name: /Группы: Жилой фонд/ }).getAttribute('aria-expanded'), 'false');
    assert.deepEqual(await titles(page), ['Котельная «Северная»', 'Школа №5']);
    await screenshot(page, 'lists-nodes-grouped');
    await checkA11y(page);
    // and the keyboard way: remove it, group by territory with the select
    await page.getByRole('button', { name: 'Убрать группировку по столбцу «Группы»' }).click();
    await page.getByLabel('Группировать по').selectOption({ label: 'Территория' });
    assert.deepEqual(await groups.allInnerTexts(), ['▾ Территория: Екатеринбург (2)', '▾ Территория: Москва (2)']);
    // the filters in the query: group "Котельные" leaves one node
    await page.getByLabel('Группировать по').waitFor();
    await page.getByRole('button', { name: 'Убрать группировку по столбцу «Территория»' }).click();
    await page.getByLabel('Группа', { exact: true }).selectOption('Котельные');
    await page.waitForFunction(() => document.querySelectorAll('.dt-table tbody tr:not(.dt-spacer)').length === 1);
    assert.deepEqual(await titles(page), ['Котельная «Северная»']);
    assert.match(page.url(), /group=%D0%9A/);
    expectNoConsoleErrors(page, allow);
    await page.context().close();
  });

  test('a hidden column stays hidden for its user only', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'viewer');
    await openNodes(page);
    assert.ok((await headers(page)).includes('Договор'));
    await page.getByText('Столбцы', { exact: true }).click();
    await page.getByRole('checkbox', { name: 'Договор' }).uncheck();
    assert.ok(!(await headers(page)).includes('Договор'));
    // stored on the server: a fresh browser (no local storage) shows it hidden
    await page.waitForTimeout(300);
    await page.context().close();
    const again = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(again, stack, 'viewer');
    await openNodes(again);
    await again.waitForFunction(() => ![...document.querySelectorAll('.dt-table thead th')].some((th) => th.textContent.includes('Договор')));
    await again.reload();
    await again.locator('.dt-table tbody tr:not(.dt-spacer)').first().waitFor();
    assert.ok(!(await headers(again)).includes('Договор'));
    assert.ok((await headers(again)).includes('Потребитель'));
    expectNoConsoleErrors(again, allow);
    await again.context().close();
    // another user still has it
    const other = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(other, stack, 'admin');
    await openNodes(other);
    assert.ok((await headers(other)).includes('Договор'));
    await other.context().close();
  });

  test('a subscriber sees only its node, and not another one', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'sub1');
    await openNodes(page);
    assert.deepEqual(await titles(page), ['Жилой дом №1']);
    assert.equal(await page.locator('.dt-summary').textContent(), 'Строк: 1');
    // no territory filter for a subscriber (territories serve every node)
    assert.equal(await page.getByRole('combobox', { name: 'Территория', exact: true }).count(), 0);
    await page.goto(new URL(`/#/nodes/${stack.nodes.b}`, stack.url).href);
    await page.getByText('Не найдено, или у вас нет к этому доступа.').waitFor();
    await page.goto(new URL(`/#/nodes/${stack.nodes.a}`, stack.url).href);
    await page.getByRole('heading', { level: 1, name: 'Жилой дом №1' }).waitFor();
    assert.deepEqual((await titles(page)).sort(), ['Тепловой ввод 1', 'Тепловой ввод 2', 'Тепловой ввод 3', 'Тепловой ввод 4']);
    assert.equal(await page.getByRole('tab', { name: 'Приборы' }).count(), 0, 'devices are for staff');
    await checkA11y(page);
    expectNoConsoleErrors(page, {
      allow: [/status of 404 \(Not Found\) \(https?:\/\/[^/]+\/api\/v1\/nodes\/\d+:/],
    });
    await page.context().close();
  });

  test('points list', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'admin');
    await page.goto(new URL('/#/points?q=%D0%B3%D0%B2%D1%81', stack.url).href); // ?q=гвс
    await page.getByRole('heading', { level: 1, name: 'Точки учёта' }).waitFor();
    const all = await api(stack, 'admin', 'GET', '/api/v1/points?limit=1000');
    await page.locator('.dt-summary', { hasText: `Показано: 1 из ${all.body.items.length}` }).waitFor();
    assert.equal(await page.getByLabel('Поиск').inputValue(), 'гвс');
    const row = await page.locator('.dt-table tbody tr:not(.dt-spacer)').first().innerText();
    assert.match(row, /ГВС/);
    assert.match(row, /Жилой дом №2/);
    assert.match(row, /Горячая вода/);
    assert.match(row, /Test № 90000002/);
    await checkA11y(page);
    await screenshot(page, 'lists-points');
    await page.getByRole('link', { name: 'ГВС' }).click();
    await page.waitForFunction((id) => location.hash === `#/points/${id}`, stack.points.hot_water);
    expectNoConsoleErrors(page, allow);
    await page.context().close();
  });

  test('phone size, in English', async () => {
    const page = await newPage(browser, { viewport: 'phone', lang: 'en' });
    await login(page, stack, 'admin');
    await page.evaluate(() => localStorage.setItem('lers.language', 'en'));
    await page.goto(new URL('/#/nodes', stack.url).href);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Metering objects' }).waitFor();
    await page.locator('.dt-table tbody tr:not(.dt-spacer)').first().waitFor();
    assert.equal(await page.locator('.dt-summary').textContent(), 'Rows: 4');
    const h = await headers(page);
    for (const name of ['State', 'Title', 'Address', 'Territory', 'Last reading']) assert.ok(h.includes(name), name);
    assert.ok(await page.getByText('Drag a column header here to group by it').isVisible());
    await noHorizontalScroll(page);
    await checkA11y(page);
    await screenshot(page, 'lists-nodes-phone-en');
    await page.getByLabel('Search').fill('школьная');
    await page.locator('.dt-summary', { hasText: 'Shown: 1 of 4' }).waitFor();
    await page.getByRole('link', { name: 'Школа №5' }).click();
    await page.getByRole('heading', { level: 1, name: 'Школа №5' }).waitFor();
    assert.deepEqual(await titles(page), ['ХВС']);
    assert.match(await page.locator('.node-passport').innerText(), /Europe\/Moscow/);
    await noHorizontalScroll(page);
    await checkA11y(page);
    await screenshot(page, 'lists-node-phone-en');
    expectNoConsoleErrors(page, allow);
    await page.context().close();
  });
});
