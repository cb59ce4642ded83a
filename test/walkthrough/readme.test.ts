import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FreshServer, startFreshServer } from '../support/fresh-server.ts';

/**
 * The README's walkthrough "Your first notice, end to end", run exactly as written: every
 * ```sh block under that heading, in order, as one bash script, against a fresh server on a
 * fresh database (`npm start`'s demo mode). The README cannot drift from what tapis does.
 */
const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

function walkthroughBlocks(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${heading}" section`);
  const rest = markdown.slice(start + heading.length + 5);
  const end = rest.search(/\n## /);
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/\n```sh\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
}

let server: FreshServer;
let work: string;

beforeAll(async () => {
  server = await startFreshServer();
  work = mkdtempSync(path.join(os.tmpdir(), 'tapis-walkthrough-'));
}, 90_000);

afterAll(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function bash(script: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd: work, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

describe('the README walkthrough "Your first notice, end to end"', () => {
  it('has its commands in sh blocks', () => {
    const blocks = walkthroughBlocks(readme, 'Your first notice, end to end');
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    expect(blocks.join('\n')).toMatch(/POST|-d '/);
  });

  it('runs as written against a fresh server: the message is hidden after the decision and restored after the appeal', async () => {
    const blocks = walkthroughBlocks(readme, 'Your first notice, end to end');
    // Each block's last command must succeed, and so must every command in a pipeline.
    const script = ['set -euo pipefail', ...blocks].join('\n');
    const { code, out } = await bash(script, { TAPIS_URL: server.url });
    expect(code, out).toBe(0);
    expect(out).toMatch(/^visible$/m);
    expect(out).toMatch(/^message 7 is hidden$/m);
    expect(out).toMatch(/^DECISION_GROUND_ILLEGAL_CONTENT$/m);
    expect(out).toMatch(/^upheld$/m);
    expect(out).toMatch(/^message 7 is visible again$/m);

    // The platform's own record: the message was hidden by the decision, then restored.
    const response = await fetch(`${server.url}/v1/demo-platform/channels/serambi_demo/messages`);
    const listing = (await response.json()) as {
      items: { message_id: number; state: string; actions: unknown[] }[];
    };
    const message = listing.items.find((m) => m.message_id === 7)!;
    expect(message.state).toBe('visible');
    expect(message.actions).toEqual([
      expect.objectContaining({
        type: 'hide_message',
        applied_at: expect.any(String),
        reverted_at: expect.any(String),
      }),
    ]);
  }, 120_000);
});
