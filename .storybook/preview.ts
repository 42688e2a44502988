// Storybook as the designers' home: Docs pages generated from custom-elements.json (attributes,
// properties, events, slots, parts, states and CSS properties, from the elements' JSDoc), and two
// toolbars that apply to every story: the visitors' language (Arabic right to left) and the theme.
import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';
import { html } from 'lit';
// `npm run storybook` and `npm run build-storybook` run `cem analyze` first.
import manifest from '../custom-elements.json' with { type: 'json' };

setCustomElementsManifest(manifest);

/** The languages Gather ships; "story" keeps each story's own `lang` arg. */
const LOCALES = [
  { value: 'story', title: 'As the story says' },
  { value: 'en', title: 'English' },
  { value: 'es', title: 'Español' },
  { value: 'fr', title: 'Français' },
  { value: 'ar', title: 'العربية (right to left)' },
];

const WIDGETS = 'gather-poll, gather-signup, gather-aid-board, gather-thread';
/** The Theme toolbar's choice, put on every widget as it appears (the stories write their own markup). */
let chosenScheme = 'auto';
if (typeof MutationObserver !== 'undefined') {
  new MutationObserver(() => {
    if (chosenScheme === 'auto') return;
    for (const widget of document.querySelectorAll(WIDGETS)) if (widget.getAttribute('theme') !== chosenScheme) widget.setAttribute('theme', chosenScheme);
  }).observe(document.documentElement, { childList: true, subtree: true });
}

const preview: Preview = {
  tags: ['autodocs'],
  globalTypes: {
    locale: {
      description: "The visitor's language (the nearest lang attribute)",
      toolbar: { title: 'Language', icon: 'globe', items: LOCALES, dynamicTitle: true },
    },
    scheme: {
      description: 'Light or dark: the theme attribute of every widget, or the visitor’s preference',
      toolbar: {
        title: 'Theme',
        icon: 'contrast',
        items: [
          { value: 'auto', title: 'Visitor’s preference' },
          { value: 'light', title: 'theme="light"' },
          { value: 'dark', title: 'theme="dark"' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { locale: 'story', scheme: 'auto' },
  decorators: [
    (story, context) => {
      const { locale, scheme } = context.globals as { locale?: string; scheme?: string };
      chosenScheme = scheme ?? 'auto';
      // A story's own `lang` arg (on its <gather-room>) would win over a wrapper's: hand the chosen one to the story.
      const chosen = locale && locale !== 'story' ? locale : undefined;
      const rendered = chosen && 'lang' in context.args ? story({ args: { ...context.args, lang: chosen } }) : story();
      return chosen ? html`<div lang=${chosen}>${rendered}</div>` : rendered;
    },
  ],
};

export default preview;
