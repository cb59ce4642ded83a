import { DomainError, invalid, toPointer } from "../core/errors.js";
import { parseStrictJson } from "../http/json-body.js";
import { csvRecords } from "./bulk-csv.js";
import { noticeInput } from "./notice-input.js";
/**
 * Bulk files, from bytes to notices: a CSV or JSONL file becomes one record per notice,
 * each validated with the same schema as a single POST /v1/notices. A fault in one row
 * makes that row invalid and never stops the others; only faults of the file as a whole
 * (not UTF-8, empty, too many rows, a CSV header tapis cannot map) refuse it.
 */
export const MAX_BULK_ROWS = 10_000;
/** 10,000 notices of a few KiB each; well above what honest files weigh. */
export const BULK_BODY_LIMIT = 25 * 1024 * 1024;
export const bulkFormats = ['csv', 'jsonl'];
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
/**
 * Bytes to text: strictly UTF-8 (a bad byte would otherwise become U+FFFD in a legal
 * text without anyone noticing), a leading BOM dropped (spreadsheets write one), and no
 * NUL, which PostgreSQL cannot store in the job's copy of the file.
 */
export function decodeBulkFile(body) {
    let text;
    try {
        text = utf8.decode(body);
    }
    catch {
        throw invalid('the file is not valid UTF-8; save it as UTF-8 and send it again');
    }
    if (text.includes('\u0000'))
        throw invalid('the file contains a NUL character; is it a text file?');
    if (text.trim() === '')
        throw invalid('the file is empty; send at least one notice');
    return text;
}
/** The file's records, or a 400 that says what is wrong with the file as a whole. */
export function parseBulkFile(text, format) {
    const records = format === 'csv' ? csvRecords(text, MAX_BULK_ROWS + 1) : jsonlRecords(text, MAX_BULK_ROWS + 1);
    if (records.length === 0)
        throw invalid('the file holds no notices');
    if (records.length > MAX_BULK_ROWS) {
        throw invalid(`the file holds more than ${MAX_BULK_ROWS.toLocaleString('en')} notices; split it into several files`);
    }
    return records;
}
/** JSONL: one notice object per line; blank lines are skipped. */
export function jsonlRecords(text, max) {
    const records = [];
    for (const line of text.split(/\r?\n/)) {
        if (line.trim() === '')
            continue;
        if (records.length >= max)
            break;
        const row = records.length + 1;
        try {
            // The strict JSON rules of single intake: no prototype keys, no NUL or lone surrogate.
            records.push({ row, candidate: parseStrictJson(Buffer.from(line, 'utf8')) });
        }
        catch (error) {
            if (!(error instanceof DomainError))
                throw error;
            records.push({
                row,
                problem: { reason: error.message.replace(/^the body/, 'the line'), errors: error.issues },
            });
        }
    }
    return records;
}
/** A record checked against the notice schema, exactly as POST /v1/notices checks a body. */
export function validateRecord(record) {
    if ('problem' in record)
        return record;
    if (typeof record.candidate !== 'object' || record.candidate === null || Array.isArray(record.candidate)) {
        return { row: record.row, problem: { reason: 'a line must hold one JSON object: a notice', errors: [] } };
    }
    const parsed = noticeInput.safeParse(record.candidate);
    if (parsed.success)
        return { row: record.row, notice: parsed.data };
    const errors = parsed.error.issues.flatMap((issue) => issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({
            pointer: toPointer([...issue.path, key]),
            detail: `unknown field '${key}'`,
        }))
        : [{ pointer: toPointer(issue.path), detail: issue.message }]);
    return { row: record.row, problem: { reason: summarise(errors), errors } };
}
/** "targets[1]: … (and 2 more)", as the single intake words its first error. */
export function summarise(errors) {
    const first = errors[0];
    if (!first)
        return 'invalid notice';
    return `${fieldName(first.pointer)}: ${first.detail}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`;
}
function fieldName(pointer) {
    if (pointer === '')
        return 'notice';
    return pointer
        .slice(1)
        .split('/')
        .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
        .reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '');
}
