import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { ref } from 'lit/directives/ref.js';
import { until } from 'lit/directives/until.js';
import '../components/index.js';
import '../components/thread/define.js';
import { THREAD_ORDERS, type ThreadOrder } from '../components/thread/thread.js';
import { createSigner } from '../src/identity/keys.js';
import type { Signer } from '../src/identity/types.js';
import { ThreadModel } from '../src/models/thread.js';
import type { MemoryNetwork } from '../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../src/room/options.js';
import { langControl, themeControl, themeOf, tokenStyles, unsigned, type ThemeArg } from './helpers/controls.js';
import { storyPeers, storyRoom, storyRoomName, twoPeers, type StoryPeer } from './helpers/memory.js';

interface ThreadArgs {
  topic: string;
  lang: string;
  dir: string;
  theme: ThemeArg;
  order: ThreadOrder;
}

const renderThread = (args: ThreadArgs, peer: StoryPeer = storyPeers(1)[0]!, room = storyRoomName(), organizer = '') => html`
  <gather-room room=${room} .source=${peer.source} .signer=${peer.signer} lang=${args.lang} dir=${args.dir}>
    <gather-thread name="rent-strike" topic=${args.topic} organizer=${organizer} order=${args.order} theme=${ifDefined(themeOf(args.theme))} style=${tokenStyles(args)}>
      <p slot="context">The landlord raised rents 14% in October. This thread is where we decide what to do about it.</p>
    </gather-thread>
  </gather-room>
`;

/** Other visitors of `room` on `network`, each with their own identity. */
async function people(network: MemoryNetwork, room: string, count: number, organizers: string[] = []): Promise<ThreadModel[]> {
  const doc = network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc;
  const signers = await Promise.all(Array.from({ length: count }, () => createSigner()));
  return signers.map((signer) => new ThreadModel(doc, 'rent-strike', { topic: '' }, signer, { room, organizers }));
}

/** A conversation with replies (and, if asked, a proposal with stances and its outcome). */
async function lively(network: MemoryNetwork, room: string, { proposal = false, decide = false, organizer }: { proposal?: boolean; decide?: boolean; organizer?: Signer } = {}) {
  const [ana, ben, cleo] = (await people(network, room, 3, organizer ? [organizer.publicKey] : [])) as [ThreadModel, ThreadModel, ThreadModel];
  const first = await ana.comment('Half the building got the same letter. I think we should answer together, not one by one.', { name: 'Ana' });
  await ben.settled();
  const reply = await ben.comment('Agreed. The tenants at 40 Pine did a rent strike in 2022 and won: https://example.org/pine-street', { replyTo: first, name: 'Ben' });
  await ana.settled();
  await ana.react(reply, 'thanks');
  await cleo.settled();
  await cleo.comment('What happens to people whose lease ends in January?', { replyTo: reply, name: 'Cleo' });
  await cleo.react(first, 'agree');
  await cleo.comment('I can host the next meeting on Thursday.', { name: 'Cleo' });
  if (proposal || decide) {
    const pid = await ana.propose('We withhold December rent from the 1st, paid into a shared escrow account.', { name: 'Ana' });
    await Promise.all([ben.settled(), cleo.settled()]);
    await ana.stance(pid, { stance: 'agree' });
    await ben.stance(pid, { stance: 'agree', reason: 'Escrow keeps us safe in court.' });
    await cleo.stance(pid, { stance: 'block', reason: 'Not until people with January leases are covered.' });
    if (decide) await ana.decide(pid, 'Adopted from January 1, once the January leases are covered (Cleo\'s block is resolved).');
  }
  return { ana, ben, cleo };
}

/**
 * `<gather-thread>`: from discussion to a proposal to a recorded decision, in place. Stories run on
 * linked in-memory rooms: no network.
 */
const meta: Meta<ThreadArgs> = {
  title: 'Widgets/Thread',
  component: 'gather-thread',
  args: { topic: 'Should we withhold December rent?', lang: 'en', dir: 'ltr', theme: 'auto', order: 'oldest' },
  argTypes: {
    topic: { control: 'text' },
    lang: langControl,
    dir: { control: 'inline-radio', options: ['ltr', 'rtl'], description: '`dir` on the `<gather-room>`', table: { category: 'story' } },
    theme: themeControl,
    order: { control: 'inline-radio', options: THREAD_ORDERS },
  },
  render: (args) => renderThread(args),
};
export default meta;

