import { css } from 'lit';

/** @cssprop --gather-organizer-gap - Space between the panel's sections. */
export const organizerStyles = css`
  @layer gather {
    :host {
      --gather-organizer-gap: var(--gather-space-m);
    }

    .organizer {
      display: grid;
      gap: var(--gather-organizer-gap);
    }

    fieldset {
      display: grid;
      gap: var(--gather-space-s);
      padding: var(--gather-space-m);
      border: 1px solid var(--gather-color-border);
      border-radius: var(--gather-radius-m);
    }

    p {
      margin: 0;
    }

    .help {
      color: var(--gather-color-muted);
      font-size: 0.875em;
    }

    label {
      display: grid;
      gap: 0.25rem;
    }

    label.check {
      display: flex;
      align-items: center;
      gap: var(--gather-space-s);
    }

    input:not([type='checkbox']),
    select {
      min-block-size: 2.75rem;
      padding-inline: var(--gather-space-s);
      border: 1px solid var(--gather-color-border);
      border-radius: var(--gather-radius-m);
      background: var(--gather-color-surface);
      color: var(--gather-color-text);
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
      gap: var(--gather-space-s);
    }

    .row > label {
      flex: 1 1 12rem;
    }

    ul.list {
      display: grid;
      gap: var(--gather-space-s);
      margin: 0;
      padding: 0;
      list-style: none;
    }

    ul.list li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--gather-space-s);
    }

    .tag {
      color: var(--gather-color-muted);
      font-size: 0.875em;
    }

    .notice {
      font-weight: 600;
    }
  }
`;
