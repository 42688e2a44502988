/**
 * Console warnings told once per page. The record of what was told is kept on `globalThis` (under
 * `Symbol.for('gather.warned')`), not in this module: a page with two copies of Gather's script
 * (two script tags, from two URLs, so two copies of every module) tells each of its diagnostics once.
 * The loader (components/embed.ts) keeps its own few lines over the same record: gather.js imports no chunk.
 * @module
 */

/** The messages told on this page, by any copy of Gather's code. */
export const warnedOnPage = (): Set<string> => ((globalThis as unknown as Record<symbol, Set<string> | undefined>)[Symbol.for('gather.warned')] ??= new Set());

/** console.warn a message once per page (the same bad attribute read by twenty widgets, or by two copies of the script, warns once). */
export const warnOnce = (message: string): void => {
  const told = warnedOnPage();
  if (told.has(message)) return;
  told.add(message);
  console.warn(message);
};
