import { css } from 'lit';

/**
 * @cssprop --gather-poll-bar-color - Fill of a result bar (default: the accent color).
 * @cssprop --gather-poll-bar-track - Track behind a result bar.
 * @cssprop --gather-poll-bar-height - Height of a result bar.
 */
export const pollStyles = css`
  @layer gather {
    :host {
      --gather-poll-bar-color: var(--gather-color-accent);
      --gather-poll-bar-track: color-mix(in srgb, CanvasText 12%, Canvas);
      --gather-poll-bar-height: 0.5rem;
    }

    .poll,
    form,
    .results-region {
      display: grid;
      gap: var(--gather-space-m);
    }

    fieldset {
      display: grid;
      gap: var(--gather-space-s);
    }

    .question {
      margin: 0 0 var(--gather-space-s);
      font-weight: 600;
    }

    .results {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: var(--gather-space-s);
    }

    .result-row {
      display: flex;
      justify-content: space-between;
      gap: var(--gather-space-s);
    }

    .mine .label {
      font-weight: 600;
    }

    .bar {
      block-size: var(--gather-poll-bar-height);
      border-radius: calc(var(--gather-poll-bar-height) / 2);
      background: var(--gather-poll-bar-track);
      overflow: hidden;
    }

    .fill {
      block-size: 100%;
      background: var(--gather-poll-bar-color);
      transition: inline-size 200ms ease-out;
    }

    section:focus {
      outline: none;
    }

    section:focus-visible {
      outline: 3px solid var(--gather-color-accent);
      outline-offset: 4px;
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
