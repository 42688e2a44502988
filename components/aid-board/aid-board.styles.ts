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
      --_aid-board-list-height: var(--gather-aid-board-list-height, 36rem);
      --_aid-board-post-border: var(--gather-aid-board-post-border, 1px solid var(--_color-border));
      /* light-dark() follows the widget's color-scheme: theme="light|dark", else the visitor's preference. */
      --_aid-board-offer-color: var(--gather-aid-board-offer-color, light-dark(#047857, #6ee7b7));
      --_aid-board-request-color: var(--gather-aid-board-request-color, light-dark(#b45309, #fcd34d));
    }

    .aid-board,
    form,
    .post-body {
      display: grid;
      gap: var(--_space-m);
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
      color: var(--_color-muted);
      font-size: 0.875em;
    }

    .privacy {
      border-inline-start: 3px solid var(--_color-accent);
      padding-inline-start: var(--_space-s);
    }

    details.new-post {
      border: var(--_aid-board-post-border);
      border-radius: var(--_radius-m);
      padding: var(--_space-s) var(--_space-m);
    }

    details.new-post > summary {
      cursor: pointer;
      font-weight: 600;
      min-block-size: max(2.75rem, var(--_target));
      display: flex;
      align-items: center;
    }

    details.new-post[open] > summary {
      margin-block-end: var(--_space-s);
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
      gap: var(--_space-s);
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
      background: var(--_color-surface);
      min-block-size: max(2.75rem, var(--_target));
      padding-inline: var(--_space-s);
      border: 1px solid var(--_color-border);
      border-radius: var(--_radius-m);
      box-sizing: border-box;
      inline-size: 100%;
    }

    textarea {
      padding-block: var(--_space-s);
      resize: vertical;
    }

    select:focus-visible,
    textarea:focus-visible,
    summary:focus-visible {
      outline: 3px solid var(--_color-accent);
      outline-offset: 2px;
    }

    fieldset.choices {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space-s);
    }

    fieldset.choices > legend {
      inline-size: 100%;
    }

    .views {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space-s);
    }

    .views button[aria-pressed='true'] {
      background: var(--_color-accent);
      color: var(--_color-accent-text);
    }

    .filters > fieldset {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
      gap: var(--_space-s);
      align-items: end;
    }

    .posts {
      list-style: none;
      margin: 0;
      padding: 0;
    }

    /* A large board: a scrolling box that holds only the posts on screen. */
    .scroller {
      max-block-size: var(--_aid-board-list-height);
      overflow: auto;
      overscroll-behavior: contain;
    }

    .post {
      box-sizing: border-box;
      inline-size: 100%;
      border: var(--_aid-board-post-border);
      border-inline-start-width: 0.375rem;
      border-radius: var(--_radius-m);
      padding: var(--_space-s) var(--_space-m);
      margin-block-end: var(--_space-s);
    }

    .post[data-kind='offer'] {
      border-inline-start-color: var(--_aid-board-offer-color);
    }

    .post[data-kind='request'] {
      border-inline-start-color: var(--_aid-board-request-color);
    }

    .post.closed {
      opacity: 0.85;
    }

    .badges {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem var(--_space-s);
      font-size: 0.875em;
    }

    .badge {
      border: 1px solid var(--_color-border);
      border-radius: var(--_radius-m);
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
      gap: var(--_space-s);
    }

    .response {
      border-block-start: 1px solid var(--_color-border);
      padding-block-start: var(--_space-s);
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

      /* Forced colours drop the accent background: the pressed view keeps a mark of its own (as the thread's reactions do). */
      .views button[aria-pressed='true'] {
        border: 2px solid Highlight;
      }
    }
  }
`;
