import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/index.js';
import { PollModel } from '../src/models/poll.js';
import type { PollOption } from '../src/models/poll.types.js';
import { createSigner } from '../src/identity/keys.js';
import { DEFAULT_ROOM_OPTIONS } from '../src/room/options.js';
import { storyPeers, storyRoom, storyRoomName, twoPeers } from './helpers/memory.js';

interface PollArgs {
  question: string;
  options: string;
  lang: string;
}

const OPTIONS = 'Tuesday, Wednesday, Thursday';

/** The poll's options from the comma-separated `options` arg: ids are the labels in lower case. */
const storyOptions = (options: string): PollOption[] =>
  options
    .split(',')
    .map((label) => label.trim())
    .filter(Boolean)
    .map((label) => ({ id: label.toLowerCase(), label }));

const renderPoll = ({ question, options, lang }: PollArgs, peer = storyPeers(1)[0], room = storyRoomName()) => html`
  <gather-room room=${room} .source=${peer.source} .signer=${peer.signer} lang=${lang}>
    <gather-poll name="evening" question=${question}>
      ${storyOptions(options).map(({ id, label }) => html`<option value=${id}>${label}</option>`)}
    </gather-poll>
  </gather-room>
`;

/**
 * `<gather-poll>`: a single-choice poll shared by everyone in a room, peer to peer.
 * Options are child `<option>` elements, readable as a plain list before the script loads.
 * Stories run on linked in-memory rooms: no network.
 */
const meta: Meta<PollArgs> = {
  title: 'Widgets/Poll',
  component: 'gather-poll',
  args: { question: 'Which evening works for the assembly?', options: OPTIONS, lang: 'en' },
  argTypes: { lang: { control: 'select', options: ['en', 'es'] } },
  render: (args) => renderPoll(args),
};
export default meta;

type Story = StoryObj<PollArgs>;

/** Try it: choose an option and vote. */
export const Playground: Story = {};

/** Results after voting, with ballots from three other visitors already in the room. */
export const Voted: Story = {
  name: 'States / Voted, with others',
  render: (args) => {
    const { network, me, room } = storyRoom();
    const others = network.source();
    const shared = others.acquire(room, DEFAULT_ROOM_OPTIONS);
    const config = { question: args.question, options: storyOptions(args.options) };
    void (async () => {
      for (const choice of ['tuesday', 'thursday', 'thursday']) {
        const model = new PollModel(shared.doc, 'evening', config, await createSigner(), { room });
        await model.vote(choice);
        model.destroy();
      }
      const mine = new PollModel(shared.doc, 'evening', config, await me.signer, { room });
      await mine.vote('thursday');
      mine.destroy();
    })();
    return renderPoll(args, me, room);
  },
};

/** A poll whose page declares no options. */
export const Empty: Story = { name: 'States / No options', args: { options: '' } };

/** Offline: this visitor reaches nobody. A vote is kept on the device and syncs once back. */
export const Offline: Story = {
  name: 'States / Offline',
  render: (args) => {
    const { network, me } = storyRoom();
    network.disconnect(me.source);
    return renderPoll(args, me);
  },
};

/** Two visitors side by side on linked in-memory rooms: vote in one, watch the other. */
export const TwoPeers: Story = {
  name: 'Two peers',
  render: (args) => twoPeers((peer, room) => renderPoll(args, peer, room)),
};

/** Themed by the page: global `--gather-*` tokens, a per-component knob, and `::part()`. */
export const Theming: Story = {
  render: (args) => html`
    <style>
      .themed {
        --gather-color-accent: #7c2d12;
        --gather-radius-m: 0;
        --gather-font-family: Georgia, serif;
        --gather-poll-bar-height: 1rem;
      }
      .themed gather-poll::part(legend),
      .themed gather-poll::part(question) {
        font-size: 1.25rem;
      }
    </style>
    <div class="themed">${renderPoll(args)}</div>
  `,
};

/** In Spanish, from the nearest `lang` attribute. */
export const Spanish: Story = { name: 'Locale / Spanish', args: { lang: 'es', question: '¿Qué tarde te viene bien?', options: 'Martes, Jueves' } };
