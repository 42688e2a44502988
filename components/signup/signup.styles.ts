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
      --gather-signup-gap: var(--gather-space-m);
      --gather-signup-bar-color: var(--gather-color-accent);
      --gather-signup-bar-track: color-mix(in srgb, var(--gather-color-border) 45%, transparent);
      --gather-signup-confirmed-color: #166534;
      --gather-signup-waitlisted-color: #92400e;
    }

    @media (prefers-color-scheme: dark) {
      :host {
        --gather-signup-confirmed-color: #86efac;
        --gather-signup-waitlisted-color: #fcd34d;
      }
    }

    .signup {
      display: grid;
      gap: var(--gather-space-m);
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
      gap: var(--gather-signup-gap);
      list-style: none;
    }

    .slot {
      /* A long sheet lays out only the slots on screen (the rest keep their place and stay in the accessibility tree). */
      content-visibility: auto;
      contain-intrinsic-size: auto 12rem;
      display: grid;
      gap: var(--gather-space-s);
      padding: var(--gather-space-m);
      border: 1px solid var(--gather-color-border);
      border-radius: var(--gather-radius-m);
    }

    .slot.mine {
      border-color: var(--gather-color-accent);
    }

    .slot-head {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      justify-content: space-between;
      gap: var(--gather-space-s);
    }

    .label {
      font-weight: 600;
    }

    .badge {
      font-size: 0.875em;
      font-weight: 600;
    }

    .badge.confirmed {
      color: var(--gather-signup-confirmed-color);
    }

    .badge.waitlisted {
      color: var(--gather-signup-waitlisted-color);
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
      color: var(--gather-color-muted);
    }

    .hint,
    .added-by {
      font-size: 0.875em;
    }

    .bar {
      block-size: 0.5rem;
      border-radius: 999px;
      background: var(--gather-signup-bar-track);
      overflow: hidden;
    }

    .fill {
      block-size: 100%;
      background: var(--gather-signup-bar-color);
    }

    .people {
      display: grid;
      gap: 0.25rem;
      padding-inline-start: 1.25em;
    }

    .people li {
      list-style: none;
    }

    .people.waitlist li {
      list-style: decimal;
    }

    .person {
      margin-inline-end: var(--gather-space-s);
    }

    .list-heading {
      margin: 0;
      font-size: 0.875em;
      font-weight: 600;
    }

    .note {
      color: var(--gather-color-muted);
    }

    .people button {
      min-block-size: 2rem;
      font-size: 0.875em;
    }

    form {
      display: grid;
      gap: var(--gather-space-s);
    }

    fieldset {
      display: grid;
      gap: var(--gather-space-s);
    }

    .field {
      display: grid;
      gap: 0.25rem;
    }

    .fields {
      display: flex;
      flex-wrap: wrap;
      gap: var(--gather-space-s);
    }

    input {
      font: inherit;
      min-block-size: 2.75rem;
      padding-inline: var(--gather-space-s);
      border: 1px solid var(--gather-color-border);
      border-radius: var(--gather-radius-m);
      background: var(--gather-color-surface);
      color: var(--gather-color-text);
      max-inline-size: 100%;
      box-sizing: border-box;
    }

    a {
      color: var(--gather-color-accent);
      align-self: center;
    }

    a:focus-visible {
      outline: 3px solid var(--gather-color-accent);
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
