// SPDX-License-Identifier: LGPL-2.1-or-later
// The browser tests' harness (docs/web-testing.md): a whole LERS from
// tests/web/stack.py, Debian's Chromium driven by playwright-core, and the
// checks every page's test makes (console errors, horizontal scrolling,
// axe-core's accessibility rules, screenshots).
//
//   import { startStack, openBrowser, newPage, login } from './harness.mjs';
//
// Tests use node:test and node:assert/strict; meson runs each
// tests/web/*.test.mjs as `node --test FILE` (tests/web/meson.build).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The source tree (LERS_SOURCE_ROOT, or the one this file is in). */
export const sourceRoot = process.env.LERS_SOURCE_ROOT || path.resolve(here, '..', '..');
/** The build tree (LERS_BUILD_ROOT, or build/ of the source tree). */
export const buildRoot = process.env.LERS_BUILD_ROOT || path.join(sourceRoot, 'build');
/** The Chromium the tests drive (LERS_CHROMIUM, or Debian's). */
export const chromiumPath = process.env.LERS_CHROMIUM || '/usr/bin/chromium';

// playwright-core and axe-core are the web application's dev packages
// (`npm ci` in web/), resolved from there wherever this file is run from.
const webRequire = createRequire(path.join(sourceRoot, 'web', 'package.json'));
function webPackage(name) {
  try {
    return webRequire.resolve(name);
  } catch (e) {
    throw new Error(`${name} is missing from ${sourceRoot}/web/node_modules: run \`npm ci\` in web/ (${e.message})`);
  }
}
const { chromium } = webRequire(webPackage('playwright-core'));

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

const VIEWPORTS = {
  desktop: { viewport: { width: 1366, height: 800 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

const LOCALES = { ru: 'ru-RU', en: 'en-US' };

// what newPage collects per page
const collected = new WeakMap();

/**
 * Starts tests/web/stack.py and resolves, once it is up, to what it printed
 * (url, db, users, nodes, points, territories, groups, archive; see
 * docs/web-testing.md) plus stop(). Options: nodes (extra plain nodes),
 * webRoot (lersd --web-root; default $LERS_WEB_ROOT), listen, timeoutMs.
 * The stack ends when stop() is called or this process exits (its stdin
 * closes).
 */
export function startStack(opts = {}) {
  const args = [path.join(sourceRoot, 'tests', 'web', 'stack.py')];
  if (opts.nodes) args.push(`--nodes=${opts.nodes}`);
  if (opts.listen) args.push(`--listen=${opts.listen}`);
  const webRoot = opts.webRoot ?? process.env.LERS_WEB_ROOT;
  if (webRoot) args.push(`--web-root=${webRoot}`);
  const python = process.env.LERS_PYTHON || '/usr/bin/python3';
  const child = spawn(python, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s) => {
    stderr += s;
    if (process.env.LERS_WEB_VERBOSE) process.stderr.write(s);
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let stopping = null;
  const stop = () => {
    if (!stopping) {
      stopping = (async () => {
        child.stdin.end();
        const timer = setTimeout(() => child.kill('SIGTERM'), 60_000);
        const { code } = await exited;
        clearTimeout(timer);
        if (code !== 0 && code !== null) throw new Error(`stack.py exited with ${code}:\n${stderr}`);
      })();
    }
    return stopping;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    const timeout = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`stack.py did not start in ${opts.timeoutMs ?? 300_000} ms:\n${stderr}`));
    }, opts.timeoutMs ?? 300_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s) => {
      out += s;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timeout);
      try {
        const info = JSON.parse(out.slice(0, nl));
        // a test that forgets stop() still ends: this process exits, the
        // stack's stdin closes, and the stack stops
        for (const h of [child, child.stdin, child.stdout, child.stderr]) h.unref?.();
        resolve({ ...info, stop, stderr: () => stderr });
      } catch (e) {
        child.kill('SIGTERM');
        reject(new Error(`stack.py printed no JSON (${e.message}): ${out}\n${stderr}`));
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timeout);
      reject(new Error(`stack.py exited (${code ?? signal}) before it was ready:\n${stderr}`));
    });
  });
}

