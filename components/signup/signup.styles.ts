import { css } from 'lit';

/**
 * @cssprop --gather-signup-gap - Space between slots.
 * @cssprop --gather-signup-bar-color - Fill of a slot's places bar.
 * @cssprop --gather-signup-bar-track - Track behind it.
 * @cssprop --gather-signup-confirmed-color - The "You're confirmed" badge.
 * @cssprop --gather-signup-waitlisted-color - The "on the waitlist" badge.
 */
export const signupStyles = css`
  @layer gather {
    :host {
      --_signup-gap: var(--gather-signup-gap, var(--_space-m));
      --_signup-bar-color: var(--gather-signup-bar-color, var(--_color-accent));
      --_signup-bar-track: var(--gather-signup-bar-track, color-mix(in srgb, var(--_color-border) 45%, transparent));
      /* light-dark() follows the widget's color-scheme: theme="light|dark", else the visitor's preference. */
      --_signup-confirmed-color: var(--gather-signup-confirmed-color, light-dark(#166534, #86efac));
      --_signup-waitlisted-color: var(--gather-signup-waitlisted-color, light-dark(#92400e, #fcd34d));
    }

    .signup {
      display: grid;
      gap: var(--_space-m);
    }

    .title {
      margin: 0;
      font-weight: 600;
      font-size: 1.125em;
    }

    ul,
    ol {
      margin: 0;
      padding: 0;
    }

    .slots {
      display: grid;
      gap: var(--_signup-gap);
      list-style: none;
    }

    .slot {
      display: grid;
      gap: var(--_space-s);
      padding: var(--_space-m);
      border: 1px solid var(--_color-border);
      border-radius: var(--_radius-m);
    }

    /*
     * A long sheet lays out only the slots on screen (the rest keep their place and stay in the
     * accessibility tree). Not the first twenty: Chromium paints a content-visibility: auto element
     * at its intrinsic size (12rem) in its first frame, even on screen, and then at its own, which
     * moved everything under the sheet as it upgraded (test/embed/upgrade.test.ts); the twenty-first
     * slot on is below the fold of any screen.
     */
    .slot:nth-child(n + 21) {
      content-visibility: auto;
      contain-intrinsic-size: auto 12rem;
    }

    /*
     * A slot's row of buttons keeps its height while it has none yet (before the visitor's key and
     * the sheet's model have come, "Sign up" is not there): it comes without moving what is under it.
     * A closed slot has no row to keep. The loader's pre-upgrade rules reserve the same row.
     */
    .slot > .actions {
      min-block-size: max(2.75rem, var(--_target));
    }

    .slot:has(> .closed-note) > .actions {
      min-block-size: 0;
    }

    .slot.mine {
      border-color: var(--_color-accent);
    }

    .slot-head {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      justify-content: space-between;
      gap: var(--_space-s);
    }

    .label {
      font-weight: 600;
    }

    .badge {
      font-size: 0.875em;
      font-weight: 600;
    }

    .badge.confirmed {
      color: var(--_signup-confirmed-color);
    }

    .badge.waitlisted {
      color: var(--_signup-waitlisted-color);
    }

    .when,
    .where,
    .places,
    .closed-note,
    .added-by,
    .hint {
      margin: 0;
    }

    .where,
    .added-by,
    .hint {
      color: var(--_color-muted);
    }

    .hint,
    .added-by {
      font-size: 0.875em;
    }

    .bar {
      block-size: 0.5rem;
      border-radius: 999px;
      background: var(--_signup-bar-track);
      overflow: hidden;
    }

    .fill {
      block-size: 100%;
      background: var(--_signup-bar-color);
    }

    /* Block flow, not a grid: one column looks the same, and a sheet lays out thousands of rows. */
    .people {
      padding-inline-start: 1.25em;
    }

    .people li {
      list-style: none;
    }

    .people li + li {
      margin-block-start: 0.25rem;
    }

    .people.waitlist li {
      list-style: decimal;
    }

    .person {
      margin-inline-end: var(--_space-s);
    }

    .list-heading {
      margin: 0;
      font-size: 0.875em;
      font-weight: 600;
    }

    .note {
      color: var(--_color-muted);
    }

    .people button {
      min-block-size: max(2rem, var(--_target));
      font-size: 0.875em;
    }

    form {
      display: grid;
      gap: var(--_space-s);
    }

    fieldset {
      display: grid;
      gap: var(--_space-s);
    }

    .field {
      display: grid;
      gap: 0.25rem;
    }

    .fields {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space-s);
    }

    input {
      font: inherit;
      min-block-size: max(2.75rem, var(--_target));
      padding-inline: var(--_space-s);
      border: 1px solid var(--_color-border);
      border-radius: var(--_radius-m);
      background: var(--_color-surface);
      color: var(--_color-text);
      max-inline-size: 100%;
      box-sizing: border-box;
    }

    /* "Add to calendar", a link beside the slot's buttons: a target as they are. */
    a {
      color: var(--_color-accent-ink);
      align-self: center;
      display: inline-flex;
      align-items: center;
      min-block-size: var(--_target);
      min-inline-size: var(--_target);
    }

    a:focus-visible {
      outline: 3px solid var(--_color-accent);
      outline-offset: 2px;
    }

    @media (forced-colors: active) {
      .fill {
        background: Highlight;
      }
      .bar {
        border: 1px solid CanvasText;
      }
    }
  }
`;
