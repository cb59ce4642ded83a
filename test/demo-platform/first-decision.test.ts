import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type FreshServer, startFreshServer } from '../support/fresh-server.ts';

/**
 * Issue 16: right after `npm start` on an empty data folder, with nothing configured, a
 * decision to remove reaches the demo platform (the message is hidden there), and an
 * upheld appeal by the affected user, decided by a different reviewer, restores it.
 */
let server: FreshServer;

beforeAll(async () => {
  server = await startFreshServer();
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

type Session = { cookie: string; csrf: string };

async function login(email: string): Promise<Session> {
  const response = await fetch(`${server.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'tapis-demo-2026' }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie()[0]!.split(';')[0]!;
  return { cookie, csrf: ((await response.json()) as { csrf_token: string }).csrf_token };
}

async function call(method: string, path: string, as: Session | null, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(as ? { cookie: as.cookie, 'x-csrf-token': as.csrf } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function message(channel: string, id: number) {
  const listing = await call('GET', `/v1/demo-platform/channels/${channel}/messages`, null);
  expect(listing.status).toBe(200);
  return (
    listing.body.items as { message_id: number; state: string; hidden: boolean; statements: string[] }[]
  ).find((m) => m.message_id === id)!;
}

describe('the demo world, right after start', () => {
  it('a removal decided through the API hides the message on the demo platform, and an upheld appeal restores it', async () => {
    expect((await message('serambi_demo', 7)).state).toBe('visible');

    const analyst = await login('analis@komdigi.example');
    const notice = await call('POST', '/v1/notices', analyst, {
      targets: ['https://t.me/serambi_demo/7'],
      category: 'terrorism',
      explanation: 'Pamflet menghasut kekerasan (konten sintetis untuk uji).',
      good_faith: true,
    });
    expect(notice.status).toBe(201);
    const caseId = notice.body.targets[0].case_id as string;

    const peninjau = await login('peninjau@platform.example');
    expect((await call('POST', `/v1/cases/${caseId}/claim`, peninjau, {})).status).toBe(200);
    const decision = await call('POST', `/v1/cases/${caseId}/decisions`, peninjau, {
      outcome: 'remove',
      grounds: {
        illegal: {
          legal_ground: 'UU 5/2018, Pasal 13A',
          explanation: 'Incitement to terrorist violence (synthetic test content).',
        },
      },
    });
    expect(decision.status).toBe(201);
    expect(decision.body.actions).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'hide_message', connector: 'demo_platform' })]),
    );

    const hidden = await eventually(async () => {
      const m = await message('serambi_demo', 7);
      return m.hidden && m.statements.length > 0 ? m : undefined;
    });
    expect(hidden.state).toBe('hidden');
    // The platform delivered the statement of reasons to the channel's owner.
    const token = (decision.body.statement_url as string).split('/').pop()!;
    expect(hidden.statements).toEqual([decision.body.statement_url]);

    const appeal = await call('POST', `/v1/statements/${token}/appeal`, null, {
      grounds: 'This was a quotation in a news report (synthetic test appeal).',
    });
    expect(appeal.status).toBe(201);

    // The decision's author may not decide the appeal (DSA Art. 20(4)); another reviewer may.
    expect((await call('POST', `/v1/appeals/${appeal.body.appeal_id}/claim`, peninjau, {})).status).toBe(403);
    const penelaah = await login('penelaah@platform.example');
    expect((await call('POST', `/v1/appeals/${appeal.body.appeal_id}/claim`, penelaah, {})).status).toBe(200);
    const upheld = await call('POST', `/v1/appeals/${appeal.body.appeal_id}/decision`, penelaah, {
      outcome: 'upheld',
      reasons: 'On a second look the post reports on the pamphlet rather than spreading it.',
    });
    expect(upheld.status).toBe(200);

    const restored = await eventually(async () => {
      const m = await message('serambi_demo', 7);
      return m.hidden ? undefined : m;
    });
    expect(restored.state).toBe('visible');
  });

  it('every demo reviewer has a case to work, and the waiting appeal can be taken by a reviewer who did not decide it', async () => {
    for (const email of [
      'reviewer@platform.example',
      'peninjau@platform.example',
      'penelaah@platform.example',
    ]) {
      const queue = await call('GET', '/v1/queue', await login(email));
      expect(queue.status, email).toBe(200);
      expect(queue.body.items.length, email).toBeGreaterThan(0);
    }
    const english = await call('GET', '/v1/queue', await login('reviewer@platform.example'));
    expect(new Set(english.body.items.map((c: { jurisdiction: string }) => c.jurisdiction))).toEqual(
      new Set(['ID', 'IE']),
    );
    const appeals = await call('GET', '/v1/appeals', await login('penelaah@platform.example'));
    expect(appeals.body.items.some((a: { may_decide: boolean }) => a.may_decide)).toBe(true);
  });

  it('the seeded past decisions have taken effect on the demo platform', async () => {
    const state = async (channel: string, id: number) =>
      eventually(async () => {
        const m = await message(channel, id);
        return m.state === 'visible' ? undefined : m.state;
      });
    expect(await state('serambi_demo', 4)).toBe('hidden');
    expect(await state('lucky_spin_demo', 2)).toBe('restricted');
    expect(await state('warta_kota_demo', 2)).toBe('labelled');
  });
});
