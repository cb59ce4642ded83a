import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
/**
 * Meta's PDQ test images and the hashes the reference C++ computes for them live next to the
 * project (../shared/pdq-reference), never inside it. Tests and benchmarks use them when present:
 * at PDQ_REFERENCE_DIR when it is set (and then they must be there: .ci/run sets it, so that
 * a clone elsewhere does not skip them silently), else at ../shared/pdq-reference.
 */
export function referenceDataDir() {
    const named = process.env.PDQ_REFERENCE_DIR;
    if (named) {
        const dir = path.resolve(named);
        if (!existsSync(path.join(dir, 'expected.csv')))
            throw new Error(`PDQ_REFERENCE_DIR: no expected.csv in ${dir}`);
        return dir;
    }
    const dir = path.resolve(process.cwd(), '../shared/pdq-reference');
    return existsSync(path.join(dir, 'expected.csv')) ? dir : null;
}
export const MISSING_REFERENCE_MESSAGE = 'PDQ reference data not found (PDQ_REFERENCE_DIR, ../shared/pdq-reference): skipping the tests that compare with the reference';
/** Rows of one of the reference's CSV files (simple: no quoting), as records keyed by header. */
export function readReferenceCsv(dir, name) {
    const [header, ...lines] = readFileSync(path.join(dir, name), 'utf8').trim().split(/\r?\n/);
    const keys = (header ?? '').split(',');
    return lines.map((line) => {
        const values = line.split(',');
        return Object.fromEntries(keys.map((key, i) => [key, values[i] ?? '']));
    });
}
/** Non-empty lines of one of the reference's hash lists (needles.txt, haystack.txt). */
export function readReferenceLines(dir, name) {
    return readFileSync(path.join(dir, name), 'utf8')
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line.length > 0);
}
