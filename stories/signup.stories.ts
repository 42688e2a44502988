import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { until } from 'lit/directives/until.js';
import '../components/index.js';
import '../components/signup/define.js';
import { createSigner } from '../src/identity/keys.js';
import type { Signer } from '../src/identity/types.js';
import { SignupModel } from '../src/models/signup.js';
import type { SignupConfig } from '../src/models/signup.types.js';
import type { MemorySource } from '../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../src/room/options.js';
import { langControl, themeControl, themeOf, tokenStyles, unsigned, type ThemeArg } from './helpers/controls.js';
import { storyPeers, storyRoom, storyRoomName, type StoryPeer } from './helpers/memory.js';

interface SignupArgs {
  title: string;
  lang: string;
  theme: ThemeArg;
  showNames: boolean;
  open: boolean;
}

/** A year from now, so that the slots are still ahead whenever the story is opened. */
const year = new Date().getFullYear() + 1;
const START = `${year}-12-05T09:00-05:00`;
const END = `${year}-12-05T11:00-05:00`;

const SLOTS: SignupConfig['slots'] = [
  { name: 'pickup', label: 'Pick-up drivers', capacity: 4, start: START, end: END, location: 'Church hall' },
  { name: 'sorting', label: 'Sorting and packing', capacity: 8, start: `${year}-12-05T10:00-05:00`, end: `${year}-12-05T13:00-05:00`, location: 'Church hall' },
  { name: 'childcare', label: 'Childcare', capacity: 2, start: null, end: null, location: null },
];

const renderSlots = (slots: SignupConfig['slots']) =>
  slots.map(
    (slot) =>
      html`<gather-slot name=${slot.name} capacity=${slot.capacity ?? ''} start=${slot.start ?? ''} end=${slot.end ?? ''} location=${slot.location ?? ''}>${slot.label}</gather-slot>`,
  );

const renderSignup = (
  args: SignupArgs,
  { peer = storyPeers(1)[0]!, room = storyRoomName(), slots = SLOTS, organizer = '', dir = '' }: { peer?: StoryPeer; room?: string; slots?: SignupConfig['slots']; organizer?: string; dir?: string } = {},
) => html`
  <gather-room room=${room} .source=${peer.source} .signer=${peer.signer} lang=${args.lang} dir=${ifDefined(dir || undefined)}>
    <gather-signup
      name="food-drive"
      title=${args.title}
      organizer=${organizer}
      show-names=${String(args.showNames)}
      ?open=${args.open}
      theme=${ifDefined(themeOf(args.theme))}
      style=${tokenStyles(args)}
      >${renderSlots(slots)}</gather-signup
    >
  </gather-room>
`;

/** Other visitors' signups, written into `room` from a source of `peer`'s network: `[slot, name]` each, one identity per name. */
async function seed(source: MemorySource, room: string, signups: [string, string][], slots = SLOTS, now = Date.now): Promise<void> {
  const doc = source.acquire(room, DEFAULT_ROOM_OPTIONS).doc;
  const people = new Map<string, Signer>();
  for (const [slot, name] of signups) {
    if (!people.has(name)) people.set(name, await createSigner());
    const model = new SignupModel(doc, 'food-drive', { title: '', slots }, people.get(name)!, { room, now });
    await model.join(slot, { name, note: name === 'Dee' ? 'I have a van' : '' });
    model.destroy();
  }
}

const NAMES = ['Ana', 'Bo', 'Cy', 'Dee', 'Eli', 'Fay', 'Gus', 'Hana'];

/**
 * `<gather-signup>`: shifts and slots with places that fill fairly across peers, with a waitlist.
 * Slots are `<gather-slot>` children. Stories run on linked in-memory rooms: no network.
 */
