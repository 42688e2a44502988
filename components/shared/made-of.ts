/** Whether two lists hold the same values, each compared with `Object.is` (null only equals null). */
export const sameValues = (a: readonly unknown[] | null, b: readonly unknown[] | null): boolean =>
  a === b || (a !== null && b !== null && a.length === b.length && a.every((value, i) => Object.is(value, b[i])));

/**
 * A value made again only when what it is made of changed: for what a widget asks for on every
 * render (its configuration, its room request), which must stay the same object while its parts
 * are the same (a peer's vote re-renders the widget without changing either).
 */
export class MadeOf<T> {
  #of: readonly unknown[] | null = null;
  #value: T | undefined;

  /** The value last made, if `of` holds what it was made of; else `make()`'s. */
  get(of: readonly unknown[], make: () => T): T {
    if (!sameValues(this.#of, of)) {
      this.#value = make();
      this.#of = of;
    }
    return this.#value as T;
  }
}
