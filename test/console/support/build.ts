import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_DIST } from '../../../src/http/console.ts';

/** `npm install` builds the console; a checkout that skipped it builds it here, once. */
export function ensureConsoleBuilt(): void {
  if (existsSync(join(CONSOLE_DIST, 'index.html'))) return;
  execFileSync('npm', ['run', 'build:web'], { stdio: 'inherit', cwd: join(CONSOLE_DIST, '..', '..') });
}
