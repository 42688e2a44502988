import { css } from 'lit';

/**
 * Shared design tokens and base rules. Pages theme every widget with the global
 * `--gather-*` custom properties, set on the widget or on any ancestor (`:root`, `body`,
 * `<gather-room>`): the widget never sets them itself, but reads each into a private `--_*`
 * variable on `:host` with its default (`--_color-accent: var(--gather-color-accent, #1d4ed8)`;
 * per scheme), and its rules read the private one. Styles live in `@layer gather` so a page's own
 * CSS wins.
 */
export const baseStyles = css`
  @layer gather {
    :host {
      --_color-text: var(--gather-color-text, CanvasText);
      --_color-surface: var(--gather-color-surface, Canvas);
      /* Mixed from the text and surface in use, so a page that sets those two gets muted text and borders that go with them. */
      --_color-muted: var(--gather-color-muted, color-mix(in srgb, var(--_color-text) 68%, var(--_color-surface)));
      --_color-border: var(--gather-color-border, color-mix(in srgb, var(--_color-text) 30%, var(--_color-surface)));
      --_color-accent: var(--gather-color-accent, #1d4ed8);
      --_color-accent-text: var(--gather-color-accent-text, #ffffff);
      /* The accent as text on the surface (a plain button's label, a link): the accent itself, except when dark (below). */
      --_color-accent-ink: var(--_color-accent);
      --_color-danger: var(--gather-color-danger, #b91c1c);
      --_space-s: var(--gather-space-s, 0.5rem);
      --_space-m: var(--gather-space-m, 1rem);
      --_radius-m: var(--gather-radius-m, 0.5rem);
      --_font-size: var(--gather-font-size, 1rem);
      /*
       * The least height and width of anything a visitor clicks or taps: 24 CSS px (WCAG 2.2, 2.5.8),
       * 44 on a touch screen (below). In px, not rem: a page's theme may shrink its root font
       * (html { font-size: 62.5% }), and rem with it.
       */
      --_target: 24px;

      /* What shows behind the widget: the page itself, unless the widget's scheme may differ from the page's (below). */
      --_color-background: var(--gather-color-background, transparent);

      display: block;
      color-scheme: light dark;
      color: var(--_color-text);
      background: var(--_color-background);
      /* No default: with --gather-font-family set nowhere this is invalid at computed-value time, so the page's font is inherited. */
      font-family: var(--gather-font-family);
      font-size: var(--_font-size);
      line-height: 1.5;
      /* The host page's inherited text styles stop here (a page's rules for the element itself still win). */
      font-style: normal;
      font-weight: 400;
      text-align: start;
      text-indent: 0;
      text-transform: none;
      letter-spacing: normal;
      word-spacing: normal;
      white-space: normal;
      visibility: visible;
      /* A long word or URL in a visitor's text wraps instead of widening the page. */
      overflow-wrap: anywhere;
    }

    :host([hidden]) {
      display: none;
    }

    /* A finger is coarser than a mouse: 44 × 44 px targets (WCAG 2.5.5). */
    @media (pointer: coarse) {
      :host {
        --_target: 44px;
      }

      /* Its text in the middle of the taller target. */
      summary {
        align-content: center;
      }
    }

    /* theme="light" or theme="dark" (on the widget, else on its <gather-room>: the theme-* states) fixes the scheme; without it, the visitor's prefers-color-scheme decides. */
    :host(:state(theme-light)),
    :host([theme='light']) {
      color-scheme: light;
    }

    :host(:state(theme-dark):not([theme='light'])),
    :host([theme='dark']) {
      color-scheme: dark;
      --_color-accent: var(--gather-color-accent, #93c5fd);
      /*
       * A page's accent is often chosen for a light page (#7c2d12): on the dark surface its text
       * takes whichever of white or black reads on it, and as text on the surface it is lightened
       * until it reads there (axe over every story in the dark theme, test/components/stories.test.ts).
       */
      --_color-accent-text: var(--gather-color-accent-text, oklch(from var(--_color-accent) clamp(0, (0.62 - l) * 1000, 1) 0 0));
      --_color-accent-ink: oklch(from var(--_color-accent) max(l, 0.75) c h);
      --_color-danger: var(--gather-color-danger, #fca5a5);
    }

    @media (prefers-color-scheme: dark) {
      :host(:not([theme='light'], :state(theme-light):not([theme='dark']))) {
        --_color-accent: var(--gather-color-accent, #93c5fd);
        --_color-accent-text: var(--gather-color-accent-text, oklch(from var(--_color-accent) clamp(0, (0.62 - l) * 1000, 1) 0 0));
        --_color-accent-ink: oklch(from var(--_color-accent) max(l, 0.75) c h);
        --_color-danger: var(--gather-color-danger, #fca5a5);
      }
    }

    /* When the widget's scheme may not be the page's, it paints its own surface so its text stays readable. */
    :host([theme='light']),
    :host([theme='dark']),
    :host(:state(theme-light)),
    :host(:state(theme-dark)) {
      --_color-background: var(--gather-color-background, var(--_color-surface));
      padding: var(--_space-m);
      border-radius: var(--_radius-m);
    }

    @media (prefers-color-scheme: dark) {
      :host(:not([theme='light'], :state(theme-light):not([theme='dark']))) {
        --_color-background: var(--gather-color-background, var(--_color-surface));
        padding: var(--_space-m);
        border-radius: var(--_radius-m);
      }
    }

    input,
    select,
    textarea {
      font: inherit;
      max-inline-size: 100%;
    }

    /* Every control at least a target's size (a checkbox's or a radio's target is its label, below). */
    input:not([type='checkbox'], [type='radio']),
    select,
    textarea {
      min-block-size: var(--_target);
      min-inline-size: var(--_target);
    }

    /* Without specificity: a widget's own rule for its choices (.choice) sizes them. */
    :where(label:has(> input[type='checkbox'], > input[type='radio'])) {
      min-block-size: var(--_target);
    }

    summary {
      cursor: pointer;
      min-block-size: max(1.5rem, var(--_target));
    }

    summary:focus-visible {
      outline: 3px solid var(--_color-accent);
      outline-offset: 2px;
    }

    button {
      font: inherit;
      min-block-size: max(2.75rem, var(--_target));
      min-inline-size: var(--_target);
      padding-inline: var(--_space-m);
      border-radius: var(--_radius-m);
      border: 1px solid var(--_color-accent);
      background: var(--_color-surface);
      color: var(--_color-accent-ink);
      cursor: pointer;
    }

    button.primary {
      background: var(--_color-accent);
      color: var(--_color-accent-text);
    }

    button:focus-visible,
    input:focus-visible {
      outline: 3px solid var(--_color-accent);
      outline-offset: 2px;
    }

    button:disabled {
      cursor: not-allowed;
      opacity: 0.6;
    }

    .status {
      margin: var(--_space-s) 0 0;
      font-size: 0.875em;
      color: var(--_color-muted);
    }

    .visually-hidden {
      position: absolute;
      inline-size: 1px;
      block-size: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }

    /* A form of choices: fieldsets without chrome, the question as legend, each choice a card. */
    fieldset {
      margin: 0;
      padding: 0;
      border: 0;
    }

    legend {
      margin: 0 0 var(--_space-s);
      padding: 0;
      font-weight: 600;
    }

    .choice {
      display: flex;
      align-items: center;
      gap: var(--_space-s);
      min-block-size: max(2.75rem, var(--_target));
      padding-inline: var(--_space-s);
      border: 1px solid var(--_color-border);
      border-radius: var(--_radius-m);
      cursor: pointer;
    }

    .choice:has(input:checked) {
      border-color: var(--_color-accent);
    }

    .choice input {
      inline-size: 1.25rem;
      block-size: 1.25rem;
      margin: 0;
      accent-color: var(--_color-accent);
    }

    /* What shared templates render: a command's failure, a row of buttons, a muted summary line. */
    .error {
      margin: 0;
      color: var(--_color-danger);
    }

    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space-s);
    }

    .summary {
      margin: 0;
      color: var(--_color-muted);
    }

    .checking progress {
      display: block;
      inline-size: 100%;
      accent-color: var(--_color-accent);
    }

    @media (prefers-reduced-motion: reduce) {
      * {
        transition: none !important;
        animation: none !important;
      }
    }

    @media (forced-colors: active) {
      button.primary {
        border: 1px solid ButtonText;
      }
    }
  }
`;
