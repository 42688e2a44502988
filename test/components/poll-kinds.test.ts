// Every poll kind in Chromium: voting with the keyboard alone, the results each kind shows, hidden
// results, closing, reasons, the element's own API; axe in every kind and state.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import '../../components/index.js';
import type { GatherPoll } from '../../components/poll/poll.js';
import { GatherError } from '../../src/errors.js';
import { createSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';
import { PollModel } from '../../src/models/poll.js';
import type { PollConfig } from '../../src/models/poll.types.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../../src/room/options.js';
import * as Y from 'yjs';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';

let rooms = 0;
const shadow = (poll: GatherPoll) => poll.shadowRoot!;
const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const press = async (...keys: string[]) => {
  for (const key of keys) await sendKeys({ press: key });
};

/** A poll rendered from `markup` in a room of its own; `peer()` makes another visitor's model there. */
async function mount(markup: (room: string) => TemplateResult, signer: Promise<Signer> = createSigner()) {
  const network = new MemoryNetwork();
  const room = `kinds-${++rooms}`;
  const wrapper = await fixture<HTMLElement>(html`<gather-room room=${room} .source=${network.source()} .signer=${signer}>${markup(room)}</gather-room>`);
  const poll = wrapper.querySelector('gather-poll')!;
  await poll.ready;
  await poll.updateComplete;
  const peer = async (config: PollConfig, options: { organizers?: string[] } = {}) =>
    new PollModel(network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc, 'p', config, await createSigner(), { room, ...options });
  return { poll, peer };
}

const submitByKeyboard = async (poll: GatherPoll) => {
  const voted = oneEvent(poll, 'gather-vote');
  await press('Tab'); // to the reason
  await press('Tab'); // to Vote
  expect(text(shadow(poll).activeElement)).to.equal('Vote');
  await press('Enter');
  return (await voted).detail.ballot;
};

describe('<gather-poll kind="…">: keyboard-only voting and results', () => {
  failOnLitWarnings();

  it('multiple: checkboxes, at most max', async () => {
    const { poll } = await mount(() => html`
      <gather-poll name="p" kind="multiple" max="2" question="Which tasks can you take?" results="always">
        <option value="flyers">Flyers</option><option value="door">Door-knocking</option><option value="food">Food</option>
      </gather-poll>`);
    expect(text(shadow(poll).querySelector('#hint'))).to.equal('Choose up to 2.');
    await press('Tab', 'Space', 'Tab', 'Tab', 'Space');
    expect(await submitByKeyboard(poll)).to.deep.equal(['flyers', 'food']);
    await waitUntil(() => poll.view?.total === 1);
    await poll.updateComplete;
    expect([...shadow(poll).querySelectorAll('.results li')].map(text)).to.deep.equal(['Flyers 1 vote, 100%', 'Door-knocking 0 votes, 0%', 'Food 1 vote, 100%']);
    await expect(poll).to.be.accessible();
  });

  it('ranked: a rank for each option; the rounds say who was eliminated and where the votes went', async () => {
    const config: PollConfig = { kind: 'ranked', question: 'Where should we meet?', options: [{ id: 'hall', label: 'Hall' }, { id: 'park', label: 'Park' }, { id: 'cafe', label: 'Café' }], results: 'always' };
    const { poll, peer } = await mount(() => html`
      <gather-poll name="p" kind="ranked" question=${config.question} results="always">
        <option value="hall">Hall</option><option value="park">Park</option><option value="cafe">Café</option>
      </gather-poll>`);
    const selects = [...shadow(poll).querySelectorAll('select')];
    expect(selects.map((s) => s.getAttribute('aria-label'))).to.deep.equal(['Rank for Hall', 'Rank for Park', 'Rank for Café']);
    // Café first, Hall second, Park unranked.
    await press('Tab', 'ArrowDown', 'ArrowDown', 'Tab', 'Tab', 'ArrowDown');
    expect(await submitByKeyboard(poll)).to.deep.equal(['cafe', 'hall']);
    for (const ballot of [['hall'], ['park', 'hall'], ['park']]) await (await peer(config)).vote(ballot);
    await waitUntil(() => poll.view?.total === 4, 'the peers\' ballots never arrived');
    await poll.updateComplete;
    // Round 1: hall 1, park 2, café 1 → tie at the bottom, café later on the page: eliminated, its vote to Hall.
    const rounds = [...shadow(poll).querySelectorAll('.rounds > li')].map(text);
    expect(rounds[0]).to.contain('Café is eliminated; its votes go to Hall (1).');
    expect(rounds.at(-1)).to.contain('has more than half of the votes and wins.');
    expect(text(shadow(poll).querySelector('.headline'))).to.match(/^(Hall|Park) wins\.$/);
    await expect(poll).to.be.accessible();
  });

  it('score: a scale per option; means and a table of how many gave each score', async () => {
    const { poll } = await mount(() => html`
      <gather-poll name="p" kind="score" min="1" max="3" question="How good is each plan?" results="always">
        <option value="a">Plan A</option><option value="b">Plan B</option>
      </gather-poll>`);
    const groups = [...shadow(poll).querySelectorAll('fieldset.option-group legend')].map(text);
    expect(groups).to.deep.equal(['Score for Plan A', 'Score for Plan B']);
    // Plan A: No score → 1 → 2 → 3 (three steps right); Plan B left unscored.
    await press('Tab', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'Tab');
    await press('Tab'); // past Plan B's group to the reason (the submit helper then goes on to Vote)
    const voted = oneEvent(poll, 'gather-vote');
    await press('Tab', 'Enter');
    expect((await voted).detail.ballot).to.deep.equal({ a: 3 });
    await poll.updateComplete;
    const rows = [...shadow(poll).querySelectorAll<HTMLTableRowElement>('tbody tr')].map((row) => [...row.cells].map(text).join(' '));
    expect(rows).to.deep.equal(['Plan A 3 0 0 1', 'Plan B not scored 0 0 0']);
    await expect(poll).to.be.accessible();
  });

  it('consent: four stances explained, a reason, and the reasons shown', async () => {
    const { poll } = await mount(() => html`<gather-poll name="p" kind="consent" question="Hold the assembly in the park?" results="always"></gather-poll>`);
    await press('Tab', 'ArrowDown', 'ArrowDown', 'ArrowDown'); // agree → abstain → disagree → block
    await press('Tab');
    await sendKeys({ type: 'Not without a rain plan' });
    const voted = oneEvent(poll, 'gather-vote');
    await press('Tab', 'Enter');
    expect((await voted).detail.ballot).to.deep.equal({ stance: 'block' });
    await poll.updateComplete;
    expect([...shadow(poll).querySelectorAll('.results li')].map(text)).to.deep.equal(['Agree 0', 'Abstain 0', 'Disagree 0', 'Block 1']);
    expect(text(shadow(poll).querySelector('.reasons li'))).to.equal('Block: Not without a rain plan');
    await expect(poll).to.be.accessible();
  });

  it('time: yes / if need be / no per date, in the viewer\'s time zone, with the best ones', async () => {
    const { poll } = await mount(() => html`
      <gather-poll name="p" kind="time" question="When can you meet?" results="always">
        <option value="2026-12-03T18:00-05:00">Thu 3 Dec, 6 pm</option><option value="2026-12-04T18:00-05:00">Fri 4 Dec, 6 pm</option>
      </gather-poll>`);
    const legends = [...shadow(poll).querySelectorAll('fieldset.option-group legend')].map(text);
    expect(legends[0]).to.match(/^Thu 3 Dec, 6 pm .*2026/);
    await press('Tab', 'Space', 'Tab', 'ArrowRight');
    const voted = oneEvent(poll, 'gather-vote');
    await press('Tab', 'Tab', 'Enter');
    expect((await voted).detail.ballot).to.deep.equal({ '2026-12-03T18:00-05:00': 'yes', '2026-12-04T18:00-05:00': 'maybe' });
    await poll.updateComplete;
    expect(text(shadow(poll).querySelector('tr.best th'))).to.contain('Best');
    expect(poll.view!.best).to.deep.equal(['2026-12-03T18:00-05:00']);
    await expect(poll).to.be.accessible();
  });
});

describe('<gather-poll>: hidden results, closing, organizers, the element API', () => {
  failOnLitWarnings();

  it('after-vote: says how many have voted, shows no counts, and then the results once voted', async () => {
    const config: PollConfig = { question: 'Q?', options: [{ id: 'x', label: 'X' }, { id: 'y', label: 'Y' }] };
    const { poll, peer } = await mount(() => html`<gather-poll name="p" question="Q?"><option value="x">X</option><option value="y">Y</option></gather-poll>`);
    for (const choice of ['x', 'y', 'x']) await (await peer(config)).vote(choice);
    await waitUntil(() => poll.view?.total === 3);
    expect(poll.view!.options.map((o) => o.count)).to.deep.equal([null, null]);
    await poll.vote('y');
    await poll.updateComplete;
    expect(poll.view!.resultsVisible).to.equal(true);
    expect([...shadow(poll).querySelectorAll('.results li')].map(text)).to.deep.equal(['X 2 votes, 50%', 'Y 2 votes, 50%']);
  });

  it('a long first sync shows how far the signature checks have got, then the tally', async function () {
    this.timeout(30_000);
    const { poll } = await mount((room) => html`<gather-poll name="p" question="Q?" results="always" room=${room}><option value="x">X</option><option value="y">Y</option></gather-poll>`);
    const config: PollConfig = { question: 'Q?', options: [{ id: 'x', label: 'X' }, { id: 'y', label: 'Y' }] };
    const elsewhere = new Y.Doc();
    const room = (poll.closest('gather-room') as HTMLElement & { room: string }).room;
    const voters = await Promise.all(Array.from({ length: 300 }, () => createSigner()));
    await Promise.all(
      voters.map(async (signer, i) => {
        const own = new Y.Doc(); // one document per voter: 300 models on one document would check each other's ballots 300 times
        const model = new PollModel(own, 'p', config, signer, { room });
        await model.vote(i % 2 ? 'x' : 'y');
        model.destroy();
        Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(own));
      }),
    );
    const seen: string[] = [];
    const watch = new MutationObserver(() => {
      const line = shadow(poll).querySelector('.checking');
      if (line) seen.push(text(line));
    });
    watch.observe(shadow(poll), { subtree: true, childList: true, characterData: true });
    const doc = (poll as unknown as { connection: { room: { doc: Y.Doc } } }).connection.room.doc;
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(elsewhere), 'peer');
    await waitUntil(() => poll.view?.total === 300, 'the 300 ballots were never counted', { timeout: 20_000 });
    await poll.updateComplete;
    watch.disconnect();
    expect(seen.length, 'progress was shown').to.be.greaterThan(0);
    expect(seen[0]).to.match(/^Checking signatures: [\d,]+ of 300…$/);
    expect(shadow(poll).querySelector('.checking'), 'and gone once checked').to.equal(null);
  });

  it('members-only: a visitor who is not a member gets no form (their ballot would not count)', async () => {
    const { poll } = await mount(() => html`<gather-poll name="p" question="Q?" members-only results="always"><option value="x">X</option></gather-poll>`);
    await waitUntil(() => shadow(poll).querySelector('[part~=membership]'), 'the membership line never showed');
    await poll.updateComplete;
    expect(shadow(poll).querySelector('form'), 'no form').to.equal(null);
    expect(shadow(poll).querySelector('.results-region'), 'the results instead').to.exist;
    await expect(poll).to.be.accessible();
  });

  it('says when it has put back a ballot a peer deleted', async () => {
    const config: PollConfig = { question: 'Q?', options: [{ id: 'x', label: 'X' }] };
    const { poll, peer } = await mount(() => html`<gather-poll name="p" question="Q?" results="always"><option value="x">X</option></gather-poll>`);
    const voter = await peer(config);
    await voter.vote('x');
    await waitUntil(() => poll.view?.total === 1, 'the ballot never arrived');
    // The voter leaves; a hostile peer deletes the ballot from the shared document.
    const map = (voter as unknown as { store: { map: Y.Map<unknown> } }).store.map;
    voter.destroy();
    for (const key of [...map.keys()]) map.delete(key);
    await waitUntil(() => text(shadow(poll).querySelector('[part=repaired]')) === 'Restored 1 entry a peer removed', 'no word of the repair', { timeout: 5000 });
    expect(poll.view!.total, 'the ballot still counts').to.equal(1);
    expect(map.size, 'and is back in the document').to.equal(1);
  });

  it('the hidden state reads "N votes so far — results after you vote" and is accessible', async () => {
    const { poll } = await mount(() => html`<gather-poll name="p" question="Q?" results="after-close"><option value="x">X</option></gather-poll>`);
    await poll.vote('x');
    await poll.updateComplete;
    expect(text(shadow(poll).querySelector('.hidden-results'))).to.equal('1 vote so far — results when the poll closes.');
    await expect(poll).to.be.accessible();
  });

  it('an organizer closes and reopens from the poll; the closing time is explained; closed polls refuse votes', async () => {
    const me = await createSigner();
    const { poll } = await mount(() => html`
      <gather-poll name="p" question="Q?" organizer=${me.publicKey} closes="2099-01-01T12:00Z" quorum="10" anonymous export="everyone">
        <option value="x">X</option>
      </gather-poll>`, Promise.resolve(me));
    const texts = [...shadow(poll).querySelectorAll('.summary')].map(text).join(' | ');
    expect(texts).to.contain('Voting closes');
    expect(texts).to.not.contain('clock of each voter', 'an organizer is named: no clock note');
    expect(texts).to.contain('pseudonymous, not secret');
    expect(text(shadow(poll).querySelector('.quorum label'))).to.equal('0 of 10 needed');
    const button = (name: string) => [...shadow(poll).querySelectorAll('button')].find((b) => text(b) === name)!;
    expect(button('Download ballots (JSON)')).to.exist;
    button('Close the poll').click();
    await waitUntil(() => poll.view?.closed, 'never closed');
    await poll.updateComplete;
    expect(poll.hasState('closed')).to.be.true;
    expect(shadow(poll).querySelector('form'), 'no form once closed').to.equal(null);
    let refused: unknown;
    await poll.vote('x').catch((e) => (refused = e));
    expect(refused).to.be.instanceOf(GatherError);
    expect((refused as GatherError).code).to.equal('closed');
    await expect(poll).to.be.accessible();
    button('Reopen the poll').click();
    await waitUntil(() => poll.view?.closed === false, 'never reopened');
  });

  it('without an organizer, says the closing time rests on each voter\'s signed clock', async () => {
    const { poll } = await mount(() => html`<gather-poll name="p" question="Q?" closes="2099-01-01T12:00Z"><option value="x">X</option></gather-poll>`);
    expect([...shadow(poll).querySelectorAll('.summary')].map(text).join(' ')).to.contain('clock of each voter');
  });

  it('vote() with a reason, retract(), and the codes it rejects with', async () => {
    const { poll } = await mount(() => html`<gather-poll name="p" kind="multiple" max="1" question="Q?" results="always"><option value="x">X</option><option value="y">Y</option></gather-poll>`);
    const codes: string[] = [];
    for (const ballot of [['x', 'y'], ['zz']]) await poll.vote(ballot).catch((e: GatherError) => codes.push(e.code));
    expect(codes).to.deep.equal(['invalid-ballot', 'unknown-option']);
    const voted = oneEvent(poll, 'gather-vote');
    await poll.vote(['x'], { reason: 'nearest' });
    expect((await voted).detail.ballot).to.deep.equal(['x']);
    expect(poll.view!.reasons).to.deep.equal([{ author: (await poll.export())!.ballots[0]!.author, reason: 'nearest' }]);
    await poll.retract();
    expect(poll.view!.mine).to.equal(null);
    expect(poll.exportCsv()!.split('\r\n')[0]).to.equal('voter,signed_at,ballot,reason');
  });
});
