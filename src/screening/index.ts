/**
 * The screening library: what the rest of tapis (API routes, bank layer, scanners) imports.
 *
 * pdq/        Meta's PDQ perceptual hash, bit-exact with the reference, and image decoding
 * matching/   exact indexes: PDQ radius search (multi-index hashing, WebAssembly kernels),
 *             SimHash radius search, exact values
 * text/       normalisation of Indonesian, Arabic and English text, text hash and SimHash
 * lexicon/    multi-pattern matching of outlet names and slogans over normalised text
 */
export { digestBytes, digestFile, type FileDigests } from './file-digests.ts';
export { Lexicon, type LexiconMatch, type LexiconScan } from './lexicon/lexicon.ts';
export { type LexiconRule, parseLexiconRules, readLexiconFile } from './lexicon/lexicon-rules.ts';
export { bruteForcePdq } from './matching/pdq-brute-force.ts';
export { PDQ_DEFAULT_MAX_DISTANCE, PdqIndex, type PdqMatch } from './matching/pdq-index.ts';
export { SimHashIndex } from './matching/simhash-index.ts';
export { hashMediaBytes, hashMediaFile, type MediaHashes } from './media-hashes.ts';
export { DIHEDRAL_NAMES } from './pdq/dihedral.ts';
export { type PdqHash, pdqDistance, pdqFromHex, pdqToHex } from './pdq/hash256.ts';
export { pdqDihedralFromImage, pdqFromImage } from './pdq/image-hashing.ts';
export { type PdqResult, pdqDihedralFromPixels, pdqFromPixels } from './pdq/pdq-hasher.ts';
export type { PixelImage } from './pdq/pixels.ts';
export { type BankedSignal, PDQ_MIN_QUALITY, type SignalMatch, SignalMatcher } from './signal-matcher.ts';
export { canonicalSignal, isSignalType, SIGNAL_TYPES, type SignalType } from './signal-types.ts';
export { normaliseText } from './text/normalise.ts';
export {
  SIMHASH_NEAR_DUPLICATE_DISTANCE,
  simHashFromHex,
  simHashToHex,
  textSha256,
  textSimHash,
} from './text/text-fingerprints.ts';
