import { invalid, toPointer } from "../core/errors.js";
/**
 * JSON bodies are parsed strictly: the bytes must be valid UTF-8 (the default parser would
 * quietly turn bad bytes into U+FFFD), prototype-polluting keys are refused, and no string
 * may hold a NUL or a lone surrogate, which PostgreSQL cannot store and no honest client
 * sends. Each failure is a 400 that says where.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what we refuse.
const FORBIDDEN_CHARS = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const SUSPECT_ESCAPE = /\\u(0000|d[89a-f])/i;
export function parseStrictJson(body) {
    let text;
    try {
        text = utf8.decode(body);
    }
    catch {
        throw invalid('the body is not valid UTF-8');
    }
    if (text.trim() === '')
        throw invalid('the body is empty; send a JSON object');
    let value;
    try {
        value = JSON.parse(text, (key, v) => {
            if (key === '__proto__' || key === 'constructor')
                throw new SyntaxError(`the key '${key}' is not allowed`);
            return v;
        });
    }
    catch (error) {
        if (error instanceof RangeError)
            throw invalid('the body nests too deeply');
        throw invalid(`the body is not valid JSON: ${error.message}`);
    }
    // Raw NULs are already a JSON syntax error and valid UTF-8 has no raw surrogates, so
    // only \u escapes can smuggle them in: walk the value only when the text has one.
    const bad = SUSPECT_ESCAPE.test(text) ? findForbiddenString(value, []) : null;
    if (bad) {
        throw invalid(`${bad.pointer || 'the body'}: text may not contain NUL characters or unpaired surrogates`, [{ pointer: bad.pointer, detail: 'contains a NUL character or an unpaired surrogate' }]);
    }
    return value;
}
function findForbiddenString(value, path) {
    if (typeof value === 'string')
        return FORBIDDEN_CHARS.test(value) ? { pointer: toPointer(path) } : null;
    if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
            const found = findForbiddenString(value[i], [...path, i]);
            if (found)
                return found;
        }
        return null;
    }
    if (value && typeof value === 'object') {
        for (const [key, item] of Object.entries(value)) {
            if (FORBIDDEN_CHARS.test(key))
                return { pointer: toPointer([...path, key]) };
            const found = findForbiddenString(item, [...path, key]);
            if (found)
                return found;
        }
    }
    return null;
}
export function registerJsonParser(app, bodyLimit) {
    app.removeContentTypeParser(['application/json']);
    const parser = (_request, body, done) => {
        try {
            done(null, parseStrictJson(body));
        }
        catch (error) {
            done(error, undefined);
        }
    };
    app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, parser);
    app.addContentTypeParser(/^application\/[a-z.+-]*\+json$/, { parseAs: 'buffer', bodyLimit }, parser);
}
