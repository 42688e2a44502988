import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { until } from 'lit/directives/until.js';
import '../components/index.js';
import '../components/organizer/define.js';
import { createSigner } from '../src/identity/keys.js';
import type { Signer } from '../src/identity/types.js';
import { MembershipModel } from '../src/models/membership.js';
import { PollModel } from '../src/models/poll.js';
import type { MemoryNetwork } from '../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../src/room/options.js';
import { langControl, themeControl, themeOf, tokenStyles, unsigned, type ThemeArg } from './helpers/controls.js';
import { storyPeers, storyRoom, storyRoomName, twoPeers, type StoryPeer } from './helpers/memory.js';

interface OrganizerArgs {
  lang: string;
  theme: ThemeArg;
}

/** The panel in `room`; the page names `organizers` (the story's visitor, when they organize). */
const renderPanel = (args: OrganizerArgs, peer: StoryPeer = storyPeers(1)[0]!, room = storyRoomName(), organizers = ''): TemplateResult => html`
  <gather-room room=${room} .source=${peer.source} .signer=${peer.signer} lang=${args.lang}>
    <gather-organizer organizer=${organizers} theme=${ifDefined(themeOf(args.theme))} style=${tokenStyles(args)}></gather-organizer>
  </gather-room>
`;

/** The panel for the story's visitor as the organizer the page names. */
const asOrganizer = (args: OrganizerArgs, peer: StoryPeer, room: string, extra?: (signer: Signer) => Promise<unknown>): TemplateResult =>
  html`${until(
    peer.signer.then(async (signer) => {
      await extra?.(signer);
      return renderPanel(args, peer, room, signer.publicKey);
    }),
  )}`;

/** Members who joined with an invite from `root`, in `room` on `network` (the last one past the link's bound). */
async function seedMembers(network: MemoryNetwork, room: string, root: Signer, count: number, max: number): Promise<void> {
  const doc = network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc;
  const organizer = new MembershipModel(doc, root, { roots: [root.publicKey], room });
  const invite = await organizer.createInvite({ max });
  for (let i = 0; i < count; i++) {
    const member = new MembershipModel(doc, await createSigner(), { roots: [root.publicKey], room });
    await member.join(invite.code);
    member.destroy();
  }
  await organizer.addOrganizer((await createSigner()).publicKey);
  organizer.destroy();
}

/**
 * `<gather-organizer>`: the organizer's panel — the organizer key this browser acts as (create,
 * back up under a passphrase, restore), the room's organizers, invite links that admit a bounded
 * number of devices, members, and a long room password. Every widget also shows "How this room
 * is protected" at its foot. Stories run on linked in-memory rooms: no network. (Creating or
 * restoring a key in a story keeps it in this browser: forget it in the panel afterwards.)
 */
const meta: Meta<OrganizerArgs> = {
  title: 'Widgets/Organizer',
  component: 'gather-organizer',
  args: { lang: 'en', theme: 'auto' },
  argTypes: { lang: langControl, theme: themeControl },
  render: (args) => renderPanel(args),
};
export default meta;

type Story = StoryObj<OrganizerArgs>;

/** Try it: a visitor the page does not name sees who organizes the room, and can make or restore a key. */
export const Playground: Story = {};

/** The page names this visitor: add organizers, make invite links, set a room password. */
export const Organizer: Story = {
  name: 'States / Organizer',
  render: (args) => {
    const { me, room } = storyRoom();
    return asOrganizer(args, me, room);
  },
};

/** An organizer's room with three members, one device past its link's bound, and an added organizer. */
export const WithMembers: Story = {
  name: 'States / With members',
  render: (args) => {
    const { network, me, room } = storyRoom();
    return asOrganizer(args, me, room, (signer) => seedMembers(network, room, signer, 4, 3));
  },
};

/** A members-only poll beside the panel: its protection panel says who counts, and where this visitor stands. */
export const MembersOnlyPoll: Story = {
  name: 'States / Members-only poll',
  render: (args) => {
    const { network, me, room } = storyRoom();
    return html`${until(
      me.signer.then(async (signer) => {
        const doc = network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc;
        const stranger = new PollModel(doc, 'strike', { question: 'Strike on Monday?', options: [{ id: 'yes', label: 'Yes' }] }, await createSigner(), { room });
        await stranger.vote('yes');
        stranger.destroy();
        return html`
          <gather-room room=${room} .source=${me.source} .signer=${me.signer} lang=${args.lang}>
            <gather-poll name="strike" members-only results="always" organizer=${signer.publicKey} question="Strike on Monday?">
              <option value="yes">Yes</option><option value="no">No</option>
            </gather-poll>
            <gather-organizer organizer=${signer.publicKey} theme=${ifDefined(themeOf(args.theme))} style=${tokenStyles(args)}></gather-organizer>
          </gather-room>
        `;
      }),
    )}`;
  },
};

/** Offline: this visitor reaches nobody; what they do waits on this device. */
export const Offline: Story = {
  name: 'States / Offline',
  render: (args) => {
    const { network, me, room } = storyRoom();
    network.disconnect(me.source);
    return asOrganizer(args, me, room);
  },
};

/** This browser cannot sign (a page served over plain http has no WebCrypto): the panel says why, and offers no key to make or restore. */
export const CannotSign: Story = {
  name: 'States / Cannot sign (plain http)',
  render: (args) => renderPanel(args, { source: storyRoom().network.source(), signer: unsigned() }),
};

/** Two organizers of one room side by side: add one in the left panel, watch the right. */
export const TwoPeers: Story = {
  name: 'Two peers',
  render: (args) => {
    const root = createSigner();
    return html`${until(
      root.then((signer) =>
        twoPeers((peer, room) => renderPanel(args, { source: peer.source, signer: Promise.resolve(signer) }, room, signer.publicKey)),
      ),
    )}`;
  },
};

/** In Spanish, from the nearest `lang` attribute. */
export const Spanish: Story = {
  name: 'Locale / Spanish',
  args: { lang: 'es' },
  render: (args) => {
    const { me, room } = storyRoom();
    return asOrganizer(args, me, room);
  },
};
