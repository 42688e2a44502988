// Storybook as the designers' home: Docs pages generated from custom-elements.json (attributes,
// properties, events, slots, parts, states and CSS properties, from the elements' JSDoc), and two
// toolbars that apply to every story: the visitors' language (Arabic right to left) and the theme.
import { setCustomElementsManifest, type Preview, type WebComponentsRenderer } from '@storybook/web-components-vite';
import type { ArgTypesEnhancer, StrictInputType } from 'storybook/internal/types';
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

const WIDGETS = 'gather-poll, gather-signup, gather-aid-board, gather-thread, gather-organizer';
/** The Theme toolbar's choice, put on every widget as it appears (the stories write their own markup). */
let chosenScheme = 'auto';
if (typeof MutationObserver !== 'undefined') {
  new MutationObserver(() => {
    if (chosenScheme === 'auto') return;
    for (const widget of document.querySelectorAll(WIDGETS)) if (widget.getAttribute('theme') !== chosenScheme) widget.setAttribute('theme', chosenScheme);
  }).observe(document.documentElement, { childList: true, subtree: true });
}

/** What the manifest says of an element's members (custom-elements.json, by tag). */
interface Declaration {
  readonly tagName?: string;
  readonly members?: readonly { readonly name: string; readonly privacy?: string; readonly static?: boolean }[];
  readonly attributes?: readonly { readonly name: string; readonly description?: string; readonly type?: { readonly text: string } }[];
}
const declarations = new Map(
  (manifest.modules as { declarations?: Declaration[] }[]).flatMap((module) => module.declarations ?? []).filter((d) => d.tagName).map((d) => [d.tagName!, d]),
);

/**
 * What the stories never set from a control: where the room is and who signs (the stories put
 * each on linked in-memory rooms and make the visitors), read-only state, and a second name for
 * an attribute that has a control under its other name (`exportAccess` is `export`, `show-names`
 * is `showNames`).
 */
const NOT_FROM_CONTROLS = new Set([
  'room', 'name', 'organizer', 'members-only', 'membersOnly', 'signaling', 'ice-servers', 'iceServers', 'ice-transport', 'iceTransport',
  'password', 'keeper', 'source', 'signer', 'view', 'ready', 'status', 'exportAccess', 'show-names',
]);

/**
 * Controls only where a story does something with them. The manifest (through Storybook's
 * web-components docs) lists every member, private ones included, and offers a control for each
 * row, most of which nothing reads: private and protected members leave the Docs table, the rows
 * above keep no control, nor do events, parts and slots; each `--gather-*` custom property gets a
 * colour or text control, which the widget stories put on the element (stories/helpers/controls.ts).
 * Each stories file gives its working attributes their controls (select, boolean, number, date).
 *
 * Parts are listed as `::part(name)`: Storybook keys every row by its bare name, so a part named
 * like an attribute (the poll's `question`, the thread's `topic`, the organizer's `password`) would
 * take the attribute's row, and its control, away.
 */
const controlsThatWork: ArgTypesEnhancer<WebComponentsRenderer> = ({ component, argTypes }) => {
  const declaration = typeof component === 'string' ? declarations.get(component) : undefined;
  if (!declaration) return argTypes;
  const hidden = new Set((declaration.members ?? []).filter((m) => m.privacy === 'private' || m.privacy === 'protected' || m.static).map((m) => m.name));
  const attributes = new Map((declaration.attributes ?? []).map((attribute) => [attribute.name, attribute]));
  const rows: [string, StrictInputType][] = [];
  for (const [name, argType] of Object.entries(argTypes)) {
    const category = argType.table?.category;
    if (category === 'css shadow parts') {
      rows.push([`::part(${name})`, { ...argType, name: `::part(${name})`, control: false }]);
      const attribute = attributes.get(name);
      // The attribute's row, as the docs would have made it, with the control the stories file gave it.
      if (attribute) {
        const type = attribute.type?.text;
        rows.push([
          name,
          {
            name,
            description: attribute.description,
            type: { name: 'other', value: type ?? 'string' },
            table: { category: 'attributes', type: { summary: type ?? 'string' } },
            control: NOT_FROM_CONTROLS.has(name) ? false : (argType.control ?? false),
            ...(argType.options ? { options: argType.options } : {}),
          },
        ]);
      }
    } else if (category === 'properties' && hidden.has(name)) rows.push([name, { ...argType, control: false, table: { ...argType.table, disable: true } }]);
    else if (category === 'css custom properties') rows.push([name, { ...argType, type: { name: 'string' }, control: /color/.test(name) ? 'color' : 'text' }]);
    else if (category === 'events' || category === 'slots' || NOT_FROM_CONTROLS.has(name)) rows.push([name, { ...argType, control: false }]);
    else rows.push([name, { ...argType, ...typeFor(argType) }]);
  }
  return Object.fromEntries(rows);
};

/**
 * A Storybook type for a row the stories give a control, from that control: the manifest's types
 * are TypeScript (`'light' | 'dark'`, `number | undefined`), which Storybook does not know, and it
 * drops the args it cannot map to a known type when it reads them back from the URL (a shared
 * link, a reload). The Docs table still shows the TypeScript type.
 */
function typeFor(argType: StrictInputType): Partial<StrictInputType> {
  const control = typeof argType.control === 'string' ? argType.control : argType.control ? (argType.control as { type?: string }).type : undefined;
  if (argType.options) return { type: { name: 'enum', value: [...argType.options] } };
  if (control === 'number') return { type: { name: 'number' } };
  if (control === 'boolean') return { type: { name: 'boolean' } };
  if (control === 'text' || control === 'color') return { type: { name: 'string' } };
  if (control === 'date') return { type: { name: 'other', value: 'date' } };
  return {};
}

const preview: Preview = {
  tags: ['autodocs'],
  argTypesEnhancers: [controlsThatWork],
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
