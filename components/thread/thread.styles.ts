import { css } from 'lit';

/** @cssprop --gather-thread-indent - How far each level of replies is indented. */
export const threadStyles = css`
  @layer gather {
    :host {
      --_thread-indent: var(--gather-thread-indent, 1.5rem);
    }

    /* Block flow around the comments (see .list). */
    .thread > * + * {
      margin-block-start: var(--_space-m);
    }

    h2,
    h3 {
      margin: 0;
      line-height: 1.25;
    }

    h2 {
      font-size: 1.25em;
    }

    h3 {
      font-size: 1em;
    }

    .header {
      display: grid;
      gap: var(--_space-s);
    }

    .meta {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_space-s);
      margin: 0;
      color: var(--_color-muted);
    }

    .meta:empty {
      display: none;
    }

    .link-button {
      min-block-size: max(2.75rem, var(--_target));
    }

    .decision,
    .proposal {
      display: grid;
      gap: var(--_space-s);
      padding: var(--_space-m);
      border: 1px solid var(--_color-border);
      border-radius: var(--_radius-m);
    }

    .decision {
      border-color: var(--_color-accent);
      border-inline-start-width: 0.375rem;
    }

    .proposals > * + *,
    .comments > * + * {
      margin-block-start: var(--_space-s);
    }

    p {
      margin: 0;
    }

    .text,
    .outcome,
    .gone {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }

    .gone,
    .replying,
    .byline time,
    .edited,
    .count,
    .state {
      color: var(--_color-muted);
    }

    .gone {
      font-style: italic;
    }

    .byline {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space-s);
      align-items: baseline;
    }

    .name {
      font-weight: 600;
    }

    /* Visitors' words (comments, proposals, names) take their direction from their own text, as
       dir="auto" would: an Arabic comment in an English thread reads, and aligns, right to left. */
    .text,
    .name {
      unicode-bidi: plaintext;
    }

    .new {
      padding-inline: var(--_space-s);
      border-radius: var(--_radius-m);
      background: var(--_color-accent);
      color: var(--_color-accent-text);
      font-size: 0.875em;
    }

    .stances {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space-s) var(--_space-m);
      margin: 0;
      padding: 0;
      list-style: none;
    }

    .reasons ul {
      margin: var(--_space-s) 0 0;
      padding-inline-start: var(--_space-m);
    }

    .choices {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space-s);
    }

    .stance-form,
    .decide-form,
    .compose,
    .panel {
      display: grid;
      gap: var(--_space-s);
    }

    .field {
      display: grid;
      gap: 0.25rem;
    }

    textarea,
    input[type='text'],
    select {
      font: inherit;
      color: inherit;
      background: var(--_color-surface);
      border: 1px solid var(--_color-border);
      border-radius: var(--_radius-m);
      padding: var(--_space-s);
      min-block-size: max(2.75rem, var(--_target));
      box-sizing: border-box;
      inline-size: 100%;
    }

    select {
      inline-size: auto;
    }

    textarea:focus-visible,
    select:focus-visible,
    .comment:focus-visible,
    .decision:focus-visible {
      outline: 3px solid var(--_color-accent);
      outline-offset: 2px;
    }

    .toolbar {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      align-items: center;
      gap: var(--_space-s);
    }

    .order {
      display: flex;
      align-items: center;
      gap: var(--_space-s);
    }

    /* Block flow, not grid or flex: one more comment lays out itself, not thousands of tracks. The
       comments are in blocks of a few dozen (thread.ts, BLOCK), so one more is laid out in its
       block, which is laid out in a list of blocks, not of thousands of comments. */
    .list {
      display: block;
    }

    .block {
      display: block;
      margin: 0;
      padding: 0;
      list-style: none;
      /* Not content-visibility: auto here (each comment is): a skipped block's comments would be
         left out of the accessibility tree, a screen reader's list then holding one block. */
    }

    .block + .block,
    .block > li + li {
      margin-block-start: var(--_space-s);
    }

    .comment {
      display: grid;
      gap: var(--_space-s);
      padding-block: var(--_space-s);
      padding-inline-start: var(--_space-s);
      border-inline-start: 2px solid var(--_color-border);
      /* Off-screen comments of a long thread cost no layout or paint until they are near. */
      content-visibility: auto;
      contain-intrinsic-size: auto 8rem;
    }

    .comment.unread {
      border-inline-start-color: var(--_color-accent);
    }

    .depth-1 {
      margin-inline-start: var(--_thread-indent);
    }

    .depth-2 {
      margin-inline-start: calc(2 * var(--_thread-indent));
    }

    .depth-3 {
      margin-inline-start: calc(3 * var(--_thread-indent));
    }

    .reactions,
    .reaction-menu {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space-s);
    }

    /* The open "Add reaction" menu, under the button that opened it. */
    .reaction-menu {
      padding: var(--_space-s);
      border: 1px solid var(--_color-border);
      border-radius: var(--_radius-m);
    }

    [part='reaction'][aria-pressed='true'] {
      background: var(--_color-accent);
      color: var(--_color-accent-text);
    }

    a {
      color: var(--_color-accent-ink);
    }

    .locked {
      padding: var(--_space-s) var(--_space-m);
      border: 1px dashed var(--_color-border);
      border-radius: var(--_radius-m);
    }

    @media (forced-colors: active) {
      [part='reaction'][aria-pressed='true'] {
        border: 2px solid Highlight;
      }
    }

    /*
     * While the thread's model is on its way (aria-busy, the compose form and the presence line not
     * there yet), keep their room: the line "1 reading now" and the form (two fields, the count, the
     * buttons) come in one render, and nothing under them moves (test/embed/upgrade.test.ts; the
     * loader's pre-upgrade rules reserve the same height before the code comes).
     */
    .thread[aria-busy='true'] .meta:not(:has(.reading)) {
      min-block-size: 1.5em;
    }

    .thread[aria-busy='true']:not(:has(> .compose)) > .comments {
      margin-block-end: calc(2 * var(--_space-m) + 19.125em); /* the form's margins collapse into this one: the form, and the space above and below it */
    }
  }
`;
