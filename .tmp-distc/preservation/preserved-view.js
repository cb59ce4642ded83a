export function toPreservedView(row) {
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
