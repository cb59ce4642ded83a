/**
 * The screening library: what the rest of tapis (API routes, bank layer, scanners) imports.
 *
 * pdq/        Meta's PDQ perceptual hash, bit-exact with the reference, and image decoding
 * matching/   exact indexes: PDQ radius search (multi-index hashing, WebAssembly kernels),
 *             SimHash radius search, exact values
 * text/       normalisation of Indonesian, Arabic and English text, text hash and SimHash
 * lexicon/    multi-pattern matching of outlet names and slogans over normalised text
 */
export { digestBytes, digestFile } from "./file-digests.js";
export { Lexicon } from "./lexicon/lexicon.js";
export { parseLexiconRules, readLexiconFile } from "./lexicon/lexicon-rules.js";
export { bruteForcePdq } from "./matching/pdq-brute-force.js";
export { PDQ_DEFAULT_MAX_DISTANCE, PdqIndex } from "./matching/pdq-index.js";
export { SimHashIndex } from "./matching/simhash-index.js";
export { hashMediaBytes, hashMediaFile } from "./media-hashes.js";
export { DIHEDRAL_NAMES } from "./pdq/dihedral.js";
export { pdqDistance, pdqFromHex, pdqToHex } from "./pdq/hash256.js";
export { pdqDihedralFromImage, pdqFromImage } from "./pdq/image-hashing.js";
export { pdqDihedralFromPixels, pdqFromPixels } from "./pdq/pdq-hasher.js";
export { PDQ_MIN_QUALITY, SignalMatcher } from "./signal-matcher.js";
export { canonicalSignal, isSignalType, SIGNAL_TYPES } from "./signal-types.js";
export { normaliseText } from "./text/normalise.js";
export { SIMHASH_NEAR_DUPLICATE_DISTANCE, simHashFromHex, simHashToHex, textSha256, textSimHash, } from "./text/text-fingerprints.js";
