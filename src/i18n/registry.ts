import { en } from './en.js';
import type { Translation, TranslationPatch } from './types.js';

type Layer = Map<string, TranslationPatch>;

/** This package's own strings (registered by its modules as they load), by lower-case tag. */
const builtIn: Layer = new Map([['en', en]]);
/** What the page registered (`registerTranslation`): it wins over built-in strings, whenever these arrive. */
const page: Layer = new Map();
/** Whole translations put together from both layers and English, by tag asked for. */
const assembled = new Map<string, Translation>();
const listeners = new Set<() => void>();

/** Adds `patch` to `layer` (see {@link merge}). */
function add(layer: Layer, patch: TranslationPatch): void {
  const code = patch.$code.toLowerCase();
  layer.set(code, merge({ ...layer.get(code) } as Record<string, unknown>, patch, layer === page) as unknown as TranslationPatch);
}

/**
 * `patch`'s names and sections over `target`'s: a page's section given in part keeps the strings it
 * leaves out (`inPart`); a built-in section is whole, so it replaces (and a test can see it is whole).
 */
function merge(target: Record<string, unknown>, patch: object | undefined, inPart: boolean): Record<string, unknown> {
  for (const [key, value] of Object.entries(patch ?? {})) {
    const before = target[key];
    target[key] = inPart && !key.startsWith('$') && typeof value === 'object' && value !== null && typeof before === 'object' ? { ...before, ...value } : value;
  }
  return target;
}

function changed(): void {
  assembled.clear();
  for (const listener of listeners) listener();
}

/**
 * Adds or replaces translations, whole or a section at a time (`{ $code: 'es', poll: {…} }`, or
 * only some of a section's strings); widgets already on the page re-render in them. What a page
 * registers wins over this package's own strings, even those of a language loaded later.
 */
export function registerTranslation(...added: TranslationPatch[]): void {
  for (const patch of added) add(page, patch);
  changed();
}

/** This package's own strings, registered by its modules (a page's {@link registerTranslation} wins over them). */
export function registerBuiltInTranslation(...added: TranslationPatch[]): void {
  for (const patch of added) add(builtIn, patch);
  changed();
}

/**
 * The best translation for a BCP 47 tag, section by section: exact (`pt-br`), then language
 * (`pt`), then English; at each, the page's strings over the built-in ones.
 */
export function getTranslation(lang: string | null | undefined): Translation {
  const tag = (lang ?? '').toLowerCase();
  let translation = assembled.get(tag);
  if (translation === undefined) {
    const target: Record<string, unknown> = {};
    for (const code of new Set(['en', tag.split('-')[0]!, tag])) merge(merge(target, builtIn.get(code), false), page.get(code), true);
    translation = target as unknown as Translation;
    assembled.set(tag, translation);
  }
  return translation;
}

/** Called whenever translations are registered; returns an unsubscribe function. */
export function onTranslationsChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Built-in strings are loaded with the widgets that show them: each strings module names, per
 * language, a loader (`() => import('./strings.ar.js')`, a module that registers itself) for the
 * element that shows them (`gather-poll`; `*` for what every widget shows), run the first time
 * such an element on the page is in that language ({@link loadTranslation}).
 */
interface Loader {
  readonly code: string;
  readonly element: string;
  readonly load: () => Promise<unknown>;
}
const loaders: Loader[] = [];
const started = new Set<Loader>();
/** What was asked for, as `code element`: a loader named later for it runs at once. */
const asked = new Set<string>();
const loading = new Set<Promise<unknown>>();

/** Whether `loader` holds strings `element` shows (`*`, or an element no strings module names, defined under a tag of a page's own: every one). */
const serves = (loader: Loader, element: string) =>
  loader.element === '*' || loader.element === element || element === '*' || !loaders.some((other) => other.element === element);

function start(loader: Loader): void {
  if (started.has(loader)) return;
  started.add(loader);
  const pending: Promise<unknown> = loader
    .load()
    .catch((error: unknown) => console.warn(`gather: the ${loader.code} strings of <${loader.element}> could not be loaded; it shows English instead.`, error))
    .finally(() => loading.delete(pending));
  loading.add(pending);
}

/** Names the modules holding the built-in strings that `element` shows (`*`: every widget), by lower-case language. */
export function registerTranslationLoaders(element: string, byLanguage: Readonly<Record<string, () => Promise<unknown>>>): void {
  for (const [code, load] of Object.entries(byLanguage)) {
    const loader = { code, element, load };
    loaders.push(loader);
    for (const key of asked) {
      const [askedCode, askedElement] = key.split(' ') as [string, string];
      if (askedCode === code && serves(loader, askedElement)) start(loader);
    }
  }
}

/** Starts loading the built-in strings `element` (a tag name; `*`: every element) shows in `lang`: its language's, then its own; once. */
export function loadTranslation(lang: string, element: string): void {
  const tag = lang.toLowerCase();
  for (const code of [tag.split('-')[0]!, tag]) {
    const key = `${code} ${element}`;
    if (asked.has(key)) continue;
    asked.add(key);
    for (const loader of loaders) if (loader.code === code && serves(loader, element)) start(loader);
  }
}

/** Settles once no translation is loading (undefined when none is). */
export function translationsLoading(): Promise<void> | undefined {
  return loading.size === 0 ? undefined : Promise.all(loading).then(() => undefined);
}
