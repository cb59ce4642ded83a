import type { FieldIssue } from '../core/errors.ts';
import type { NoticeInput } from './notice-input.ts';

/**
 * What an authority order must state beyond a notice, DSA Art. 9(2): (a) a statement of
 * reasons that names the specific provisions of law the order rests on, and (c) the language
 * it is sent in, one of the languages the provider declared for the jurisdiction (its
 * working languages, GET /v1/jurisdictions/{code}). The legal basis, issuing authority,
 * territorial scope and redress are checked by the intake itself (src/notices/intake.ts).
 *
 * `languages` are the jurisdiction's working languages, or null when tapis has no record of
 * the jurisdiction (the intake refuses that already).
 */
export function orderContentIssues(
  input: Pick<NoticeInput, 'legal_references' | 'language' | 'jurisdiction'>,
  languages: readonly string[] | null,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const references = input.legal_references ?? [];
  if (references.length === 0) {
    issues.push({
      pointer: '/legal_references',
      detail:
        'an order names the specific provisions it rests on, e.g. [{"instrument": "UU 5/2018", "provision": "Pasal 13A"}] (DSA Art. 9(2)(a))',
    });
  }
  references.forEach((reference, index) => {
    if (!reference.provision)
      issues.push({
        pointer: `/legal_references/${index}/provision`,
        detail: `name the article or section of ${reference.instrument} the order rests on (DSA Art. 9(2)(a))`,
      });
  });
  const working = languages ?? [];
  if (!input.language) {
    issues.push({
      pointer: '/language',
      detail: `an order states its language (DSA Art. 9(2)(c))${working.length ? `: one of ${working.join(', ')}` : ''}`,
    });
  } else if (languages && !languages.includes(input.language)) {
    issues.push({
      pointer: '/language',
      detail: `'${input.language}' is not a working language of ${input.jurisdiction}; send the order in ${working.join(' or ')} (DSA Art. 9(2)(c))`,
    });
  }
  return issues;
}
