import { DomainError } from '../core/errors.ts';

/** A bad option is told as the API tells it: the field and what was wrong; exit code 2. */
export function reportCliError(error: unknown): void {
  if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
  const fields = error.issues.map((i) => `--${i.pointer.replace(/^\//, '')}`).join(', ');
  process.stderr.write(`tapis: ${fields ? `${fields}: ` : ''}${error.message}\n`);
  process.exitCode = 2;
}
