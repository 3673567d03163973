// SPDX-License-Identifier: LGPL-2.1-or-later
// The administration (#/admin) as its users work with it: an administrator
// makes a territory with a zone, a node in it, a point and its schedule, a
// user with the operator role scoped to a group, authorises a polling
// service and deletes a point after confirming; a bad latitude is refused
// in the browser, a login in use by the server, each message next to its
// field. Every change is checked through the API (and psql), not through
// the page. A viewer sees the forms read-only; the pages fit a phone; the
// English texts once; axe on each page.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  api,
  buildRoot,
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

before(async () => {
  stack = await startStack();
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

function psql(sql) {
  return execFileSync('psql', ['-XAtq', '-v', 'ON_ERROR_STOP=1', '-d', stack.db, '-c', sql], { encoding: 'utf8' }).trim();
}

async function open(page, route) {
  await page.goto(new URL(`#${route}`, stack.url).href);
}

/** The message shown under the field labelled @label (its aria-describedby, inside the same .field). */
async function fieldError(page, label) {
  const input = page.getByLabel(label, { exact: true });
  // the server's answer comes later than the client's check
  await page.locator(`[aria-invalid="true"][id="${await input.getAttribute('id')}"]`).waitFor();
  const id = await input.getAttribute('aria-describedby');
  assert.ok(id, `the field "${label}" names no error`);
  const error = page.locator(`.field:has(#${await input.getAttribute('id')}) #${id}`);
  await error.waitFor();
  return (await error.textContent()).trim();
}

/** A request to /api/v1 as @who (the harness's api() takes the whole path). */
function v1(who, method, urlPath, body) {
  return api(stack, who, method, '/api/v1' + urlPath, body);
}

async function one(who, urlPath) {
  const r = await v1(who, 'GET', urlPath);
  assert.equal(r.status, 200, `${urlPath}: ${JSON.stringify(r.body)}`);
  return r.body;
}

// Chromium logs every answer >= 400 as a console error: the tests that
// expect one (409 for a login in use) allow exactly that one.
const CONFLICT = /status of 409 \(Conflict\) \(https?:\/\/[^/]+\/api\/v1\/users:/;
const NUMBER_IN_USE = /status of 400 \(Bad Request\) \(https?:\/\/[^/]+\/api\/v1\/nodes:/;
// The lists remember the user's columns (settings.ts): the first read of a
// setting never stored is a 404 that Chromium logs.
const NO_SETTING = /status of 404 \(Not Found\) \(https?:\/\/[^/]+\/api\/v1\/auth\/me\/settings\/admin\.\w+\.table:/;
const allow = [NO_SETTING];

test('an administrator makes a territory, a node in it and a point with its schedule', async () => {
  const page = await newPage(browser, { lang: 'ru', viewport: 'desktop' });
  await login(page, stack, 'admin');

  // the index lists the sections
  await open(page, '/admin');
  const nav = page.getByRole('navigation', { name: 'Разделы администрирования' });
  for (const name of ['Пользователи', 'Группы объектов', 'Территории', 'Объекты учёта', 'Точки учёта', 'Приборы учёта',
    'Соединения', 'Расписания', 'Службы опроса', 'Линии и трафик GPRS'])
    await nav.getByRole('link', { name, exact: true }).waitFor();

  // territory with a zone
  await open(page, '/admin/territories');
  await page.getByRole('table').getByRole('link', { name: 'Москва' }).waitFor();
  await checkA11y(page);
  await screenshot(page, 'admin-territories');
  await page.getByRole('link', { name: 'Новая территория' }).click();
  await page.getByLabel('Наименование', { exact: true }).fill('Приморье');
  await page.getByLabel('Часовой пояс', { exact: true }).selectOption('Asia/Vladivostok');
  await page.getByLabel('Родительская территория').selectOption({ label: 'Москва' });
  await page.getByRole('button', { name: 'Создать' }).click();
  await page.getByRole('status').filter({ hasText: 'Создано.' }).waitFor();
  const territories = (await one('admin', `/territories?title=${encodeURIComponent('Приморье')}`)).items;
  assert.equal(territories.length, 1);
  assert.equal(territories[0].time_zone, 'Asia/Vladivostok');
  assert.equal(territories[0].parent_id, stack.territories.moscow);
  const territoryId = territories[0].id;
  assert.match(page.url(), new RegExp(`#/admin/territories/${territoryId}\\?created=1$`));

  // a node: latitude 200 is refused in the browser, next to the field, and nothing is sent
  await open(page, '/admin/nodes/new');
  await page.getByLabel('Наименование', { exact: true }).fill('Дом на Светланской');
  await page.getByLabel('Тип', { exact: true }).selectOption({ label: 'жилой дом' });
  await page.getByLabel('Адрес', { exact: true }).fill('ул. Светланская, 1');
  await page.getByLabel('Территория', { exact: true }).selectOption({ label: 'Приморье' });
  await page.getByLabel('Широта, градусы').fill('200');
  await page.getByLabel('Долгота, градусы').fill('131,8855');
  await page.getByRole('group', { name: 'Группы' }).getByLabel('Жилой фонд').check();
  await page.getByRole('button', { name: 'Создать' }).click();
  assert.equal(await fieldError(page, 'Широта, градусы'), 'От -90 до 90.');
  assert.equal(await page.getByLabel('Широта, градусы').getAttribute('aria-invalid'), 'true');
  assert.deepEqual((await one('admin', `/nodes?title=${encodeURIComponent('Дом на Светланской')}`)).items, []);
  await checkA11y(page);
  await screenshot(page, 'admin-node-latitude-error');
  // the Russian decimal comma is a number too; a number in use (node b's)
  // only the server knows: its answer names the member, shown at "Номер"
  await page.getByLabel('Широта, градусы').fill('43,1155');
  const numberB = (await one('admin', `/nodes/${stack.nodes.b}`)).number;
  assert.ok(numberB);
  await page.getByLabel('Номер', { exact: true }).fill(numberB);
  await page.getByRole('button', { name: 'Создать' }).click();
  assert.equal(await fieldError(page, 'Номер'), `Это значение уже занято: ${numberB}.`);
  await screenshot(page, 'admin-node-number-in-use');
  assert.equal(await page.getByLabel('Широта, градусы').getAttribute('aria-invalid'), null);
  assert.deepEqual((await one('admin', `/nodes?title=${encodeURIComponent('Дом на Светланской')}`)).items, []);
  await page.getByLabel('Номер', { exact: true }).fill('ВЛ-1');
  await page.getByRole('button', { name: 'Создать' }).click();
  await page.getByRole('status').filter({ hasText: 'Создано.' }).waitFor();
  const nodes = (await one('admin', `/nodes?title=${encodeURIComponent('Дом на Светланской')}`)).items;
  assert.equal(nodes.length, 1);
  const node = nodes[0];
  assert.equal(node.latitude, 43.1155);
  assert.equal(node.longitude, 131.8855);
  assert.equal(node.territory_id, territoryId);
  assert.equal(node.node_type, 'house');
  assert.equal(node.address, 'ул. Светланская, 1');
  assert.equal(node.number, 'ВЛ-1');
  assert.deepEqual(node.groups, ['Жилой фонд']);

  // a point of that node
  await open(page, '/admin/points/new');
  await page.getByLabel('Наименование', { exact: true }).fill('ГВС Светланская');
  await page.getByLabel('Объект учёта', { exact: true }).selectOption({ label: 'Дом на Светланской' });
  await page.getByLabel('Ресурс', { exact: true }).selectOption({ label: 'горячая вода' });
  await page.getByLabel('Интервал опроса, секунд').fill('3600');
  await page.getByLabel('Расчётный час').fill('24');
  await page.getByRole('button', { name: 'Создать' }).click();
  assert.equal(await fieldError(page, 'Расчётный час'), 'От 0 до 23.');
  await page.getByLabel('Расчётный час').fill('9');
  await page.getByRole('button', { name: 'Создать' }).click();
  await page.getByRole('status').filter({ hasText: 'Создано.' }).waitFor();
  const points = (await one('admin', `/points?node_id=${node.id}`)).items;
  assert.equal(points.length, 1);
  const point = points[0];
  assert.equal(point.title, 'ГВС Светланская');
  assert.equal(point.resource, 'hot-water');
  assert.equal(point.poll_interval, 3600);
  assert.equal(point.reporting_hour, 9);

  // its schedule, under the form: 7 minutes does not divide a day
  await page.getByRole('heading', { name: 'Расписание опроса' }).waitFor();
  await page.getByLabel('часовой архив: каждые, минут').fill('7');
  await page.getByRole('button', { name: 'Сохранить расписание' }).click();
  await page.getByText('Должно делить сутки (1440 минут)', { exact: false }).waitFor();
  await page.getByLabel('часовой архив: каждые, минут').fill('30');
  await page.getByLabel('часовой архив: на минуте').fill('5');
  await page.getByRole('button', { name: 'Сохранить расписание' }).click();
  await page.getByRole('status').filter({ hasText: 'Расписание сохранено.' }).waitFor();
  const schedule = await one('admin', `/points/${point.id}/schedule`);
  const hour = schedule.find((s) => s.kind === 'hour');
  assert.equal(hour.every_minutes, 30);
  assert.equal(hour.at_minutes, 5);
  assert.equal(hour.default, false);
  assert.equal(hour.enabled, true);
  // the row now says it is the point's own schedule
  const hourRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'часовой архив' }) });
  await hourRow.getByRole('cell', { name: 'своя' }).waitFor();
  await checkA11y(page);
  await screenshot(page, 'admin-point');

  // deleting asks first; "Нет, вернуться" keeps it
  await page.getByRole('button', { name: 'Удалить', exact: true }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.getByText('Удалить «ГВС Светланская»? Это нельзя отменить.').waitFor();
  // the question has the focus on its button; "Нет, вернуться" keeps the point
  await page.waitForFunction(() => document.activeElement?.closest('[role=alertdialog]') !== null, null, { timeout: 5000 });
  await dialog.getByRole('button', { name: 'Нет, вернуться' }).click();
  assert.equal(await dialog.count(), 0);
  // and the focus is back on the button that asked
  await page.waitForFunction(() => document.activeElement?.textContent === 'Удалить', null, { timeout: 5000 });
  // Escape is "no" too
  await page.getByRole('button', { name: 'Удалить', exact: true }).click();
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal((await v1('admin', 'GET', `/points/${point.id}`)).status, 200);
  await page.getByRole('button', { name: 'Удалить', exact: true }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Удалить', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Удалено.' }).waitFor();
  assert.equal((await v1('admin', 'GET', `/points/${point.id}`)).status, 404);

  expectNoConsoleErrors(page, { allow: [...allow, NUMBER_IN_USE] });
});

test('an administrator makes an operator scoped to a group; a login in use is refused at its field', async () => {
  const page = await newPage(browser, { lang: 'ru', viewport: 'desktop' });
  await login(page, stack, 'admin');
  await open(page, '/admin/users');
  await page.getByRole('table').getByRole('link', { name: stack.users.viewer.login, exact: true }).waitFor();
  await checkA11y(page);
  await screenshot(page, 'admin-users');

  await page.getByRole('link', { name: 'Новый пользователь' }).click();
  await page.getByLabel('Логин', { exact: true }).fill('dispatcher');
  await page.getByLabel('Имя', { exact: true }).fill('Диспетчер Иванова');
  await page.getByLabel('Роль', { exact: true }).selectOption({ label: 'оператор' });
  // too short a password is refused in the browser
  await page.getByLabel('Пароль', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Создать' }).click();
  assert.equal(await fieldError(page, 'Пароль'), 'Не короче 8 символов.');
  await page.getByLabel('Пароль', { exact: true }).fill('dispatcher-pass-1');
  await page.getByRole('button', { name: 'Создать' }).click();
  await page.getByRole('status').filter({ hasText: 'Создано.' }).waitFor();
  const users = (await one('admin', '/users?login=dispatcher')).items;
  assert.equal(users.length, 1);
  const user = users[0];
  assert.equal(user.role, 'operator');
  assert.equal(user.enabled, true);
  assert.equal(user.display_name, 'Диспетчер Иванова');
  // the password given works
  const loginAnswer = await v1(null, 'POST', '/auth/login', { login: 'dispatcher', password: 'dispatcher-pass-1', token: true });
  assert.equal(loginAnswer.status, 200, JSON.stringify(loginAnswer.body));

  // scope: the group "Жилой фонд"
  await page.getByRole('heading', { name: 'Области доступа' }).waitFor();
  await page.getByText('Областей доступа нет.').waitFor();
  await page.getByLabel('Вид области').selectOption({ label: 'группа объектов' });
  await page.getByLabel('Область', { exact: true }).selectOption({ label: 'Жилой фонд' });
  await page.getByRole('button', { name: 'Добавить область' }).click();
  await page.getByRole('listitem').filter({ hasText: 'группа объектов: Жилой фонд' }).waitFor();
  const scopes = await one('admin', `/users/${user.id}/scopes`);
  assert.deepEqual(
    scopes.items.map((s) => ({ kind: s.kind, id: s.id })),
    [{ kind: 'group', id: stack.groups.housing }],
  );
  assert.equal(psql(`SELECT count(*) FROM user_scopes WHERE user_id = ${user.id}`), '1');
  await checkA11y(page);
  await screenshot(page, 'admin-user');

  // the administrator sets another password: the old one stops working
  await page.getByLabel('Новый пароль').fill('dispatcher-pass-2');
  await page.getByRole('button', { name: 'Задать пароль' }).click();
  await page.getByRole('form', { name: 'Задать пароль' }).getByRole('status').filter({ hasText: 'Сохранено.' }).waitFor();
  assert.equal((await v1(null, 'POST', '/auth/login', { login: 'dispatcher', password: 'dispatcher-pass-1', token: true })).status, 401);
  assert.equal((await v1(null, 'POST', '/auth/login', { login: 'dispatcher', password: 'dispatcher-pass-2', token: true })).status, 200);
  // and the role can be changed back and forth: the PATCH stores it
  await page.getByLabel('Роль', { exact: true }).selectOption({ label: 'наблюдатель' });
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await page.getByRole('form', { name: 'dispatcher' }).getByRole('status').filter({ hasText: 'Сохранено.' }).waitFor();
  assert.equal((await one('admin', `/users/${user.id}`)).role, 'viewer');

  // a login in use: only the server knows; its answer is shown at the login
  await open(page, '/admin/users/new');
  await page.getByLabel('Логин', { exact: true }).fill(stack.users.operator.login);
  await page.getByLabel('Роль', { exact: true }).selectOption({ label: 'наблюдатель' });
  await page.getByRole('button', { name: 'Создать' }).click();
  const message = await fieldError(page, 'Логин');
  assert.match(message, new RegExp(`«?${stack.users.operator.login}»?|"${stack.users.operator.login}"`));
  assert.equal(await page.getByLabel('Роль', { exact: true }).getAttribute('aria-invalid'), null);
  assert.equal(psql(`SELECT count(*) FROM users WHERE login = '${stack.users.operator.login}'`), '1');
  await screenshot(page, 'admin-user-login-in-use');
  expectNoConsoleErrors(page, { allow: [...allow, CONFLICT] });
});

test('an operator adds a connection and a device on it; the device password is never shown', async () => {
  const page = await newPage(browser, { lang: 'ru', viewport: 'desktop' });
  await login(page, stack, 'operator');
  await open(page, '/admin/connections/new');
  await page.getByLabel('Наименование', { exact: true }).fill('Котельная Южная, TCP');
  await page.getByLabel('Тип', { exact: true }).selectOption({ label: 'TCP/IP (сервер подключается)' });
  // the fields of a serial line are not shown for TCP
  assert.equal(await page.getByLabel('COM-порт').count(), 0);
  await page.getByLabel('Хост', { exact: true }).fill('10.20.30.40');
  await page.getByLabel('TCP-порт').fill('70000');
  await page.getByRole('button', { name: 'Создать' }).click();
  assert.equal(await fieldError(page, 'TCP-порт'), 'От 1 до 65535.');
  await page.getByLabel('TCP-порт').fill('4001');
  await page.getByRole('button', { name: 'Создать' }).click();
  await page.getByRole('status').filter({ hasText: 'Создано.' }).waitFor();
  const connections = (await one('operator', '/connections?host=10.20.30.40')).items;
  assert.equal(connections.length, 1);
  assert.equal(connections[0].kind, 'tcp-client');
  assert.equal(connections[0].port, 4001);

  await open(page, '/admin/devices/new');
  await page.getByLabel('Протокол', { exact: true }).fill('mbus');
  await page.getByLabel('Модель', { exact: true }).fill('ВКТ-7');
  await page.getByLabel('Заводской номер').fill('77001234');
  await page.getByLabel('Сетевой адрес').fill('12');
  await page.getByLabel('Пароль прибора').fill('meter-secret');
  await page.getByLabel('Соединение', { exact: true }).selectOption({ label: 'Котельная Южная, TCP' });
  await page.getByLabel('Дата поверки').fill('2025-03-14');
  await page.getByLabel('Межповерочный интервал, месяцев').fill('48');
  await page.getByLabel('Параметры (объект JSON)').fill('[1, 2]');
  await page.getByRole('button', { name: 'Создать' }).click();
  assert.equal(await fieldError(page, 'Параметры (объект JSON)'), 'Объект JSON: {"ключ": "значение"}.');
  await page.getByLabel('Параметры (объект JSON)').fill('');
  await page.getByRole('button', { name: 'Создать' }).click();
  await page.getByRole('status').filter({ hasText: 'Создано.' }).waitFor();
  const devices = (await one('operator', '/devices?serial_number=77001234')).items;
  assert.equal(devices.length, 1);
  const device = devices[0];
  assert.equal(device.protocol, 'mbus');
  assert.equal(device.model, 'ВКТ-7');
  assert.equal(device.network_address, '12');
  assert.equal(device.connection_id, connections[0].id);
  assert.equal(device.calibration_date, '2025-03-14T00:00:00Z');
  assert.equal(device.calibration_interval, 48);
  assert.equal('password' in device, false);
  assert.equal(psql(`SELECT password FROM devices WHERE id = ${device.id}`), 'meter-secret');
  // the form shows the date back, and an empty password field
  assert.equal(await page.getByLabel('Дата поверки').inputValue(), '2025-03-14');
  assert.equal(await page.getByLabel('Пароль прибора').inputValue(), '');
  // saving another field keeps the stored password
  await page.getByLabel('Модель', { exact: true }).fill('ВКТ-7М');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await page.getByRole('status').filter({ hasText: 'Сохранено.' }).waitFor();
  assert.equal((await one('operator', `/devices/${device.id}`)).model, 'ВКТ-7М');
  assert.equal(psql(`SELECT password FROM devices WHERE id = ${device.id}`), 'meter-secret');
  await checkA11y(page);
  await screenshot(page, 'admin-device');
  expectNoConsoleErrors(page, { allow });
});

test('an operator makes a node group and adds a node to it', async () => {
  const page = await newPage(browser, { lang: 'ru', viewport: 'desktop' });
  await login(page, stack, 'operator');
  await open(page, '/admin/groups');
  // the seed: Котельные has node c alone (Жилой фонд has a, b and the
  // first test's node)
  const boilers = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Котельные' }) });
  await boilers.getByRole('cell', { name: '1', exact: true }).waitFor();
  await page.getByRole('link', { name: 'Новая группа объектов' }).click();
  await page.getByLabel('Наименование', { exact: true }).fill('Школы');
  await page.getByRole('button', { name: 'Создать' }).click();
  await page.getByRole('status').filter({ hasText: 'Создано.' }).waitFor();
  await page.getByText('В группе нет объектов.').waitFor();
  await page.getByLabel('Объект учёта', { exact: true }).selectOption({ label: 'Школа №5' });
  await page.getByRole('button', { name: 'Добавить в группу' }).click();
  await page.getByRole('heading', { name: 'Объекты группы: 1' }).waitFor();
  assert.deepEqual((await one('operator', `/nodes/${stack.nodes.d}`)).groups, ['Школы']);
  // removing asks first
  await page.getByRole('listitem').filter({ hasText: 'Школа №5' }).getByRole('button', { name: 'Убрать' }).click();
  await page.getByRole('alertdialog').getByText('Убрать «Школа №5» из группы?').waitFor();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Убрать' }).click();
  await page.getByRole('heading', { name: 'Объекты группы: 0' }).waitFor();
  assert.deepEqual((await one('operator', `/nodes/${stack.nodes.d}`)).groups, []);
  await checkA11y(page);
  expectNoConsoleErrors(page, { allow });
});

test('an administrator authorises a polling service', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lers-admin-test-'));
  try {
    execFileSync(path.join(buildRoot, 'tools', 'lers'), ['poll', 'add-service', 'poller-kamchatka', `--token-file=${dir}/token`], {
      env: { ...process.env, LERS_DB: stack.db },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // a service that asked to join and waits (add-service authorises it)
  psql("UPDATE poll_services SET authorised = false, authorised_at = NULL WHERE name = 'poller-kamchatka'");

  const page = await newPage(browser, { lang: 'ru', viewport: 'desktop' });
  await login(page, stack, 'admin');
  await open(page, '/admin/services');
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'poller-kamchatka' }) });
  await row.getByText('ждёт авторизации').waitFor();
  await row.getByRole('cell', { name: 'нет', exact: true }).waitFor();
  await checkA11y(page);
  await screenshot(page, 'admin-services');
  await row.getByRole('button', { name: 'Авторизовать' }).click();
  await row.getByText(/^да, с \d\d\.\d\d\.\d{4}, \d\d:\d\d$/).waitFor();
  await row.getByRole('button', { name: 'Отозвать' }).waitFor();
  const services = await one('admin', '/poll/services');
  const service = services.find((s) => s.name === 'poller-kamchatka');
  assert.equal(service.authorised, true);
  assert.equal(psql("SELECT authorised FROM poll_services WHERE name = 'poller-kamchatka'"), 't');
  // audited with the administrator's login
  assert.equal(
    psql(`SELECT login FROM audit_log WHERE entity = 'poll-service' AND entity_id = ${service.id} AND action = 'authorise'`),
    stack.users.admin.login,
  );

  // the links and modem statistics page is read-only and lists the seeded links
  await open(page, '/admin/traffic');
  await page.getByRole('heading', { name: 'Линии связи' }).waitFor();
  await page.getByRole('heading', { name: 'Статистика GPRS-модемов' }).waitFor();
  // one row a link, as the API lists them (the stack's lines: 4 simulated meters and 127.0.0.1:9)
  const links = await one('admin', '/poll/links');
  assert.ok(links.length >= 2);
  const linkRows = page.locator('table').first().locator('tbody tr');
  assert.equal(await linkRows.count(), links.length);
  const dead = links.find((l) => l.address === '127.0.0.1:9');
  const deadRow = linkRows.filter({ hasText: '127.0.0.1:9' });
  await deadRow.getByRole('cell', { name: 'TCP/IP (сервер подключается)' }).waitFor();
  assert.equal(await deadRow.getByRole('rowheader').getByRole('link').getAttribute('href'), `#/admin/connections/${dead.connection_id}`);
  assert.equal(await page.getByRole('button', { name: /Сохранить|Создать|Удалить/ }).count(), 0);
  await checkA11y(page);
  await screenshot(page, 'admin-traffic');
  expectNoConsoleErrors(page, { allow });
});

