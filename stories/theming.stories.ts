import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { styleMap } from 'lit/directives/style-map.js';
import '../components/index.js';
import { storyPeers, storyRoomName } from './helpers/memory.js';

/** The shared tokens a site sets on the widgets or any ancestor (`:root { --gather-color-accent: … }`); empty: the built-in value. */
interface ThemingArgs {
  theme: 'auto' | 'light' | 'dark';
  lang: string;
  accent: string;
  accentText: string;
  text: string;
  surface: string;
  muted: string;
  border: string;
  fontFamily: string;
  fontSize: string;
  radius: string;
  spaceS: string;
  spaceM: string;
}

const TOKENS: Record<keyof Omit<ThemingArgs, 'theme' | 'lang'>, string> = {
  accent: '--gather-color-accent',
  accentText: '--gather-color-accent-text',
  text: '--gather-color-text',
  surface: '--gather-color-surface',
  muted: '--gather-color-muted',
  border: '--gather-color-border',
  fontFamily: '--gather-font-family',
  fontSize: '--gather-font-size',
  radius: '--gather-radius-m',
  spaceS: '--gather-space-s',
  spaceM: '--gather-space-m',
};

/** The tokens as a style, set here on <gather-room>: the widgets inside follow (a token on :root, `body` or a widget does too). */
const tokens = (args: ThemingArgs) => styleMap(Object.fromEntries(Object.entries(TOKENS).filter(([arg]) => args[arg as keyof ThemingArgs]).map(([arg, token]) => [token, args[arg as keyof ThemingArgs]])));

const renderAll = (args: ThemingArgs) => {
  const [peer] = storyPeers(1);
  const theme = args.theme === 'auto' ? undefined : args.theme;
  const style = tokens(args);
  return html`
    <gather-room room=${storyRoomName()} .source=${peer!.source} .signer=${peer!.signer} lang=${args.lang} style=${style}>
      <div style="display: grid; gap: 2rem; max-inline-size: 42rem">
        <gather-poll name="evening" question="Which evening works for the assembly?" theme=${ifDefined(theme)}>
          <option value="tue">Tuesday, 7 pm</option>
          <option value="thu">Thursday, 6:30 pm</option>
        </gather-poll>
        <gather-signup name="drive" title="Saturday food drive" theme=${ifDefined(theme)}>
          <gather-slot name="pickup" capacity="4" start="2099-12-05T09:00-05:00" end="2099-12-05T11:00-05:00" location="Church hall">Pick-up drivers</gather-slot>
        </gather-signup>
        <gather-aid-board name="aid" categories="food, rides, childcare" theme=${ifDefined(theme)}></gather-aid-board>
        <gather-thread name="rent" topic="Should we withhold December rent?" theme=${ifDefined(theme)}></gather-thread>
      </div>
    </gather-room>
  `;
};

const color = { control: 'color' } as const;
const text = { control: 'text' } as const;

/**
 * Every widget with the shared design tokens as controls: what a site sets on the elements or
 * any ancestor (`:root { --gather-color-accent: #7c2d12 }`) to make Gather look like
 * itself. Empty controls keep the built-in values; the page's own CSS always wins (the widgets'
 * styles are in `@layer gather`), and `::part()` reaches inside (`gather-poll::part(button)`).
 */
const meta: Meta<ThemingArgs> = {
  title: 'Design/Theming',
  args: { theme: 'auto', lang: 'en', accent: '', accentText: '', text: '', surface: '', muted: '', border: '', fontFamily: '', fontSize: '', radius: '', spaceS: '', spaceM: '' },
  argTypes: {
    theme: { control: 'inline-radio', options: ['auto', 'light', 'dark'], description: 'theme="light|dark" on each widget; auto: the visitor’s prefers-color-scheme' },
    lang: { control: 'select', options: ['en', 'es', 'fr', 'ar'] },
    accent: { ...color, description: '--gather-color-accent' },
    accentText: { ...color, description: '--gather-color-accent-text' },
    text: { ...color, description: '--gather-color-text' },
    surface: { ...color, description: '--gather-color-surface' },
    muted: { ...color, description: '--gather-color-muted' },
    border: { ...color, description: '--gather-color-border' },
    fontFamily: { ...text, description: '--gather-font-family (default: the page’s)' },
    fontSize: { ...text, description: '--gather-font-size (default 1rem)' },
    radius: { ...text, description: '--gather-radius-m (default 0.5rem)' },
    spaceS: { ...text, description: '--gather-space-s (default 0.5rem)' },
    spaceM: { ...text, description: '--gather-space-m (default 1rem)' },
  },
  render: renderAll,
};
export default meta;

type Story = StoryObj<ThemingArgs>;

/** Try the tokens: every widget follows. */
export const Playground: Story = {};

/** A tenants' union's own colours, type and corners. */
export const UnionColours: Story = {
  args: { accent: '#9a3412', accentText: '#ffffff', border: '#d6a48a', fontFamily: 'Georgia, serif', radius: '0', spaceM: '1.25rem' },
};

/** theme="dark" on a light page: the widgets paint their own dark surface. */
export const Dark: Story = { args: { theme: 'dark' } };

/** theme="light" whatever the visitor prefers. */
export const Light: Story = { args: { theme: 'light' } };

/** Arabic: right to left, the layout mirrored. */
export const Arabic: Story = { args: { lang: 'ar' } };

/** French. */
export const French: Story = { args: { lang: 'fr' } };
