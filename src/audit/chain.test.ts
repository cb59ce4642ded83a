import { describe, expect, it } from 'vitest';
import { type AuditEntry, chainStart, checkEntries, GENESIS_HASH, seal } from './chain.ts';

function chain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const entry = seal(
      {
        seq,
        at: new Date(Date.UTC(2026, 10, 28, 8, seq)),
        actor_type: 'user',
        actor_id: 'u1',
        actor_org_id: 'o1',
        action: 'notice.received',
        object_type: 'notice',
        object_id: `n${seq}`,
        change: { n: seq, text: 'Bahasa & العربية' },
      },
      prev,
    );
    entries.push(entry);
    prev = entry.hash;
  }
  return entries;
}

describe('the audit hash chain', () => {
  it('accepts an untouched chain, page by page', () => {
    const entries = chain(10);
    const first = checkEntries(entries.slice(0, 4), chainStart);
    expect('cursor' in first).toBe(true);
    if (!('cursor' in first)) return;
    const rest = checkEntries(entries.slice(4), first.cursor);
    expect(rest).toEqual({ cursor: { expectedSeq: 11, prevHash: entries[9]!.hash } });
  });

  it('links each entry to the one before it', () => {
    const entries = chain(3);
    expect(entries[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(entries[1]!.prev_hash).toBe(entries[0]!.hash);
  });

  it('does not depend on the order of keys in the change', () => {
    const a = seal({ ...chain(1)[0]!, change: { a: 1, b: 2 } }, GENESIS_HASH);
    const b = seal({ ...chain(1)[0]!, change: { b: 2, a: 1 } }, GENESIS_HASH);
    expect(a.hash).toBe(b.hash);
  });

  it('names an altered change, an altered field, a removal and a reordering', () => {
    const altered = chain(5);
    altered[2] = { ...altered[2]!, change: { n: 99 } };
    expect(checkEntries(altered, chainStart)).toMatchObject({ fault: { seq: 3, problem: 'altered' } });

    const relabelled = chain(5);
    relabelled[3] = { ...relabelled[3]!, actor_id: 'someone-else' };
    expect(checkEntries(relabelled, chainStart)).toMatchObject({ fault: { seq: 4, problem: 'altered' } });

    const removed = chain(5);
    removed.splice(1, 1);
    expect(checkEntries(removed, chainStart)).toMatchObject({ fault: { seq: 2, problem: 'missing' } });

    const swapped = chain(5);
    const second = { ...swapped[1]!, seq: 3 };
    const third = { ...swapped[2]!, seq: 2 };
    swapped[1] = third;
    swapped[2] = second;
    expect(checkEntries(swapped, chainStart)).toMatchObject({ fault: { seq: 2 } });
  });
});
