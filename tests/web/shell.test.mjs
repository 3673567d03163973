// SPDX-License-Identifier: LGPL-2.1-or-later
// The application's shell as a person meets it: the login form (Russian
// first), the nine sections of the navigation, the status bar with the
// server's clock and the polling figures, English and back, the password
// change, logging out; a subscriber's smaller menu; the same on a phone,
// with no sideways scrolling; axe-core on the login page and the shell.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { before, describe, test } from 'node:test';
import {
  checkA11y,
  expectNoConsoleErrors,
  gotoRoute,
  login,
  newPage,
  noHorizontalScroll,
  REFUSED_LOGIN,
  screenshot,
  useStack,
} from './harness.mjs';

const SECTIONS_RU = [
  'Объекты учёта',
  'Точки учёта',
  'Нештатные ситуации',
  'Карта',
  'Мнемосхемы',
  'Отчёты',
  'Сводка текущих',
  'Опрос',
  'Администрирование',
];
const SECTIONS_EN = [
  'Metering objects',
  'Measure points',
  'Incidents',
  'Map',
  'Mnemonic diagrams',
  'Reports',
  'Current values',
  'Polling',
  'Administration',
];

let stack;
let browser;

function psql(sql) {
  return execFileSync('psql', ['-XAtq', '-v', 'ON_ERROR_STOP=1', '-d', stack.db, '-c', sql], {
    encoding: 'utf8',
  }).trim();
}

function menuLinks(page, name) {
  return page.getByRole('navigation', { name }).getByRole('link');
}

/**
 * The wall-clock time in the status bar as a UTC instant, read as the
 * server's zone (stack.py runs lersd in Asia/Yekaterinburg, UTC+5 all
 * year since 2014): "30.11.2026, 22:10:05" (ru) or "30/11/2026, 22:10:05"
 * (en) is 17:10:05 UTC.
 */
function statusClock(text) {
  const m = text.match(/(\d{2})[./](\d{2})[./](\d{4}),?\s+(\d{2}):(\d{2}):(\d{2})/);
  assert.ok(m, `no date and time in the status bar: ${text}`);
  const [, dd, mm, yyyy, hh, mi, ss] = m.map(Number);
  return Date.UTC(yyyy, mm - 1, dd, hh - 5, mi, ss);
}

