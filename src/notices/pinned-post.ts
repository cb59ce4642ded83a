import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

/**
 * A POST to `url` over a connection to `address`, the one the caller resolved and checked:
 * the Host header and the TLS server name (SNI, and the certificate check) still come from
 * the URL, so a receiver behind a shared address or a CDN answers as it would to a browser.
 * Redirects are not followed (a 3xx is an answer like any other).
 */
export function postPinned(
  url: URL,
  target: { address: string; family: 4 | 6 },
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    else callback(null, target.address, target.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        // The answer's body is not read beyond draining it.
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
