import { appealAsAffectedUser } from '../appeals/lodge.ts';
import { claimCase } from '../cases/queue.ts';
import { DomainError } from '../core/errors.ts';
import { type DecisionInput, decideCase } from '../decisions/decide.ts';
import { seedDemoPlatform } from '../demo-platform/store.ts';
import { demoMessageUrl } from '../demo-platform/world.ts';
import type { Actor } from '../identity/actor.ts';
import { findUserActor } from '../identity/user-actor.ts';
import { prepareNotice } from '../notices/intake.ts';
import { commitNotices } from '../notices/intake-commit.ts';
import { type NoticeInput, noticeInput } from '../notices/notice-input.ts';
import { addEntries, createBank } from '../screening/banks/bank-store.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import type { AppContext } from './context.ts';
import { demoEuJurisdiction, saveDemoJurisdiction } from './demo.ts';

/**
 * The demo's live situation, seeded once per database after the demo's people
 * (src/runtime/demo.ts): the demo platform's channels and messages, open cases in both
 * languages and both jurisdictions (one near its deadline), history for a trusted and a
 * regular flagger, a decision waiting for a second reviewer, an appeal waiting, and a hash
 * bank. Everything goes through the same use cases as the API, at times in the past, so
 * clocks, events, statements and the audit chain are what they would have been; the
 * enforcement actions of past decisions reach the demo platform as soon as the workers run.
 *
 * Synthetic throughout: the channels, messages and hashes are made up.
 */
const MARKER = 'demo_situation_seeded_at';
const MINUTE = 60_000;

interface DemoNotice {
  as: string;
  target: string;
  input: Partial<NoticeInput> & { category: string; explanation: string };
  minutesAgo: number;
  decide?: { by: string; minutesAgo: number; decision: DecisionInput; appeal?: string };
}

const illegalTerrorism = {
  illegal: {
    legal_ground: 'UU 5/2018 (Pemberantasan Tindak Pidana Terorisme), Pasal 13A',
    explanation: 'Demo: the post incites terrorist violence (synthetic content).',
  },
};

