import { describe, expect, it } from 'vitest';
import { orgKinds } from '../../identity/permissions.ts';
import { PDQ_DEFAULT_MAX_DISTANCE } from '../../screening/matching/pdq-index.ts';
import { ORG_KINDS_HELP } from './identity.ts';
import { DEFAULT_MAX_DISTANCE_HELP } from './match.ts';

// Command modules write out the constants their --help shows, so as not to load the modules
// that define them at start-up (see index.ts); these keep the copies true.
describe('the help texts of the commands', () => {
  it('list the organisation kinds that org create accepts', () => {
    expect(ORG_KINDS_HELP).toBe(orgKinds.join(', '));
  });

  it("show match's real default radius", () => {
    expect(DEFAULT_MAX_DISTANCE_HELP).toBe(String(PDQ_DEFAULT_MAX_DISTANCE));
  });
});