type Story = StoryObj<ThreadArgs>;

/** A fresh thread: write the first comment, or put a proposal forward. */
export const Playground: Story = {};

/** A lively thread: comments, replies to replies, reactions and a link. */
export const Lively: Story = {
  name: 'States / Lively, with replies',
  render: (args) => {
    const { network, me, room } = storyRoom();
    void lively(network, room);
    return renderThread(args, me, room);
  },
};

/**
 * Reactions: those given shown as toggles with their counts, and one "Add reaction" button per
 * comment whose menu (rendered only when open) holds the four; here the first comment's is open.
 * Escape closes it and returns focus to the button.
 */
export const Reacting: Story = {
  name: 'States / Reacting',
  render: (args) => {
    const { network, me, room } = storyRoom();
    const seeded = lively(network, room);
    const open = async (wrapper: Element | undefined) => {
      // The ref comes before the wrapper's content is rendered.
      await new Promise((resolve) => setTimeout(resolve));
      const thread = wrapper?.querySelector('gather-thread');
      if (!thread) return;
      await seeded;
      await thread.ready;
      for (let frame = 0; frame < 600; frame++) {
        const button = thread.shadowRoot?.querySelector<HTMLButtonElement>('li[part=comment] [data-action=react]');
        if (button) {
          if (button.getAttribute('aria-expanded') === 'false') button.click();
          return;
        }
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
    };
    return html`<div ${ref((wrapper) => void open(wrapper))}>${renderThread(args, me, room)}</div>`;
  },
};

/** A proposal open for stances: agree, abstain, disagree or block, with reasons. */
export const ProposalOpen: Story = {
  name: 'States / Proposal open',
  render: (args) => {
    const { network, me, room } = storyRoom();
    void lively(network, room, { proposal: true });
    return renderThread(args, me, room);
  },
};

/** The proposer recorded the outcome: pinned on top as the group's decision, with its date and tally. */
export const DecisionRecorded: Story = {
  name: 'States / Decision recorded',
  render: (args) => {
    const { network, me, room } = storyRoom();
    void lively(network, room, { decide: true });
    return renderThread(args, me, room);
  },
};

/** This visitor is an organizer: a comment hidden with a reason, and the Lock button. */
export const Moderation: Story = {
  name: 'States / Moderation',
  render: (args) => {
    const { network, me, room } = storyRoom();
    const ready = me.signer.then(async (signer) => {
      const { ben } = await lively(network, room, { organizer: signer });
      const rude = await ben.comment('Anyone who pays is a scab.', { name: 'Ben' });
      const organizer = new ThreadModel(network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc, 'rent-strike', { topic: '' }, signer, { room, organizers: [signer.publicKey] });
      await organizer.settled();
      await organizer.hide(rude, 'Name-calling; please say it another way.');
      organizer.destroy();
      return renderThread(args, me, room, signer.publicKey);
    });
    return html`${until(ready)}`;
  },
};

/** Offline: this visitor reaches nobody; what they write is kept and shared later. */
export const Offline: Story = {
  name: 'States / Offline',
  render: (args) => {
    const { network, me } = storyRoom();
    network.disconnect(me.source);
    return renderThread(args, me);
  },
};

/** This browser cannot sign (a page served over plain http has no WebCrypto): the thread shows the conversation, read-only, and says why. */
export const CannotSign: Story = {
  name: 'States / Cannot sign (plain http)',
  render: (args) => {
    const { network, room } = storyRoom();
    void lively(network, room);
    return renderThread(args, { source: network.source(), signer: unsigned() }, room);
  },
};

/** Two visitors side by side: comment in one, watch it arrive in the other; both count as reading. */
export const TwoPeers: Story = {
  name: 'Two peers',
  render: (args) => twoPeers((peer, room) => renderThread(args, peer, room)),
};

/** In Spanish, from the nearest `lang` attribute; the widget registered its own section. */
export const Spanish: Story = { name: 'Locale / Spanish', args: { lang: 'es', topic: '¿Retenemos el alquiler de diciembre?' } };

/** Right to left: replies indent from the right. */
export const RightToLeft: Story = {
  name: 'Locale / Right to left',
  args: { dir: 'rtl', topic: 'هل نمتنع عن دفع إيجار ديسمبر؟' },
  render: (args) => {
    const { network, me, room } = storyRoom();
    void lively(network, room);
    return renderThread(args, me, room);
  },
};