const situation: DemoNotice[] = [
  // Open, Indonesian, trusted flagger: four hours to act, forty minutes left.
  {
    as: 'analis@komdigi.example',
    target: demoMessageUrl('serambi_demo', 1),
    input: {
      category: 'terrorism',
      explanation: 'Unggahan mengajak bergabung dengan kelompok teror (konten sintetis untuk demo).',
      reference: 'DEMO/AD-001',
    },
    minutesAgo: 200,
  },
  {
    as: 'analis@komdigi.example',
    target: demoMessageUrl('serambi_demo', 2),
    input: {
      category: 'violent_extremism',
      explanation: 'Poster memuji serangan terhadap warga sipil (konten sintetis untuk demo).',
      reference: 'DEMO/AD-002',
    },
    minutesAgo: 30,
  },
  {
    as: 'analyst@ngo.example',
    target: demoMessageUrl('lucky_spin_demo', 1),
    input: {
      category: 'gambling',
      explanation: 'Promosi judi daring dengan tautan deposit (konten sintetis untuk demo).',
    },
    minutesAgo: 120,
  },
  // Open, English: in Ireland, and in Indonesia.
  {
    as: 'analyst@ngo.example',
    target: demoMessageUrl('northgate_demo', 1),
    input: {
      category: 'terrorism',
      jurisdiction: 'IE',
      explanation: 'The post calls for an attack on a town hall (synthetic demo content).',
    },
    minutesAgo: 60,
  },
  {
    as: 'analyst@ngo.example',
    target: demoMessageUrl('northgate_demo', 2),
    input: {
      category: 'violent_extremism',
      jurisdiction: 'IE',
      explanation: 'A manifesto excerpt glorifying an attacker (synthetic demo content).',
    },
    minutesAgo: 90,
  },
  {
    as: 'analis@komdigi.example',
    target: demoMessageUrl('northgate_demo', 3),
    input: {
      category: 'terrorism',
      language: 'en',
      explanation: 'Instructions for sabotage, posted in English (synthetic demo content).',
      reference: 'DEMO/AD-003',
    },
    minutesAgo: 45,
  },
  // History: decided notices of both flaggers.
  {
    as: 'analis@komdigi.example',
    target: demoMessageUrl('serambi_demo', 4),
    input: {
      category: 'terrorism',
      explanation: 'Video pelatihan senjata kelompok teror (konten sintetis untuk demo).',
      reference: 'DEMO/AD-000',
    },
    minutesAgo: 50 * 60,
    decide: {
      by: 'peninjau@platform.example',
      minutesAgo: 49 * 60,
      decision: { outcome: 'remove', grounds: illegalTerrorism },
    },
  },
  {
    as: 'analis@komdigi.example',
    target: demoMessageUrl('lucky_spin_demo', 2),
    input: {
      category: 'gambling',
      explanation: 'Promosi bonus situs judi daring (konten sintetis untuk demo).',
    },
    minutesAgo: 30 * 60,
    decide: {
      by: 'peninjau@platform.example',
      minutesAgo: 29 * 60,
      decision: {
        outcome: 'restrict_in_jurisdiction',
        territories: ['ID'],
        grounds: {
          illegal: {
            legal_ground: 'UU 1/2024 (ITE), Pasal 27 ayat (2)',
            explanation: 'Demo: online gambling promotion, illegal in Indonesia (synthetic content).',
          },
        },
      },
    },
  },
  {
    as: 'analyst@ngo.example',
    target: demoMessageUrl('warta_kota_demo', 1),
    input: {
      category: 'hoax',
      explanation: 'Jadwal pemadaman ini disebut palsu oleh warga (konten sintetis untuk demo).',
    },
    minutesAgo: 120 * 60,
    decide: {
      by: 'peninjau@platform.example',
      minutesAgo: 118 * 60,
      decision: {
        outcome: 'no_action',
        facts: 'Demo: the schedule matches the utility’s own announcement; nothing to act on.',
      },
    },
  },
  {
    as: 'analyst@ngo.example',
    target: demoMessageUrl('warta_kota_demo', 2),
    input: {
      category: 'hoax',
      explanation: 'Klaim keliru bahwa air keran beracun (konten sintetis untuk demo).',
    },
    minutesAgo: 60 * 60,
    decide: {
      by: 'peninjau@platform.example',
      minutesAgo: 58 * 60,
      decision: {
        outcome: 'label',
        label: 'Informasi keliru: lihat pengumuman resmi',
        grounds: {
          incompatible: {
            ground: 'Terms of service §4 (misleading health claims)',
            explanation: 'Demo: a false claim that tap water is poisoned (synthetic content).',
          },
        },
      },
    },
  },
  {
    as: 'analyst@ngo.example',
    target: demoMessageUrl('northgate_demo', 4),
    input: {
      category: 'terrorism',
      jurisdiction: 'IE',
      explanation: 'A recruitment post for a militia (synthetic demo content).',
    },
    minutesAgo: 28 * 60,
    decide: {
      by: 'reviewer@platform.example',
      minutesAgo: 27 * 60,
      decision: {
        outcome: 'remove',
        grounds: {
          illegal: {
            legal_ground: 'Regulation (EU) 2021/784 (TCO), Art. 2(7)',
            explanation: 'Demo: recruitment for a terrorist group (synthetic content).',
          },
        },
      },
    },
  },
  // Decided by the Indonesian reviewer, appealed by the channel's owner: the appeal waits
  // for a different reviewer who reads Indonesian (penelaah@ or lead@).
  {
    as: 'analis@komdigi.example',
    target: demoMessageUrl('serambi_demo', 5),
    input: {
      category: 'terrorism',
      explanation: 'Nasyid yang mengagungkan kekerasan (konten sintetis untuk demo).',
      reference: 'DEMO/AD-004',
    },
    minutesAgo: 78 * 60,
    decide: {
      by: 'peninjau@platform.example',
      minutesAgo: 77 * 60,
      decision: { outcome: 'remove', grounds: illegalTerrorism },
      appeal: 'Ini lagu, bukan ajakan kekerasan. (Banding sintetis untuk demo.)',
    },
  },
  // A permanent suspension waits for a second reviewer (the four-eyes rule).
  {
    as: 'analyst@ngo.example',
    target: 'https://t.me/northgate_demo',
    input: {
      category: 'terrorism',
      jurisdiction: 'IE',
      explanation: 'The whole channel exists to spread militia propaganda (synthetic demo content).',
    },
    minutesAgo: 26 * 60,
    decide: {
      by: 'reviewer@platform.example',
      minutesAgo: 25 * 60,
      decision: {
        outcome: 'suspend',
        suspension: { target: 'channel', permanent: true },
        grounds: {
          incompatible: {
            ground: 'Terms of service §2 (violent extremist organisations)',
            explanation: 'Demo: the channel is run for a fictional militia (synthetic content).',
          },
        },
      },
    },
  },
];

