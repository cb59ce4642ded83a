import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { AppContext } from '../runtime/context.ts';
import { scanBatch } from '../scanning/scan-batch.ts';
import { type PreparedEvent, parseMessage, prepareEvent } from './prepare.ts';

/**
 * `tapis scan FILE.jsonl`: one content event per line, the same shape as the API and the
 * stream, scanned in batches by the same scanner. A bad line (not UTF-8, not JSON, not a
 * valid event) is reported with its number and reason and the rest of the file goes on.
 * Lines are split on bytes, before decoding, so invalid UTF-8 is seen, not replaced.
 */
export interface FileScanSummary {
  scanned: number;
  matched: number;
  cases: number;
  actions: number;
  duplicates: number;
  refused: number;
}

const BATCH = 500;
const NEWLINE = 0x0a;

export async function scanFile(
  ctx: AppContext,
  path: string,
  hooks: { onBadLine(line: number, reason: string): void; onProgress(bytes: number, total: number): void },
): Promise<FileScanSummary> {
  const total = (await stat(path)).size;
  const summary: FileScanSummary = {
    scanned: 0,
    matched: 0,
    cases: 0,
    actions: 0,
    duplicates: 0,
    refused: 0,
  };
  let pending: Promise<PreparedEventOrBad>[] = [];
  let lineNumber = 0;
  let bytes = 0;
  let rest: Buffer = Buffer.alloc(0);

  const flush = async () => {
    const prepared = await Promise.all(pending);
    pending = [];
    const events: PreparedEvent[] = [];
    for (const p of prepared) {
      if ('event' in p) events.push(p.event);
      else {
        summary.refused += 1;
        hooks.onBadLine(p.line, p.reason);
      }
    }
    if (events.length === 0) return;
    const result = await scanBatch(ctx, events, 'file');
    summary.scanned += result.scanned;
    summary.duplicates += result.duplicates;
    summary.matched += result.matched;
    summary.cases += result.cases;
    summary.actions += result.actions;
  };
  const take = (line: Buffer) => {
    lineNumber += 1;
    const number = lineNumber;
    const trimmed = line.at(-1) === 0x0d ? line.subarray(0, -1) : line;
    if (trimmed.length === 0) return;
    pending.push(prepareLine(trimmed, number));
  };

  for await (const chunk of createReadStream(path)) {
    const data = Buffer.concat([rest, chunk as Buffer]);
    let start = 0;
    for (let at = data.indexOf(NEWLINE); at >= 0; at = data.indexOf(NEWLINE, start)) {
      take(data.subarray(start, at));
      start = at + 1;
      if (pending.length >= BATCH) await flush();
    }
    rest = Buffer.from(data.subarray(start));
    bytes += (chunk as Buffer).length;
    hooks.onProgress(bytes, total);
  }
  if (rest.length > 0) take(rest);
  await flush();
  return summary;
}

type PreparedEventOrBad = { event: PreparedEvent } | { line: number; reason: string };

async function prepareLine(line: Buffer, number: number): Promise<PreparedEventOrBad> {
  const parsed = parseMessage(line);
  if (!parsed.ok) return { line: number, reason: parsed.reason };
  const prepared = await prepareEvent(parsed.value);
  return prepared.ok ? { event: prepared.event } : { line: number, reason: prepared.reason };
}
