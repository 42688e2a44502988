/**
 * `<gather-slot>`: one slot of a `<gather-signup>`, as configuration (`name`, `capacity`,
 * `start`, `end`, `location`; its text is the label). Inside a sheet the sheet renders it; on its
 * own it reads as a list item. Before the script loads, pages style it with
 * `gather-slot:not(:defined) { display: list-item }` (README).
 *
 * @summary A slot of a signup sheet: configuration, shown by its sheet.
 * @slot - The slot's label.
 */
export class GatherSlot extends HTMLElement {
  private static sheet: CSSStyleSheet | undefined;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    GatherSlot.sheet ??= new CSSStyleSheet();
    GatherSlot.sheet.replaceSync(':host { display: list-item; margin-inline-start: 1.25em; } :host([hidden]) { display: none; }');
    root.adoptedStyleSheets = [GatherSlot.sheet];
    root.append(document.createElement('slot'));
  }

  /** The slot's id in its sheet (`name`); derived from the label when absent. */
  get name(): string {
    return this.getAttribute('name') ?? '';
  }

  set name(value: string) {
    this.setAttribute('name', value);
  }

  /** Places (`capacity`); null for no limit. */
  get capacity(): number | null {
    const n = Number(this.getAttribute('capacity'));
    return this.hasAttribute('capacity') && Number.isSafeInteger(n) && n >= 1 ? n : null;
  }

  set capacity(value: number | null) {
    if (value === null) this.removeAttribute('capacity');
    else this.setAttribute('capacity', String(value));
  }

  /** ISO 8601 start, with its offset (`2026-12-05T09:00-05:00`). */
  get start(): string | null {
    return this.getAttribute('start');
  }

  /** ISO 8601 end. */
  get end(): string | null {
    return this.getAttribute('end');
  }

  /** Where. */
  get location(): string | null {
    return this.getAttribute('location');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gather-slot': GatherSlot;
  }
}
