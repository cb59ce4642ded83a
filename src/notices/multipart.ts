import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, invalid } from '../core/errors.ts';
import { MAX_EVIDENCE_BYTES, type UploadedFile } from './evidence.ts';

/** Multipart uploads for the routes of one plugin scope: up to 10 files of 20 MiB each. */
export async function acceptMultipart(app: FastifyInstance): Promise<void> {
  await app.register(fastifyMultipart, {
    limits: { fileSize: MAX_EVIDENCE_BYTES, files: 10, fields: 10, fieldSize: 1024 * 1024, parts: 30 },
    throwFileSizeLimit: true,
  });
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: UploadedFile[];
}

/** Reads every part; a file over the limit is a 413, too many parts a 413. */
export async function readMultipart(request: FastifyRequest): Promise<MultipartBody> {
  const body: MultipartBody = { fields: {}, files: [] };
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file')
        body.files.push({ filename: part.filename || 'evidence', data: await part.toBuffer() });
      else body.fields[part.fieldname] = String(part.value);
    }
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code.includes('FILE_TOO_LARGE'))
      throw new DomainError('too_large', 'each file may be at most 20 MiB');
    if (code.includes('LIMIT') || code.includes('TOO_MANY'))
      throw new DomainError('too_large', 'at most 10 files and 10 fields per upload');
    if (error instanceof DomainError) throw error;
    // Anything else the parser throws is a malformed body (src/http/parser-errors.ts).
    throw invalid(`the multipart body is malformed: ${(error as Error).message}`);
  }
  return body;
}
