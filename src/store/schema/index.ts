import type { AuditCheckpointTables } from './audit-checkpoints.ts';
import type { DemoPlatformTables } from './demo-platform.ts';
import type { FlaggerTables } from './flaggers.ts';
import type { FoundationTables } from './foundation.ts';
import type { GovernmentChannelTables } from './government-channel.ts';
import type { HardeningTables } from './hardening.ts';
import type { NoticeTables } from './notices.ts';
import type { ReviewTables } from './review.ts';
import type { RulebookGapTables } from './rulebook-gaps.ts';
import type { SafeguardTables } from './safeguards.ts';
import type { ScreeningTables } from './screening.ts';
import type { StreamTables } from './stream.ts';
import type { TelegramIntakeTables } from './telegram-intake.ts';
import type { TransparencyTables } from './transparency.ts';

/**
 * The whole database as Kysely sees it. Each capability declares its tables in a file of
 * its own here, and this type joins them.
 */
export interface Database
  extends FoundationTables,
    NoticeTables,
    ReviewTables,
    FlaggerTables,
    ScreeningTables,
    DemoPlatformTables,
    TelegramIntakeTables,
    StreamTables,
    TransparencyTables,
    HardeningTables,
    AuditCheckpointTables,
    RulebookGapTables,
    GovernmentChannelTables,
    SafeguardTables {}

export type * from './audit-checkpoints.ts';
export type * from './demo-platform.ts';
export type * from './flaggers.ts';
export type * from './foundation.ts';
export type * from './government-channel.ts';
export type * from './hardening.ts';
export type * from './notices.ts';
export type * from './review.ts';
export type * from './rulebook-gaps.ts';
export type * from './safeguards.ts';
export type * from './screening.ts';
export type * from './stream.ts';
export type * from './telegram-intake.ts';
export type * from './transparency.ts';
