// SPDX-License-Identifier: LGPL-2.1-or-later
// Issue 15's budget: the first route of the workstation loads at most
// 300 KB of compressed JavaScript; the rest (charts, map, every page) is
// fetched when first opened. The figures come from the files lersd really
// serves: the built web/dist of this build tree, gzip-compressed here with
// Node's zlib (not from the build's own report), following index.html's
// script and its static imports.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { buildRoot } from './harness.mjs';

const dist = path.join(buildRoot, 'web', 'dist');
const BUDGET = 300 * 1000;

function staticImports(file) {
  const code = readFileSync(path.join(dist, file), 'utf8');
  const dir = path.posix.dirname(file);
  const found = [];
  // esbuild's output: import{a as b}from"./chunks/chunk-X.js"; or import"./x.js";
  for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w${},\s*]+from\s*)?["']([^"']+\.js)["']/g))
    found.push(path.posix.normalize(path.posix.join(dir, m[1])));
  return found;
}

test('the first route loads at most 300 KB of compressed JavaScript', () => {
  assert.ok(existsSync(path.join(dist, 'index.html')), `no web build in ${dist}`);
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const entry = html.match(/<script type="module" src="\/([^"]+)"/);
  assert.ok(entry, 'index.html names no module script');
  const seen = new Set();
  const queue = [entry[1]];
  while (queue.length) {
    const f = queue.shift();
    if (seen.has(f)) continue;
    seen.add(f);
    queue.push(...staticImports(f));
  }
  let bytes = 0;
  for (const f of seen) bytes += gzipSync(readFileSync(path.join(dist, f)), { level: 9 }).length;
  console.log(`first route: ${seen.size} scripts, ${(bytes / 1000).toFixed(1)} KB gzip (budget 300 KB)`);
  assert.ok(bytes <= BUDGET, `${bytes} bytes of compressed JavaScript on the first route`);
  // the big libraries are not among them
  for (const f of seen) {
    const code = readFileSync(path.join(dist, f), 'utf8');
    assert.ok(!code.includes('leaflet-pane'), `${f}: Leaflet is loaded on the first route`);
    assert.ok(!code.includes('u-legend'), `${f}: uPlot is loaded on the first route`);
  }
  // every page is a chunk of its own, loaded on demand
  const chunks = readFileSync(path.join(dist, seen.values().next().value), 'utf8').match(/import\("[^"]+"\)/g) ?? [];
  assert.ok(chunks.length >= 10, `only ${chunks.length} pages load on demand`);
});
