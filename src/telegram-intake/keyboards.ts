import type { LegalBasisTemplate, SopPolicy } from '../policy/sop-policy.ts';
import type { Language } from './messages.ts';
import { say } from './messages.ts';

/**
 * Inline keyboards (#inlinekeyboardmarkup). Callback data is `<what>:<draft token>[:<arg>]`,
 * at most 64 bytes: the token names the draft, so a button of a finished draft is refused.
 */
type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };

export function categoryKeyboard(policy: SopPolicy, language: Language, token: string): Keyboard {
  const buttons = policy.taxonomy.map((c) => ({
    text: c.labels[language],
    callback_data: `c:${token}:${c.code}`,
  }));
  return { inline_keyboard: [...pairs(buttons), [cancelButton(language, token)]] };
}

/** The SOP policy's legal bases for this jurisdiction and category. */
export function templatesFor(
  policy: SopPolicy,
  jurisdiction: string,
  category: string,
): LegalBasisTemplate[] {
  return (policy.legal_bases ?? []).filter(
    (t) =>
      (t.jurisdiction === '*' || t.jurisdiction === jurisdiction) &&
      (t.categories.length === 0 || t.categories.includes(category)),
  );
}

export function basisKeyboard(templates: LegalBasisTemplate[], language: Language, token: string): Keyboard {
  const buttons = templates.map((t) => ({ text: t.labels[language], callback_data: `b:${token}:${t.code}` }));
  return {
    inline_keyboard: [
      ...buttons.map((b) => [b]),
      [{ text: say(language).writeOwn, callback_data: `b:${token}:own` }],
      [cancelButton(language, token)],
    ],
  };
}

export function confirmKeyboard(language: Language, token: string): Keyboard {
  return {
    inline_keyboard: [
      [{ text: say(language).confirm, callback_data: `ok:${token}` }, cancelButton(language, token)],
    ],
  };
}

export function doneKeyboard(language: Language, token: string): Keyboard {
  return {
    inline_keyboard: [
      [{ text: say(language).done, callback_data: `d:${token}` }, cancelButton(language, token)],
    ],
  };
}

function cancelButton(language: Language, token: string) {
  return { text: say(language).cancel, callback_data: `x:${token}` };
}

function pairs<T>(items: T[]): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += 2) rows.push(items.slice(i, i + 2));
  return rows;
}

export function parseCallback(
  data: string | undefined,
): { what: string; token: string; arg: string | null } | null {
  const match = /^(c|b|ok|x|d):([0-9a-f]{12})(?::([a-z0-9_]{1,40}))?$/.exec(data ?? '');
  return match ? { what: match[1]!, token: match[2]!, arg: match[3] ?? null } : null;
}
