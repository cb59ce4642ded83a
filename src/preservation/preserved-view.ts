import type { Selectable } from 'kysely';
import type { PreservedContentTable } from '../store/schema/index.ts';

/** Preserved content as the API shows it: metadata and hashes, never the bytes. */
export interface PreservedContentView {
  id: string;
  case_id: string;
  kind: string;
  description: string;
  filename: string | null;
  content_type: string | null;
  size: number | null;
  sha256: string | null;
  md5: string | null;
  hashes: Record<string, unknown>;
  deposited_by: string | null;
  created_at: Date;
  preserved_until: Date;
  purged_at: Date | null;
}

export function toPreservedView(row: Selectable<PreservedContentTable>): PreservedContentView {
  return {
    id: row.id,
    case_id: row.case_id,
    kind: row.kind,
    description: row.description,
    filename: row.filename,
    content_type: row.content_type,
    size: row.size,
    sha256: row.sha256,
    md5: row.md5,
    hashes: row.hashes,
    deposited_by: row.deposited_by,
    created_at: row.created_at,
    preserved_until: row.preserved_until,
    purged_at: row.purged_at,
  };
}