const meta: Meta<SignupArgs> = {
  title: 'Widgets/Signup sheet',
  component: 'gather-signup',
  args: { title: 'Saturday food drive', lang: 'en', theme: 'auto', showNames: true, open: false },
  argTypes: {
    title: { control: 'text' },
    lang: langControl,
    theme: themeControl,
    showNames: { control: 'boolean', description: '`show-names`: everyone sees who signed up (false: counts only)' },
    open: { control: 'boolean' },
  },
  render: (args) => renderSignup(args),
};
export default meta;

type Story = StoryObj<SignupArgs>;

/** Try it: sign up for a slot (your name is remembered on this device), withdraw, add it to your calendar. */
export const Playground: Story = {};

/** A sheet with no slots yet. */
export const Empty: Story = {
  name: 'States / Empty sheet',
  render: (args) => renderSignup(args, { slots: [] }),
};

/** Three of four places taken on the first slot. */
export const NearlyFull: Story = {
  name: 'States / Nearly full',
  render: (args) => {
    const { network, me, room } = storyRoom();
    void seed(network.source(), room, [['pickup', 'Ana'], ['pickup', 'Bo'], ['pickup', 'Cy'], ['sorting', 'Ana']]);
    return renderSignup(args, { peer: me, room });
  },
};

/** Childcare is full and two people wait: their positions are shown; signing up now joins the waitlist. */
export const FullWithWaitlist: Story = {
  name: 'States / Full, with a waitlist',
  render: (args) => {
    const { network, me, room } = storyRoom();
    void seed(network.source(), room, NAMES.slice(0, 4).map((name) => ['childcare', name] as [string, string]));
    return renderSignup(args, { peer: me, room });
  },
};

/** Last year's event: every slot is over, so nobody signs up or withdraws. */
export const PastEvent: Story = {
  name: 'States / Past event',
  render: (args) => {
    const past = SLOTS.map((slot, i) => ({ ...slot, start: `2020-12-05T${String(9 + i).padStart(2, '0')}:00-05:00`, end: `2020-12-05T${String(10 + i).padStart(2, '0')}:30-05:00` }));
    const { network, me, room } = storyRoom();
    // Signed before the event, as they were.
    void seed(network.source(), room, [['pickup', 'Ana'], ['sorting', 'Bo']], past, () => Date.parse('2020-11-20T12:00Z'));
    return renderSignup(args, { peer: me, room, slots: past });
  },
};

/** An open sheet: visitors add slots of their own ("I can also bring a car"), removable by their author or an organizer. */
export const OpenSheet: Story = {
  name: 'States / Open sheet',
  args: { open: true },
  render: (args) => {
    const { network, me, room } = storyRoom();
    void (async () => {
      const doc = network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc;
      const model = new SignupModel(doc, 'food-drive', { title: '', slots: SLOTS, open: true }, await createSigner(), { room });
      const car = await model.addSlot({ label: 'I can also bring a car', capacity: 3, start: START });
      await model.join(car, { name: 'Dee', note: 'I have a van' });
      model.destroy();
    })();
    return renderSignup(args, { peer: me, room });
  },
};

/** An organizer (this visitor) sees Remove and Close buttons and downloads the roster as CSV. */
export const Organizer: Story = {
  name: 'States / Organizer',
  render: (args) => {
    const { network, me, room } = storyRoom();
    void seed(network.source(), room, [['pickup', 'Ana'], ['pickup', 'Dee'], ['childcare', 'Bo'], ['childcare', 'Cy'], ['childcare', 'Eli']]);
    return html`${until(me.signer.then((signer) => renderSignup(args, { peer: me, room, organizer: signer.publicKey })))}`;
  },
};

/** Only counts: `show-names="false"`. */
export const CountsOnly: Story = {
  name: 'States / Counts only',
  args: { showNames: false },
  render: (args) => {
    const { network, me, room } = storyRoom();
    void seed(network.source(), room, [['pickup', 'Ana'], ['pickup', 'Bo']]);
    return renderSignup(args, { peer: me, room });
  },
};

