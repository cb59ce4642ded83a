import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookDeliveryHandler } from '../../src/notices/webhook-delivery.ts';
import { isPublicAddress } from '../../src/notices/webhook-target.ts';
import type { ClaimedMessage } from '../../src/outbox/worker.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';

/** Addresses no webhook may reach (SSRF), several of each kind, in every form they hide in. */
const refused: Record<string, string[]> = {
  loopback: ['127.0.0.1', '127.255.255.254', '::1'],
  unspecified: ['0.0.0.0', '::'],
  private: ['10.0.0.5', '172.16.0.1', '172.31.255.255', '192.168.1.1', 'fc00::1', 'fd12:3456::1'],
  'link-local (cloud metadata)': ['169.254.169.254', 'fe80::1'],
  'carrier-grade NAT': ['100.64.0.1', '100.127.255.254'],
  'benchmarking (198.18.0.0/15)': ['198.18.0.1', '198.19.255.255', '2001:2::1'],
  multicast: ['224.0.0.1', '239.255.255.250', 'ff02::1', 'ff05::2'],
  broadcast: ['255.255.255.255'],
  documentation: ['192.0.2.10', '198.51.100.7', '203.0.113.9', '2001:db8::1'],
  'IPv4-mapped IPv6 of loopback and private': [
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:192.168.0.1',
  ],
  'SIIT (::ffff:0:a.b.c.d) of loopback': ['::ffff:0:127.0.0.1'],
  'NAT64 of loopback and private': [
    '64:ff9b::7f00:1',
    '64:ff9b::10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::1',
  ],
  '6to4 of loopback and private': ['2002:7f00:1::1', '2002:c0a8:101::1', '2002:a00:1::'],
  Teredo: ['2001:0:4136:e378:8000:63bf:3fff:fdd2'],
  'the cloud metadata address in IPv6 clothing': [
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '64:ff9b::169.254.169.254',
    '2002:a9fe:a9fe::1',
    'fd00:ec2::254',
  ],
  'this network (0.0.0.0/8) and reserved (240.0.0.0/4)': ['0.1.2.3', '240.0.0.1'],
  'not an address': ['', 'example.com', '1.2.3', '::g'],
};
const accepted = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.216.34',
  '2606:4700:4700::1111',
  '2001:4860:4860::8888',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
];

describe('webhook target addresses', () => {
  for (const [kind, addresses] of Object.entries(refused)) {
    it(`refuse ${kind}`, () => {
      expect(addresses.filter((a) => isPublicAddress(a))).toEqual([]);
    });
  }
  it('accept public unicast addresses, in IPv4, IPv6 and the IPv6 forms of a public IPv4', () => {
    expect(accepted.filter((a) => !isPublicAddress(a))).toEqual([]);
  });
});

let app: TestApp;
let strict: TestApp;
let admin: Caller;
beforeAll(async () => {
  app = await createTestApp({ env: { TAPIS_ALLOW_PRIVATE_NETWORKS: 'true' } });
  strict = await createTestApp();
  admin = await app.loginAs('admin@komdigi.example');
});
afterAll(async () => {
  await app.close();
  await strict.close();
});

describe('registering a webhook', () => {
  it('is refused for every hidden form of a private address', async () => {
    const strictAdmin = await strict.loginAs('admin@komdigi.example');
    const hosts = [
      '[::ffff:127.0.0.1]',
      '[::ffff:a00:1]',
      '[64:ff9b::7f00:1]',
      '[2002:7f00:1::1]',
      '198.18.0.1',
      '224.0.0.1',
      '255.255.255.255',
      '[ff02::1]',
      'metadata.internal',
      'printer.local',
    ];
    const accepted: string[] = [];
    for (const host of hosts) {
      const response = await strict.request({
        method: 'POST',
        url: '/v1/webhooks',
        as: strictAdmin,
        payload: { url: `https://${host}/hook` },
      });
      if (response.statusCode !== 400) accepted.push(`${host}: ${response.statusCode}`);
    }
    expect(accepted).toEqual([]);
  });
});

