import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import id from './id.json';

export const languages = ['id', 'en'] as const;
export type Language = (typeof languages)[number];

const STORED = 'tapis.language';

/** The language chosen with the switch, kept in this browser. */
export function storedLanguage(): Language | null {
  const v = localStorage.getItem(STORED);
  return v === 'id' || v === 'en' ? v : null;
}

export function setLanguage(lang: Language, remember = true): void {
  if (remember) localStorage.setItem(STORED, lang);
  void i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
}

/** Before anyone is known: the browser's language if it is one of ours, else Indonesian. */
function initialLanguage(): Language {
  const stored = storedLanguage();
  if (stored) return stored;
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'id';
}

export function initI18n(): void {
  const lng = initialLanguage();
  document.documentElement.lang = lng;
  void i18next.use(initReactI18next).init({
    resources: { id: { translation: id }, en: { translation: en } },
    lng,
    fallbackLng: false,
    // React escapes what it renders; free text is never HTML.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}
