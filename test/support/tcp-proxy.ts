import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the shared PostgreSQL server, so that a test can take "the
 * database" away from one tapis process without touching the server everyone else uses.
 *
 * - `refuse()`: what a stopped server looks like: every connection is cut, and new ones are
 *   refused (ECONNREFUSED).
 * - `blackhole()`: what a network partition looks like: sockets stay open but nothing
 *   arrives, on connections already made and on new ones. Only timeouts end the wait.
 * - `restore()`: forwards again. Connections cut or held in the dark are closed first, so
 *   the server ends their sessions (and any transaction they held) at once.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket | null }>();
  private mode: 'up' | 'blackhole' | 'refused' = 'up';
  port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target.host, target.port);
    await proxy.listen();
    return proxy;
  }

  get state(): 'up' | 'blackhole' | 'refused' {
    return this.mode;
  }

  private listen(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private accept(client: Socket): void {
    const pair: { client: Socket; upstream: Socket | null } = { client, upstream: null };
    this.pairs.add(pair);
    const drop = () => {
      this.pairs.delete(pair);
      client.destroy();
      pair.upstream?.destroy();
    };
    client.on('error', drop);
    client.on('close', drop);
    if (this.mode === 'blackhole') {
      // Accepted, and then nothing: bytes from the client go nowhere.
      client.on('data', () => {});
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    pair.upstream = upstream;
    upstream.on('error', drop);
    upstream.on('close', drop);
    client.on('data', (chunk) => {
      if (this.mode === 'up') upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (this.mode === 'up') client.write(chunk);
    });
  }

  /** Connections open through the proxy now (in both directions). */
  get connections(): number {
    return this.pairs.size;
  }

  async blackhole(): Promise<void> {
    this.mode = 'blackhole';
  }

  async refuse(): Promise<void> {
    this.mode = 'refused';
    this.cutAll();
    await this.closeServer();
  }

  async restore(): Promise<void> {
    this.cutAll();
    this.mode = 'up';
    if (!this.server) await this.listen();
  }

  async stop(): Promise<void> {
    this.mode = 'refused';
    this.cutAll();
    await this.closeServer();
  }

  private cutAll(): void {
    for (const pair of [...this.pairs]) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    this.pairs.clear();
  }

  private closeServer(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
