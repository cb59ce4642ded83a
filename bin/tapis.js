#!/usr/bin/env node
// The `tapis` command. It runs the compiled output in dist/ (built by `npm run build:server`,
// which `npm ci` and `npm install` run through `prepare`) when it is there and fresh, and
// otherwise the TypeScript sources through tsx, so that an edit to src/ takes effect at
// once (docs/decisions/0009-compiled-build-lazy-commands.md).
//
// Fresh: dist/build-info.json lists the source files the build compiled and when it
// started; dist is fresh while every one of them is still there and none was modified after
// that moment. An edit, a `git checkout` or a deleted file makes it stale; a new file matters
// only once an existing one imports it, which is an edit. That is one stat per source file
// (a couple of milliseconds), and no file is read but build-info.json.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

function compiledIsFresh() {
  let info;
  try {
    info = JSON.parse(readFileSync(path.join(root, 'dist', 'build-info.json'), 'utf8'));
  } catch {
    return false;
  }
  // An installed copy without its sources has nothing to be stale against.
  if (!statSync(path.join(root, 'src'), { throwIfNoEntry: false })) return true;
  const src = path.join(root, 'src', path.sep);
  for (const file of info.sources) {
    const stat = statSync(src + file, { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs > info.built_at) return false;
  }
  return true;
}

if (compiledIsFresh()) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
