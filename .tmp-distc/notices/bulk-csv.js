import { parse } from 'csv-parse/sync';
import { invalid } from "../core/errors.js";
const columns = {
    targets: 'one or more locations, separated by spaces or |',
    category: 'a category code, e.g. terrorism',
    jurisdiction: 'ISO 3166-1 alpha-2, default ID',
    kind: 'notice (default) or order',
    legal_basis: 'free text',
    legal_references: 'instrument|provision;instrument|provision',
    explanation: 'why the content is illegal or against the terms',
    reference: 'your own number for the notice',
    good_faith: 'true, yes, ya or 1',
    language: 'ISO 639 code',
    notifier_name: 'who notifies',
    notifier_email: 'their e-mail',
    anonymous: 'true or false (default false)',
    order_issuing_authority: 'for orders',
    order_territorial_scope: 'for orders: country codes, separated by spaces or |',
    order_redress: 'for orders',
};
export const csvColumns = Object.keys(columns);
/** Without these, no row of the file could be a valid notice. */
const requiredColumns = ['targets', 'category', 'explanation', 'good_faith'];
const isColumn = (name) => Object.hasOwn(columns, name);
export function csvRecords(text, max) {
    let rows;
    try {
        rows = parse(text, {
            delimiter: guessDelimiter(text),
            info: true,
            bom: true,
            skip_empty_lines: true,
            // Rows a spreadsheet pads with empty cells (",,,,") are not notices.
            skip_records_with_empty_values: true,
            // A row with too many cells is that row's fault, reported on the row.
            relax_column_count: true,
            // Explanations quote people: He wrote "join us" must not break the file.
            relax_quotes: true,
            // The header plus one more notice than allowed is enough to refuse the file.
            to: max + 1,
        });
    }
    catch (error) {
        throw invalid(`the CSV cannot be read: ${error.message}`);
    }
    const [header, ...body] = rows;
    if (!header)
        return [];
    const names = readHeader(header.record);
    return body.map(({ record }, index) => {
        const row = index + 1;
        if (record.length > names.length) {
            return {
                row,
                problem: {
                    reason: `the row has ${record.length} cells; the header names ${names.length} columns`,
                    errors: [],
                },
            };
        }
        const cells = {};
        names.forEach((name, i) => {
            const value = record[i]?.trim();
            if (value)
                cells[name] = value;
        });
        return { row, candidate: noticeFromCells(cells) };
    });
}
function readHeader(record) {
    const names = record.map((name) => name.trim().toLowerCase());
    const unknown = names.filter((name) => !isColumn(name));
    if (unknown.length > 0) {
        const shown = unknown.map((name) => (name === '' ? '(a column without a name)' : `'${name}'`)).join(', ');
        throw invalid(`unknown CSV column${unknown.length > 1 ? 's' : ''} ${shown}; the columns are: ${csvColumns.join(', ')}`, [...unknown.map((name) => ({ pointer: '', detail: `unknown column '${name}'` }))]);
    }
    const repeated = names.filter((name, i) => names.indexOf(name) !== i);
    if (repeated.length > 0)
        throw invalid(`the CSV header names ${[...new Set(repeated)].join(', ')} more than once`);
    const missing = requiredColumns.filter((name) => !names.includes(name));
    if (missing.length > 0)
        throw invalid(`the CSV header lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
    return names;
}
/** The notice a row spells, in the shape of the JSON body; the schema judges it. */
export function noticeFromCells(cells) {
    const notice = { targets: splitList(cells.targets) };
    for (const name of [
        'category',
        'jurisdiction',
        'kind',
        'legal_basis',
        'explanation',
        'reference',
        'language',
    ]) {
        if (cells[name] !== undefined)
            notice[name] = cells[name];
    }
    if (cells.good_faith !== undefined)
        notice.good_faith = yesNo(cells.good_faith);
    if (cells.anonymous !== undefined)
        notice.anonymous = yesNo(cells.anonymous);
    if (cells.legal_references !== undefined)
        notice.legal_references = legalReferences(cells.legal_references);
    if (cells.notifier_name !== undefined || cells.notifier_email !== undefined) {
        notice.notifier = { name: cells.notifier_name, email: cells.notifier_email };
    }
    if (cells.order_issuing_authority || cells.order_territorial_scope || cells.order_redress) {
        notice.order = {
            issuing_authority: cells.order_issuing_authority,
            territorial_scope: splitList(cells.order_territorial_scope),
            redress: cells.order_redress,
        };
    }
    return notice;
}
const splitList = (cell) => (cell ?? '').split(/[\s|]+/).filter(Boolean);
/** Spreadsheet booleans, in English and Indonesian; anything else is left for the schema to refuse. */
function yesNo(cell) {
    const value = cell.toLowerCase();
    if (['true', 'yes', 'y', 'ya', '1'].includes(value))
        return true;
    if (['false', 'no', 'n', 'tidak', '0'].includes(value))
        return false;
    return cell;
}
function legalReferences(cell) {
    return cell
        .split(';')
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => {
        const bar = part.indexOf('|');
        if (bar < 0)
            return { instrument: part };
        const provision = part.slice(bar + 1).trim();
        return provision
            ? { instrument: part.slice(0, bar).trim(), provision }
            : { instrument: part.slice(0, bar).trim() };
    });
}
/**
 * Comma unless the header says otherwise: spreadsheets in locales that write decimals
 * with a comma (Indonesia among them) save "CSV" with semicolons.
 */
function guessDelimiter(text) {
    const firstLine = text.slice(0, text.search(/\r?\n|$/));
    const count = (char) => firstLine.split(char).length - 1;
    const [best] = [',', ';', '\t'].sort((a, b) => count(b) - count(a));
    return best && count(best) > 0 ? best : ',';
}
