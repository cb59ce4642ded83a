import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestBytes, digestFile } from './file-digests.ts';

describe('file digests', () => {
  it('gives the standard MD5 and SHA-256 test vectors', () => {
    expect(digestBytes(new TextEncoder().encode('abc'))).toEqual({
      md5: '900150983cd24fb0d6963f7d28e17f72',
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
  });

  it('streams a file larger than its read buffer to the same digests as its bytes', async () => {
    const bytes = new Uint8Array(1_000_003).map((_, i) => (i * 31 + (i >> 9)) & 0xff);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tapis-digest-')), 'blob.bin');
    writeFileSync(file, bytes);
    expect(await digestFile(file)).toEqual(digestBytes(bytes));
  });

  it('rejects a file that does not exist', async () => {
    await expect(digestFile('/nonexistent/tapis/file')).rejects.toThrow(/ENOENT/);
  });
});