/** One webhook of komdigi pointing at `url`, one event for it; returns the outbox message to deliver. */
async function hookAndEvent(url: string): Promise<ClaimedMessage> {
  const hook = await app.request({ method: 'POST', url: '/v1/webhooks', as: admin, payload: { url } });
  expect(hook.statusCode, hook.body).toBe(201);
  const analyst = await app.loginAs('analis@komdigi.example');
  const notice = await app.request({
    method: 'POST',
    url: '/v1/notices',
    as: analyst,
    payload: {
      targets: [`@target_${Math.floor(Math.random() * 1e9)}`],
      category: 'terrorism',
      explanation: 'Synthetic notice for webhook target tests.',
      good_faith: true,
    },
  });
  expect(notice.statusCode).toBe(201);
  const row = await app.ctx.db
    .selectFrom('outbox')
    .select(['id', 'payload'])
    .where('topic', '=', 'webhook.deliver')
    .where(({ ref, eb }) => eb(ref('payload', '->>').key('webhook_id' as never), '=', hook.json().webhook.id))
    .executeTakeFirstOrThrow();
  // The other hooks' messages are not this test's.
  await app.ctx.db
    .updateTable('outbox')
    .set({ status: 'done' })
    .where('topic', '=', 'webhook.deliver')
    .execute();
  await app.ctx.db
    .updateTable('webhooks')
    .set({ disabled_at: app.clock() })
    .where('id', '<>', hook.json().webhook.id)
    .execute();
  return {
    id: row.id,
    topic: 'webhook.deliver',
    orderingKey: null,
    endpoint: null,
    payload: row.payload,
    attempt: 1,
  };
}

describe('delivering to a webhook', () => {
  let v6: Receiver | null = null;
  let v4: Receiver;
  beforeAll(async () => {
    v4 = await startReceiver();
    v6 = await startReceiver('::1').catch(() => null);
  });
  afterAll(async () => {
    await v4.close();
    await v6?.close();
  });

  it('reaches an IPv6-literal hook without looking its bracketed host up', async () => {
    if (!v6) return expect.soft(v6, 'this machine has no IPv6 loopback').not.toBeNull();
    const message = await hookAndEvent(v6.url);
    const looked: string[] = [];
    const handler = webhookDeliveryHandler({
      db: app.ctx.db,
      clock: app.clock,
      allowPrivateNetworks: false,
      // ::1 stands for a public IPv6 address here; nothing else is.
      allowAddress: (address) => address === '::1',
      lookup: async (host) => {
        looked.push(host);
        throw new Error(`getaddrinfo ENOTFOUND ${host}`);
      },
    });
    await handler.handle(message);
    expect(looked).toEqual([]);
    expect(v6.received).toHaveLength(1);
  });

  it('connects to the address it checked, once resolved, with the hook’s own Host (no DNS rebinding)', async () => {
    const port = new URL(v4.url).port;
    const message = await hookAndEvent(`http://hooks.ministry.test:${port}/hook`);
    // An attacker's DNS answers a public address to the check and loopback to a second lookup.
    const answers = [[{ address: '127.0.0.1', family: 4 }], [{ address: '10.9.9.9', family: 4 }]];
    const looked: string[] = [];
    const handler = webhookDeliveryHandler({
      db: app.ctx.db,
      clock: app.clock,
      allowPrivateNetworks: false,
      // 127.0.0.1 stands for the public address in this test; 10.9.9.9 is the rebinding.
      allowAddress: (address) => address === '127.0.0.1',
      lookup: async (host) => {
        looked.push(host);
        return answers.shift() ?? [];
      },
    });
    await handler.handle(message);
    expect(looked).toEqual(['hooks.ministry.test']);
    expect(v4.received).toHaveLength(1);
    expect(v4.received[0]!.headers.host).toBe(`hooks.ministry.test:${port}`);
  });

  it('refuses, for good, a name that resolves to a private address among public ones', async () => {
    const message = await hookAndEvent('http://mixed.ministry.test:9/hook');
    const handler = webhookDeliveryHandler({
      db: app.ctx.db,
      clock: app.clock,
      allowPrivateNetworks: false,
      lookup: async () => [
        { address: '8.8.8.8', family: 4 },
        { address: '::ffff:169.254.169.254', family: 6 },
      ],
    });
    await expect(handler.handle(message)).rejects.toThrow(/non-public address \(::ffff:169\.254\.169\.254\)/);
  });
});
