import type { FlaggerTables } from './flaggers.ts';
import type { FoundationTables } from './foundation.ts';
import type { HardeningTables } from './hardening.ts';
import type { NoticeTables } from './notices.ts';
import type { ReviewTables } from './review.ts';
import type { ScreeningTables } from './screening.ts';

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
    HardeningTables {}

export type * from './flaggers.ts';
export type * from './foundation.ts';
export type * from './hardening.ts';
export type * from './notices.ts';
export type * from './review.ts';
export type * from './screening.ts';
