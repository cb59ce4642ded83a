import fc from 'fast-check';

/**
 * Property tests are reproducible in CI: with CI set, every fast-check property runs from
 * one fixed seed (FC_SEED overrides it, anywhere). Elsewhere each run draws a new seed, and
 * fast-check prints the seed and path of a failure so that it can be replayed with FC_SEED.
 */
const FIXED_SEED = 20261202;
const fromEnv = process.env.FC_SEED;
const seed =
  fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : process.env.CI ? FIXED_SEED : undefined;
if (seed !== undefined) {
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, got '${fromEnv}'`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
