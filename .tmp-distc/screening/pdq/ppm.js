/**
 * Reads a binary PPM (P6, maxval ≤ 255): the format the reference's test pixels come in. Header
 * fields are separated by whitespace and may carry '#' comments; exactly one whitespace byte
 * separates the header from the samples.
 */
export function readPpm(bytes) {
    let pos = 0;
    const fields = [];
    const isSpace = (b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
    const token = () => {
        for (;;) {
            while (isSpace(bytes[pos]))
                pos++;
            if (bytes[pos] !== 0x23)
                break;
            while (pos < bytes.length && bytes[pos] !== 0x0a)
                pos++;
        }
        const start = pos;
        while (pos < bytes.length && !isSpace(bytes[pos]) && bytes[pos] !== 0x23)
            pos++;
        return String.fromCharCode(...bytes.subarray(start, pos));
    };
    const magic = token();
    if (magic !== 'P6')
        throw new TypeError(`not a binary PPM: magic '${magic}', expected 'P6'`);
    for (let i = 0; i < 3; i++) {
        const text = token();
        const value = Number(text);
        if (!/^\d+$/.test(text) || value <= 0)
            throw new TypeError(`PPM header field '${text}' is not a positive integer`);
        fields.push(value);
    }
    const [width, height, maxval] = fields;
    if (maxval > 255)
        throw new TypeError(`PPM maxval ${maxval} is 16-bit; only 8-bit PPMs are supported`);
    pos++; // the single whitespace byte before the samples
    const size = width * height * 3;
    if (bytes.length - pos < size) {
        throw new TypeError(`PPM is truncated: ${bytes.length - pos} sample bytes for ${width}x${height}`);
    }
    return { data: bytes.subarray(pos, pos + size), width, height, channels: 3 };
}