/**
 * Debian's Chromium, headless (--no-sandbox when run as root).
 * Close it with `await browser.close()`.
 */
export async function openBrowser() {
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath} (apt-get install chromium)`);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: isRoot ? ['--no-sandbox'] : [],
  });
}

/**
 * A page in a fresh browser context (no cookies, no storage).
 * opts.viewport: 'desktop' (1366×800) or 'phone' (390×844, touch, mobile);
 * opts.lang: 'ru' or 'en' (the browser's locale and Accept-Language);
 * opts.timezone: the browser's IANA zone (default UTC);
 * opts.serviceWorkers: 'allow' (default) or 'block'.
 * Console errors and uncaught page errors are collected for
 * expectNoConsoleErrors().
 */
export async function newPage(browser, opts = {}) {
  const kind = opts.viewport ?? 'desktop';
  const lang = opts.lang ?? 'ru';
  assert.ok(VIEWPORTS[kind], `viewport ${kind}: desktop or phone`);
  assert.ok(LOCALES[lang], `lang ${lang}: ru or en`);
  const context = await browser.newContext({
    ...VIEWPORTS[kind],
    locale: LOCALES[lang],
    timezoneId: opts.timezone ?? 'UTC',
    extraHTTPHeaders: { 'Accept-Language': `${LOCALES[lang]},${lang};q=0.9` },
    // the server's Content-Security-Policy stays in force: what it refuses
    // is logged as a console error (axe-core goes in through DevTools)
    serviceWorkers: opts.serviceWorkers ?? 'allow',
  });
  const page = await context.newPage();
  const errors = [];
  collected.set(page, errors);
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      errors.push(`console: ${msg.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.stack || err.message}`));
  page.on('close', () => context.close().catch(() => {}));
  return page;
}

/**
 * One stack and one browser for the tests of a file: call at the top level
 * (or in a describe); the returned object's stack and browser are set once
 * the file's first test starts, and stopped after its last.
 *
 *   const world = useStack();
 *   test('…', async () => { const page = await newPage(world.browser); … world.stack … });
 */
export function useStack(opts = {}) {
  const world = { stack: null, browser: null };
  before(async () => {
    world.stack = await startStack(opts);
    world.browser = await openBrowser();
  });
  after(async () => {
    await world.browser?.close();
    await world.stack?.stop();
  });
  return world;
}

/** Opens the application's route @route ("/points/5?kind=day") on @page. */
export async function gotoRoute(page, stack, route) {
  await page.goto(new URL(`#${route}`, stack.url).href);
}

/** The errors collected on @page so far (strings). */
export function consoleErrors(page) {
  return [...(collected.get(page) ?? [])];
}

/**
 * Fails if @page logged a console error or threw. A failed request is
 * one (Chromium logs "Failed to load resource: … status of 404 …").
 * opts.allow: RegExps of messages a test expects (a refused login's
 * 401 is logged by Chromium as "Failed to load resource: … 401 …
 * /api/v1/auth/login").
 */
export function expectNoConsoleErrors(page, opts = {}) {
  const allow = opts.allow ?? [];
  const errors = consoleErrors(page).filter((e) => !allow.some((re) => re.test(e)));
  assert.deepEqual(errors, [], `console errors on ${page.url()}:\n${errors.join('\n')}`);
}

