export type { Translation, BuiltInTranslation, BuiltInSections, TranslationMeta, TranslationPatch, TranslationSections, StatusStrings } from './types.js';
export { en } from './en.js';
export { es } from './es.js';
export { registerTranslation, getTranslation, onTranslationsChange } from './registry.js';
export { fr } from './fr.js';
export { ar } from './ar.js';
export { pluralOf, pluralsOf, type PluralForms } from './plural.js';
