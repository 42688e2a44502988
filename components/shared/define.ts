/**
 * Registers a custom element. When the tag is already taken — a page builder loaded two copies of
 * the embed, or two versions — keeps the first and, if the other is a different class, says so in
 * the console once: widgets on the page then behave as the first copy's do.
 */
export function define(tag: string, constructor: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (existing === undefined) {
    customElements.define(tag, constructor);
  } else if (existing !== constructor) {
    console.warn(
      `gather: <${tag}> is already defined by another copy of Gather's script on this page; keeping the first. ` +
        'Load gather.js once (check the page builder, the theme and any plugin for a second script tag).',
    );
  }
}
