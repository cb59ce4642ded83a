import { currentPolicy } from '../policy/policy-store.ts';
import type { AppContext } from '../runtime/context.ts';
import { Lexicon } from '../screening/lexicon/lexicon.ts';
import { ContentIndex } from './content-index.ts';
import type { DetectionSetting } from './detections.ts';
import { activeIncidents } from './incidents/incidents.ts';

/**
 * What the scanner and the sweep keep per running tapis: the compiled lexicon and the
 * content index. Held beside the app context (one per context) rather than in it, so the
 * automated path adds nothing to what every other capability is handed.
 */
export interface ScanningServices {
  lexicon: Lexicon;
  contentIndex: ContentIndex;
}

const byContext = new WeakMap<AppContext, ScanningServices>();

export function scanningServices(ctx: AppContext): ScanningServices {
  let services = byContext.get(ctx);
  if (!services) {
    services = { lexicon: Lexicon.default(), contentIndex: new ContentIndex(ctx.db) };
    byContext.set(ctx, services);
  }
  return services;
}

/** The policy and incidents in force now: read once per batch or sweep. */
export async function detectionSetting(ctx: AppContext, now: Date): Promise<DetectionSetting> {
  const [policy, incidents] = await Promise.all([currentPolicy(ctx.db), activeIncidents(ctx.db, now)]);
  return {
    policy: policy.document,
    incidents,
    jurisdiction: ctx.config.TAPIS_DETECTION_JURISDICTION,
    language: ctx.config.TAPIS_DETECTION_LANGUAGE,
    category: 'terrorism',
  };
}
