import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoPlatformConnector } from '../../src/demo-platform/connector.ts';
import { channelMessages, seedDemoPlatform } from '../../src/demo-platform/store.ts';
import type { EnforcementAction } from '../../src/enforcement/connectors/connector.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

/** The demo platform's connector behaves as a platform's moderation API should. */
let app: TestApp;
let connector: DemoPlatformConnector;
let n = 0;

beforeAll(async () => {
  app = await createTestApp({ env: { TAPIS_DEMO: 'true' } });
  await seedDemoPlatform(app.ctx.db, app.clock());
  connector = app.ctx.connectors.demo_platform as DemoPlatformConnector;
});
afterAll(async () => {
  await app.close();
});

function action(type: EnforcementAction['type'], target: string, params: EnforcementAction['params'] = {}) {
  const [username, id] = target.split('/');
  return {
    action_id: `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
    type,
    subject: {
      platform: 'telegram',
      kind: id ? 'message' : 'channel',
      key: `telegram:message:${target}`,
      username: username!,
      ...(id ? { message_id: Number(id) } : {}),
      url: `https://t.me/${target}`,
    },
    params,
    case_id: 'case',
    decision_id: 'decision',
  } satisfies EnforcementAction;
}

async function stateOf(channel: string, id: number) {
  const found = await channelMessages(app.ctx.db, channel, app.clock());
  return found!.messages.find((m) => m.message_id === id)!;
}

describe('the demo platform connector', () => {
  it('is configured in demo mode only', async () => {
    const plain = await createTestApp({ demo: false });
    try {
      expect(plain.ctx.connectors.demo_platform).toBeUndefined();
      const response = await plain.request({ method: 'GET', url: '/v1/demo-platform/channels' });
      expect(response.statusCode).toBe(404);
      expect(response.json().detail).toMatch(/TAPIS_DEMO/);
    } finally {
      await plain.close();
    }
  });

  it('hides a message once, however often it is asked, and restores it on revert', async () => {
    const hide = action('hide_message', 'warta_kota_demo/3');
    expect(await connector.apply(hide)).toMatchObject({ status: 'applied' });
    expect(await connector.apply(hide)).toMatchObject({ status: 'already_done' });
    expect(await connector.status(hide)).toEqual({ state: 'applied' });
    expect((await stateOf('warta_kota_demo', 3)).state).toBe('hidden');
    expect(await connector.revert(hide)).toEqual({ status: 'applied' });
    expect(await connector.revert(hide)).toMatchObject({ status: 'already_done' });
    expect((await stateOf('warta_kota_demo', 3)).state).toBe('visible');
    expect(await connector.status(hide)).toEqual({ state: 'not_applied' });
  });

  it('restricts in a country, labels, and suspends a whole channel', async () => {
    await connector.apply(action('restrict_in_jurisdiction', 'lucky_spin_demo/1', { territories: ['ID'] }));
    expect(await stateOf('lucky_spin_demo', 1)).toMatchObject({ state: 'restricted', restricted_in: ['ID'] });
    const suspend = action('suspend_channel', 'lucky_spin_demo');
    await connector.apply(suspend);
    expect((await stateOf('lucky_spin_demo', 2)).state).toBe('channel_suspended');
    await connector.revert(suspend);
    expect((await stateOf('lucky_spin_demo', 2)).state).toBe('visible');
  });

  it('answers failed, saying why, for a channel or message it does not have', async () => {
    expect(await connector.apply(action('hide_message', 'no_such_channel/1'))).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/no channel .* GET \/v1\/demo-platform\/channels/),
    });
    expect(await connector.apply(action('hide_message', 'serambi_demo/999'))).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/no message 999/),
    });
    expect(await connector.apply(action('suspend_account', 'serambi_demo'))).toMatchObject({
      status: 'failed',
    });
  });
});
