import templates from './templates.json' with { type: 'json' };
const all = templates;
export function decisionTemplates(filter) {
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
