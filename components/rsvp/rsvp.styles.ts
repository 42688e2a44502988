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
      display: flex;
      flex-wrap: wrap;
      gap: var(--gather-rsvp-gap);
    }

    .choice {
      padding-inline: var(--gather-space-m);
    }
  }
`;
