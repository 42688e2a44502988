import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { until } from 'lit/directives/until.js';
import '../components/index.js';
import '../components/rsvp/define.js';
import { createSigner } from '../src/identity/keys.js';
import { RsvpModel, type RsvpAnswer } from '../src/models/rsvp.js';
import type { MemoryNetwork } from '../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../src/room/options.js';
import { storyPeers, storyRoom, storyRoomName, twoPeers, type StoryPeer } from './helpers/memory.js';

interface RsvpArgs {
  event: string;
  lang: string;
}


const renderRsvp = ({ event, lang }: RsvpArgs, peer: StoryPeer = storyPeers(1)[0]!, room = storyRoomName(), organizer = '') => html`
  <gather-room room=${room} .source=${peer.source} .signer=${peer.signer} lang=${lang}>
    <gather-rsvp name="assembly" event=${event} organizer=${organizer}></gather-rsvp>
  </gather-room>
`;

/** Answers from other visitors, written into `room` on `network` (and, if asked, an organizer's close). */
async function seed(network: MemoryNetwork, room: string, answers: RsvpAnswer[], organizer?: StoryPeer): Promise<void> {
  const doc = network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc;
  for (const answer of answers) {
    const model = new RsvpModel(doc, 'assembly', { event: '' }, await createSigner(), { room });
    await model.reply(answer);
    model.destroy();
  }
  if (organizer) {
    const signer = await organizer.signer;
    const model = new RsvpModel(doc, 'assembly', { event: '' }, signer, { organizers: [signer.publicKey], room });
    await model.close();
    model.destroy();
  }
}

/**
 * `<gather-rsvp>`: who is coming, going / maybe / not going. The example widget of
 * docs/widgets.md, built only from the kit; not part of the embed. Stories run on linked
 * in-memory rooms: no network.
 */
const meta: Meta<RsvpArgs> = {
  title: 'Examples/RSVP',
  component: 'gather-rsvp',
  args: { event: 'the December assembly', lang: 'en' },
  argTypes: { lang: { control: 'select', options: ['en', 'es'] } },
  render: (args) => renderRsvp(args),
};
export default meta;

type Story = StoryObj<RsvpArgs>;

/** Try it: choose an answer; it is saved at once. */
export const Playground: Story = {};

/** Three other visitors have answered. */
export const Answered: Story = {
  name: 'States / Answered, with others',
  render: (args) => {
    const { network, me, room } = storyRoom();
    void seed(network, room, ['yes', 'yes', 'maybe']);
    return renderRsvp(args, me, room);
  },
};

/** Closed by an organizer (this visitor): answers no longer count; the organizer can reopen. */
export const Closed: Story = {
  name: 'States / Closed by an organizer',
  render: (args) => {
    const { network, me, room } = storyRoom();
    void seed(network, room, ['yes', 'no'], me);
    // The page names this visitor as the organizer, once the story's identity exists.
    return html`${until(me.signer.then((signer) => renderRsvp(args, me, room, signer.publicKey)))}`;
  },
};

/** Offline: this visitor reaches nobody. */
export const Offline: Story = {
  name: 'States / Offline',
  render: (args) => {
    const { network, me } = storyRoom();
    network.disconnect(me.source);
    return renderRsvp(args, me);
  },
};

/** Two visitors side by side: answer in one, watch the other. */
export const TwoPeers: Story = {
  name: 'Two peers',
  render: (args) => twoPeers((peer, room) => renderRsvp(args, peer, room)),
};

/** In Spanish, from the nearest `lang` attribute; the widget registered its own section. */
export const Spanish: Story = { name: 'Locale / Spanish', args: { lang: 'es', event: 'la asamblea de diciembre' } };
