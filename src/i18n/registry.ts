import { en } from './en.js';
import type { Translation } from './types.js';

const translations = new Map<string, Translation>([['en', en]]);
const listeners = new Set<() => void>();

/** Adds or replaces translations; widgets already on the page re-render in them. */
export function registerTranslation(...added: Translation[]): void {
  for (const t of added) translations.set(t.$code.toLowerCase(), t);
  for (const listener of listeners) listener();
}

/** The best translation for a BCP 47 tag: exact (`pt-br`), then language (`pt`), then English. */
export function getTranslation(lang: string | null | undefined): Translation {
  const tag = (lang ?? '').toLowerCase();
  return translations.get(tag) ?? translations.get(tag.split('-')[0]) ?? en;
}

/** Called whenever translations are registered; returns an unsubscribe function. */
export function onTranslationsChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