describe('the shell', () => {
  const world = useStack();
  before(() => {
    ({ stack, browser } = world);
  });

  test('the login form, in Russian, labelled and accessible', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await page.goto(stack.url);
    await page.getByRole('heading', { name: 'LERS: учёт энергоресурсов' }).waitFor();
    await page.getByLabel('Логин', { exact: true }).waitFor();
    await page.getByLabel('Пароль', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Войти' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ru');
    await checkA11y(page);
    await noHorizontalScroll(page);
    expectNoConsoleErrors(page);
    await screenshot(page, 'shell-login-ru-desktop');
    await page.close();
  });

  test('a wrong password shows the error and keeps the form', async () => {
    const page = await newPage(browser, { lang: 'ru' });
    await login(page, stack, 'operator', { password: 'not-the-password' });
    const alert = page.getByRole('alert');
    assert.equal((await alert.textContent()).trim(), 'Неверный логин или пароль.');
    // still the form, nothing of the workstation
    await page.getByRole('button', { name: 'Войти' }).waitFor();
    assert.equal(await page.getByRole('navigation').count(), 0);
    expectNoConsoleErrors(page, { allow: [REFUSED_LOGIN] });
    await screenshot(page, 'shell-login-wrong-password');
    await page.close();
  });

  test('an operator sees the nine sections and the status bar', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'operator');
    const links = menuLinks(page, 'Главное меню');
    await links.first().waitFor();
    assert.deepEqual((await links.allTextContents()).map((s) => s.trim()), SECTIONS_RU);
    // who is logged in, by the name people see
    await page.getByRole('link', { name: stack.users.operator.name }).waitFor();

    const bar = page.getByLabel('Строка состояния');
    // the polling figures, as psql counts them: one service (lersd's own)
    // with its max_links ports, all of them running and free (nothing polls)
    const [services, ports] = psql(
      'SELECT count(*), sum(max_links) FROM poll_services WHERE authorised AND stopped_at IS NULL',
    ).split('|');
    assert.equal(services, '1');
    assert.ok(Number(ports) > 0, ports);
    assert.equal(psql('SELECT count(*) FROM poll_jobs WHERE state = 1'), '0'); // none running
    await bar.getByText(/Служб опроса: \d+; портов: \d+, действует: \d+, свободно: \d+/).waitFor();
    assert.match(await bar.textContent(),
      new RegExp(`Служб опроса: ${services}; портов: ${ports}, действует: ${ports}, свободно: ${ports}`));
    // the server's time, in the server's zone, within two minutes of ours
    await bar.getByText(/\d{2}:\d{2}:\d{2}/).waitFor();
    const shown = statusClock(await bar.textContent());
    assert.ok(Math.abs(shown - Date.now()) < 120_000,
      `the status bar shows ${new Date(shown).toISOString()}, it is ${new Date().toISOString()}`);

    await checkA11y(page);
    await noHorizontalScroll(page);
    expectNoConsoleErrors(page);
    await screenshot(page, 'shell-operator-ru-desktop');
    await page.close();
  });

  test('English and back', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'operator');
    await menuLinks(page, 'Главное меню').first().waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    const en = menuLinks(page, 'Main menu');
    await en.first().waitFor();
    assert.deepEqual((await en.allTextContents()).map((s) => s.trim()), SECTIONS_EN);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.getByLabel('Status bar').getByText(/Polling services: \d+; ports: \d+, active: \d+, free: \d+/).waitFor();
    await screenshot(page, 'shell-operator-en-desktop');
    // the choice stays after a reload
    await page.reload();
    await menuLinks(page, 'Main menu').first().waitFor();
    await page.getByRole('button', { name: 'Русский' }).click();
    const ru = menuLinks(page, 'Главное меню');
    await ru.first().waitFor();
    assert.deepEqual((await ru.allTextContents()).map((s) => s.trim()), SECTIONS_RU);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ru');
    expectNoConsoleErrors(page);
    await page.close();
  });

  test('a subscriber does not see Опрос and Администрирование', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'sub1');
    const links = menuLinks(page, 'Главное меню');
    await links.first().waitFor();
    assert.deepEqual(
      (await links.allTextContents()).map((s) => s.trim()),
      SECTIONS_RU.filter((s) => s !== 'Опрос' && s !== 'Администрирование'),
    );
    // typed by hand, the address does not open it either
    await gotoRoute(page, stack, '/admin');
    await page.getByRole('heading', { name: 'Нет доступа' }).waitFor();
    await checkA11y(page);
    expectNoConsoleErrors(page);
    await screenshot(page, 'shell-subscriber-ru-desktop');
    await page.close();
  });

  test('the password change, logging out, logging in with the new password', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    const viewer = stack.users.viewer;
    await login(page, stack, 'viewer');
    await page.getByRole('link', { name: viewer.name }).click();
    await page.getByRole('heading', { name: 'Сменить пароль' }).waitFor();
    const fresh = `${viewer.password}-new`;
    await page.getByLabel('Текущий пароль', { exact: true }).fill(viewer.password);
    await page.getByLabel('Новый пароль', { exact: true }).fill(fresh);
    await page.getByLabel('Новый пароль ещё раз', { exact: true }).fill(fresh);
    await page.getByRole('button', { name: 'Сменить пароль' }).click();
    await page.getByRole('status').getByText('Пароль изменён.').waitFor();
    await checkA11y(page);
    await screenshot(page, 'shell-password-changed');

    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.getByLabel('Логин', { exact: true }).waitFor();
    assert.equal(await page.getByRole('navigation').count(), 0);

    // the old password no longer opens the workstation …
    const old = viewer.password;
    viewer.password = fresh;
    await login(page, stack, 'viewer', { password: old });
    assert.equal((await page.getByRole('alert').textContent()).trim(), 'Неверный логин или пароль.');
    // … the new one does
    await login(page, stack, 'viewer');
    await menuLinks(page, 'Главное меню').first().waitFor();
    expectNoConsoleErrors(page, { allow: [REFUSED_LOGIN] });
    await page.close();
  });

  test('on a phone: the menu opens, nothing scrolls sideways', async () => {
    const page = await newPage(browser, { viewport: 'phone', lang: 'ru' });
    await page.goto(stack.url);
    await page.getByLabel('Логин', { exact: true }).waitFor();
    await noHorizontalScroll(page);
    await checkA11y(page);
    await screenshot(page, 'shell-login-ru-phone');

    await login(page, stack, 'operator');
    const menu = page.getByRole('button', { name: 'Меню' });
    await menu.waitFor();
    await noHorizontalScroll(page);
    await screenshot(page, 'shell-operator-ru-phone');
    await menu.click();
    await page.getByRole('button', { name: 'Меню', expanded: true }).waitFor();
    const links = menuLinks(page, 'Главное меню');
    await links.last().waitFor({ state: 'visible' });
    // the nine sections, then the account (its link in the top bar is
    // hidden on a phone)
    const texts = (await links.allTextContents()).map((s) => s.trim());
    assert.deepEqual(texts.slice(0, SECTIONS_RU.length), SECTIONS_RU);
    assert.equal(texts.length, SECTIONS_RU.length + 1);
    assert.match(texts.at(-1), /^Учётная запись: /);
    for (const link of await links.all()) assert.ok(await link.isVisible(), `${await link.textContent()} is hidden`);
    await noHorizontalScroll(page);
    await checkA11y(page);
    await screenshot(page, 'shell-menu-ru-phone');
    await links.last().click();
    await page.getByRole('heading', { name: 'Сменить пароль' }).waitFor();
    await menu.click();
    await links.last().waitFor({ state: 'visible' });
    // a section chosen closes the menu
    await links.filter({ hasText: 'Точки учёта' }).click();
    await page.waitForURL(/#\/points$/);
    await page.getByRole('button', { name: 'Меню', expanded: false }).waitFor();
    assert.ok(!(await links.first().isVisible()), 'the menu stays open after a section is chosen');

    // the subscriber's portal on the phone
    const sub = await newPage(browser, { viewport: 'phone', lang: 'ru' });
    await login(sub, stack, 'sub2');
    await sub.getByRole('button', { name: 'Меню' }).click();
    const subLinks = menuLinks(sub, 'Главное меню');
    await subLinks.first().waitFor({ state: 'visible' });
    assert.ok(!(await subLinks.allTextContents()).map((s) => s.trim()).includes('Администрирование'));
    await noHorizontalScroll(sub);
    await screenshot(sub, 'shell-subscriber-ru-phone');
    expectNoConsoleErrors(page);
    expectNoConsoleErrors(sub);
    await sub.close();
    await page.close();
  });
});