/** Synthetic PDQ hashes: random-looking bit strings, not hashes of any image. */
const demoHashes = [
  'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22',
  '9d2c6a81f3e05b7744a1c0de93f0d2b68e57a11c3b29f4d0e6a8c5b7d1f2e3a4',
  '3c1e5a7b9d0f2e4c6a8b0d1f3e5c7a9b2d4f6e8c0a1b3d5f7e9c2a4b6d8f0e1c',
  '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
];

/** Seeds the live situation unless this database already has it. Returns whether it seeded. */
export async function seedDemoSituation(ctx: AppContext, now: Date): Promise<boolean> {
  const claimed = await transact(ctx.db, async (trx) => {
    const marker = await trx
      .selectFrom('meta')
      .select('key')
      .where('key', '=', MARKER)
      .forUpdate()
      .executeTakeFirst();
    if (marker) return false;
    await seedDemoPlatform(trx, now);
    await saveDemoJurisdiction(trx, demoEuJurisdiction, now);
    // The marker goes in first: a seed cut short is not repeated over the half it wrote.
    await trx
      .insertInto('meta')
      .values({ key: MARKER, value: JSON.stringify(now.toISOString()) })
      .execute();
    return true;
  });
  if (!claimed) return false;
  const actors = new Map<string, Actor>();
  const actor = async (email: string) => {
    let found = actors.get(email);
    if (!found) {
      found = await actorByEmail(ctx.db, email);
      actors.set(email, found);
    }
    return found;
  };
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * MINUTE);
  for (const item of [...situation].sort((a, b) => b.minutesAgo - a.minutesAgo)) {
    const received = at(item.minutesAgo);
    const input = noticeInput.parse({ targets: [item.target], good_faith: true, ...item.input });
    const prepared = await prepareNotice(ctx.db, await actor(item.as), input, received, {
      publicUrl: ctx.config.publicUrl,
    });
    const [result] = await ctx.store.pipelinedTransaction((trx: Db) =>
      commitNotices(trx, [prepared], received),
    );
    if (!result || result instanceof DomainError) throw result ?? new Error('demo notice not stored');
    if (!item.decide) continue;
    const caseId = result.targets[0]!.case_id!;
    const reviewer = await actor(item.decide.by);
    const decidedAt = at(item.decide.minutesAgo);
    await claimCase(ctx.db, reviewer, caseId, decidedAt);
    const decided = await decideCase(ctx, reviewer, caseId, item.decide.decision, decidedAt);
    if (item.decide.appeal && decided.statement_url) {
      const token = decided.statement_url.split('/').pop()!;
      await appealAsAffectedUser(
        ctx.db,
        token,
        { grounds: item.decide.appeal },
        at(item.decide.minutesAgo - 60),
      );
    }
  }
  const system = { type: 'system' as const, id: 'seed-demo' };
  const bank = await createBank(
    ctx.db,
    system,
    {
      name: 'demo-confirmed-propaganda',
      description: 'Demo: synthetic PDQ hashes standing in for confirmed propaganda images',
      policy: 'review',
    },
    at(7 * 24 * 60),
  );
  await addEntries(
    ctx.db,
    system,
    bank.id,
    demoHashes.map((value, i) => ({
      signal_type: 'pdq',
      value,
      quality: 90,
      source: 'demo',
      note: `synthetic demo hash ${i + 1}`,
    })),
    at(7 * 24 * 60),
  );
  return true;
}

/** The actor a demo user acts as, as a session would make it (src/identity/user-actor.ts). */
async function actorByEmail(db: Db, email: string): Promise<Actor> {
  const actor = await findUserActor(db, { email });
  if (!actor) throw new Error(`demo user ${email} is missing or disabled`);
  return actor;
}
