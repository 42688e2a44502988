import { css } from 'lit';

/** @cssprop --gather-rsvp-gap - Space between the answers. */
export const rsvpStyles = css`
  @layer gather {
    :host {
      --_rsvp-gap: var(--gather-rsvp-gap, var(--_space-s));
    }

    .rsvp {
      display: grid;
      gap: var(--_space-m);
    }

    fieldset {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_rsvp-gap);
    }

    .choice {
      padding-inline: var(--_space-m);
    }
  }
`;
