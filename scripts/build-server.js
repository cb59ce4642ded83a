// npm run build:server (run by `prepare`, so on every `npm ci` and `npm install`): compiles the
// server and the CLI, src/ to dist/, once, so that `tapis` and `npm start` do not transpile at
// each start (docs/decisions/0009-compiled-build-lazy-commands.md).
//
// - tsc with rewriteRelativeImportExtensions: one .js per .ts, same folders, `./x.ts` imports
//   rewritten to `./x.js`. Type-checking stays a separate step (`npm run typecheck`, CI).
// - Files under src/ that are not TypeScript (the JSON data: SOP policy defaults, decision
//   templates, the default lexicon) are copied beside their modules, so that imports and
//   `new URL('./x.json', import.meta.url)` find them in dist/ as in src/.
// - dist/build-info.json records when the build started and which sources it compiled;
//   bin/tapis.js runs dist/ only while none of them has changed since (else it runs the
//   sources through tsx).
// It writes dist/ only: never web/, where the console's build goes.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
// Not compiled: the tests, and src/web (the console, built by Vite to web/dist).
const skipped = (rel) => rel === 'web' || rel.startsWith(`web${path.sep}`) || rel.endsWith('.test.ts');

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  process.stderr.write(
    'build:server: typescript is not installed (a dev dependency), so dist/ is not built; `tapis` will run the sources through tsx, which starts slower\n',
  );
  process.exit(0);
}

const startedAt = Date.now();
rmSync(dist, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
  cwd: root,
  stdio: 'inherit',
});
if (compiled.status !== 0) {
  // tsc emits even on a type error (noCheck); a failure here is a syntax or config error.
  rmSync(dist, { recursive: true, force: true });
  process.stderr.write('build:server: tsc failed; dist/ removed, `tapis` will run the sources\n');
  process.exit(compiled.status ?? 1);
}

const sources = [];
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const rel = path.relative(src, path.join(entry.parentPath, entry.name));
  if (skipped(rel) || rel.endsWith('.md')) continue;
  sources.push(rel.split(path.sep).join('/'));
  if (!rel.endsWith('.ts')) {
    mkdirSync(path.dirname(path.join(dist, rel)), { recursive: true });
    copyFileSync(path.join(src, rel), path.join(dist, rel));
  }
}
sources.sort();
writeFileSync(
  path.join(dist, 'build-info.json'),
  `${JSON.stringify({ built_at: startedAt, sources }, null, 1)}\n`,
);
process.stdout.write(
  `build:server: ${sources.length} files from src/ to dist/ in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`,
);
