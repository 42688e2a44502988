// The rules the loader (dist/gather.js) adopts into the page before any widget's code arrives, so
// that a widget's plain HTML takes the room the widget will take and its upgrade moves nothing on
// the page (issue 12; test/embed/upgrade.test.ts measures it). Adopted (document.adoptedStyleSheets),
// not a <style> element: a page with a strict Content-Security-Policy allows them. In `@layer
// gather`, as the widgets' own styles are, so that the page's CSS wins.
//
// The poll: the plain question (its `question` attribute, shown with attr(); else its child
// `<legend>` or `slot="question"` element) and options laid out as the widget lays out its legend
// and choices (components/shared/tokens.styles.ts: the legend's weight and margin, each choice
// 2.75rem high with a 1px border, its text after a 1.25rem radio and two gaps), then the room of
// what the widget shows under them before anyone acts (components/poll/ballot-form.ts and
// poll.styles.ts: the form's gaps, the reason's label and two-row textarea, the characters left,
// the Vote button; gather-widget.ts: the status line, "How this room is protected"), kept empty.
// That is the form of a `single` or `multiple` poll (without `max`), whose results show after a
// vote: other kinds and settings take other heights once upgraded.

const S = 'var(--gather-space-s,.5rem)';
const M = 'var(--gather-space-m,1rem)';
const POLL = 'gather-poll:not(:defined)';

export const PRE_UPGRADE_CSS = `@layer gather{
${POLL}{display:flow-root;font-family:var(--gather-font-family);font-size:var(--gather-font-size,1rem);line-height:1.5;font-style:normal;font-weight:400;letter-spacing:normal;word-spacing:normal;text-transform:none;text-indent:0;white-space:normal;overflow-wrap:anywhere}
${POLL}[question]::before,${POLL}>:is(legend,[slot=question]){display:block;margin:0;padding:0;font-weight:600}
${POLL}[question]::before{content:attr(question)}
${POLL}[question]>:is(legend,[slot=question]){display:none}
${POLL}>option{display:flex;align-items:center;min-block-size:2.75rem;margin:${S} 0 0;padding:0 ${S} 0 calc(2*${S} + 1.25rem);border:1px solid transparent;font:inherit;white-space:normal}
${POLL}::after{content:"";display:block;block-size:calc(5*${M} + 5*${S} + 2px + 7.3125em + 2.75rem + max(1.5rem,1.3125em))}
${POLL}:is([theme],gather-room[theme] *){padding:${M}}
@media (prefers-color-scheme:dark){${POLL}:not([theme=light],gather-room[theme=light] :not([theme=dark])){padding:${M}}}
}`;

/** Adopts {@link PRE_UPGRADE_CSS} into the document, once per page (a second copy of the loader finds it there). */
export function adoptPreUpgradeRules(): void {
  const key = Symbol.for('gather.preUpgradeRules');
  const page = globalThis as unknown as Record<symbol, unknown>;
  if (page[key] || typeof CSSStyleSheet === 'undefined' || !('adoptedStyleSheets' in document)) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(PRE_UPGRADE_CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  page[key] = sheet;
}
