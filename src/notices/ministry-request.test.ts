import { describe, expect, it } from 'vitest';
import { ministryRequestCheck, type RequestFacts } from './ministry-request.ts';

const complete: RequestFacts = {
  orgKind: 'government',
  jurisdiction: 'ID',
  legalBasis: 'UU 5/2018',
  legalReferences: [{ instrument: 'UU 5/2018', provision: 'Pasal 13A' }],
  targets: 1,
  evidenceTypes: ['application/pdf', 'image/png'],
};

describe('ministryRequestCheck', () => {
  it('names each missing part of a ministry request, and none of another notifier', () => {
    expect(ministryRequestCheck(complete)).toEqual({ verified: true, missing: [] });
    expect(ministryRequestCheck({ ...complete, evidenceTypes: ['text/plain; charset=utf-8'] })).toEqual({
      verified: false,
      missing: ['letter', 'screenshot'],
    });
    expect(ministryRequestCheck({ ...complete, legalBasis: null })?.missing).toEqual(['legal_analysis']);
    expect(ministryRequestCheck({ ...complete, targets: 0 })?.missing).toEqual(['url_or_id']);
    expect(ministryRequestCheck({ ...complete, orgKind: 'ngo' })).toBeNull();
    expect(ministryRequestCheck({ ...complete, jurisdiction: 'IE' })).toBeNull();
  });
});
