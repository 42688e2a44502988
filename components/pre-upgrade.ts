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
// That is the form of a `single` or `multiple` poll; then each kind's and setting's difference,
// measured in the upgraded poll (Chromium, the default tokens and font, en) and written in the same
// units (components/poll/ballot-form.ts, results.ts, poll.styles.ts):
// - `multiple` with `max`: the "Choose up to" line (1.5em) and a gap above the legend;
// - `ranked`: the hint (a line, two under 502px: "Rank the options…"), each row a flex row of the
//   label and a select 6.875em wide (no border), that wraps under it as the widget's row does;
// - `score`, `time`: each option a group, its text as the group's legend (400) and the scale of
//   radios under it (2.75rem + 2px; two rows where the 1–5 or 0–5 scale, or yes/maybe/no, wraps);
//   a time option's own time is a line of its own in the widget (poll.styles.ts) and here;
// - `consent` (no options): four stances (a line, a 0.875em help line, 2px border), the help of
//   "block" (and under 247px "disagree") on two lines under 352px;
// - `results="always"` (single, multiple): the results under the form: a row and bar per option,
//   the total line.
// The thresholds are the English strings' widths (container queries on the plain poll); in another
// language or font a wrap may come at another width, and a score's `min`/`max` other than 1–5 or
// the default keep one scale row: there the upgrade can still move the page by a line.
//
// The signup sheet (signup.styles.ts): its title attribute (attr(), 1.125em, 600), then each
// `<gather-slot>` as the slot's card: its text as the slot's label line, then the lines it will
// show in an empty room (its time with `start`, its place with `location`, "0 of N places taken",
// the bar, the row of buttons, which the sheet keeps while "Sign up" has not come), then the status
// line and the protection panel. The thread (thread.styles.ts): its topic attribute (attr(), as its
// h2), then the room of everything an empty thread shows under it (the presence line, the comments
// bar, the compose form, status, protection: 32.6875em at the default tokens, measured), which the
// thread itself keeps while its model is on its way. An entry that arrives later (a comment, a
// person in a slot) makes the widget grow as content loads: that is not the upgrade's shift.
// The aid board (aid-board.styles.ts): its heading attribute (attr(), as its h2), then the room of
// an empty board: its intro (one 0.875em line, two under 632px, three under 330px: the English
// text's width), "New post" closed, the two view buttons, the filters (4 fields, one more each with
// `categories` and `areas`, in auto-fill columns of 11rem: as many rows as that grid makes at the
// board's width), "No posts yet" (two lines under 325px), status and protection.

const S = 'var(--gather-space-s,.5rem)';
const M = 'var(--gather-space-m,1rem)';
const POLL = 'gather-poll:not(:defined)';
const SIGNUP = 'gather-signup:not(:defined)';
const THREAD = 'gather-thread:not(:defined)';
const AID = 'gather-aid-board:not(:defined)';
/** Every widget before its code: the same text settings as inside it (the widgets reset them on :host). */
const ANY = ':is(gather-poll,gather-signup,gather-aid-board,gather-thread):not(:defined)';

