// SPDX-License-Identifier: LGPL-2.1-or-later
// The map (#/map) and the incidents page (#/incidents) as a person meets
// them: one circle a placed node in its state's colour, the legend's
// counts, the popup with the node's problems and last values, the group
// filter, no tile request with the default (empty) tile URL, nodes without
// coordinates listed beside the map; a subscriber sees only its node;
// phone size, English once, axe, screenshots.
//
// The stack (tests/web/stack.py) seeds nodes a, b, c, d with coordinates;
// this test adds node "e" (placed, no points) and node "f" (no coordinates)
// and makes d's only point stale. Expected states, by the rules of
// daemon/routes/server.c (docs/api-server.md):
//   a  normal    4 points, current records a minute old, no alarm
//   b  critical  its point "Отопление" has an alarm event (power-off, 5 h ago)
//   c  normal    current record a minute old, only an info event
//   d  warning   its point (with a device) last read 30 h ago (> 26 h)
//   e  unknown   no points
//   f  unknown   not placed (0, 0): listed beside the map, no marker
// Groups: "Жилой фонд" = a, b; "Котельные" = c.
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

// settings.ts asks for all of a user's settings at once: no console error
// is excused
const ALLOW = { allow: [] };

function psql(sql) {
  return execFileSync('psql', ['-XAtq', '-v', 'ON_ERROR_STOP=1', '-d', stack.db, '-c', sql], {
    encoding: 'utf8',
  }).trim();
}

/** Text as a reader compares it: Intl's no-break spaces as plain ones. */
const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();

