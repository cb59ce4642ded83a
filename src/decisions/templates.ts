import templates from './templates.json' with { type: 'json' };

/**
 * Decision templates per category, in Indonesian and English: the grounds a reviewer
 * usually gives, to start from and edit. Wording is reviewed by the platform's counsel;
 * these are the defaults shipped with tapis.
 */
export interface DecisionTemplate {
  id: string;
  category: string;
  outcome: string;
  texts: Record<string, { grounds: Record<string, unknown>; explanation?: string }>;
}

const all = templates as DecisionTemplate[];

export function decisionTemplates(filter: { category?: string | undefined; language?: string | undefined }) {
  return all
    .filter((t) => !filter.category || t.category === filter.category || t.category === '*')
    .map((t) => ({
      id: t.id,
      category: t.category,
      outcome: t.outcome,
      ...(filter.language
        ? { language: filter.language, ...(t.texts[filter.language] ?? t.texts.en) }
        : { texts: t.texts }),
    }));
}
