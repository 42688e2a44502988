/** Registers a custom element unless the tag is already taken (a page may load two copies of the embed). */
export function define(tag: string, constructor: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, constructor);
}
