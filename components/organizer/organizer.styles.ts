import { css } from 'lit';

/** @cssprop --gather-organizer-gap - Space between the panel's sections. */
export const organizerStyles = css`
  @layer gather {
    :host {
      --_organizer-gap: var(--gather-organizer-gap, var(--_space-m));
    }

    .organizer {
      display: grid;
      gap: var(--_organizer-gap);
    }

    fieldset {
      display: grid;
      gap: var(--_space-s);
      padding: var(--_space-m);
      border: 1px solid var(--_color-border);
      border-radius: var(--_radius-m);
    }

    p {
      margin: 0;
    }

    .help {
      color: var(--_color-muted);
      font-size: 0.875em;
    }

    label {
      display: grid;
      gap: 0.25rem;
    }

    label.check {
      display: flex;
      align-items: center;
      gap: var(--_space-s);
    }

    input:not([type='checkbox']),
    select {
      min-block-size: max(2.75rem, var(--_target));
      padding-inline: var(--_space-s);
      border: 1px solid var(--_color-border);
      border-radius: var(--_radius-m);
      background: var(--_color-surface);
      color: var(--_color-text);
      font: inherit;
      min-inline-size: 0;
    }

    input[readonly],
    code {
      font-family: ui-monospace, monospace;
      overflow-wrap: anywhere;
    }

    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: end;
      gap: var(--_space-s);
    }

    .row > label {
      flex: 1 1 12rem;
    }

    ul.list {
      display: grid;
      gap: var(--_space-s);
      margin: 0;
      padding: 0;
      list-style: none;
    }

    ul.list li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_space-s);
    }

    .tag {
      color: var(--_color-muted);
      font-size: 0.875em;
    }

    .notice {
      font-weight: 600;
    }
  }
`;
