// SPDX-License-Identifier: LGPL-2.1-or-later
// Builds the web application into a folder that lersd compiles in as a
// GResource (web/meson.build), or serves from disk with --web-root.
//
//   node build.mjs --outdir DIR [--gresource FILE.xml] [--watch]
//
// 1. The Russian catalogue must hold every message the sources pass to t():
//    a missing one fails the build (src/locale/ru/*.json, one file an area).
// 2. esbuild bundles src/main.tsx with code splitting (each page is loaded
//    when first opened), src/styles/index.css, and the service worker.
// 3. index.html gets the entry's script and style; static/ is copied.
// 4. Text files get a .gz beside them (lersd sends it to clients that
//    accept gzip); build-report.json records the compressed size of what
//    the first route loads (tests/web/size.test.mjs checks it).
// 5. The GResource XML lists every file. Files whose bytes did not change
//    are not rewritten, so an unchanged web build does not relink lersd.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const outdir = resolve(option('--outdir') ?? join(here, 'dist'));
const gresource = option('--gresource');
const watch = args.includes('--watch');

function fail(message) {
  console.error(`web/build.mjs: ${message}`);
  process.exit(1);
}

if (!existsSync(join(here, 'node_modules', 'esbuild')))
  fail(`web/node_modules is missing: run "npm ci" in ${here} (scripts/test and scripts/demo do)`);
const esbuild = await import(join(here, 'node_modules', 'esbuild', 'lib', 'main.js'));

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

