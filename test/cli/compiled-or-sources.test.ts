import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';

/**
 * bin/tapis.js runs dist/ while it is fresh, else the sources through tsx. A project in a
 * temporary folder whose two entry points say which one ran stands in for the real one.
 */
const project = path.resolve(import.meta.dirname, '../..');
let root: string;
const builtAt = Date.now() - 60_000;

function write(rel: string, text: string, mtime?: number): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  if (mtime !== undefined) utimesSync(file, mtime / 1000, mtime / 1000);
}

function ran(): string {
  const run = spawnSync(process.execPath, [path.join(root, 'bin', 'tapis.js')], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return run.stdout;
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'tapis-bin-'));
  mkdirSync(path.join(root, 'bin'));
  copyFileSync(path.join(project, 'bin', 'tapis.js'), path.join(root, 'bin', 'tapis.js'));
  symlinkSync(path.join(project, 'node_modules'), path.join(root, 'node_modules'));
  write('package.json', '{"type":"module"}');
  write('src/cli/main.ts', "const from: string = 'sources';\nprocess.stdout.write(from);\n", builtAt - 1000);
  write('src/policy/defaults.json', '{}', builtAt - 1000);
  write('dist/cli/main.js', "process.stdout.write('dist');\n");
  write(
    'dist/build-info.json',
    JSON.stringify({ built_at: builtAt, sources: ['cli/main.ts', 'policy/defaults.json'] }),
  );
  return () => rmSync(root, { recursive: true, force: true });
});

describe('tapis runs the compiled output or the sources', () => {
  it('runs dist/ when no source has changed since the build', () => {
    expect(ran()).toBe('dist');
  });

  it('runs the sources once one of them is edited after the build, JSON files included', () => {
    write('src/policy/defaults.json', '{"changed":true}');
    expect(ran()).toBe('sources');
  });

  it('runs the sources when a compiled source was deleted, or when there is no build record', () => {
    rmSync(path.join(root, 'src/policy/defaults.json'));
    expect(ran()).toBe('sources');
    rmSync(path.join(root, 'dist/build-info.json'));
    write('src/policy/defaults.json', '{}', builtAt - 1000);
    expect(ran()).toBe('sources');
  });

  it('runs dist/ in an installed copy that has no sources', () => {
    rmSync(path.join(root, 'src'), { recursive: true });
    expect(ran()).toBe('dist');
  });
});
