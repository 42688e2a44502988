import { css } from 'lit';

/**
 * @cssprop --gather-aid-board-list-height - Height of the scrolling list of posts on a large board.
 * @cssprop --gather-aid-board-post-border - Border of a post card.
 * @cssprop --gather-aid-board-offer-color - The mark of an offer.
 * @cssprop --gather-aid-board-request-color - The mark of a request.
 */
export const aidBoardStyles = css`
  @layer gather {
    :host {
      --gather-aid-board-list-height: 36rem;
      --gather-aid-board-post-border: 1px solid var(--gather-color-border);
      --gather-aid-board-offer-color: #047857;
      --gather-aid-board-request-color: #b45309;
    }

    @media (prefers-color-scheme: dark) {
      :host {
        --gather-aid-board-offer-color: #6ee7b7;
        --gather-aid-board-request-color: #fcd34d;
      }
    }

    .aid-board,
    form,
    .post-body {
      display: grid;
      gap: var(--gather-space-m);
    }

    h2,
    h3,
    h4 {
      margin: 0;
      line-height: 1.25;
    }

    h2 {
      font-size: 1.25em;
    }

    h3 {
      font-size: 1.0625em;
      overflow-wrap: anywhere;
    }

    h4 {
      font-size: 1em;
    }

    p {
      margin: 0;
    }

    .intro,
    .hint,
    .meta,
    .privacy {
      color: var(--gather-color-muted);
      font-size: 0.875em;
    }

    .privacy {
      border-inline-start: 3px solid var(--gather-color-accent);
      padding-inline-start: var(--gather-space-s);
    }

    details.new-post {
      border: var(--gather-aid-board-post-border);
      border-radius: var(--gather-radius-m);
      padding: var(--gather-space-s) var(--gather-space-m);
    }

    details.new-post > summary {
      cursor: pointer;
      font-weight: 600;
      min-block-size: 2.75rem;
      display: flex;
      align-items: center;
    }

    details.new-post[open] > summary {
      margin-block-end: var(--gather-space-s);
    }

    .field {
      display: grid;
      gap: 0.25rem;
    }

    .field > span:first-child {
      font-weight: 600;
    }

    .row {
      display: flex;
      flex-wrap: wrap;
      gap: var(--gather-space-s);
    }

    .row > * {
      flex: 1 1 12rem;
      min-inline-size: 0;
    }

    input:not([type='radio']),
    select,
    textarea {
      font: inherit;
      color: inherit;
      background: var(--gather-color-surface);
      min-block-size: 2.75rem;
      padding-inline: var(--gather-space-s);
      border: 1px solid var(--gather-color-border);
      border-radius: var(--gather-radius-m);
      box-sizing: border-box;
      inline-size: 100%;
    }

    textarea {
      padding-block: var(--gather-space-s);
      resize: vertical;
    }

    select:focus-visible,
    textarea:focus-visible,
    summary:focus-visible {
      outline: 3px solid var(--gather-color-accent);
      outline-offset: 2px;
    }

    fieldset.choices {
      display: flex;
      flex-wrap: wrap;
      gap: var(--gather-space-s);
    }

    fieldset.choices > legend {
      inline-size: 100%;
    }

    .views {
      display: flex;
      flex-wrap: wrap;
      gap: var(--gather-space-s);
    }

    .views button[aria-pressed='true'] {
      background: var(--gather-color-accent);
      color: var(--gather-color-accent-text);
    }

    .filters > fieldset {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
      gap: var(--gather-space-s);
      align-items: end;
    }

    .posts {
      list-style: none;
      margin: 0;
      padding: 0;
    }

    /* A large board: a scrolling box that holds only the posts on screen. */
    .scroller {
      max-block-size: var(--gather-aid-board-list-height);
      overflow: auto;
      overscroll-behavior: contain;
    }

    .post {
      box-sizing: border-box;
      inline-size: 100%;
      border: var(--gather-aid-board-post-border);
      border-inline-start-width: 0.375rem;
      border-radius: var(--gather-radius-m);
      padding: var(--gather-space-s) var(--gather-space-m);
      margin-block-end: var(--gather-space-s);
    }

    .post[data-kind='offer'] {
      border-inline-start-color: var(--gather-aid-board-offer-color);
    }

    .post[data-kind='request'] {
      border-inline-start-color: var(--gather-aid-board-request-color);
    }

    .post.closed {
      opacity: 0.85;
    }

    .badges {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem var(--gather-space-s);
      font-size: 0.875em;
    }

    .badge {
      border: 1px solid var(--gather-color-border);
      border-radius: var(--gather-radius-m);
      padding-inline: 0.375rem;
    }

    .badge.kind {
      font-weight: 600;
    }

    .description,
    .message,
    .contact-text {
      white-space: pre-line;
      overflow-wrap: anywhere;
    }

    .responses {
      margin: 0;
      padding: 0;
      list-style: none;
      display: grid;
      gap: var(--gather-space-s);
    }

    .response {
      border-block-start: 1px solid var(--gather-color-border);
      padding-block-start: var(--gather-space-s);
      display: grid;
      gap: 0.25rem;
    }

    .contacts {
      margin: 0;
      display: grid;
      gap: 0.25rem;
    }

    .contacts dt {
      font-weight: 600;
    }

    .contacts dd {
      margin: 0;
    }

    .hidden-note {
      font-style: italic;
    }

    @media (forced-colors: active) {
      .post {
        border-inline-start-color: CanvasText;
      }
    }
  }
`;