// ---- 1. the Russian catalogue ------------------------------------------
// t('…') / t("…") with a literal first argument; the literal is the English
// text and the key. Template literals and variables are not messages.
export function extractMessages(source) {
  const found = new Set();
  const re = /\bt\(\s*(['"])((?:\\.|(?!\1)[^\\\n])*)\1/g;
  for (let m; (m = re.exec(source)) !== null; )
    found.add(JSON.parse('"' + m[2].replace(/\\'/g, "'").replace(/"/g, '\\"') + '"'));
  return found;
}

let russianCatalogue = {};
function checkCatalogue() {
  const catalogue = {};
  const localeDir = join(here, 'src', 'locale', 'ru');
  for (const file of walk(localeDir).filter((f) => f.endsWith('.json'))) {
    const part = JSON.parse(readFileSync(file, 'utf8'));
    for (const [k, v] of Object.entries(part)) {
      if (k in catalogue && catalogue[k] !== v)
        fail(`${relative(here, file)}: "${k}" is translated differently in another area file`);
      if (typeof v !== 'string' || v === '') fail(`${relative(here, file)}: "${k}" has no translation`);
      catalogue[k] = v;
    }
  }
  russianCatalogue = catalogue;
  const missing = [];
  for (const file of walk(join(here, 'src')).filter((f) => /\.tsx?$/.test(f)))
    for (const msg of extractMessages(readFileSync(file, 'utf8')))
      if (!(msg in catalogue)) missing.push(`${relative(here, file)}: ${JSON.stringify(msg)}`);
  if (missing.length > 0)
    fail(`the Russian catalogue (src/locale/ru/*.json) lacks ${missing.length} message(s):\n  ${missing.join('\n  ')}`);
}

// The merged catalogue as a module: import russian from 'virtual:ru-catalogue'
const catalogueModule = {
  name: 'ru-catalogue',
  setup(b) {
    b.onResolve({ filter: /^virtual:ru-catalogue$/ }, () => ({ path: 'ru-catalogue', namespace: 'lers' }));
    b.onLoad({ filter: /.*/, namespace: 'lers' }, () => ({ contents: JSON.stringify(russianCatalogue), loader: 'json' }));
  },
};

// ---- helpers -------------------------------------------------------------
const written = new Set();
function put(path, bytes) {
  written.add(path);
  if (existsSync(path) && readFileSync(path).equals(Buffer.from(bytes))) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}
const isText = (f) => /\.(js|css|html|svg|json|webmanifest|txt)$/.test(f);

async function build() {
  checkCatalogue();
  const common = {
    absWorkingDir: here,
    bundle: true,
    minify: true,
    legalComments: 'none',
    target: ['chrome110', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    logLevel: 'warning',
    write: false,
  };
  const app = await esbuild.build({
    ...common,
    entryPoints: { app: 'src/main.tsx', style: 'src/styles/index.css' },
    outdir: join(outdir, 'assets'),
    format: 'esm',
    splitting: true,
    metafile: true,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
    loader: { '.png': 'file', '.svg': 'file' },
    plugins: [catalogueModule],
  });
  const files = new Map(app.outputFiles.map((f) => [f.path, f.contents]));
  const outputs = app.metafile.outputs;
  const rel = (p) => relative(outdir, resolve(here, p)).split('\\').join('/');
  const entryJs = Object.keys(outputs).find((p) => outputs[p].entryPoint === 'src/main.tsx');
  const entryCss = Object.keys(outputs).find((p) => p.endsWith('.css') && outputs[p].entryPoint === 'src/styles/index.css');
  // what the first route loads: the entry and its static imports, transitively
  const initial = new Set();
  const visit = (p) => {
    if (initial.has(p)) return;
    initial.add(p);
    for (const imp of outputs[p].imports) if (imp.kind === 'import-statement') visit(imp.path);
  };
  visit(entryJs);

  const buildId = createHash('sha256')
    .update([...files.entries()].map(([p, c]) => p + createHash('sha256').update(c).digest('hex')).join())
    .digest('hex')
    .slice(0, 12);
  const precache = ['/', ...Object.keys(outputs).filter((p) => !p.endsWith('.map')).map((p) => '/' + rel(p))];
  const sw = await esbuild.build({
    ...common,
    entryPoints: ['src/sw.ts'],
    outfile: join(outdir, 'sw.js'),
    format: 'iife',
    define: { LERS_BUILD_ID: JSON.stringify(buildId), LERS_PRECACHE: JSON.stringify(precache) },
  });
  for (const f of sw.outputFiles) files.set(f.path, f.contents);

  const template = readFileSync(join(here, 'static', 'index.html'), 'utf8');
  const preload = [...initial]
    .filter((p) => p !== entryJs)
    .map((p) => `<link rel="modulepreload" href="/${rel(p)}">`)
    .join('');
  files.set(
    join(outdir, 'index.html'),
    Buffer.from(
      template
        .replace('<!--style-->', `<link rel="stylesheet" href="/${rel(entryCss)}">`)
        .replace('<!--script-->', `<script type="module" src="/${rel(entryJs)}"></script>${preload}`),
    ),
  );
  for (const file of walk(join(here, 'static')))
    if (!file.endsWith('index.html')) files.set(join(outdir, relative(join(here, 'static'), file)), readFileSync(file));

  let initialGzip = 0;
  for (const [path, contents] of [...files]) {
    put(path, contents);
    if (isText(path) && contents.length > 512) {
      put(path + '.gz', gzipSync(contents, { level: 9 }));
    }
  }
  for (const p of initial) initialGzip += gzipSync(files.get(resolve(here, p)), { level: 9 }).length;
  const report = {
    build_id: buildId,
    initial_js: [...initial].map(rel),
    initial_js_gzip_bytes: initialGzip,
    chunks: Object.keys(outputs).filter((p) => p.endsWith('.js')).length,
  };
  put(join(outdir, 'build-report.json'), Buffer.from(JSON.stringify(report, null, 2) + '\n'));

  // stale files of an earlier build
  if (existsSync(outdir)) for (const f of walk(outdir)) if (!written.has(f)) rmSync(f);

  if (gresource) {
    const entries = walk(outdir)
      .map((f) => relative(outdir, f).split('\\').join('/'))
      .filter((f) => f !== 'build-report.json')
      .map((f) => `    <file>${f}</file>`)
      .join('\n');
    put(
      resolve(gresource),
      Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?>\n<gresources>\n  <gresource prefix="/org/lers/web">\n${entries}\n  </gresource>\n</gresources>\n`,
      ),
    );
  }
  console.log(
    `web: ${report.chunks} scripts, first route ${(initialGzip / 1024).toFixed(1)} KiB of gzip-compressed JavaScript`,
  );
}

if (watch) {
  const { watch: fsWatch } = await import('node:fs');
  await build();
  let timer;
  fsWatch(join(here, 'src'), { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(() => build().catch((e) => console.error(e.message)), 100);
  });
} else {
  await build().catch((e) => fail(e.message));
}