/** Offline: this visitor reaches nobody; signups are kept and sent once back online. */
export const Offline: Story = {
  name: 'States / Offline',
  render: (args) => {
    const { network, me } = storyRoom();
    network.disconnect(me.source);
    return renderSignup(args, { peer: me });
  },
};

/** This browser cannot sign (a page served over plain http has no WebCrypto): the sheet shows who signed up, read-only, and says why. */
export const CannotSign: Story = {
  name: 'States / Cannot sign (plain http)',
  render: (args) => {
    const { network, room } = storyRoom();
    void seed(network.source(), room, [['pickup', 'Ana'], ['childcare', 'Bo']]);
    return renderSignup(args, { peer: { source: network.source(), signer: unsigned() }, room });
  },
};

const sideBySide = (left: TemplateResult, right: TemplateResult) => html`
  <div style="display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 2rem">
    <section aria-label="Visitor A">${left}</section>
    <section aria-label="Visitor B">${right}</section>
  </div>
`;

/** Two visitors side by side: sign up in one, watch the other. */
export const TwoPeers: Story = {
  name: 'Two peers',
  render: (args) => {
    const [a, b] = storyPeers(2);
    const room = storyRoomName();
    return sideBySide(renderSignup(args, { peer: a!, room }), renderSignup(args, { peer: b!, room }));
  },
};

/**
 * Two visitors took the last place of Childcare at the same signed moment while disconnected;
 * back online, both sheets agree: the signed time, then the key, decides who is confirmed and
 * who waits. Withdraw in the confirmed one to see the other promoted.
 */
export const TwoPeersRacing: Story = {
  name: 'Two peers racing for the last place',
  render: (args) => {
    const { network, room } = storyRoom();
    const [a, b] = storyPeers(2, network);
    void (async () => {
      await seed(network.source(), room, [['childcare', 'Ana']]);
      network.disconnect(a!.source);
      network.disconnect(b!.source);
      const moment = Date.now();
      await Promise.all(
        [a!, b!].map(async (peer, i) => {
          const model = new SignupModel(peer.source.acquire(room, DEFAULT_ROOM_OPTIONS).doc, 'food-drive', { title: '', slots: SLOTS }, await peer.signer, { room, now: () => moment });
          await model.join('childcare', { name: i === 0 ? 'Visitor A' : 'Visitor B' });
          model.destroy();
        }),
      );
      network.reconnect(a!.source);
      network.reconnect(b!.source);
    })();
    return sideBySide(renderSignup(args, { peer: a!, room }), renderSignup(args, { peer: b!, room }));
  },
};

/** In Spanish, from the nearest `lang` attribute; the widget registered its own section. */
export const Spanish: Story = {
  name: 'Locale / Spanish',
  args: { lang: 'es', title: 'Reparto de alimentos del sábado' },
  render: (args) =>
    renderSignup(args, {
      slots: [
        { ...SLOTS[0]!, label: 'Conductores para recoger', location: 'Salón de la iglesia' },
        { ...SLOTS[1]!, label: 'Clasificar y empaquetar', location: 'Salón de la iglesia' },
      ],
    }),
};

/** Right to left (`dir="rtl"` on an ancestor): the layout mirrors; names and labels in any script stay readable. */
export const RightToLeft: Story = {
  name: 'Locale / Right to left',
  args: { title: 'توزيع الطعام يوم السبت' },
  render: (args) => {
    const { network, me, room } = storyRoom();
    const slots = [
      { ...SLOTS[0]!, label: 'سائقو الاستلام', location: 'قاعة الكنيسة' },
      { ...SLOTS[2]!, label: 'رعاية الأطفال' },
    ];
    void seed(network.source(), room, [['pickup', 'ليلى'], ['pickup', 'Ana']], slots);
    return html`<div dir="rtl">${renderSignup(args, { peer: me, room, slots, dir: 'rtl' })}</div>`;
  },
};
