import { Writable } from 'node:stream';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config/config.ts';
import type { Clock } from '../../src/core/clock.ts';
import { buildServer, type Server } from '../../src/http/server.ts';
import { type AppContext, createAppContext } from '../../src/runtime/context.ts';
import { DEMO_PASSWORD, seedDemo } from '../../src/runtime/demo.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import type { Store } from '../../src/store/db.ts';
import { type TestClock, testClock } from './clock.ts';
import { openTestStore } from './store.ts';

export interface TestApp {
  ctx: AppContext;
  server: Server;
  store: Store;
  clock: TestClock;
  /** Everything the server logged, for tests that look for leaks. */
  logs: string[];
  request(options: InjectOptions & { as?: Caller }): Promise<LightMyRequestResponse>;
  /** Logs in a demo user and returns a caller that sends its cookie and CSRF token. */
  loginAs(email: string): Promise<Caller>;
  close(): Promise<void>;
}

export type Caller = { cookie: string; csrf: string } | { key: string } | null;

export async function createTestApp(
  options: { env?: Record<string, string>; clock?: Clock; demo?: boolean } = {},
): Promise<TestApp> {
  const store = await openTestStore();
  const clock = (options.clock as TestClock | undefined) ?? testClock();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const config = loadConfig(
    { LOG_LEVEL: 'info', TAPIS_DATA_DIR: '/nonexistent', ...options.env },
    '/nonexistent',
  );
  const ctx = createAppContext(store, config, clock, createLogger(config.LOG_LEVEL, sink));
  if (options.demo !== false) await seedDemo(store.db, clock());
  const server = await buildServer(ctx);

  const request: TestApp['request'] = async ({ as, ...injectOptions }) => {
    const headers: Record<string, string> = { ...(injectOptions.headers as Record<string, string>) };
    if (as && 'key' in as) headers.authorization = `Bearer ${as.key}`;
    if (as && 'cookie' in as) {
      headers.cookie = as.cookie;
      headers['x-csrf-token'] ??= as.csrf;
    }
    return server.app.inject({ ...injectOptions, headers });
  };

  return {
    ctx,
    server,
    store,
    clock,
    logs,
    request,
    async loginAs(email) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email, password: DEMO_PASSWORD },
      });
      if (response.statusCode !== 200) throw new Error(`login as ${email} failed: ${response.body}`);
      const cookie = response.cookies.find((c) => c.name === 'tapis_session');
      return { cookie: `tapis_session=${cookie!.value}`, csrf: response.json().csrf_token };
    },
    async close() {
      await server.app.close();
      await store.close();
    },
  };
}
