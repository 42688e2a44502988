/** Longest name derived from a widget's question or title. */
const MAX_DERIVED_NAME = 48;

/**
 * A widget name derived from its question or title, for a widget the page gave no `name`:
 * lower-case letters and digits of any script, other runs of characters as one `-`
 * (`Which evening works?` → `which-evening-works`). `fallback` when nothing is left.
 */
export function nameFromText(text: string, fallback: string): string {
  const slug = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_DERIVED_NAME)
    .replace(/-+$/, '');
  return slug || fallback;
}
