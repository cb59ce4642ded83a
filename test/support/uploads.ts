import sharp from 'sharp';
import type { Caller, TestApp } from './app.ts';

/** A small PNG of one colour: distinct colours give distinct files (and hashes). */
export function png(colour: string, size = 16): Promise<Buffer> {
  return sharp({ create: { width: size, height: size, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

/** POSTs files (and fields) as multipart/form-data. */
export function postMultipart(
  app: TestApp,
  url: string,
  as: Caller,
  files: { name: string; data: Buffer }[],
  fields: Record<string, string> = {},
) {
  const boundary = '----tapis-test-boundary';
  const parts = [
    ...Object.entries(fields).map(([name, value]) =>
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    ),
    ...files.map((f) =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        f.data,
        Buffer.from('\r\n'),
      ]),
    ),
  ];
  return app.request({
    method: 'POST',
    url,
    as,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
  });
}

/** Uploads evidence to a notice and returns the stored items. */
export async function uploadEvidence(
  app: TestApp,
  as: Caller,
  noticeId: string,
  files: { name: string; data: Buffer }[],
) {
  const response = await postMultipart(app, `/v1/notices/${noticeId}/evidence`, as, files);
  if (response.statusCode !== 201) throw new Error(`evidence refused: ${response.body}`);
  return response.json().items as { id: string; sha256: string; md5: string; content_type: string }[];
}
