import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { getTranslation, loadTranslation, onTranslationsChange } from '../../src/i18n/registry.js';
import type { Translation } from '../../src/i18n/types.js';

type Host = ReactiveControllerHost & HTMLElement;

const controllers = new Set<LocalizeController>();
let documentObserver: MutationObserver | undefined;

/** Whether `node` is `ancestor` or below it, crossing shadow roots. */
function composedWithin(node: Node, ancestor: Node): boolean {
  for (let at: Node | null = node; at; at = at.parentNode ?? (at instanceof ShadowRoot ? at.host : null)) {
    if (at === ancestor) return true;
  }
  return false;
}

/**
 * One observer for the page: a `lang` or `dir` change on any element re-renders the widgets at or
 * below it, even inside a host page's own shadow roots (changes are rare).
 */
function watchDocumentLang(): void {
  if (documentObserver) return;
  documentObserver = new MutationObserver((records) => {
    for (const controller of controllers) {
      if (records.some(({ target }) => composedWithin(controller.host, target))) controller.languageChanged();
    }
  });
  documentObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang', 'dir'], subtree: true });
}

/** The language of the nearest element with a `lang` attribute, crossing shadow roots. */
export function nearestLang(element: Element): string {
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element && node.hasAttribute('lang')) return node.getAttribute('lang')!;
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return document.documentElement.lang || navigator.language || 'en';
}

/**
 * The `dir` that applies to `element`: that of the nearest element, crossing shadow roots, with a
 * `dir` of `ltr` or `rtl` or a `lang` (on the same element, `dir` wins); null when the nearer of
 * the two is a `lang` (the direction is then the language's), or when neither is anywhere above.
 */
export function nearestDir(element: Element): 'ltr' | 'rtl' | null {
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element) {
      const dir = node.getAttribute('dir')?.toLowerCase();
      if (dir === 'ltr' || dir === 'rtl') return dir;
      if (node.hasAttribute('lang')) return null;
    }
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return null;
}

const formats = new Map<string, Intl.NumberFormat>();

/** A number format, made once per language and options for every widget on the page (making one costs far more than using it). */
export function numberFormat(lang: string, options?: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${options === undefined ? '' : JSON.stringify(options)}`;
  let format = formats.get(key);
  if (format === undefined) {
    if (formats.size > 100) formats.clear();
    format = new Intl.NumberFormat(lang, options);
    formats.set(key, format);
  }
  return format;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A date-time format, made once per language and options for every widget on the page (making one
 * costs far more than using it).
 */
export function dateTimeFormat(lang: string, options?: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${options === undefined ? '' : JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (format === undefined) {
    if (dateFormats.size > 100) dateFormats.clear();
    format = new Intl.DateTimeFormat(lang, options);
    dateFormats.set(key, format);
  }
  return format;
}

// The page's first date format costs ~10-17 ms (the engine loads its date data; later ones cost
// ~0.1 ms): made while the page is idle after the script loads, not in a widget's first render.
if (typeof requestIdleCallback === 'function' && typeof document !== 'undefined') {
  requestIdleCallback(() => dateTimeFormat(document.documentElement.lang || navigator.language || 'en').format(0), { timeout: 2000 });
}

/**
 * Gives a component its strings and number formats in the language of its nearest `lang`,
 * and re-renders it when the document's language or the registered translations change.
 */
export class LocalizeController implements ReactiveController {
  private unsubscribe?: () => void;
  /**
   * The language, worked out once after connecting and after each `lang` or `dir` change above the
   * host (walking up the tree on every string, or every render, is slow).
   */
  private currentLang: string | null = null;
  /** The `dir` at or above the host nearer than any `lang` ({@link nearestDir}), looked up again with the language (undefined: not yet). */
  private explicitDir: 'ltr' | 'rtl' | null | undefined = undefined;

  constructor(readonly host: Host) {
    host.addController(this);
  }

  hostConnected(): void {
    this.currentLang = null;
    this.explicitDir = undefined;
    controllers.add(this);
    watchDocumentLang();
    this.unsubscribe = onTranslationsChange(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    controllers.delete(this);
    this.unsubscribe?.();
  }

  /** A `lang` or `dir` changed at or above the host: look again, and re-render. */
  languageChanged(): void {
    this.currentLang = null;
    this.explicitDir = undefined;
    this.host.requestUpdate();
  }

  hostUpdate(): void {
    if (this.currentLang !== null) return;
    this.currentLang = this.lang;
    // Its built-in strings, the first time a widget is in this language (the widget re-renders as they arrive).
    loadTranslation(this.currentLang, this.host.localName);
  }

  /** The host's language as a valid BCP 47 tag (`en` when the page names an invalid one). */
  get lang(): string {
    if (this.currentLang !== null) return this.currentLang;
    try {
      return Intl.getCanonicalLocales(nearestLang(this.host))[0] ?? 'en';
    } catch {
      return 'en';
    }
  }

  /** The translation for the host's language (English when there is none). */
  get t(): Translation {
    return getTranslation(this.lang);
  }

  /**
   * The host's direction: an explicit `dir` on the nearest element that has one or a `lang` (the
   * page's `<html dir="ltr">` does not turn a `<div lang="ar">` inside it left to right), else
   * its language's.
   */
  get dir(): 'ltr' | 'rtl' {
    // Looked up once, like the language (walking up on every render was ~0.1-0.3 ms of a live vote's re-render).
    if (this.explicitDir === undefined) this.explicitDir = nearestDir(this.host);
    return this.explicitDir ?? this.t.$dir;
  }

  number(value: number, options?: Intl.NumberFormatOptions): string {
    return numberFormat(this.lang, options).format(value);
  }
}