test('a viewer sees the forms read-only and no users', async () => {
  const page = await newPage(browser, { lang: 'ru', viewport: 'desktop' });
  await login(page, stack, 'viewer');
  await open(page, '/admin/nodes');
  await page.getByRole('table').getByRole('link', { name: 'Жилой дом №1' }).waitFor();
  const nav = page.getByRole('navigation', { name: 'Разделы администрирования' });
  await nav.getByRole('link', { name: 'Территории' }).waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Пользователи' }).count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Новый объект учёта' }).count(), 0);

  await open(page, `/admin/nodes/${stack.nodes.a}`);
  await page.getByText('Только просмотр: ваша роль не позволяет изменять.').waitFor();
  const title = page.getByLabel('Наименование', { exact: true });
  assert.equal(await title.inputValue(), 'Жилой дом №1');
  assert.equal(await title.isDisabled(), true);
  assert.equal(await page.getByLabel('Широта, градусы').inputValue(), '56,838');
  assert.equal(await page.getByLabel('Широта, градусы').isDisabled(), true);
  assert.equal(await page.getByRole('button', { name: /Сохранить|Удалить/ }).count(), 0);

  // a point's schedule: shown, not editable
  await open(page, `/admin/points/${stack.points.year}`);
  await page.getByRole('heading', { name: 'Расписание опроса' }).waitFor();
  assert.equal(await page.getByLabel('часовой архив: каждые, минут').isDisabled(), true);
  assert.equal(await page.getByRole('button', { name: 'Сохранить расписание' }).count(), 0);
  await checkA11y(page);
  await screenshot(page, 'admin-viewer-point');

  // users are the administrators' only: the section is not there
  await open(page, '/admin/users');
  await page.getByRole('alert').filter({ hasText: 'Такого раздела нет, или у вас нет к нему доступа.' }).waitFor();
  // and the API agrees
  assert.equal((await v1('viewer', 'GET', '/users')).status, 403);
  expectNoConsoleErrors(page, { allow });
});

