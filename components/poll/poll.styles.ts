import { css } from 'lit';

/**
 * The loader lays a poll's plain HTML out at the size of its first render (components/pre-upgrade.ts):
 * a change here to the form's heights or gaps needs the same change there (test/embed/upgrade.test.ts fails otherwise).
 *
 * @cssprop --gather-poll-bar-color - Fill of a result bar (default: the accent color).
 * @cssprop --gather-poll-bar-track - Track behind a result bar.
 * @cssprop --gather-poll-bar-height - Height of a result bar.
 */
export const pollStyles = css`
  @layer gather {
    :host {
      --_poll-bar-color: var(--gather-poll-bar-color, var(--_color-accent));
      --_poll-bar-track: var(--gather-poll-bar-track, color-mix(in srgb, CanvasText 12%, Canvas));
      --_poll-bar-height: var(--gather-poll-bar-height, 0.5rem);
    }

    .poll,
    form,
    .results-region {
      display: grid;
      gap: var(--_space-m);
    }

    fieldset {
      display: grid;
      gap: var(--_space-s);
      min-inline-size: 0;
    }

    .question,
    .headline {
      margin: 0 0 var(--_space-s);
      font-weight: 600;
    }

    .subhead {
      margin: 0;
      font-size: 1em;
    }

    .when {
      color: var(--_color-muted);
      font-size: 0.875em;
    }

    /* A time option's own time on a line of its own, so that its height does not depend on how long the zone's words are (pre-upgrade.ts reserves that line). */
    .option-group .when {
      display: block;
    }

    .choice > span,
    .label,
    .reason-text {
      overflow-wrap: anywhere;
    }

    /*
     * A long list of options (40, with long labels) stays one fieldset in the page's flow, not a
     * box with a max-height that scrolls inside the page: such a box traps touch scrolling on a
     * phone and hides options and the Vote button behind a second scrollbar, while a radio group
     * is already a single Tab stop whose arrow keys walk every option (each scrolled into view).
     * So the list only has to reflow: labels wrap, and the control keeps its size beside them
     * (as a flex item it would shrink). test/components/poll-long-list.test.ts checks it at 320px.
     */
    .choice > input {
      flex: none;
    }

    .choice > span {
      min-inline-size: 0;
    }

    .rank-row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: var(--_space-s);
      min-block-size: max(2.75rem, var(--_target));
    }

    select,
    textarea {
      font: inherit;
      color: inherit;
      background: var(--_color-surface);
      border: 1px solid var(--_color-border);
      border-radius: var(--_radius-m);
      padding: var(--_space-s);
    }

    select {
      min-block-size: max(2.75rem, var(--_target));
    }

    select:focus-visible,
    textarea:focus-visible {
      outline: 3px solid var(--_color-accent);
      outline-offset: 2px;
    }

    .option-group legend {
      font-weight: 400;
    }

    .scale {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space-s);
    }

    .stance .help {
      display: block;
      color: var(--_color-muted);
      font-size: 0.875em;
    }

    .reason {
      display: grid;
      gap: var(--_space-s);
    }

    .results,
    .rounds,
    .reasons {
      margin: 0;
      padding: 0;
      display: grid;
      gap: var(--_space-s);
    }

    .results,
    .reasons {
      list-style: none;
    }

    .rounds {
      padding-inline-start: 1.25em;
      gap: var(--_space-m);
    }

    .round-title {
      margin: 0;
      font-weight: 600;
    }

    .result-row {
      display: flex;
      justify-content: space-between;
      gap: var(--_space-s);
    }

    .mine .label {
      font-weight: 600;
    }

    .eliminated .label {
      text-decoration: line-through;
    }

    .bar {
      display: block;
      inline-size: 100%;
      block-size: var(--_poll-bar-height);
      border-radius: calc(var(--_poll-bar-height) / 2);
      overflow: hidden;
    }

    .bar .track {
      fill: var(--_poll-bar-track);
    }

    .bar .fill {
      fill: var(--_poll-bar-color);
    }

    .table {
      border-collapse: collapse;
      inline-size: 100%;
    }

    .table th,
    .table td {
      padding: var(--_space-s);
      border-block-end: 1px solid var(--_color-border);
      text-align: start;
      vertical-align: top;
    }

    .table .num {
      text-align: end;
      font-variant-numeric: tabular-nums;
    }

    .table .bar {
      margin-block-start: var(--_space-s);
    }

    .badge {
      display: inline-block;
      margin-inline-start: var(--_space-s);
      padding-inline: var(--_space-s);
      border: 1px solid var(--_color-accent);
      border-radius: var(--_radius-m);
      font-size: 0.875em;
    }

    .quorum {
      display: grid;
      gap: var(--_space-s);
    }

    progress {
      inline-size: 100%;
      accent-color: var(--_poll-bar-color);
    }

    section:focus {
      outline: none;
    }

    section:focus-visible {
      outline: 3px solid var(--_color-accent);
      outline-offset: 4px;
    }

    @media (forced-colors: active) {
      .bar .fill {
        fill: Highlight;
      }
      .bar .track {
        fill: Canvas;
      }
      .bar {
        border: 1px solid CanvasText;
      }
    }
  }
`;
