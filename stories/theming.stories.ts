import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../components/index.js';
import '../components/organizer/define.js';
import { createEncryption } from '../src/identity/encryption.js';
import { createSigner } from '../src/identity/keys.js';
import { AidBoardModel } from '../src/models/aid-board.js';
import { PollModel } from '../src/models/poll.js';
import { SignupModel } from '../src/models/signup.js';
import { ThreadModel } from '../src/models/thread.js';
import type { MemoryNetwork } from '../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../src/room/options.js';
import { LANGS, themeOf, tokenStyles, type ThemeArg } from './helpers/controls.js';
import { storyRoom } from './helpers/memory.js';

/**
 * Every `--gather-*` token a page can set (grep the components' styles for `var(--gather-`): the
 * shared ones every widget reads, then each widget's own knobs, which default to the shared ones.
 * Each is a control, named after the token; empty: the built-in value.
 */
const TOKENS = [
  ['--gather-color-accent', 'color', 'Buttons, focus rings, chosen options (default #1d4ed8; #93c5fd when dark)'],
  ['--gather-color-accent-text', 'color', 'Text on the accent (default #ffffff)'],
  ['--gather-color-text', 'color', 'Text (default: the scheme’s CanvasText)'],
  ['--gather-color-surface', 'color', 'Buttons’ background, and the widget’s when it paints its own (default: the scheme’s Canvas)'],
  ['--gather-color-background', 'color', 'Behind the widget (default: transparent, the page’s; the surface with theme or when dark)'],
  ['--gather-color-muted', 'color', 'Secondary text: hints, counts, the status line'],
  ['--gather-color-border', 'color', 'Borders of choices and cards'],
  ['--gather-color-danger', 'color', 'Errors, and "this browser keeps nothing" (default #b91c1c)'],
  ['--gather-font-family', 'text', 'Font (default: the page’s)'],
  ['--gather-font-size', 'text', 'Base size; everything else is relative to it (default 1rem)'],
  ['--gather-radius-m', 'text', 'Corner radius (default 0.5rem)'],
  ['--gather-space-s', 'text', 'Small space (default 0.5rem)'],
  ['--gather-space-m', 'text', 'Space (default 1rem)'],
  ['--gather-poll-bar-color', 'color', 'Poll: fill of a result bar (default: the accent)'],
  ['--gather-poll-bar-track', 'color', 'Poll: track behind a result bar'],
  ['--gather-poll-bar-height', 'text', 'Poll: height of a result bar (default 0.5rem)'],
  ['--gather-signup-gap', 'text', 'Signup sheet: space between slots (default: --gather-space-m)'],
  ['--gather-signup-bar-color', 'color', 'Signup sheet: fill of a slot’s places bar (default: the accent)'],
  ['--gather-signup-bar-track', 'color', 'Signup sheet: track behind it'],
  ['--gather-signup-confirmed-color', 'color', 'Signup sheet: the "You’re confirmed" badge'],
  ['--gather-signup-waitlisted-color', 'color', 'Signup sheet: the waitlist badge'],
  ['--gather-aid-board-list-height', 'text', 'Aid board: height of the scrolling list on a board of more than 60 posts (default 36rem; see Aid board › Busy board)'],
  ['--gather-aid-board-post-border', 'text', 'Aid board: border of a post card (default 1px solid the border colour)'],
  ['--gather-aid-board-offer-color', 'color', 'Aid board: the mark of an offer'],
  ['--gather-aid-board-request-color', 'color', 'Aid board: the mark of a request'],
  ['--gather-thread-indent', 'text', 'Thread: how far each level of replies is indented (default 1.5rem)'],
  ['--gather-organizer-gap', 'text', 'Organizer panel: space between its sections (default: --gather-space-m)'],
] as const;

type Token = (typeof TOKENS)[number][0];

/** The page's choices: a scheme, a language, and a value (or none) for each token. */
type ThemingArgs = { theme: ThemeArg; lang: string } & Partial<Record<Token, string>>;

const YEAR = new Date().getFullYear() + 1;
const SLOTS = [{ name: 'pickup', label: 'Pick-up drivers', capacity: 4, start: `${YEAR}-12-05T09:00-05:00`, end: `${YEAR}-12-05T11:00-05:00`, location: 'Church hall' }];
const POLL = { question: 'Which evening works for the assembly?', options: [{ id: 'tue', label: 'Tuesday, 7 pm' }, { id: 'thu', label: 'Thursday, 6:30 pm' }], results: 'always' as const };

