// SPDX-License-Identifier: LGPL-2.1-or-later
// The phone app: installable (a manifest with the fields browsers require,
// icons that load, a service worker that takes control), and offline the
// objects list, a point's archive and the map open from the last data seen,
// marked as such.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoConsoleErrors, gotoRoute, login, newPage, noHorizontalScroll, screenshot, useStack } from './harness.mjs';

const world = useStack();
const OFFLINE_NOTE = /Нет связи: показаны последние полученные данные/;

async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
}

test('installable: manifest, icons and a service worker in control', async () => {
  const { stack, browser } = world;
  const page = await newPage(browser, { viewport: 'phone' });
  await page.goto(stack.url);
  const href = await page.getAttribute('link[rel="manifest"]', 'href');
  assert.equal(href, '/manifest.webmanifest');
  const res = await page.request.get(new URL(href, stack.url).href);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-type'], /^application\/manifest\+json/);
  const manifest = await res.json();
  assert.equal(manifest.short_name, 'LERS');
  assert.match(manifest.name, /учёт энергоресурсов/);
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.start_url, '/#/nodes');
  assert.equal(manifest.lang, 'ru');
  const purposes = manifest.icons.map((i) => i.purpose).sort();
  assert.deepEqual(purposes, ['any', 'maskable']);
  for (const icon of manifest.icons) {
    const r = await page.request.get(new URL(icon.src, stack.url).href);
    assert.equal(r.status(), 200, icon.src);
    assert.equal(r.headers()['content-type'], 'image/svg+xml');
    assert.match(await r.text(), /^<svg /);
  }
  const sw = await page.request.get(new URL('/sw.js', stack.url).href);
  assert.equal(sw.status(), 200);
  assert.equal(sw.headers()['cache-control'], 'no-cache');
  await controlled(page);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, stack.url);
  expectNoConsoleErrors(page);
  await page.close();
});

test('offline: the objects list, a point archive and the map from the last data seen', async () => {
  const { stack, browser } = world;
  const page = await newPage(browser, { viewport: 'phone' });
  await login(page, stack, 'admin');
  await controlled(page);

  // seen online once (the service worker keeps each answer)
  await gotoRoute(page, stack, '/nodes');
  await page.getByText('Жилой дом №2').first().waitFor();
  await gotoRoute(page, stack, `/points/${stack.points.year}?kind=day`);
  await page.getByRole('table').first().waitFor();
  const onlineRows = await page.getByRole('row').count();
  await gotoRoute(page, stack, '/map');
  await page.locator('.leaflet-interactive').first().waitFor();
  const onlineMarkers = await page.locator('path.leaflet-interactive').count();
  assert.ok(onlineMarkers >= 4, `${onlineMarkers} markers online`);
  assert.equal(await page.getByText(OFFLINE_NOTE).count(), 0);

  await page.context().setOffline(true);
  try {
    await page.reload();
    await page.getByText(OFFLINE_NOTE).first().waitFor();
    assert.equal(await page.locator('path.leaflet-interactive').count(), onlineMarkers);
    await noHorizontalScroll(page);
    await screenshot(page, 'pwa-offline-map-phone');

    await gotoRoute(page, stack, '/nodes');
    await page.getByText(OFFLINE_NOTE).first().waitFor();
    await page.getByText('Жилой дом №2').first().waitFor();
    await screenshot(page, 'pwa-offline-nodes-phone');

    await gotoRoute(page, stack, `/points/${stack.points.year}?kind=day`);
    await page.getByText(OFFLINE_NOTE).first().waitFor();
    await page.getByRole('table').first().waitFor();
    assert.equal(await page.getByRole('row').count(), onlineRows);
    await screenshot(page, 'pwa-offline-point-phone');
  } finally {
    await page.context().setOffline(false);
  }
  // back online: the note goes
  await page.reload();
  await page.getByRole('table').first().waitFor();
  assert.equal(await page.getByText(OFFLINE_NOTE).count(), 0);
  await page.close();
});
