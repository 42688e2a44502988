import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../components/index.js';
import { createSigner } from '../src/identity/keys.js';
import { PollModel } from '../src/models/poll.js';
import type { MemoryNetwork } from '../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../src/room/options.js';
import { langControl, themeControl, themeOf, tokenStyles, type ThemeArg } from './helpers/controls.js';
import { storyPeers, storyRoom, storyRoomName, twoPeers, type StoryPeer } from './helpers/memory.js';

interface RoomArgs {
  lang: string;
  theme: ThemeArg;
}

const YEAR = new Date().getFullYear() + 1;
const POLL = { question: 'Which evening works for the assembly?', options: [{ id: 'tue', label: 'Tuesday' }, { id: 'thu', label: 'Thursday' }] };

/**
 * A room holding a poll and a signup sheet: both share its document and its connection, its
 * `lang` and its `theme`. (In a page, `room="…"` names it and the script tag or its attributes say
 * how to reach the others; here the story hands it a linked in-memory source and the visitor.)
 */
const renderRoom = (args: RoomArgs, peer: StoryPeer = storyPeers(1)[0]!, room = storyRoomName()): TemplateResult => html`
  <gather-room room=${room} .source=${peer.source} .signer=${peer.signer} lang=${args.lang} theme=${ifDefined(themeOf(args.theme))} style=${tokenStyles(args)}>
    <div style="display: grid; gap: 2rem; max-inline-size: 42rem">
      <gather-poll name="evening" question=${POLL.question} results="always">
        ${POLL.options.map((option) => html`<option value=${option.id}>${option.label}</option>`)}
      </gather-poll>
      <gather-signup name="drive" title="Saturday food drive">
        <gather-slot name="pickup" capacity="4" start=${`${YEAR}-12-05T09:00-05:00`} end=${`${YEAR}-12-05T11:00-05:00`} location="Church hall">Pick-up drivers</gather-slot>
      </gather-signup>
    </div>
  </gather-room>
`;

/** Another visitor's vote in `room`. */
async function seed(network: MemoryNetwork, room: string): Promise<void> {
  const poll = new PollModel(network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc, 'evening', { ...POLL, results: 'always' }, await createSigner(), { room });
  await poll.vote('thu');
  poll.destroy();
}

/**
 * `<gather-room>`: names a room, and how to reach it (signaling, ICE servers, password, keeper),
 * for every widget inside; its `lang` and `theme` reach them too. It renders nothing of its own
 * (`display: contents`): these stories show the widgets it holds. Stories run on linked in-memory
 * rooms: no network.
 */
const meta: Meta<RoomArgs> = {
  title: 'Widgets/Room',
  component: 'gather-room',
  args: { lang: 'en', theme: 'auto' },
  argTypes: {
    lang: langControl,
    theme: { ...themeControl, description: 'Fixes the colour scheme of the widgets inside that set no `theme` of their own; auto: no attribute' },
  },
  render: (args) => renderRoom(args),
};
export default meta;

type Story = StoryObj<RoomArgs>;

/** Try it: a poll and a signup sheet in one room; change the room's language or theme and both follow. */
export const Playground: Story = {};

/** Another visitor has voted: the poll in this room shows it. */
export const WithOthers: Story = {
  name: 'States / With another visitor',
  render: (args) => {
    const { network, me, room } = storyRoom();
    void seed(network, room);
    return renderRoom(args, me, room);
  },
};

/** `theme="dark"` on the room: every widget inside paints its own dark surface. */
export const Dark: Story = { name: 'States / Dark room', args: { theme: 'dark' } };

/** Offline: this visitor reaches nobody; every widget in the room says so, and keeps what is done here. */
export const Offline: Story = {
  name: 'States / Offline',
  render: (args) => {
    const { network, me, room } = storyRoom();
    network.disconnect(me.source);
    return renderRoom(args, me, room);
  },
};

/** Two visitors of one room side by side: vote or sign up in one, watch the other. */
export const TwoPeers: Story = {
  name: 'Two peers',
  render: (args) => twoPeers((peer, room) => renderRoom(args, peer, room)),
};

/** `lang="es"` on the room: every widget inside speaks Spanish. */
export const Spanish: Story = { name: 'Locale / Spanish', args: { lang: 'es' } };

/** `lang="ar"` on the room: Arabic, right to left, in every widget. */
export const Arabic: Story = { name: 'Locale / Arabic (right to left)', args: { lang: 'ar' } };
