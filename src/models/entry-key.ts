/**
 * Map keys of entries. Every key names its author (`<kind>:<author>` or `<kind>:<author>:<id>`),
 * so each author writes only keys of their own: an entry stored under a key that names someone
 * else is ignored, whatever its signature.
 */

/** Longest id (option id, slot id, post id) models accept. */
export const MAX_ID_LENGTH = 64;

/** The key of `author`'s entry of `kind` (one per author), or of their entry `id` of that kind. */
export const entryKey = (kind: string, author: string, id?: string): string =>
  id === undefined ? `${kind}:${author}` : `${kind}:${author}:${id}`;

/** Whether `key` is one of `author`'s keys (`<kind>:<author>` or `<kind>:<author>:<id>`). */
export const ownsKey = (key: string, author: string): boolean => {
  const start = key.indexOf(':');
  if (start <= 0 || !key.startsWith(author, start + 1)) return false;
  const end = start + 1 + author.length;
  return key.length === end || key[end] === ':';
};

/** The kind a key names (`ballot` in `ballot:<author>`), or null for a key without one. */
export const keyKind = (key: string): string | null => {
  const end = key.indexOf(':');
  return end <= 0 ? null : key.slice(0, end);
};

/**
 * The author a key names (`<kind>:<author>` or `<kind>:<author>:<id>`), or null. A compact entry
 * does not store its author: it is this, so the key's owner is the entry's author by construction
 * (and the signature, which covers the author, fails for anyone else's entry moved here).
 */
export const keyAuthor = (key: string): string | null => {
  const start = key.indexOf(':');
  if (start <= 0) return null;
  const end = key.indexOf(':', start + 1);
  const author = end < 0 ? key.slice(start + 1) : key.slice(start + 1, end);
  return author.length > 0 ? author : null;
};