/** "dd.mm.yyyy, hh:mm" of @iso at a fixed UTC offset of @hours (Moscow: +3). */
function wallClock(iso, hours) {
  const d = new Date(new Date(iso).getTime() + hours * 3600_000);
  const two = (n) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}.${two(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

async function openMap(page, path = '/map') {
  await page.goto(`${stack.url}#${path}`);
  await page.locator('.map-canvas .leaflet-marker-icon').first().waitFor();
}

async function markerStates(page) {
  return page.$$eval('.map-canvas .leaflet-marker-icon', (els) =>
    els.map((e) => ({ node: Number(e.dataset.nodeId), state: e.dataset.state, cls: e.className })),
  );
}

function countBy(list, key) {
  const out = {};
  for (const x of list) out[x[key]] = (out[x[key]] ?? 0) + 1;
  return out;
}

describe('the map', () => {
  before(async () => {
    stack = await startStack();
    browser = await openBrowser();
    psql(`INSERT INTO nodes (number, title, address, latitude, longitude)
            VALUES ('map-e', 'Склад', 'ул. Складская, 3', 56.8300, 60.6000),
                   ('map-f', 'Гараж', 'ул. Гаражная, 4', 0, 0)`);
    stack.nodes.e = Number(psql(`SELECT id FROM nodes WHERE number = 'map-e'`));
    stack.nodes.f = Number(psql(`SELECT id FROM nodes WHERE number = 'map-f'`));
    psql(`UPDATE archive SET ts = ts - interval '30 hours'
            WHERE point_id = ${stack.points.cold_water} AND kind = 0`);
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('the API says the states worked out by hand', async () => {
    const r = await api(stack, 'admin', 'GET', '/api/v1/nodes/states');
    assert.equal(r.status, 200);
    const states = Object.fromEntries(r.body.items.map((i) => [i.node_id, i.state]));
    const n = stack.nodes;
    // a node without points (e, f) is "unknown": the server lists it so, or
    // (as now) leaves it out of the list, which the map shows as unknown
    const unknown = (s) => s ?? 'unknown';
    assert.deepEqual(
      { a: states[n.a], b: states[n.b], c: states[n.c], d: states[n.d], e: unknown(states[n.e]), f: unknown(states[n.f]) },
      { a: 'normal', b: 'critical', c: 'normal', d: 'warning', e: 'unknown', f: 'unknown' },
    );
  });

  test('every placed node is a circle in its state colour, without a tile request', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    const requests = [];
    page.on('request', (r) => requests.push({ url: r.url(), type: r.resourceType() }));
    await login(page, stack, 'admin');
    await openMap(page);
    await page.waitForFunction(() => document.querySelectorAll('.map-canvas .leaflet-marker-icon').length >= 5);
    const markers = await markerStates(page);
    const n = stack.nodes;
    assert.deepEqual(
      markers.map((m) => m.node).sort((x, y) => x - y),
      [n.a, n.b, n.c, n.d, n.e].sort((x, y) => x - y),
    );
    assert.deepEqual(countBy(markers, 'state'), { normal: 2, critical: 1, warning: 1, unknown: 1 });
    for (const m of markers) assert.match(m.cls, new RegExp(`\\bstate-${m.state}\\b`));
    // the colour a person sees is the state's colour of app.css
    const colours = await page.$$eval('.map-canvas .leaflet-marker-icon', (els) =>
      Object.fromEntries(els.map((e) => [e.dataset.state, getComputedStyle(e).backgroundColor])),
    );
    assert.deepEqual(colours, {
      unknown: 'rgb(110, 119, 129)', // --state-unknown #6e7781
      normal: 'rgb(26, 127, 55)', // --state-normal #1a7f37
      warning: 'rgb(154, 103, 0)', // --state-warning #9a6700
      critical: 'rgb(207, 34, 46)', // --state-critical #cf222e
    });
    // the legend counts them with words
    const legend = plain(await page.locator('.map-legend').innerText());
    assert.match(legend, /неизвестно\s*1/);
    assert.match(legend, /норма\s*2/);
    assert.match(legend, /предупреждение\s*1/);
    assert.match(legend, /критическое\s*1/);
    // node f has no coordinates: beside the map, not on it
    const notPlaced = page.locator('.map-not-placed');
    assert.match(plain(await notPlaced.innerText()), /Не размещены на карте \(1\)/);
    assert.match(await notPlaced.innerText(), /Гараж/);
    // no tile URL configured (the default): nothing but our own server asked
    const server = await api(stack, 'admin', 'GET', '/api/v1/server');
    assert.equal(server.body.map.tile_url, '');
    const foreign = requests.filter((r) => !r.url.startsWith(stack.url));
    assert.deepEqual(foreign, []);
    assert.deepEqual(requests.filter((r) => r.type === 'image'), []);
    await checkA11y(page);
    await screenshot(page, 'map-desktop-ru');
    expectNoConsoleErrors(page, ALLOW);
    await page.close();
  });

  test('the popup shows the node, its problems and the values the API has', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'admin');
    await openMap(page);
    const states = (await api(stack, 'admin', 'GET', '/api/v1/nodes/states')).body.items;
    const b = states.find((s) => s.node_id === stack.nodes.b);
    assert.equal(b.problems.length, 1);
    const current = (await api(stack, 'admin', 'GET', `/api/v1/current?node=${stack.nodes.b}`)).body.items;
    const hot = current.find((i) => i.point_id === stack.points.hot_water);
    assert.deepEqual(
      hot.values.map((v) => [v.parameter, v.value, v.unit]),
      [
        ['T_in', 60.5, 'degC'],
        ['V_in', 1234.5, 'm3'],
        ['VolumeFlow_in', 0.75, 'm3/h'],
      ],
    );
    await page.locator(`.leaflet-marker-icon[data-node-id="${stack.nodes.b}"]`).click();
    const popup = page.locator('.leaflet-popup .map-popup');
    await popup.locator('.map-popup-point').first().waitFor();
    const text = plain(await popup.innerText());
    assert.match(text, /Жилой дом №2/);
    assert.match(text, /ул\. Мира, 2/);
    assert.match(text, /критическое/);
    assert.ok(text.includes(plain(b.problems[0].message)), `${b.problems[0].message} in ${text}`);
    // the hot water point's values with Russian units and numbers
    const hotBox = plain(await popup.locator('.map-popup-point', { hasText: 'ГВС' }).innerText());
    assert.match(hotBox, /T_in 60,5 °C/);
    assert.match(hotBox, /V_in 1 234,5 м³/);
    assert.match(hotBox, /VolumeFlow_in 0,75 м³\/ч/);
    // node b is in Moscow (UTC+3 all year): its time is Moscow's wall clock
    assert.ok(hotBox.includes(wallClock(stack.archive.current_at, 3)), `${wallClock(stack.archive.current_at, 3)} in ${hotBox}`);
    const link = popup.getByRole('link', { name: 'Жилой дом №2' });
    assert.equal(await link.getAttribute('href'), `#/nodes/${stack.nodes.b}`);
    await checkA11y(page, { include: '.leaflet-popup' });
    await screenshot(page, 'map-popup-ru');
    expectNoConsoleErrors(page, ALLOW);
    await page.close();
  });

  test('the group filter leaves that group’s markers', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'admin');
    await openMap(page);
    await page.getByRole('search').getByLabel('Группа').selectOption({ label: 'Жилой фонд' });
    await page.waitForFunction(() => document.querySelectorAll('.map-canvas .leaflet-marker-icon').length === 2);
    let markers = await markerStates(page);
    assert.deepEqual(
      markers.map((m) => m.node).sort((x, y) => x - y),
      [stack.nodes.a, stack.nodes.b].sort((x, y) => x - y),
    );
    assert.match(page.url(), new RegExp(`group=${stack.groups.housing}`));
    await page.getByRole('search').getByLabel('Группа').selectOption({ label: 'Котельные' });
    await page.waitForFunction(() => document.querySelectorAll('.map-canvas .leaflet-marker-icon').length === 1);
    markers = await markerStates(page);
    assert.deepEqual(markers.map((m) => [m.node, m.state]), [[stack.nodes.c, 'normal']]);
    expectNoConsoleErrors(page, ALLOW);
    await page.close();
  });

  test('the view is remembered per user', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    // an earlier test's click on a marker may have panned the map (and so
    // stored a view): start from none
    await api(stack, 'admin', 'DELETE', '/api/v1/auth/me/settings/map.view');
    await login(page, stack, 'admin');
    await openMap(page);
    assert.equal((await api(stack, 'admin', 'GET', '/api/v1/auth/me/settings/map.view')).status, 404);
    await page.getByRole('button', { name: 'Приблизить' }).click();
    let stored;
    for (let i = 0; i < 50 && !stored; i++) {
      const r = await api(stack, 'admin', 'GET', '/api/v1/auth/me/settings/map.view');
      if (r.status === 200) stored = r.body;
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(stored, 'map.view stored after zooming');
    assert.equal(typeof stored.lat, 'number');
    assert.equal(typeof stored.lng, 'number');
    assert.ok(Number.isInteger(stored.zoom));
    // the centre lies among the seeded nodes, around Ekaterinburg
    assert.ok(Math.abs(stored.lat - 56.84) < 0.1 && Math.abs(stored.lng - 60.6) < 0.1, JSON.stringify(stored));
    // another user's map is not changed by it
    assert.equal((await api(stack, 'operator', 'GET', '/api/v1/auth/me/settings/map.view')).status, 404);
    // a reload opens the map at the stored zoom: zooming out once more
    // stores one less
    await page.reload();
    await page.locator('.map-canvas .leaflet-marker-icon').first().waitFor();
    await page.getByRole('button', { name: 'Отдалить' }).click();
    let after;
    for (let i = 0; i < 50; i++) {
      const r = await api(stack, 'admin', 'GET', '/api/v1/auth/me/settings/map.view');
      if (r.body.zoom === stored.zoom - 1) {
        after = r.body;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(after, `zoom ${stored.zoom - 1} stored after the reload and zooming out`);
    expectNoConsoleErrors(page, ALLOW);
    await page.close();
  });

  test('a subscriber’s map, current values and incidents show only its node', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'sub1');
    await openMap(page);
    const markers = await markerStates(page);
    assert.deepEqual(markers.map((m) => [m.node, m.state]), [[stack.nodes.a, 'normal']]);
    assert.equal(await page.getByRole('search').getByLabel('Группа').count(), 0);
    await screenshot(page, 'map-subscriber-ru');

    await page.goto(`${stack.url}#/current`);
    await page.locator('.current-table tr.current-row').first().waitFor();
    const nodes = await page.$$eval('.current-table tr.current-row', (rows) => rows.map((r) => Number(/node-(\d+)/.exec(r.className)[1])));
    assert.deepEqual(nodes, stack.points.sim.map(() => stack.nodes.a));

    await page.goto(`${stack.url}#/incidents`);
    await page.locator('.incidents-events tr.event-row, .incidents-none').first().waitFor();
    const events = plain(await page.locator('.incidents-events').innerText());
    assert.match(events, /Неисправность датчика температуры/);
    assert.doesNotMatch(events, /Отключение питания|Коррекция часов/);
    assert.doesNotMatch(plain(await page.locator('main').innerText()), /Жилой дом №2|Школа №5/);
    await checkA11y(page);
    expectNoConsoleErrors(page, ALLOW);
    await page.close();
  });

  test('the incidents page lists the problems and the events, sortable', async () => {
    const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
    await login(page, stack, 'admin');
    await page.goto(`${stack.url}#/incidents`);
    await page.locator('.incidents-events tr.event-row').first().waitFor();
    await page.locator('.incidents-problems tr.problem-row').first().waitFor();
    // the problems: b's alarm (critical) and d's stale data (warning)
    const problems = await page.$$eval('.incidents-problems tr.problem-row', (rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.innerText.trim())),
    );
    const byCode = Object.fromEntries(problems.map((r) => [r[3], r]));
    assert.deepEqual(Object.keys(byCode).sort(), ['alarm-event', 'stale']);
    assert.deepEqual(byCode['alarm-event'].slice(0, 3), ['Жилой дом №2', 'Отопление', 'критическое']);
    assert.deepEqual(byCode.stale.slice(0, 3), ['Школа №5', 'ХВС', 'предупреждение']);
    // the events of the last 7 days, newest first: 3 h, 5 h, 30 h, 50 h ago
    const texts = async () =>
      page.$$eval('.incidents-events tr.event-row', (rows) => rows.map((r) => r.querySelectorAll('td')[6].innerText.trim()));
    assert.deepEqual(await texts(), [
      'Неисправность датчика температуры',
      'Отключение питания',
      'Расход вне диапазона',
      'Коррекция часов',
    ]);
    // sorting by severity: a header is a button, aria-sort follows
    const header = page.locator('.incidents-events th', { hasText: 'Важность' });
    await header.getByRole('button').click();
    assert.equal(await header.getAttribute('aria-sort'), 'ascending');
    const severities = await page.$$eval('.incidents-events tr.event-row', (rows) =>
      rows.map((r) => r.querySelectorAll('td')[4].innerText.trim()),
    );
    assert.deepEqual(severities, ['информация', 'предупреждение', 'предупреждение', 'авария']);
    // the node filter keeps one node's rows
    await page.getByRole('search').getByLabel('Объект учёта').selectOption({ label: 'Жилой дом №2' });
    await page.waitForFunction(() => document.querySelectorAll('.incidents-events tr.event-row').length === 2);
    await checkA11y(page);
    await screenshot(page, 'incidents-desktop-ru');
    expectNoConsoleErrors(page, ALLOW);
    await page.close();
  });

  test('on a phone, in English: no sideways scrolling', async () => {
    const page = await newPage(browser, { viewport: 'phone', lang: 'en' });
    await login(page, stack, 'operator');
    await page.getByRole('button', { name: 'English' }).click();
    await openMap(page);
    const legend = plain(await page.locator('.map-legend').innerText());
    assert.match(legend, /normal\s*2/);
    assert.match(legend, /critical\s*1/);
    await noHorizontalScroll(page);
    await checkA11y(page);
    await screenshot(page, 'map-phone-en');
    await page.locator(`.leaflet-marker-icon[data-node-id="${stack.nodes.a}"]`).click();
    await page.locator('.leaflet-popup .map-popup-point').first().waitFor();
    assert.match(plain(await page.locator('.leaflet-popup').innerText()), /T_in 71.5 °C/);
    await noHorizontalScroll(page);
    await page.goto(`${stack.url}#/incidents`);
    await page.locator('.incidents-events tr.event-row').first().waitFor();
    assert.match(plain(await page.locator('main').innerText()), /Events of the meters/);
    await noHorizontalScroll(page);
    await screenshot(page, 'incidents-phone-en');
    expectNoConsoleErrors(page, ALLOW);
    await page.close();
  });

  test('a node title is shown as text, never as markup', async () => {
    // an operator may type anything into a title; the map's labels and
    // popups show it as it was typed
    const title = 'Котельная <img src=x onerror=alert(1)><b>жирный</b>';
    const before = await api(stack, 'admin', 'GET', `/api/v1/nodes/${stack.nodes.c}`);
    assert.equal(before.status, 200);
    assert.equal((await api(stack, 'operator', 'PATCH', `/api/v1/nodes/${stack.nodes.c}`, { title })).status, 200);
    try {
      const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
      await login(page, stack, 'admin');
      await openMap(page);
      const label = page.locator('.map-label', { hasText: 'Котельная' });
      await label.waitFor();
      assert.equal(await label.innerText(), title);
      assert.equal(await page.locator('.map-label b, .map-label img').count(), 0);
      await page.locator(`.leaflet-marker-icon[data-node-id="${stack.nodes.c}"]`).click();
      await page.locator('.leaflet-popup').waitFor();
      assert.ok((await page.locator('.leaflet-popup').innerText()).includes(title));
      assert.equal(await page.locator('.leaflet-popup b, .leaflet-popup img').count(), 0);
      expectNoConsoleErrors(page, ALLOW);
      await page.close();
    } finally {
      await api(stack, 'operator', 'PATCH', `/api/v1/nodes/${stack.nodes.c}`, { title: before.body.title });
    }
  });
});
