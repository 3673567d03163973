// SPDX-License-Identifier: LGPL-2.1-or-later
// The browser half of tests/demo/test-demo-house.py: logs in to the
// running lersd as a user, opens a point's hour table for one local day
// and checks that the row of one hour shows, in one column, the value the
// test read from the database (at the table's decimals). One argument, a
// JSON object: url, login, password, point, title (the page's heading),
// from, to (local days), time (the row's "dd.mm.yyyy, hh:mm"), column
// ("T_in, °C"), value (a number), screenshot (a .png path).
//
//   node tests/demo/demo-house-page.mjs '{"url": "http://127.0.0.1:41234/", …}'
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expectNoConsoleErrors, login, newPage, openBrowser } from '../web/harness.mjs';

const a = JSON.parse(process.argv[2]);
const stack = { url: a.url, users: { admin: { login: a.login, password: a.password } } };
const browser = await openBrowser();
try {
  const page = await newPage(browser, { viewport: 'desktop', lang: 'ru' });
  await login(page, stack, 'admin');
  await page.goto(`${a.url}#/points/${a.point}?kind=hour&from=${a.from}&to=${a.to}`);
  await page.locator('.point-properties, main .error').first().waitFor();
  assert.equal(await page.locator('#page-title').innerText(), a.title);
  await page.getByRole('link', { name: 'Дом на Ленина, 5' }).waitFor();
  await page.locator('.point-table thead th').first().waitFor();
  const headers = (await page.locator('.point-table thead th').allInnerTexts()).map((s) =>
    s.replace(/[\s▲▼]+$/, ''),
  );
  const column = headers.indexOf(a.column);
  assert.ok(column > 0, `no column ${a.column} in ${headers.join(' | ')}`);
  const row = page.locator('.point-table tbody tr', {
    has: page.locator(`td:first-child:text-is("${a.time}")`),
  });
  await row.waitFor();
  const cells = await row.locator('td').allInnerTexts();
  // "72,3457" or "72,3457*" (a flag mark): Russian decimals, at most 4
  const text = cells[column].replace(/[*!]$/, '').replace(/[\s\u00a0\u202f]/g, '');
  assert.match(text, /^-?\d+(,\d{1,4})?$/, `cell ${cells[column]}`);
  const shown = Number(text.replace(',', '.'));
  const digits = (text.split(',')[1] ?? '').length;
  assert.ok(
    Math.abs(shown - a.value) <= 0.5 * 10 ** -digits + 1e-9,
    `${a.time}, ${a.column}: the page shows ${cells[column]}, the database holds ${a.value}`,
  );
  mkdirSync(path.dirname(a.screenshot), { recursive: true });
  await page.screenshot({ path: a.screenshot, fullPage: true });
  expectNoConsoleErrors(page);
  console.log(`ok: the page shows ${a.title} at ${a.time}: ${a.column} ${cells[column]} (database ${a.value})`);
} finally {
  await browser.close();
}
