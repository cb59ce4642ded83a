import type { FoundationTables } from './foundation.ts';

/**
 * The whole database as Kysely sees it. Each capability declares its tables in a file of
 * its own here, and this type joins them.
 */
export interface Database extends FoundationTables {}

export type * from './foundation.ts';
