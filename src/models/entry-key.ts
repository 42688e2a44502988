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
