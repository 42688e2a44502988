import { css } from 'lit';

/** @cssprop --gather-rsvp-gap - Space between the answers. */
export const rsvpStyles = css`
  @layer gather {
    :host {
      --gather-rsvp-gap: var(--gather-space-s);
    }

    .rsvp {
      display: grid;
      gap: var(--gather-space-m);
    }

    fieldset {
      margin: 0;
      padding: 0;
      border: 0;
      display: flex;
      flex-wrap: wrap;
      gap: var(--gather-rsvp-gap);
    }

    legend {
      margin: 0 0 var(--gather-space-s);
      padding: 0;
      font-weight: 600;
    }

    label {
      display: inline-flex;
      align-items: center;
      gap: var(--gather-space-s);
      min-block-size: 2.75rem;
      padding-inline: var(--gather-space-m);
      border: 1px solid var(--gather-color-border);
      border-radius: var(--gather-radius-m);
      cursor: pointer;
    }

    label:has(input:checked) {
      border-color: var(--gather-color-accent);
    }
  }
`;