test('a subscriber cannot open the administration', async () => {
  const page = await newPage(browser, { lang: 'ru', viewport: 'desktop' });
  await login(page, stack, 'sub1');
  await open(page, '/admin/nodes');
  await page.getByRole('heading', { name: 'Нет доступа' }).waitFor();
  assert.equal(await page.getByRole('table').count(), 0);
  assert.equal((await v1('sub1', 'POST', '/territories', { title: 'x', time_zone: 'UTC' })).status, 403);
  expectNoConsoleErrors(page, { allow });
});

test('on a phone the lists and forms fit the screen', async () => {
  const page = await newPage(browser, { lang: 'ru', viewport: 'phone' });
  await login(page, stack, 'operator');
  await open(page, '/admin/nodes');
  await page.getByRole('table').getByRole('link', { name: 'Жилой дом №2' }).waitFor();
  await noHorizontalScroll(page);
  await checkA11y(page);
  await screenshot(page, 'admin-nodes-phone');
  await open(page, `/admin/nodes/${stack.nodes.b}`);
  await page.getByLabel('Наименование', { exact: true }).waitFor();
  assert.equal(await page.getByLabel('Адрес', { exact: true }).inputValue(), 'ул. Мира, 2');
  await noHorizontalScroll(page);
  await screenshot(page, 'admin-node-phone');
  // an operator edits a node: the change is stored
  await page.getByLabel('Договор').fill('Д-2026/17');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await page.getByRole('status').filter({ hasText: 'Сохранено.' }).waitFor();
  assert.equal((await one('operator', `/nodes/${stack.nodes.b}`)).contract, 'Д-2026/17');
  await open(page, `/admin/points/${stack.points.year}`);
  await page.getByRole('heading', { name: 'Расписание опроса' }).waitFor();
  await noHorizontalScroll(page);
  await checkA11y(page);
  await screenshot(page, 'admin-point-phone');
  expectNoConsoleErrors(page, { allow });
});

test('in English: a territory with its zone', async () => {
  const page = await newPage(browser, { lang: 'en', viewport: 'desktop' });
  await login(page, stack, 'admin');
  await page.getByRole('button', { name: 'English' }).click();
  await open(page, `/admin/territories/${stack.territories.moscow}`);
  await page.getByRole('heading', { name: 'Administration: Territories' }).waitFor();
  assert.equal(await page.getByLabel('Title', { exact: true }).inputValue(), 'Москва');
  assert.equal(await page.getByLabel('Time zone', { exact: true }).inputValue(), 'Europe/Moscow');
  await page.getByLabel('Title', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.equal(await fieldError(page, 'Title'), 'Required.');
  assert.equal((await one('admin', `/territories/${stack.territories.moscow}`)).title, 'Москва');
  await checkA11y(page);
  await screenshot(page, 'admin-territory-en');
  expectNoConsoleErrors(page, { allow });
});
