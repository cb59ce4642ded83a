import { fileTypeFromBuffer } from 'file-type';
import { storeBlob } from '../preservation/blobs.ts';
import { hashMediaBytes } from '../screening/media-hashes.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { DOWNLOAD_LIMIT_BYTES, type IntakeBotApi } from './bot-client.ts';
import type { CapturedMedia } from './drafts.ts';
import type { MediaRef } from './forwards.ts';

/**
 * Captures a forwarded post's media the moment it arrives: the post may be deleted within
 * minutes, and the copy Telegram keeps for the bot is the evidence. The bytes are hashed
 * (PDQ for images, MD5 and SHA-256 for every file: src/screening/media-hashes.ts) and
 * stored content-addressed (src/preservation/blobs.ts); the notice's evidence rows, filed
 * later, point at them and carry the preservation period.
 *
 * A file the Bot API will not hand over (over its 20 MB download limit, or unreachable) is
 * noted on the draft instead, with its size: the notice goes ahead without the copy.
 */
export async function captureMedia(
  db: Db,
  api: IntakeBotApi,
  ref: MediaRef,
  messageId: number,
): Promise<CapturedMedia> {
  const base = {
    name: ref.name,
    message_id: messageId,
    size: ref.size,
    sha256: null,
    md5: null,
    pdq: null,
    pdq_quality: null,
    content_type: null,
  };
  if (ref.size !== null && ref.size > DOWNLOAD_LIMIT_BYTES) return { ...base, note: 'too_large' };
  const file = await api.call<{ file_path?: string; file_size?: number }>('getFile', {
    file_id: ref.file_id,
  });
  if (!file.ok) {
    const tooBig = 'error' in file && /too big/i.test(file.error.description);
    return { ...base, note: tooBig ? 'too_large' : 'unavailable' };
  }
  if (!file.result.file_path) return { ...base, note: 'unavailable' };
  let bytes: Uint8Array;
  try {
    bytes = await api.download(file.result.file_path);
  } catch {
    return { ...base, note: 'unavailable' };
  }
  if (bytes.length > DOWNLOAD_LIMIT_BYTES) return { ...base, note: 'too_large' };
  const [hashes, sniffed] = await Promise.all([hashMediaBytes(bytes), fileTypeFromBuffer(bytes)]);
  await transact(db, (trx) => storeBlob(trx, hashes.sha256, bytes));
  return {
    ...base,
    size: bytes.length,
    sha256: hashes.sha256,
    md5: hashes.md5,
    pdq: hashes.pdq,
    pdq_quality: hashes.quality,
    content_type: sniffed?.mime ?? 'application/octet-stream',
    note: null,
  };
}