export const PRE_UPGRADE_CSS = `@layer gather{
${ANY}{display:flow-root;font-family:var(--gather-font-family);font-size:var(--gather-font-size,1rem);line-height:1.5;font-style:normal;font-weight:400;letter-spacing:normal;word-spacing:normal;text-transform:none;text-indent:0;white-space:normal;overflow-wrap:anywhere}
${POLL}[question]::before,${POLL}>:is(legend,[slot=question]){display:block;margin:0;padding:0;font-weight:600}
${POLL}[question]::before{content:attr(question)}
${POLL}[question]>:is(legend,[slot=question]){display:none}
${POLL}>option{display:flex;align-items:center;min-block-size:2.75rem;margin:${S} 0 0;padding:0 ${S} 0 calc(2*${S} + 1.25rem);border:1px solid transparent;font:inherit;white-space:normal}
${POLL}::after{content:"";display:block;block-size:calc(5*${M} + 5*${S} + 2px + 7.3125em + 2.75rem + max(1.5rem,1.3125em) + var(--_g-kind,0px) + var(--_g-wrap,0px) + var(--_g-results,0px))}
${POLL}:is([kind=single],[kind=multiple],:not([kind]))[results=always]>option{padding-block-end:calc(${S} + 1.5em + var(--gather-poll-bar-height,.5rem))}
${POLL}:is([kind=single],[kind=multiple],:not([kind]))[results=always]::after{--_g-results:calc(2*${M} + 1.5em - ${S})}
${POLL}[kind=multiple][max]::after{--_g-kind:calc(${M} + 1.5em)}
${POLL}[kind=ranked]>option{flex-wrap:wrap;justify-content:space-between;gap:${S};padding:0;border:0}
${POLL}[kind=ranked]>option::after{content:"";inline-size:6.875em;block-size:2.75rem}
${POLL}[kind=ranked]>option:first-of-type{margin-block-start:calc(2*${S} + 1.5em)}
${POLL}:is([kind=score],[kind=time])>option{display:block;min-block-size:0;padding:0;border:0}
${POLL}:is([kind=score],[kind=time])>option::after{content:"";display:block;block-size:calc(2.75rem + 2px);margin-block-start:${S}}
${POLL}[kind=time]>option::after{block-size:calc(1.3125em + 2.75rem + 2px)}
${POLL}[kind=consent]::after{--_g-kind:calc(4*(${S} + 2.8125em + 2px))}
${POLL},${AID}{container-type:inline-size}
@container (width<502px){${POLL}[kind=ranked]::after{--_g-wrap:1.5em}}
@container (width<476px){${POLL}[kind=score]:not([min],[max])>option::after{block-size:calc(5.5rem + 4px + ${S})}}
@container (width<414px){${POLL}[kind=score][min="1"][max="5"]>option::after{block-size:calc(5.5rem + 4px + ${S})}}
@container (width<261px){${POLL}[kind=time]>option::after{block-size:calc(1.3125em + 5.5rem + 4px + ${S})}}
@container (width<352px){${POLL}[kind=consent]::after{--_g-wrap:1.3125em}}
@container (width<247px){${POLL}[kind=consent]::after{--_g-wrap:2.625em}}
${SIGNUP}[title]::before{content:attr(title);display:block;font-size:1.125em;font-weight:600}
${SIGNUP}>gather-slot{display:block;margin-block-start:var(--gather-signup-gap,${M});padding:${M};border:1px solid transparent}
${SIGNUP}>gather-slot:first-of-type{margin-block-start:${M}}
${SIGNUP}>gather-slot::after{content:"";display:block;margin-block-start:${S};block-size:calc(2*${S} + 1.5em + .5rem + 2.75rem + var(--_g-when,0px) + var(--_g-where,0px))}
${SIGNUP}>gather-slot[start]::after{--_g-when:calc(1.5em + ${S})}
${SIGNUP}>gather-slot[location]::after{--_g-where:calc(1.5em + ${S})}
${SIGNUP}::after{content:"";display:block;block-size:calc(2*${M} + 2*${S} + 1.3125em + 1.5rem)}
${THREAD}[topic]::before{content:attr(topic);display:block;font-size:1.25em;font-weight:700;line-height:1.25}
${THREAD}::after{content:"";display:block;block-size:32.6875em}
${AID}::before{content:attr(heading);display:block;min-block-size:1.25em;font-size:1.25em;font-weight:700;line-height:1.25}
${AID}::after{content:"";display:block;--_n:calc(4 + var(--_g-cat,0) + var(--_g-area,0));--_rows:round(up,calc(var(--_n) / var(--_c,6)),1);block-size:calc(7*${M} + 4*${S} + 2px + 5.5rem + var(--_g-intro,1)*1.3125em + var(--_rows)*(1.5em + 3rem) + (var(--_rows) - 1)*${S} + var(--_g-empty,1)*1.5em + 1.3125em + max(1.5rem,1.3125em))}
${AID}[categories]:not([categories=""])::after{--_g-cat:1}
${AID}[areas]:not([areas=""])::after{--_g-area:1}
@container (width<68.5rem){${AID}::after{--_c:5}}
@container (width<57rem){${AID}::after{--_c:4}}
@container (width<45.5rem){${AID}::after{--_c:3}}
@container (width<632px){${AID}::after{--_g-intro:2}}
@container (width<34rem){${AID}::after{--_c:2}}
@container (width<330px){${AID}::after{--_g-intro:3}}
@container (width<325px){${AID}::after{--_g-empty:2}}
@container (width<22.5rem){${AID}::after{--_c:1}}
${ANY}:is([theme],gather-room[theme] *){padding:${M}}
@media (prefers-color-scheme:dark){${ANY}:not([theme=light],gather-room[theme=light] :not([theme=dark])){padding:${M}}}
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
