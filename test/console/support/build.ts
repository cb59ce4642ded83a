import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_DIST } from '../../../src/http/console.ts';

const WEB = join(CONSOLE_DIST, '..');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function builtAt(): number {
  try {
    return statSync(join(CONSOLE_DIST, 'index.html')).mtimeMs;
  } catch {
    return -1;
  }
}

/**
 * `npm install` builds the console; a checkout that skipped it, or whose sources changed
 * since, is built here (a second or two), so the tests never drive a stale console.
 */
export function ensureConsoleBuilt(): void {
  const sources = Math.max(
    newest(join(WEB, 'src')),
    newest(join(WEB, 'index.html')),
    newest(join(WEB, 'vite.config.ts')),
  );
  if (builtAt() >= sources) return;
  execFileSync('npm', ['run', 'build:web'], { stdio: 'inherit', cwd: join(WEB, '..') });
}
