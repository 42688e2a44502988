// A page may hold two of any widget (two threads, a poll per question): two of each, in one room,
// with something in each, pass axe together: no two landmarks of one role and the same name (or
// none), no duplicate ids where one tree sees them, nothing that only one instance could have.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import '../../components/organizer/define.js';
import '../../components/rsvp/define.js';
import { createEncryption } from '../../src/identity/encryption.js';
import { createSigner } from '../../src/identity/keys.js';
import { AidBoardModel } from '../../src/models/aid-board.js';
import { PollModel } from '../../src/models/poll.js';
import { ThreadModel } from '../../src/models/thread.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../../src/room/options.js';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';

type Widget = HTMLElement & { ready: Promise<void>; updateComplete: Promise<boolean> };

before(async () => {
  await import('axe-core');
  (globalThis as unknown as { axe: { configure(spec: { rules: { id: string; enabled: boolean }[] }): void } }).axe.configure({ rules: [{ id: 'target-size', enabled: true }] });
});

describe('two of each widget on one page', () => {
  failOnLitWarnings();

  it('pass axe together (landmarks, ids, names)', async () => {
    const network = new MemoryNetwork();
    const room = `two-of-each-${Math.random().toString(36).slice(2)}`;
    // Something in each: a comment in each thread (its list beside its header), a vote in each
    // poll (its results), an offer and a request on each board (their posts and contacts).
    const doc = network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc;
    const ana = await createSigner();
    for (const name of ['rent', 'repairs']) {
      const thread = new ThreadModel(doc, name, { topic: '' }, ana, { room });
      await thread.comment('Shall we answer together?', { name: 'Ana' });
      thread.destroy();
    }
    for (const [name, options] of [['evening', ['tue', 'thu']], ['place', ['hall', 'park']]] as const) {
      const poll = new PollModel(doc, name, { question: '', options: options.map((id) => ({ id, label: id })), results: 'always' }, ana, { room });
      await poll.vote(options[0]);
      poll.destroy();
    }
    for (const [name, category] of [['aid', 'food'], ['tools', 'tools']]) {
      const board = new AidBoardModel(doc, name!, { categories: [category!], areas: [] }, ana, { room, encryption: createEncryption() });
      await board.post({ kind: 'offer', title: 'Extra soup', description: '', category: category!, area: '', urgency: 'whenever', neededBy: null, contact: 'Ana' });
      await board.post({ kind: 'request', title: 'A ride', description: '', category: category!, area: '', urgency: 'this-week', neededBy: null, contact: 'Ana' });
      board.destroy();
    }
    const wrapper = await fixture<HTMLElement>(html`
      <div>
        <gather-room room=${room} .source=${network.source()} .signer=${createSigner()}>
          <gather-poll name="evening" question="Which evening?" results="always"><option value="tue">Tuesday</option><option value="thu">Thursday</option></gather-poll>
          <gather-poll name="place" question="Where?" results="always"><option value="hall">The hall</option><option value="park">The park</option></gather-poll>
          <gather-signup name="drive" title="Food drive"><gather-slot name="pickup" capacity="2">Pick-up</gather-slot></gather-signup>
          <gather-signup name="cleanup" title="Clean-up"><gather-slot name="sweep" capacity="2">Sweeping</gather-slot></gather-signup>
          <gather-aid-board name="aid" categories="food, rides"></gather-aid-board>
          <gather-aid-board name="tools" categories="tools"></gather-aid-board>
          <gather-thread name="rent" topic="Should we withhold December rent?"></gather-thread>
          <gather-thread name="repairs" topic="Which repairs first?"></gather-thread>
          <gather-rsvp name="assembly" event="the assembly"></gather-rsvp>
          <gather-rsvp name="picnic" event="the picnic"></gather-rsvp>
          <gather-organizer></gather-organizer>
          <gather-organizer></gather-organizer>
        </gather-room>
      </div>
    `);
    const widgets = [...wrapper.querySelectorAll<Widget>('gather-poll, gather-signup, gather-aid-board, gather-thread, gather-rsvp, gather-organizer')];
    expect(widgets).to.have.length(12);
    await Promise.all(widgets.map((widget) => widget.ready));
    const shadow = (selector: string) => [...wrapper.querySelectorAll(selector)].map((widget) => widget.shadowRoot!);
    await waitUntil(() => shadow('gather-poll').every((root) => root.querySelector('.bar')) && shadow('gather-aid-board').every((root) => root.querySelectorAll('.post').length === 2) && shadow('gather-thread').every((root) => root.querySelector('li[part~=comment]')), 'the seed did not show');
    await Promise.all(widgets.map((widget) => widget.updateComplete));
    await expect(wrapper).to.be.accessible();
  });
});
