import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/index.js';
import type { GatherPoll } from '../../components/poll/poll.js';
import { createSigner } from '../../src/identity/keys.js';
import { PollModel } from '../../src/models/poll.js';
import type { PollConfig, PollView } from '../../src/models/poll.types.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../../src/room/options.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';
import { runWidgetBaseTests } from './widget-base.js';

const config: PollConfig = {
  question: 'Which evening works?',
  options: [
    { id: 'tue', label: 'Tuesday' },
    { id: 'thu', label: 'Thursday' },
  ],
  results: 'always',
};

let roomCount = 0;

/** A poll in an in-memory room of its own network, plus a second peer's model on the same room. */
async function mountPoll(lang = 'en') {
  const network = new MemoryNetwork();
  const room = `room-${++roomCount}`;
  const element = await fixture<HTMLElement>(html`
    <gather-room room=${room} .source=${network.source()} .signer=${createSigner()} lang=${lang}>
      <gather-poll name="evening" question=${config.question}>
        <option value="tue">Tuesday</option>
        <option value="thu">Thursday</option>
      </gather-poll>
    </gather-room>
  `);
  const poll = element.querySelector('gather-poll') as GatherPoll;
  await poll.ready;
  const peerSource = network.source();
  const peerRoom = peerSource.acquire(room, DEFAULT_ROOM_OPTIONS);
  const peer = new PollModel(peerRoom.doc, 'evening', config, await createSigner(), { room });
  return { poll, peer, teardown: () => { peer.destroy(); peerSource.release(peerRoom); } };
}

const shadow = (poll: GatherPoll) => poll.shadowRoot!;
const radios = (poll: GatherPoll) => [...shadow(poll).querySelectorAll<HTMLInputElement>('input[type=radio]')];
const buttonNamed = (poll: GatherPoll, name: string) =>
  [...shadow(poll).querySelectorAll('button')].find((b) => b.textContent!.trim() === name);

runWidgetBaseTests<GatherPoll>({
  tag: 'gather-poll',
  render: ({ name, room, organizer, text }) => html`
    <gather-poll name=${ifDefined(name)} room=${ifDefined(room)} organizer=${ifDefined(organizer)} question=${text ?? config.question}>
      <option value="tue">Tuesday</option>
      <option value="thu">Thursday</option>
    </gather-poll>
  `,
  act: async (poll) => {
    radios(poll)[0]!.click();
    const voted = oneEvent(poll, 'gather-vote');
    buttonNamed(poll, 'Vote')!.click();
    await voted;
  },
  mine: (view) => (view as PollView).mine !== null,
  reconfigure: (poll) => (poll.question = 'Which day?'),
  reconfigured: (view) => (view as PollView).question === 'Which day?',
});