/** Something in every widget, from other visitors, so that bars, badges, post marks and reply indents show. */
async function seed(network: MemoryNetwork, room: string): Promise<void> {
  const doc = network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc;
  const [ana, ben] = await Promise.all([createSigner(), createSigner()]);
  for (const [signer, choice] of [[ana, 'thu'], [ben, 'tue']] as const) {
    const poll = new PollModel(doc, 'evening', POLL, signer, { room });
    await poll.vote(choice);
    poll.destroy();
  }
  for (const [signer, name] of [[ana, 'Ana'], [ben, 'Ben']] as const) {
    const signup = new SignupModel(doc, 'drive', { title: '', slots: SLOTS }, signer, { room });
    await signup.join('pickup', { name });
    signup.destroy();
  }
  const board = new AidBoardModel(doc, 'aid', { categories: ['food', 'rides', 'childcare'], areas: [] }, ana, { room, encryption: createEncryption() });
  await board.post({ kind: 'offer', title: 'Extra soup, serves four', description: '', category: 'food', area: '', urgency: 'whenever', neededBy: null, contact: 'Ana' });
  await board.post({ kind: 'request', title: 'Ride to the clinic on Thursday', description: '', category: 'rides', area: '', urgency: 'this-week', neededBy: null, contact: 'Ana' });
  board.destroy();
  const [first, second] = [new ThreadModel(doc, 'rent', { topic: '' }, ana, { room }), new ThreadModel(doc, 'rent', { topic: '' }, ben, { room })];
  const comment = await first.comment('Half the building got the same letter. Shall we answer together?', { name: 'Ana' });
  await second.settled();
  await second.comment('Agreed: one letter from all of us.', { replyTo: comment, name: 'Ben' });
  first.destroy();
  second.destroy();
}

/** The tokens as a style on <gather-room>: the widgets inside follow (a token on :root, `body` or a widget does too). */
const renderAll = (args: ThemingArgs) => {
  const { network, me, room } = storyRoom();
  void seed(network, room);
  const theme = themeOf(args.theme);
  return html`
    <gather-room room=${room} .source=${me.source} .signer=${me.signer} lang=${args.lang} style=${tokenStyles(args)}>
      <div style="display: grid; gap: 2rem; max-inline-size: 42rem">
        <gather-poll name="evening" question=${POLL.question} results="always" theme=${ifDefined(theme)}>
          ${POLL.options.map((option) => html`<option value=${option.id}>${option.label}</option>`)}
        </gather-poll>
        <gather-signup name="drive" title="Saturday food drive" theme=${ifDefined(theme)}>
          ${SLOTS.map((slot) => html`<gather-slot name=${slot.name} capacity=${slot.capacity} start=${slot.start} end=${slot.end} location=${slot.location}>${slot.label}</gather-slot>`)}
        </gather-signup>
        <gather-aid-board name="aid" categories="food, rides, childcare" theme=${ifDefined(theme)}></gather-aid-board>
        <gather-thread name="rent" topic="Should we withhold December rent?" theme=${ifDefined(theme)}></gather-thread>
        <gather-organizer theme=${ifDefined(theme)}></gather-organizer>
      </div>
    </gather-room>
  `;
};

/**
 * Every widget with every design token as a control: what a site sets on the elements or any
 * ancestor (`:root { --gather-color-accent: #7c2d12 }`) to make Gather look like itself. Empty
 * controls keep the built-in values; the page's own CSS always wins (the widgets' styles are in
 * `@layer gather`), and `::part()` reaches inside (`gather-poll::part(button)`; each widget's Docs
 * page lists its parts).
 */
const meta: Meta<ThemingArgs> = {
  title: 'Design/Theming',
  args: { theme: 'auto', lang: 'en', ...Object.fromEntries(TOKENS.map(([token]) => [token, ''])) },
  argTypes: {
    theme: { control: 'inline-radio', options: ['auto', 'light', 'dark'], description: 'theme="light|dark" on each widget; auto: the visitor’s prefers-color-scheme' },
    lang: { control: 'select', options: LANGS },
    ...Object.fromEntries(TOKENS.map(([token, control, description]) => [token, { control, description, table: { category: control === 'color' ? 'colours' : 'sizes and type' } }])),
  },
  render: renderAll,
};
export default meta;

type Story = StoryObj<ThemingArgs>;

/** Try the tokens: every widget follows. */
export const Playground: Story = {};

/** A tenants' union's own colours, type and corners. */
export const UnionColours: Story = {
  args: {
    '--gather-color-accent': '#9a3412',
    '--gather-color-accent-text': '#ffffff',
    '--gather-color-border': '#d6a48a',
    '--gather-color-danger': '#991b1b',
    '--gather-font-family': 'Georgia, serif',
    '--gather-radius-m': '0',
    '--gather-space-m': '1.25rem',
    '--gather-poll-bar-height': '0.75rem',
    '--gather-aid-board-offer-color': '#166534',
    '--gather-thread-indent': '2rem',
  },
};

/** A page with a tinted background behind the widgets (`--gather-color-background`), and its own surface and text. */
export const Background: Story = {
  args: { '--gather-color-background': '#fef3c7', '--gather-color-surface': '#fffbeb', '--gather-color-text': '#1c1917', '--gather-color-border': '#a16207', theme: 'light' },
};

/** theme="dark" on a light page: the widgets paint their own dark surface. */
export const Dark: Story = { args: { theme: 'dark' } };

/** theme="light" whatever the visitor prefers. */
export const Light: Story = { args: { theme: 'light' } };

/** Arabic: right to left, the layout mirrored. */
export const Arabic: Story = { args: { lang: 'ar' } };

/** French. */
export const French: Story = { args: { lang: 'fr' } };