/** What Chromium logs when the server refuses a login (for opts.allow). */
export const REFUSED_LOGIN = /status of 401 \(Unauthorized\) \(https?:\/\/[^/]+\/api\/v1\/auth\/login:/;

/** The labels of the login form, in both languages. */
export const LOGIN_LABELS = {
  login: /^(Логин|Login)$/,
  password: /^(Пароль|Password)$/,
  submit: /^(Войти|Sign in)$/,
};

/**
 * Opens the stack's start page (unless @page shows it already) and logs in
 * as @who ('admin', 'operator', 'viewer', 'sub1', 'sub2') through the form,
 * found by its accessible labels. opts.password: another password (then
 * login returns once the form shows an alert, and does not wait for the
 * shell). Otherwise it waits until the form has gone.
 */
export async function login(page, stack, who, opts = {}) {
  const user = stack.users[who];
  assert.ok(user, `no user ${who} in the stack`);
  if (!page.url().startsWith(stack.url)) await page.goto(stack.url);
  const loginField = page.getByLabel(LOGIN_LABELS.login);
  await loginField.waitFor();
  await loginField.fill(user.login);
  await page.getByLabel(LOGIN_LABELS.password).fill(opts.password ?? user.password);
  await page.getByRole('button', { name: LOGIN_LABELS.submit }).click();
  if (opts.password !== undefined && opts.password !== user.password) {
    await page.getByRole('alert').first().waitFor();
    return;
  }
  await loginField.waitFor({ state: 'detached' });
}

/**
 * A full-page screenshot into $LERS_BUILD_ROOT/tests/web/screenshots/NAME.png
 * (the CI artifact); returns its path.
 */
export async function screenshot(page, name) {
  assert.match(name, /^[A-Za-z0-9_.-]+$/, 'a screenshot name is a file name');
  const dir = path.join(buildRoot, 'tests', 'web', 'screenshots');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * One API request as @who (a login of the stack, or null for none):
 * resolves to {status, headers, body} with body parsed when it is JSON.
 */
export async function api(stack, who, method, urlPath, body) {
  const headers = {};
  if (who) {
    assert.ok(stack.users[who], `no user ${who} in the stack`);
    headers.Authorization = `Bearer ${stack.users[who].token}`;
  }
  const init = { method, headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const r = await fetch(new URL(urlPath, stack.url), init);
  const text = await r.text();
  let parsed = text;
  if ((r.headers.get('content-type') || '').startsWith('application/json') && text !== '') {
    parsed = JSON.parse(text);
  }
  return { status: r.status, headers: r.headers, body: parsed };
}

/**
 * Fails if @page scrolls sideways: document.scrollingElement.scrollWidth
 * must not exceed the window's width (innerWidth, and the viewport the page
 * was opened with: a phone browser zooms out to show a page wider than the
 * phone, which makes innerWidth grow with it). The message names the
 * elements that reach past the right edge.
 */
export async function noHorizontalScroll(page) {
  const viewport = page.viewportSize()?.width ?? Infinity;
  const r = await page.evaluate((viewportWidth) => {
    const width = Math.min(window.innerWidth, document.documentElement.clientWidth, viewportWidth);
    const wide = [];
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      if (box.right > width + 0.5 && box.width > 0) {
        const id = el.id ? `#${el.id}` : '';
        const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
        wide.push(`${el.tagName.toLowerCase()}${id}${cls} (right ${Math.round(box.right)})`);
        if (wide.length >= 10) break;
      }
    }
    return { scrollWidth: document.scrollingElement.scrollWidth, width, wide };
  }, viewport);
  assert.ok(r.scrollWidth <= r.width,
    `horizontal scroll on ${page.url()}: scrollWidth ${r.scrollWidth} > innerWidth ${r.width}; ` +
    `past the edge: ${r.wide.join(', ')}`);
}

let axeSource = null;

/**
 * Runs axe-core (web/node_modules) on @page and fails on every violation
 * of impact serious or critical (missing labels and names, contrast, …).
 * opts.include / opts.exclude: CSS selectors; opts.disableRules: rule ids
 * a test turns off, each with its reason in the test. Resolves to the
 * violations of lesser impact (for information).
 */
export async function checkA11y(page, opts = {}) {
  axeSource ??= readFileSync(webPackage('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    // evaluated through DevTools, which the page's CSP does not govern
    await page.evaluate(`${axeSource}\n;void 0`);
  }
  const result = await page.evaluate(async ({ include, exclude, disableRules }) => {
    const context = {};
    if (include) context.include = [include].flat().map((s) => [s]);
    if (exclude) context.exclude = [exclude].flat().map((s) => [s]);
    const rules = {};
    for (const id of disableRules ?? []) rules[id] = { enabled: false };
    const r = await window.axe.run(Object.keys(context).length ? context : document,
      { resultTypes: ['violations'], rules });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  }, { include: opts.include, exclude: opts.exclude, disableRules: opts.disableRules });
  const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => v.id), [],
    `accessibility violations on ${page.url()}:\n` +
    serious.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 5).join('\n  ')}`).join('\n'));
  return result.filter((v) => !serious.includes(v));
}
