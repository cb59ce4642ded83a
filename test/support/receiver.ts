import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP receiver for webhooks: records what arrives, and can be told to fail or go down. */
export interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answer with this status (e.g. 500) until set back to 200. */
  status: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** `host`: the address to listen on (e.g. '::1' for an IPv6-literal hook). */
export async function startReceiver(host = '127.0.0.1'): Promise<Receiver> {
  let server: Server;
  let port = 0;
  const state: Receiver = {
    url: '',
    received: [],
    status: 200,
    async down() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
    async up() {
      await listen();
    },
    async close() {
      if (server.listening) await state.down();
    },
  };
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => {
          body += chunk;
        });
        req.on('end', () => {
          if (state.status === 200) state.received.push({ headers: req.headers, body });
          res.writeHead(state.status).end();
        });
      });
      server.listen(port, host, () => {
        port = (server.address() as AddressInfo).port;
        state.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/hook`;
        resolve();
      });
    });
  await listen();
  return state;
}
