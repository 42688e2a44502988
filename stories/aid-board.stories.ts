import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { until } from 'lit/directives/until.js';
import '../components/index.js';
import '../components/aid-board/define.js';
import { createEncryption, encryptionFor } from '../src/identity/encryption.js';
import { createSigner } from '../src/identity/keys.js';
import type { Signer } from '../src/identity/types.js';
import { AidBoardModel } from '../src/models/aid-board.js';
import { AID_KINDS, AID_URGENCIES, type AidBoardConfig, type AidOrder, type AidPostInput } from '../src/models/aid-board.types.js';
import type { MemoryNetwork } from '../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../src/room/options.js';
import { langControl, themeControl, themeOf, tokenStyles, unsigned, type ThemeArg } from './helpers/controls.js';
import { storyPeers, storyRoom, storyRoomName, twoPeers, type StoryPeer } from './helpers/memory.js';

interface AidBoardArgs {
  heading: string;
  categories: string;
  areas: string;
  order: AidOrder;
  lang: string;
  theme: ThemeArg;
}

const renderBoard = (args: AidBoardArgs, peer: StoryPeer = storyPeers(1)[0]!, room = storyRoomName(), organizer = '') => html`
  <gather-room room=${room} .source=${peer.source} .signer=${peer.signer} lang=${args.lang}>
    <gather-aid-board
      name="aid"
      heading=${args.heading}
      categories=${args.categories}
      areas=${args.areas}
      order=${args.order}
      organizer=${organizer}
      theme=${ifDefined(themeOf(args.theme))}
      style=${tokenStyles(args)}
    ></gather-aid-board>
  </gather-room>
`;

const config = (args: AidBoardArgs): AidBoardConfig => ({ categories: args.categories.split(',').map((s) => s.trim()), areas: args.areas.split(',').map((s) => s.trim()) });

const TITLES: Record<string, readonly string[]> = {
  food: ['Groceries for an elderly neighbour', 'Extra soup, serves four', 'Baby formula, unopened', 'Bread from the bakery closing'],
  rides: ['Ride to the clinic on Thursday', 'Can drive to appointments', 'Airport pick-up at 6 am'],
  childcare: ['Babysitting Saturday evening', 'After-school pick-up this week'],
  housing: ['Spare room for two nights', 'Help moving boxes'],
  errands: ['Prescription pick-up', 'Post a parcel for me'],
  other: ['Phone charger to lend', 'Help filling in a benefits form'],
};

/** `count` posts by other visitors (ten each, as the board allows), written into `room` on `network`. */
async function seedPosts(network: MemoryNetwork, room: string, args: AidBoardArgs, count: number): Promise<AidBoardModel[]> {
  const doc = network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc;
  const cfg = config(args);
  const models: AidBoardModel[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 10 === 0) models.push(new AidBoardModel(doc, 'aid', cfg, await createSigner(), { room, encryption: createEncryption() }));
    const category = cfg.categories[i % cfg.categories.length]!;
    const titles = TITLES[category] ?? TITLES['other']!;
    await models.at(-1)!.post({
      kind: AID_KINDS[i % 2]!,
      title: `${titles[i % titles.length]}${count > 20 ? ` (#${i + 1})` : ''}`,
      description: i % 3 === 0 ? 'Message me and we can sort out a time.' : '',
      category,
      area: cfg.areas[i % cfg.areas.length] ?? '',
      urgency: AID_URGENCIES[i % 3]!,
      neededBy: null,
      contact: `neighbour ${i}`,
    });
  }
  return models;
}

/** A board model acting as `signer` (with the encryption pairs the widget will use for it). */
const boardAs = (network: MemoryNetwork, room: string, args: AidBoardArgs, signer: Signer, organizers: string[] = []) =>
  new AidBoardModel(network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc, 'aid', config(args), signer, { room, encryption: encryptionFor(signer.publicKey), organizers });

const request: AidPostInput = {
  kind: 'request',
  title: 'Prescription pick-up tomorrow',
  description: 'The pharmacy on Main St closes at six.',
  category: 'errands',
  area: 'North',
  urgency: 'today',
  neededBy: null,
  contact: 'Ana: 555-0100',
};

/**
 * `<gather-aid-board>`: neighbours post offers and requests and match themselves. Contact details
 * are sealed on each device: the poster reads the responders', the accepted responder reads the
 * poster's, nobody else reads either. Stories run on linked in-memory rooms: no network.
 */