describe('<gather-poll>', () => {
  failOnLitWarnings();

  it('renders the page\'s question and options as a fieldset of named radio buttons and a Vote button', async () => {
    const { poll, teardown } = await mountPoll();
    const legend = shadow(poll).querySelector('fieldset legend');
    expect(legend?.textContent?.trim()).to.equal('Which evening works?');
    expect(radios(poll).map((r) => r.labels![0].textContent!.trim())).to.deep.equal(['Tuesday', 'Thursday']);
    expect(buttonNamed(poll, 'Vote')?.type).to.equal('submit');
    expect(poll.view).to.deep.equal({
      kind: 'single',
      question: 'Which evening works?',
      options: [
        { id: 'tue', label: 'Tuesday', count: null },
        { id: 'thu', label: 'Thursday', count: null },
      ],
      total: 0,
      mine: null,
      closed: false,
      resultsVisible: false,
      closes: null,
      quorum: null,
      reasons: null,
    });
    await expect(poll).to.be.accessible();
    teardown();
  });

  it('takes its question from a child <legend> or slot="question" element as text, the attribute winning when both are there', async () => {
    const network = new MemoryNetwork();
    const room = `room-${++roomCount}`;
    const element = await fixture<HTMLElement>(html`
      <gather-room room=${room} .source=${network.source()} .signer=${createSigner()}>
        <gather-poll name="legend"><legend>Which <b>evening</b>  works?</legend><option value="tue">Tuesday</option></gather-poll>
        <gather-poll name="slotted"><span slot="question">&lt;img src=x onerror=alert(1)&gt; Which day?</span><option value="tue">Tuesday</option></gather-poll>
        <gather-poll name="both" question="From the attribute?"><legend>From the child?</legend><option value="tue">Tuesday</option></gather-poll>
      </gather-room>
    `);
    const [legend, slotted, both] = [...element.querySelectorAll('gather-poll')] as GatherPoll[];
    await Promise.all([legend!.ready, slotted!.ready, both!.ready]);
    const named = (poll: GatherPoll) => shadow(poll).querySelector('fieldset legend')!;
    expect(named(legend!).textContent!.trim()).to.equal('Which evening works?');
    expect(legend!.view!.question).to.equal('Which evening works?');
    // Text, never HTML: the markup in the slotted question is shown as its characters.
    expect(named(slotted!).textContent!.trim()).to.equal('<img src=x onerror=alert(1)> Which day?');
    expect(named(slotted!).querySelector('img')).to.equal(null);
    expect(named(both!).textContent!.trim()).to.equal('From the attribute?');
    expect(both!.view!.question).to.equal('From the attribute?');
    // The fieldset's accessible name is the question (its legend).
    expect(shadow(legend!).querySelector('fieldset')!.querySelector(':scope > legend')).to.equal(named(legend!));
    // Editing the child's text changes the question; removing the attribute hands it to the child.
    legend!.querySelector('legend')!.textContent = 'Which weekday works?';
    await waitUntil(() => legend!.view?.question === 'Which weekday works?', 'the edited legend was not read');
    both!.removeAttribute('question');
    await waitUntil(() => both!.view?.question === 'From the child?', 'the child did not take over from the attribute');
    for (const poll of [legend!, slotted!, both!]) await expect(poll).to.be.accessible();
  });

  it('votes with the keyboard alone and then shows results with counts and percentages', async () => {
    const { poll, teardown } = await mountPoll();
    const changes: string[] = [];
    poll.addEventListener('gather-change', (e) => changes.push(e.detail.origin));

    await sendKeys({ press: 'Tab' });
    expect(shadow(poll).activeElement).to.equal(radios(poll)[0]);
    await sendKeys({ press: 'ArrowDown' });
    expect(radios(poll)[1].checked).to.be.true;
    await sendKeys({ press: 'Tab' });
    expect(shadow(poll).activeElement?.matches('textarea[name=reason]'), 'the optional reason comes next').to.be.true;
    await sendKeys({ press: 'Tab' });
    expect(shadow(poll).activeElement?.textContent?.trim()).to.equal('Vote');
    const voted = oneEvent(poll, 'gather-vote');
    await sendKeys({ press: 'Enter' });
    expect((await voted).detail.choice).to.equal('thu');

    await poll.updateComplete;
    expect(poll.view!.mine).to.equal('thu');
    expect(poll.view!.total).to.equal(1);
    expect(changes).to.deep.equal(['local']);
    const rows = [...shadow(poll).querySelectorAll('.results li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(rows).to.deep.equal(['Tuesday 0 votes, 0%', 'Thursday 1 vote, 100%']);
    expect(shadow(poll).activeElement?.matches('section.results-region')).to.be.true;
    expect(poll.hasState('voted')).to.be.true;
    const exported = poll.export()!;
    expect(exported.total).to.equal(1);
    expect(exported.ballots.map((b) => (b as { ballot?: unknown }).ballot)).to.deep.equal(['thu']);
    await expect(poll).to.be.accessible();
    teardown();
  });

  it('asks for a choice instead of voting when none is selected, and loses nothing', async () => {
    const { poll, teardown } = await mountPoll();
    buttonNamed(poll, 'Vote')!.click();
    await waitUntil(() => shadow(poll).querySelector('[role=alert]'), 'no error shown');
    expect(shadow(poll).querySelector('[role=alert]')!.textContent).to.equal('Choose an option first.');
    expect(poll.view!.total).to.equal(0);
    teardown();
  });

  it('re-renders when a peer\'s ballot arrives, reporting it as remote', async () => {
    const { poll, peer, teardown } = await mountPoll();
    radios(poll)[0].click();
    const voted = oneEvent(poll, 'gather-vote');
    buttonNamed(poll, 'Vote')!.click();
    await voted;

    const remote = oneEvent(poll, 'gather-change');
    await peer.vote('tue');
    const event = await remote;
    expect(event.detail.origin).to.equal('remote');
    expect(event.detail.view.total).to.equal(2);
    await poll.updateComplete;
    const first = shadow(poll).querySelector('.results li')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(first).to.equal('Tuesday 2 votes, 100%');
    await waitUntil(
      () => shadow(poll).querySelector('[aria-live=polite]')!.textContent === 'Results updated: 2 votes in total.',
      'the remote change was not announced',
    );
    teardown();
  });

  it('renders once for a peer\'s ballot, not also while it is checked', async () => {
    const { poll, peer, teardown } = await mountPoll();
    radios(poll)[0].click();
    const voted = oneEvent(poll, 'gather-vote');
    buttonNamed(poll, 'Vote')!.click();
    await voted;
    await peer.vote('thu');
    await waitUntil(() => poll.view?.total === 2, 'the peer\'s first ballot never arrived');
    await poll.updateComplete;
    const update = (poll as unknown as { update: (changed: unknown) => void }).update;
    let updates = 0;
    Object.assign(poll, {
      update(this: GatherPoll, changed: unknown) {
        updates++;
        update.call(this, changed);
      },
    });
    const remote = oneEvent(poll, 'gather-change');
    await peer.vote('tue'); // a change of mind: verified and counted like a new ballot
    await remote;
    await poll.ready;
    await poll.updateComplete;
    expect(poll.view?.options.map((o) => o.count)).to.deep.equal([2, 0]);
    expect(updates).to.equal(1);
    teardown();
  });

  it('takes its room again when a room attribute changes, not on a peer\'s ballot; draws bars to a tenth of a percent', async () => {
    const network = new MemoryNetwork();
    const source = network.source();
    const asked: (string | null)[] = [];
    const acquire = source.acquire.bind(source);
    source.acquire = (name, options) => {
      asked.push(options.password);
      return acquire(name, options);
    };
    const room = `room-${++roomCount}`;
    const poll = await fixture<GatherPoll>(html`
      <gather-poll name="evening" room=${room} question=${config.question} results="always" .source=${source} .signer=${createSigner()}>
        <option value="tue">Tuesday</option>
        <option value="thu">Thursday</option>
      </gather-poll>
    `);
    await poll.ready;
    expect(asked).to.deep.equal([null]);
    const peerSource = network.source();
    const peerRoom = peerSource.acquire(room, DEFAULT_ROOM_OPTIONS);
    const peers = await Promise.all(['tue', 'tue', 'thu'].map(async () => new PollModel(peerRoom.doc, 'evening', config, await createSigner(), { room })));
    await Promise.all(peers.map((peer, i) => peer.vote(i < 2 ? 'tue' : 'thu')));
    await waitUntil(() => poll.view?.total === 3, 'the peers\' ballots never arrived');
    await poll.updateComplete;
    expect(asked).to.deep.equal([null]);
    // 2/3 and 1/3 of the bar, to a tenth (the words give the exact figures).
    expect([...shadow(poll).querySelectorAll('rect.fill')].map((rect) => rect.getAttribute('width'))).to.deep.equal(['66.7', '33.3']);
    poll.password = 'correct-horse';
    await waitUntil(() => asked.length === 2, 'the room was not taken again with the new password');
    expect(asked).to.deep.equal([null, 'correct-horse']);
    for (const peer of peers) peer.destroy();
    peerSource.release(peerRoom);
  });

  it('changes and withdraws a vote', async () => {
    const { poll, peer, teardown } = await mountPoll();
    radios(poll)[0].click();
    let voted = oneEvent(poll, 'gather-vote');
    buttonNamed(poll, 'Vote')!.click();
    await voted;
    await poll.updateComplete;

    buttonNamed(poll, 'Change vote')!.click();
    await poll.updateComplete;
    expect(radios(poll)[0].checked, 'the current vote is pre-selected').to.be.true;
    radios(poll)[1].click();
    voted = oneEvent(poll, 'gather-vote');
    buttonNamed(poll, 'Vote')!.click();
    expect((await voted).detail.choice).to.equal('thu');
    await peer.settled();
    await waitUntil(() => peer.view.options[1].count === 1, 'the peer never saw the changed vote');
    expect(peer.view.total).to.equal(1);

    await poll.updateComplete;
    buttonNamed(poll, 'Change vote')!.click();
    await poll.updateComplete;
    expect(shadow(poll).activeElement, 'focus is on the current vote').to.equal(radios(poll)[1]);
    const during: string[] = [];
    const record = (event: Event) => during.push(event.type);
    poll.addEventListener('gather-vote', record);
    poll.addEventListener('gather-change', record);
    buttonNamed(poll, 'Cancel')!.click();
    await poll.updateComplete;
    expect(shadow(poll).activeElement?.matches('section.results-region'), 'focus is back on the results').to.be.true;
    expect(during, 'cancelling fires nothing').to.deep.equal([]);
    expect(poll.view!.mine, 'and keeps the vote').to.equal('thu');
    poll.removeEventListener('gather-vote', record);
    poll.removeEventListener('gather-change', record);

    await poll.updateComplete;
    voted = oneEvent(poll, 'gather-vote');
    buttonNamed(poll, 'Withdraw vote')!.click();
    expect((await voted).detail.choice).to.equal(null);
    await poll.updateComplete;
    expect(poll.view!.mine).to.equal(null);
    expect(poll.view!.total).to.equal(0);
    expect(shadow(poll).querySelector('fieldset')).to.exist;
    teardown();
  });

  it('says so, and shows the results read-only, when this browser cannot sign (no WebCrypto on a plain-http page)', async () => {
    const network = new MemoryNetwork();
    const unsigned = Promise.reject(new Error('crypto.subtle is undefined'));
    const element = await fixture<HTMLElement>(html`
      <gather-room room="no-crypto" .source=${network.source()} .signer=${unsigned}>
        <gather-poll name="evening" question="Which evening?" results="always"><option value="tue">Tuesday</option></gather-poll>
      </gather-room>
    `);
    const poll = element.querySelector('gather-poll') as GatherPoll;
    const peerSource = network.source();
    const peer = new PollModel(peerSource.acquire('no-crypto', DEFAULT_ROOM_OPTIONS).doc, 'evening', { question: 'Which evening?', options: [{ id: 'tue', label: 'Tuesday' }] }, await createSigner(), { room: 'no-crypto' });
    await peer.vote('tue');
    await poll.ready;
    await waitUntil(() => poll.view?.total === 1, 'the read-only poll never counted the peer\'s vote');
    await poll.updateComplete;
    expect(shadow(poll).querySelector('[part=status]')!.textContent).to.equal('This browser cannot take part here: the page must be served over https.');
    expect(shadow(poll).querySelector('[role=alert]'), 'one line').to.equal(null);
    expect(shadow(poll).querySelectorAll('button').length, 'no Vote, Change or Withdraw').to.equal(0);
    expect(shadow(poll).querySelector('.results li')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Tuesday 1 vote, 100%');
    await expect(poll).to.be.accessible();
    peer.destroy();
  });

});
