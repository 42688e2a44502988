// Plain text with automatic links, built as Lit templates from parsed text: never HTML. Only
// http(s) and mailto links are made; everything else stays text.
import { html, type TemplateResult } from 'lit';

/** A piece of a comment: text as written, or a link with the text it was written as. */
export type TextPart = { readonly text: string; readonly href?: undefined } | { readonly text: string; readonly href: string };

/** Schemes that become links. */
const LINK = /\b(?:https?:\/\/|mailto:)[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than a link (a closing bracket only when unbalanced). */
const TRAILING = /[.,;:!?'"»”’]+$/;
const ALLOWED = new Set(['http:', 'https:', 'mailto:']);

/** The href for `candidate`, or null if it is not a well-formed http(s) or mailto URL. */
const hrefOf = (candidate: string): string | null => {
  try {
    const url = new URL(candidate);
    if (!ALLOWED.has(url.protocol)) return null;
    if (url.protocol !== 'mailto:' && url.hostname === '') return null;
    if (url.protocol === 'mailto:' && url.pathname === '') return null;
    return url.href;
  } catch {
    return null;
  }
};

/** Drops trailing punctuation, and closing brackets that open nowhere in the link. */
const trim = (candidate: string): string => {
  let text = candidate.replace(TRAILING, '');
  for (const [open, close] of [['(', ')'], ['[', ']']] as const) {
    while (text.endsWith(close) && text.split(open).length < text.split(close).length) text = text.slice(0, -1).replace(TRAILING, '');
  }
  return text;
};

/** Splits `text` into plain parts and links (http, https, mailto). */
export function parseLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const raw = trim(match[0]);
    const href = hrefOf(raw);
    if (href === null || raw.length === 0) continue;
    const start = match.index;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** Whether `text` may hold a link at all (a cheap test that spares most comments the parse). */
const MAY_LINK = /https?:\/\/|mailto:/i;

/** The text itself when it has no link, else its parts (plain text and links). */
export const linkParts = (text: string): string | TextPart[] => (MAY_LINK.test(text) ? parseLinks(text) : text);

/**
 * The text with its links, for a Lit child part: the text itself when it has no link (one text
 * node), else its parts as text and anchor templates (`rel="noopener noreferrer ugc"`, no target).
 */
export function renderLinkedText(text: string): string | (string | TemplateResult)[] {
  if (!MAY_LINK.test(text)) return text;
  return parseLinks(text).map((part) => (part.href === undefined ? part.text : html`<a part="link" href=${part.href} rel="noopener noreferrer ugc">${part.text}</a>`));
}
