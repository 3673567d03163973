// SPDX-License-Identifier: LGPL-2.1-or-later
// The browser tests' own ground: tests/web/stack.py seeds what
// docs/web-testing.md promises (checked with psql, a program that is not
// ours, and through the API), keeps subscribers inside their nodes, and
// leaves nothing behind when it stops; the harness's checks fail when they
// should (a page that scrolls sideways, an unlabelled field, a console error).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  api,
  checkA11y,
  expectNoConsoleErrors,
  newPage,
  noHorizontalScroll,
  openBrowser,
  screenshot,
  startStack,
} from './harness.mjs';

let stack;
let browser;

function psql(sql) {
  return execFileSync('psql', ['-XAtq', '-v', 'ON_ERROR_STOP=1', '-d', stack.db, '-c', sql], {
    encoding: 'utf8',
  }).trim();
}

function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // a zombie is gone for our purpose, but it must not stay one
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return !/^\d+ \(.*\) Z/.test(stat);
}

describe('stack.py', () => {
  before(async () => {
    stack = await startStack({ nodes: 50 });
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('the year point has a year of hours, 365 days and 12 months, by psql', () => {
    const year = stack.points.year;
    // 365 days × 24 h = 8760 hours
    assert.equal(psql(`SELECT count(*) FROM archive WHERE point_id = ${year} AND kind = 1`), '8760');
    assert.equal(psql(`SELECT count(*) FROM archive WHERE point_id = ${year} AND kind = 2`), '365');
    assert.equal(psql(`SELECT count(*) FROM archive WHERE point_id = ${year} AND kind = 3`), '12');
    // one hour apart, with no gap: first + 8759 h = last
    assert.equal(
      psql(`SELECT max(ts) - min(ts) FROM archive WHERE point_id = ${year} AND kind = 1`),
      '364 days 23:00:00',
    );
    // the first hour's supply temperature, unpacked by the database
    const first = new Date(stack.archive.hour_from);
    const localHour = (first.getUTCHours() + 3) % 24; // Moscow: UTC+3 all year
    assert.equal(
      psql(
        `SELECT value FROM archive_values WHERE point_id = ${year} AND kind = 1 ` +
          `AND ts = '${stack.archive.hour_from}' AND param = 1`,
      ),
      String(70 + 0.5 * (localHour % 12)),
    );
    // the days begin at Moscow midnight: 21:00 UTC
    assert.equal(
      psql(`SELECT DISTINCT to_char(ts AT TIME ZONE 'UTC', 'HH24:MI') FROM archive WHERE point_id = ${year} AND kind = 2`),
      '21:00',
    );
  });

  test('every point has current values; the objects are where the brief puts them', () => {
    const points = Number(psql('SELECT count(*) FROM measure_points'));
    assert.equal(points, 8); // 4 simulated meters + heat, hot water, electricity, cold water
    assert.equal(psql('SELECT count(DISTINCT point_id) FROM archive WHERE kind = 0'), String(points));
    assert.equal(psql('SELECT count(*) FROM nodes'), String(4 + 50));
    assert.equal(
      psql("SELECT string_agg(timezone, ',' ORDER BY timezone) FROM territories"),
      'Asia/Yekaterinburg,Europe/Moscow',
    );
    assert.equal(psql('SELECT count(*) FROM node_groups'), '2');
    assert.equal(psql('SELECT count(*) FROM meter_events'), '4');
    // every node within 0.2° of 56.8, 60.6
    assert.equal(psql('SELECT count(*) FROM nodes WHERE abs(latitude - 56.8) > 0.2 OR abs(longitude - 60.6) > 0.2'), '0');
    // the live point reads a simulated meter on this machine
    assert.match(
      psql(
        `SELECT c.host || ':' || c.port FROM measure_points p JOIN devices d ON d.id = p.device_id ` +
          `JOIN connections c ON c.id = d.connection_id WHERE p.id = ${stack.points.live}`,
      ),
      /^127\.0\.0\.1:\d+$/,
    );
  });

  test('the archive route shows the seeded hour in Moscow time', async () => {
    const from = stack.archive.hour_from;
    const to = new Date(new Date(from).getTime() + 3600_000).toISOString();
    const r = await api(stack, 'admin', 'GET', `/api/v1/points/${stack.points.year}/archive?kind=hour&from=${from}&to=${to}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.time_zone, 'Europe/Moscow');
    assert.equal(r.body.records.length, 1);
    const rec = r.body.records[0];
    const utc = new Date(from);
    const h = (utc.getUTCHours() + 3) % 24;
    assert.ok(rec.timestamp.endsWith('+03:00'), rec.timestamp);
    const byName = Object.fromEntries(rec.values.map((v) => [v.parameter, v]));
    assert.deepEqual(byName.T_in, { parameter: 'T_in', value: 70 + 0.5 * (h % 12), unit: 'degC', flags: [] });
    assert.deepEqual(byName.T_delta.flags, ['calculated']);
    // day 0: M_in 2.5 t, Q_in 0.0625 Gcal
    assert.equal(byName.M_in.value, 2.5);
    assert.equal(byName.Q_in.value, 0.0625);
    assert.equal(byName.Q_in.unit, 'Gcal');
  });

  test('users log in with their tokens; a subscriber sees only its node', async () => {
    for (const who of ['admin', 'operator', 'viewer', 'sub1', 'sub2']) {
      const r = await api(stack, who, 'GET', '/api/v1/nodes?limit=100');
      assert.equal(r.status, 200, `${who}: ${JSON.stringify(r.body)}`);
    }
    const sub1 = await api(stack, 'sub1', 'GET', '/api/v1/nodes');
    assert.deepEqual(sub1.body.items.map((n) => n.id), [stack.nodes.a]);
    assert.equal(stack.users.sub1.node_id, stack.nodes.a);
    const sub2 = await api(stack, 'sub2', 'GET', '/api/v1/nodes');
    assert.deepEqual(sub2.body.items.map((n) => n.id), [stack.nodes.b]);
    const hidden = await api(stack, 'sub1', 'GET', `/api/v1/nodes/${stack.nodes.b}`);
    assert.equal(hidden.status, 404);
    const nobody = await api(stack, null, 'GET', '/api/v1/nodes');
    assert.equal(nobody.status, 401);
    // the password logs in
    const login = await api(stack, null, 'POST', '/api/v1/auth/login', {
      login: 'viewer',
      password: stack.users.viewer.password,
    });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    assert.equal(login.body.user.role, 'viewer');
    const wrong = await api(stack, null, 'POST', '/api/v1/auth/login', { login: 'viewer', password: 'not-it-at-all' });
    assert.equal(wrong.status, 401);
  });

  test('noHorizontalScroll fails on a page wider than the window', async () => {
    const page = await newPage(browser, { viewport: 'phone', lang: 'en' });
    const head = '<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1"></head>';
    await page.setContent(`${head}<body><p>narrow</p></body></html>`);
    await noHorizontalScroll(page);
    await page.setContent(`${head}<body><div id="wide" style="width:800px">wide</div></body></html>`);
    await assert.rejects(noHorizontalScroll(page), /scrollWidth \d+ > innerWidth 390.*div#wide/s);
    await page.close();
  });

  test('checkA11y fails on a field with no label, passes on a labelled one', async () => {
    const page = await newPage(browser, { lang: 'ru' });
    await page.setContent(
      '<!doctype html><html lang="ru"><head><title>т</title></head><body><main>' +
        '<label for="x">Логин</label><input id="x"></main></body></html>',
    );
    await checkA11y(page);
    await page.setContent(
      '<!doctype html><html lang="ru"><head><title>т</title></head><body><main><input id="x"></main></body></html>',
    );
    await assert.rejects(checkA11y(page), /label \(critical\)/);
    await page.close();
  });

  test('expectNoConsoleErrors fails on a console error and an uncaught error', async () => {
    const page = await newPage(browser);
    await page.setContent('<!doctype html><html lang="ru"><body><h1>Страница</h1></body></html>');
    expectNoConsoleErrors(page);
    await page.evaluate(() => console.error('broken on purpose'));
    assert.throws(() => expectNoConsoleErrors(page), /broken on purpose/);
    expectNoConsoleErrors(page, { allow: [/broken on purpose/] });
    await page.evaluate(() => setTimeout(() => { throw new Error('thrown on purpose'); }));
    await page.waitForTimeout(200);
    assert.throws(() => expectNoConsoleErrors(page, { allow: [/broken on purpose/] }), /thrown on purpose/);
    const file = await screenshot(page, 'stack-self-test');
    // a PNG: its signature
    assert.deepEqual([...readFileSync(file).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await page.close();
  });

  test("the server's Content-Security-Policy stays in force in the harness's pages", async () => {
    const page = await newPage(browser);
    await page.goto(stack.url);
    await page.getByRole('button').first().waitFor();
    await checkA11y(page); // axe-core goes in all the same
    // an inline script, which script-src 'self' refuses: Chromium says so
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = true';
      document.body.append(s);
    });
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => window.inlineRan), undefined);
    assert.throws(() => expectNoConsoleErrors(page), /Content Security Policy/);
    await page.close();
  });

  test('stop() leaves no process and no folder behind', async () => {
    const { pids, work } = stack;
    for (const [name, pid] of Object.entries(pids)) assert.ok(alive(pid), `${name} (${pid}) runs before stop()`);
    assert.ok(existsSync(work));
    await stack.stop();
    for (const [name, pid] of Object.entries(pids)) assert.ok(!alive(pid), `${name} (${pid}) still runs`);
    assert.ok(!existsSync(work), `${work} is still there`);
  });
});