const meta: Meta<AidBoardArgs> = {
  title: 'Widgets/Aid board',
  component: 'gather-aid-board',
  args: { heading: 'Eastside mutual aid', categories: 'food, rides, childcare, housing, errands, other', areas: 'North, South, Downtown', order: 'newest', lang: 'en', theme: 'auto' },
  argTypes: {
    heading: { control: 'text' },
    categories: { control: 'text' },
    areas: { control: 'text' },
    lang: langControl,
    theme: themeControl,
    order: { control: 'inline-radio', options: ['newest', 'urgent'] },
  },
  render: (args) => renderBoard(args),
};
export default meta;

type Story = StoryObj<AidBoardArgs>;

/** Try it: post an offer or a request (the form says who can read your contact). */
export const Playground: Story = {};

/** Nothing posted yet. */
export const Empty: Story = { name: 'States / Empty board' };

/** 200 posts: only what is on screen is rendered; filters and search stay quick. */
export const Busy: Story = {
  name: 'States / Busy board (200 posts)',
  render: (args) => {
    const { network, me, room } = storyRoom();
    void seedPosts(network, room, args, 200);
    return renderBoard(args, me, room);
  },
};

/** This visitor's request, a neighbour's response accepted: both now read each other's contact. */
export const Matched: Story = {
  name: 'States / Request matched',
  render: (args) => {
    const { network, me, room } = storyRoom();
    const ready = (async () => {
      const mine = boardAs(network, room, args, await me.signer);
      const helper = boardAs(network, room, args, await createSigner());
      const other = boardAs(network, room, args, await createSigner());
      const id = await mine.post(request);
      await Promise.all([helper.settled(), other.settled()]);
      await helper.respond(id, { message: 'I pass the pharmacy at five, happy to bring it.', contact: 'Ben: 555-0142' });
      await other.respond(id, { message: 'I could go on Saturday.', contact: 'Cleo: cleo@example.org' });
      await mine.settled();
      await mine.accept(id, helper.signer!.publicKey);
      [mine, helper, other].forEach((m) => m.destroy());
    })();
    return html`${until(ready.then(() => renderBoard(args, me, room)))}`;
  },
};

/** An organizer (this visitor) hid a post that gave a street address; everyone sees why. */
export const Hidden: Story = {
  name: 'States / Hidden post',
  render: (args) => {
    const { network, me, room } = storyRoom();
    const ready = (async () => {
      const signer = await me.signer;
      const poster = boardAs(network, room, args, await createSigner(), [signer.publicKey]);
      const id = await poster.post({ ...request, title: 'Come to 12 Elm St, flat 3' });
      await poster.post({ ...request, kind: 'offer', title: 'Spare vegetables from the allotment', category: 'food' });
      const organizer = boardAs(network, room, args, signer, [signer.publicKey]);
      await organizer.settled();
      await organizer.hide(id, 'Street addresses are not allowed on the board.');
      [poster, organizer].forEach((m) => m.destroy());
      return signer.publicKey;
    })();
    return html`${until(ready.then((key) => renderBoard(args, me, room, key)))}`;
  },
};

/** A board with some of everything, to try the filters, the search, the order and "Mine". */
export const Filters: Story = {
  name: 'Browse / Filters',
  args: { order: 'urgent' },
  render: (args) => {
    const { network, me, room } = storyRoom();
    void seedPosts(network, room, args, 24);
    return renderBoard(args, me, room);
  },
};

/** Offline: this visitor reaches nobody; what they post waits on this device. */
export const Offline: Story = {
  name: 'States / Offline',
  render: (args) => {
    const { network, me } = storyRoom();
    network.disconnect(me.source);
    return renderBoard(args, me);
  },
};

/** This browser cannot sign (a page served over plain http has no WebCrypto): the board shows the posts, read-only, and says why. */
export const CannotSign: Story = {
  name: 'States / Cannot sign (plain http)',
  render: (args) => {
    const { network, room } = storyRoom();
    void seedPosts(network, room, args, 4);
    return renderBoard(args, { source: network.source(), signer: unsigned() }, room);
  },
};

/** Two visitors side by side: post in one, respond in the other, accept in the first. */
export const TwoPeers: Story = {
  name: 'Two peers',
  render: (args) => twoPeers((peer, room) => renderBoard(args, peer, room)),
};

/** In Spanish, from the nearest `lang` attribute; the widget registered its own section. */
export const Spanish: Story = {
  name: 'Locale / Spanish',
  args: { lang: 'es', heading: 'Ayuda mutua del barrio', categories: 'comida, transporte, cuidados, vivienda, recados, otros', areas: 'Norte, Sur, Centro' },
};

/** Right to left: the layout follows `dir="rtl"` (logical properties throughout). */
export const RightToLeft: Story = {
  name: 'Locale / Right to left',
  render: (args) => {
    const { network, me, room } = storyRoom();
    void seedPosts(network, room, args, 4);
    return html`<div dir="rtl">${renderBoard(args, me, room)}</div>`;
  },
};
