import { en } from './en.js';
import type { Translation, TranslationPatch } from './types.js';

/** What was registered, by lower-case tag: any sections, merged in the order they came. */
const registered = new Map<string, TranslationPatch>([['en', en]]);
/** Whole translations put together from `registered` and English, by tag asked for. */
const assembled = new Map<string, Translation>();
const listeners = new Set<() => void>();

/**
 * Adds or replaces translations, whole or a section at a time (`{ $code: 'es', poll: {…} }`);
 * widgets already on the page re-render in them.
 */
export function registerTranslation(...added: TranslationPatch[]): void {
  for (const patch of added) {
    const code = patch.$code.toLowerCase();
    registered.set(code, { ...registered.get(code), ...patch });
  }
  assembled.clear();
  for (const listener of listeners) listener();
}

/**
 * The best translation for a BCP 47 tag, section by section: exact (`pt-br`), then language
 * (`pt`), then English.
 */
export function getTranslation(lang: string | null | undefined): Translation {
  const tag = (lang ?? '').toLowerCase();
  let translation = assembled.get(tag);
  if (translation === undefined) {
    translation = { ...en, ...registered.get('en'), ...registered.get(tag.split('-')[0]!), ...registered.get(tag) } as Translation;
    assembled.set(tag, translation);
  }
  return translation;
}

/** Called whenever translations are registered; returns an unsubscribe function. */
export function onTranslationsChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
