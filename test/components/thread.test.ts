// <gather-thread>: the base suite every widget inherits, then commenting, replying, reacting and
// taking a stance by keyboard, XSS payloads in every text field, one re-rendered comment per new
// comment, unread, moderation, presence, right-to-left.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../../components/index.js';
import '../../components/thread/define.js';
import { parseLinks } from '../../components/thread/linkify.js';
import { rememberVisit } from '../../components/thread/last-visit.js';
import type { GatherThread } from '../../components/thread/thread.js';
import * as encoding from 'lib0/encoding';
import { applyAwarenessUpdate } from 'y-protocols/awareness';
import { setDisplayName } from '../../src/identity/display-name.js';
import { roomTag, signEntry, storeEntry } from '../../src/identity/entries.js';
import { createSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';
import { entryKey } from '../../src/models/entry-key.js';
import { PRESENCE_TYPE } from '../../src/models/presence.js';
import { ThreadModel } from '../../src/models/thread.js';
import type { ThreadView } from '../../src/models/thread.types.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../../src/room/options.js';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';
import { runWidgetBaseTests } from './widget-base.js';

const root = (thread: GatherThread) => thread.shadowRoot!;
const compose = (thread: GatherThread) => root(thread).querySelector<HTMLTextAreaElement>('#new-comment')!;
const buttonNamed = (scope: ParentNode, name: string | RegExp) =>
  [...scope.querySelectorAll<HTMLButtonElement>('button')].find((b) => (typeof name === 'string' ? b.textContent!.trim() === name : name.test(b.textContent!.trim())));
const commentItems = (thread: GatherThread) => [...root(thread).querySelectorAll<HTMLLIElement>('li[part=comment]')];
const deepActive = (thread: GatherThread) => root(thread).activeElement as HTMLElement | null;

/** Presses Tab until the focused element inside the thread satisfies `is` (keyboard only from there). */
async function tabTo(thread: GatherThread, is: (element: HTMLElement) => boolean, what: string): Promise<HTMLElement> {
  for (let i = 0; i < 60; i++) {
    const active = deepActive(thread);
    if (active && is(active)) return active;
    await sendKeys({ press: 'Tab' });
  }
  throw new Error(`Tab never reached ${what}`);
}

let rooms = 0;
/** A thread in its own in-memory room, and a way to add peers (models) to that room. */
async function mount(options: { signer?: Signer; organizer?: string; topic?: string; dir?: string } = {}) {
  const network = new MemoryNetwork();
  const room = `thread-${++rooms}`;
  const signer = options.signer ?? (await createSigner());
  const wrapper = await fixture<HTMLElement>(html`
    <gather-room room=${room} .source=${network.source()} .signer=${Promise.resolve(signer)} dir=${ifDefined(options.dir)}>
      <gather-thread name="rent-strike" topic=${options.topic ?? 'Should we withhold December rent?'} organizer=${ifDefined(options.organizer)}>
        <p slot="context">Read the <a href="https://example.org/letter">landlord's letter</a> first.</p>
      </gather-thread>
    </gather-room>
  `);
  const thread = wrapper.querySelector('gather-thread')!;
  await thread.ready;
  await thread.updateComplete;
  // The peers' clock: never the same millisecond twice, so that each post is signed after the last
  // (two peers posting in one millisecond are ordered by key, and a test's "one more" could come first).
  let last = 0;
  const now = () => (last = Math.max(Date.now(), last + 1));
  const peer = async (peerSigner?: Signer) => {
    const doc = network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc;
    return new ThreadModel(doc, 'rent-strike', { topic: '' }, peerSigner ?? (await createSigner()), { room, organizers: options.organizer ? [options.organizer] : [], now });
  };
  return { wrapper, thread, network, room, signer, peer };
}

runWidgetBaseTests<GatherThread>({
  tag: 'gather-thread',
  render: ({ name, room, organizer, text }) =>
    html`<gather-thread name=${ifDefined(name)} room=${ifDefined(room)} organizer=${ifDefined(organizer)} topic=${text ?? 'Rent strike?'}></gather-thread>`,
  act: async (thread) => {
    const changed = oneEvent(thread, 'gather-change');
    compose(thread).value = 'I am in.';
    buttonNamed(root(thread), 'Post comment')!.click();
    await changed;
  },
  mine: (view) => (view as ThreadView).comments.some((c) => c.mine),
  reconfigure: (thread) => (thread.topic = 'A new topic'),
  reconfigured: (view) => (view as ThreadView).topic === 'A new topic',
});

describe('<gather-thread>', () => {
  failOnLitWarnings();
  beforeEach(() => localStorage.clear());

  it('takes its topic from a child slot="topic" element as text when it has no topic attribute, the attribute winning', async () => {
    const network = new MemoryNetwork();
    const wrapper = await fixture<HTMLElement>(html`
      <gather-room room="thread-topic-child" .source=${network.source()} .signer=${createSigner()}>
        <gather-thread name="child"><h2 slot="topic">Withhold <em>December</em> rent?</h2><p slot="context">Context.</p></gather-thread>
        <gather-thread name="both" topic="From the attribute"><h2 slot="topic">From the child</h2></gather-thread>
      </gather-room>
    `);
    const [child, both] = [...wrapper.querySelectorAll('gather-thread')] as GatherThread[];
    await Promise.all([child!.ready, both!.ready]);
    await Promise.all([child!.updateComplete, both!.updateComplete]);
    const heading = (thread: GatherThread) => thread.shadowRoot!.querySelector('[part~=topic]')!;
    expect(child!.view!.topic).to.equal('Withhold December rent?');
    expect(heading(child!).textContent!.trim()).to.equal('Withhold December rent?');
    expect(heading(child!).querySelector('em')).to.equal(null);
    expect(both!.view!.topic).to.equal('From the attribute');
    child!.querySelector('h2')!.textContent = 'Withhold January rent?';
    await waitUntil(() => child!.view?.topic === 'Withhold January rent?', 'the edited topic was not read');
    await waitUntil(() => heading(child!).textContent!.trim() === 'Withhold January rent?', 'the heading was not rendered again');
    await expect(wrapper).to.be.accessible(); // two threads on one page: no two banner landmarks (test/components/two-of-each.test.ts)
  });

  it('comments, replies and reacts by keyboard alone, and fires gather-comment', async () => {
    setDisplayName('Ana');
    const { thread, peer } = await mount();
    const ben = await peer();
    const bens = await ben.comment('We should talk to the other buildings first. See https://example.org/plan.', { name: 'Ben' });
    await waitUntil(() => commentItems(thread).length === 1, 'the peer\'s comment never showed');

    // Comment: into the box, type, Tab to "Post comment", Enter.
    compose(thread).focus();
    await sendKeys({ type: 'Agreed, I can knock on doors.' });
    expect(root(thread).querySelector('#new-count')!.textContent).to.equal('971 characters left');
    const posted = oneEvent(thread, 'gather-comment');
    await tabTo(thread, (el) => el.textContent?.trim() === 'Post comment', 'Post comment');
    await sendKeys({ press: 'Enter' });
    const { detail } = await posted;
    expect(detail.replyTo).to.equal(null);
    await waitUntil(() => commentItems(thread).length === 2);
    const mine = thread.view!.comments.find((c) => c.id === detail.id)!;
    expect([mine.text, mine.name, mine.mine]).to.deep.equal(['Agreed, I can knock on doors.', 'Ana', true]);
    expect(compose(thread).value, 'the box is emptied').to.equal('');

    // Reply to Ben's: Tab from the top of his comment to its Reply button, Enter, type, Enter on "Post reply".
    commentItems(thread)[0]!.focus();
    await tabTo(thread, (el) => el.dataset['action'] === 'reply', 'Reply');
    await sendKeys({ press: 'Enter' });
    await thread.updateComplete;
    expect(deepActive(thread)!.localName, 'focus moves into the reply box').to.equal('textarea');
    await sendKeys({ type: 'Which buildings?' });
    const replied = oneEvent(thread, 'gather-comment');
    await tabTo(thread, (el) => el.textContent?.trim() === 'Post reply', 'Post reply');
    await sendKeys({ press: 'Enter' });
    const reply = (await replied).detail;
    expect(reply.replyTo).to.equal(bens);
    await waitUntil(() => deepActive(thread)?.dataset['id'] === reply.id, 'focus moves to the new reply');
    expect(thread.view!.comments.map((c) => [c.text, c.depth])).to.deep.equal([
      ['We should talk to the other buildings first. See https://example.org/plan.', 0],
      ['Which buildings?', 1],
      ['Agreed, I can knock on doors.', 0],
    ]);

    // React: a comment offers one "Add reaction" button, whose menu (rendered only when open) holds
    // the four; Escape closes it and focus returns to the button.
    expect(commentItems(thread)[0]!.querySelectorAll('button[part=reaction]').length, 'no reaction buttons before anyone reacts').to.equal(0);
    commentItems(thread)[0]!.focus();
    const add = () => commentItems(thread)[0]!.querySelector<HTMLButtonElement>('[data-action=react]')!;
    expect(await tabTo(thread, (el) => el.dataset['action'] === 'react', 'Add reaction')).to.equal(add());
    expect([add().textContent!.trim(), add().getAttribute('aria-expanded')]).to.deep.equal(['Add reaction', 'false']);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActive(thread)?.closest('.reaction-menu'), 'focus did not move into the menu');
    expect(add().getAttribute('aria-expanded')).to.equal('true');
    const menu = root(thread).querySelector('.reaction-menu')!;
    expect([...menu.querySelectorAll('button')].map((b) => [b.textContent!.trim(), b.getAttribute('aria-pressed')])).to.deep.equal([
      ['Agree (0)', 'false'],
      ['Disagree (0)', 'false'],
      ['Question (0)', 'false'],
      ['Thanks (0)', 'false'],
    ]);
    await expect(thread).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => deepActive(thread) === add(), 'Escape did not return focus to Add reaction');
    expect([root(thread).querySelector('.reaction-menu'), add().getAttribute('aria-expanded')]).to.deep.equal([null, 'false']);
    // Open it again, Space on Agree: counted once, shown as a pressed toggle; the menu closes, focus back on its button.
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActive(thread)?.textContent?.trim() === 'Agree (0)', 'focus did not move to Agree');
    await sendKeys({ press: 'Space' });
    await waitUntil(() => commentItems(thread)[0]!.querySelector('.reactions button')?.getAttribute('aria-pressed') === 'true', 'the reaction was not shown pressed');
    await waitUntil(() => deepActive(thread) === add(), 'focus did not return to Add reaction');
    expect(root(thread).querySelector('.reaction-menu'), 'the menu closed').to.equal(null);
    const agree = commentItems(thread)[0]!.querySelector<HTMLButtonElement>('.reactions button')!;
    expect([agree.textContent!.trim(), agree.getAttribute('aria-pressed')]).to.deep.equal(['Agree (1)', 'true']);
    await ben.settled();
    expect(ben.view.comments[0]!.reactions.agree).to.equal(1);
    // A reaction someone else gave: a toggle, unpressed; Space presses it, and it keeps its element and focus.
    await ben.react(bens, 'thanks');
    await waitUntil(() => commentItems(thread)[0]!.querySelectorAll('.reactions button').length === 2, 'Ben\'s reaction never showed');
    commentItems(thread)[0]!.focus();
    const thanks = await tabTo(thread, (el) => el.getAttribute('part') === 'reaction' && /^Thanks/.test(el.textContent!.trim()), 'Thanks');
    expect([thanks.textContent!.trim(), thanks.getAttribute('aria-pressed')]).to.deep.equal(['Thanks (1)', 'false']);
    await sendKeys({ press: 'Space' });
    await waitUntil(() => thanks.getAttribute('aria-pressed') === 'true', 'the reaction was not pressed');
    expect(thanks.textContent!.trim()).to.equal('Thanks (2)');
    expect(deepActive(thread), 'the toggle keeps its element, and focus').to.equal(thanks);
    // Agree toggled off from its own toggle: its count falls to 0, so it goes, and focus goes to Add reaction.
    await sendKeys({ press: 'Shift+Tab' });
    expect(deepActive(thread)).to.equal(agree);
    await sendKeys({ press: 'Space' });
    await waitUntil(() => !agree.isConnected, 'a reaction nobody gives any more is still shown');
    await waitUntil(() => deepActive(thread) === add(), 'focus did not go to Add reaction');
    await ben.settled();
    expect([ben.view.comments[0]!.reactions.agree, ben.view.comments[0]!.reactions.thanks]).to.deep.equal([0, 2]);

    const link = commentItems(thread)[0]!.querySelector('a')!;
    expect([link.href, link.rel, link.hasAttribute('target'), link.textContent]).to.deep.equal(['https://example.org/plan', 'noopener noreferrer ugc', false, 'https://example.org/plan']);
    await expect(thread).to.be.accessible();
    ben.destroy();
  });

  it('takes a stance by keyboard, and the proposer records the outcome, pinned on top with its tally', async () => {
    const { thread, peer, network, room } = await mount();
    const proposer = await peer();
    const pid = await proposer.propose('Withhold December rent from the 1st', { name: 'Cleo' });
    await waitUntil(() => root(thread).querySelector('[part=proposal]'), 'no proposal shown');
    await thread.updateComplete;

    const radio = root(thread).querySelector<HTMLInputElement>('.stance-form input[type=radio]')!;
    radio.focus(); // Agree
    await sendKeys({ press: 'ArrowRight' }); // Abstain
    await sendKeys({ press: 'ArrowRight' }); // Disagree
    await tabTo(thread, (el) => el.localName === 'textarea', 'the reason');
    await sendKeys({ type: 'Not before the 15th' });
    await tabTo(thread, (el) => el.textContent?.trim() === 'Save stance', 'Save stance');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => thread.view!.proposals[0]!.mine === 'disagree', 'the stance was not saved');
    await thread.updateComplete;
    expect(root(thread).querySelector('.proposal .mine')!.textContent).to.equal('Your stance: Disagree');
    expect(root(thread).querySelector('details.reasons li')!.textContent!.replace(/\s+/g, ' ').trim()).to.match(/· Disagree: Not before the 15th$/);

    await proposer.settled();
    await proposer.decide(pid, 'Not adopted: we meet again on the 15th.');
    await waitUntil(() => root(thread).querySelector('[part=decision]'), 'no pinned decision');
    const decision = root(thread).querySelector('[part=decision]')!;
    expect(decision.querySelector('.outcome')!.textContent).to.equal('Not adopted: we meet again on the 15th.');
    expect([...decision.querySelectorAll('.stances li')].map((li) => li.textContent)).to.deep.equal(['Agree: 0', 'Abstain: 0', 'Disagree: 1', 'Block: 0']);
    expect(root(thread).querySelector('.stance-form'), 'no more stances once decided').to.equal(null);
    expect(root(thread).firstElementChild!.querySelector('[part=decision]')!.previousElementSibling!.getAttribute('part'), 'pinned right under the header').to.equal('header');
    await expect(thread).to.be.accessible();
    proposer.destroy();
    void network;
    void room;
  });

  it('edits and takes back its own comment from its buttons (one listener for the list), and offers others Reply and Add reaction alone', async () => {
    const { thread, peer } = await mount();
    const other = await peer();
    await other.comment('Theirs');
    const id = await thread.comment('Mine, with a typo');
    await waitUntil(() => commentItems(thread).length === 2);
    await thread.updateComplete;
    const actions = (li: HTMLLIElement) => [...li.querySelectorAll<HTMLButtonElement>('.actions button')].map((b) => b.textContent!.trim());
    expect(actions(commentItems(thread)[0]!)).to.deep.equal(['Reply', 'Add reaction']);
    expect(actions(commentItems(thread)[1]!)).to.deep.equal(['Reply', 'Add reaction', 'Edit', 'Take back']);
    buttonNamed(commentItems(thread)[1]!, 'Edit')!.click();
    await thread.updateComplete;
    const box = root(thread).querySelector<HTMLTextAreaElement>('.panel textarea')!;
    expect([deepActive(thread), box.value]).to.deep.equal([box, 'Mine, with a typo']);
    box.value = 'Mine, as meant';
    buttonNamed(root(thread).querySelector('.panel')!, 'Save')!.click();
    await waitUntil(() => commentItems(thread)[1]!.querySelector('.text')?.textContent === 'Mine, as meant', 'not edited');
    await waitUntil(() => deepActive(thread)?.dataset['action'] === 'edit', 'focus back on Edit');
    buttonNamed(commentItems(thread)[1]!, 'Take back')!.click();
    await thread.updateComplete;
    buttonNamed(root(thread).querySelector('.panel')!, 'Take back this comment for good')!.click();
    await waitUntil(() => thread.view!.comments.find((c) => c.id === id)!.retracted, 'not taken back');
    await thread.updateComplete;
    expect(commentItems(thread)[1]!.querySelector('.gone')!.textContent).to.equal('Its author took this comment back.');
    expect(commentItems(thread)[1]!.querySelector('.reactions'), 'no reactions on a comment taken back').to.equal(null);
    other.destroy();
  });

  it('lays out only the comments near the screen, and a far one is still found in the page, takes focus and shows', async () => {
    const { thread, peer } = await mount();
    const others = await Promise.all([peer(), peer()]);
    await Promise.all(
      others.map(async (other, k) => {
        for (let i = 0; i < 12; i++) await other.comment(`comment ${k}-${i}.`);
      }),
    );
    await waitUntil(() => commentItems(thread).length === 24, 'not every comment shown');
    await thread.updateComplete;
    const last = commentItems(thread).at(-1)!;
    const text = last.querySelector('.text')!;
    await waitUntil(() => !text.checkVisibility({ contentVisibilityAuto: true }), 'a comment far below the screen is laid out anyway');
    last.querySelector<HTMLButtonElement>('[data-action=reply]')!.focus();
    expect(deepActive(thread)!.closest('li'), 'its button takes focus').to.equal(last);
    await waitUntil(() => text.checkVisibility({ contentVisibilityAuto: true }), 'the comment with focus is not shown');
    // Find in page (Chromium's window.find, as Ctrl+F) reaches a comment not laid out (the first, now far above), and shows it.
    const far = commentItems(thread)[0]!.querySelector('.text')!;
    await waitUntil(() => !far.checkVisibility({ contentVisibilityAuto: true }), 'the first comment, far above, is laid out anyway');
    expect((window as unknown as { find(text: string): boolean }).find(far.textContent!), 'found in the page').to.be.true;
    await waitUntil(() => far.checkVisibility({ contentVisibilityAuto: true }), 'the comment found is not shown');
    window.getSelection()?.removeAllRanges();
    others.forEach((o) => o.destroy());
  });

  it('renders every XSS payload in every text field as text, and runs nothing', async () => {
    const payloads = [
      '<script>window.__xss = 1</script>',
      '<img src=x onerror="window.__xss = 2">',
      '<svg onload="window.__xss = 3"><circle /></svg>',
      '<a href="javascript:window.__xss = 4">click</a> javascript:window.__xss=4',
      'data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9NTwvc2NyaXB0Pg== <a href="data:text/html,<script>window.__xss=5</script>">x</a>',
      '&lt;img src=x onerror=window.__xss=6&gt; &#60;script&#62;window.__xss=6&#60;/script&#62;',
      '<iframe srcdoc="<script>parent.__xss=7</script>"></iframe>',
      'https://example.org/"><img src=x onerror=window.__xss=8>',
      '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=9>',
    ];
    const organizer = await createSigner();
    const all = payloads.join('\n');
    const { thread, peer } = await mount({ topic: all.slice(0, 300), organizer: organizer.publicKey, signer: organizer });
    const attacker = await peer();
    for (const [i, payload] of payloads.entries()) {
      const id = await attacker.comment(payload, { name: payload.slice(0, 80) });
      if (i === 0) await attacker.edit(id, `${payload} (edited)`);
    }
    const pid = await attacker.propose(all.slice(0, 1000), { name: '<img src=x onerror=window.__xss=10>' });
    await attacker.stance(pid, { stance: 'block', reason: '<script>window.__xss=11</script>' });
    await attacker.decide(pid, `${payloads[1]} ${payloads[3]}`);
    await waitUntil(() => thread.view!.comments.length === payloads.length && thread.view!.decision !== null, 'the payloads never arrived');
    const hideMe = thread.view!.comments[1]!.id;
    await thread.hide(hideMe, '<img src=x onerror=window.__xss=12>');
    await thread.updateComplete;

    const shadow = root(thread);
    expect((window as unknown as { __xss?: number }).__xss, 'no payload ran').to.equal(undefined);
    expect(shadow.querySelectorAll('script, img, svg, iframe, math, style:not([data-lit]), object, embed').length, 'no element from a payload').to.equal(0);
    for (const element of shadow.querySelectorAll('*')) {
      for (const attribute of element.attributes) expect(attribute.name.startsWith('on'), `${element.localName}[${attribute.name}]`).to.be.false;
    }
    for (const anchor of shadow.querySelectorAll('a')) expect(anchor.protocol).to.be.oneOf(['http:', 'https:', 'mailto:']);
    const text = shadow.textContent!;
    for (const payload of payloads.slice(2)) expect(text, 'shown as written').to.contain(payload.split('\n')[0]!.slice(0, 30));
    expect(text).to.contain('Hidden by organizers: <img src=x onerror=window.__xss=12>');
    expect(text).to.contain('<script>window.__xss=11</script>');
    await expect(thread).to.be.accessible();
    attacker.destroy();
  });

  it('re-renders only the new comment when one more arrives from a peer', async () => {
    const { thread, peer } = await mount();
    const others = await Promise.all([peer(), peer(), peer()]);
    for (let i = 0; i < 12; i++) await others[i % 3]!.comment(`comment ${i}`);
    await waitUntil(() => commentItems(thread).length === 12);
    await thread.updateComplete;
    const before = commentItems(thread);
    const touched = new Set<Node>();
    const observer = new MutationObserver((records) => records.forEach((r) => touched.add(r.target)));
    observer.observe(root(thread).querySelector('.list')!, { subtree: true, childList: true, characterData: true, attributes: true });
    await others[0]!.comment('one more');
    await waitUntil(() => commentItems(thread).length === 13);
    await thread.updateComplete;
    observer.disconnect();
    const after = commentItems(thread);
    expect(before.every((li, i) => after[i] === li), 'the same elements, in place').to.be.true;
    // The new comment's block gains it (a block of the list: thread.ts, BLOCK); nothing else changes.
    const block = after[12]!.parentElement!;
    const outside = [...touched].filter((node) => node !== block && !after[12]!.contains(node));
    expect(outside, 'nothing but the new comment and its block changed').to.deep.equal([]);
    others.forEach((o) => o.destroy());
  });

  it("shows another's plain comment as a cloned row with the template's markup, and focus stays on the comment as it changes between the two", async () => {
    const { thread, peer } = await mount();
    const ben = await peer();
    const first = await ben.comment('Plain words first.', { name: 'Ben' });
    const id = await ben.comment('See https://example.org/plan, then\nanswer.', { name: 'Ben', replyTo: first });
    await waitUntil(() => commentItems(thread).length === 2, "Ben's comments never showed");
    // Elements, attributes (in any order) and text (adjacent text nodes as one), no Lit markers.
    const shape = (node: Node): string => {
      if (!(node instanceof Element)) return '';
      let inner = '';
      let text = '';
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) text += (child as Text).data;
        else if (child instanceof Element) {
          inner += `${JSON.stringify(text)}${shape(child)}`;
          text = '';
        }
      }
      const attributes = [...node.attributes].map((a) => `${a.name}=${JSON.stringify(a.value)}`).sort();
      return `<${node.localName} ${attributes.join(' ')}>${inner}${JSON.stringify(text)}</${node.localName}>`;
    };
    const item = () => commentItems(thread)[1]!;
    const plain = item();
    const cloned = shape(plain);
    expect(document.createTreeWalker(plain, NodeFilter.SHOW_COMMENT).nextNode(), 'a clone: no Lit markers in it').to.equal(null);
    expect(plain.querySelector('a')!.getAttribute('rel')).to.equal('noopener noreferrer ugc');
    plain.focus();
    await ben.react(id, 'thanks');
    await waitUntil(() => item().querySelector('.reactions'), "Ben's reaction never showed");
    expect(deepActive(thread), 'focus follows the comment').to.equal(item());
    const copy = item().cloneNode(true) as Element;
    copy.querySelector('.reactions')!.remove();
    expect(shape(copy), "the template's markup, but for the reactions").to.equal(cloned);
    await ben.react(id, 'thanks');
    await waitUntil(() => !item().querySelector('.reactions'), 'the reaction taken back is still shown');
    expect(deepActive(thread), 'focus follows the comment back').to.equal(item());
    expect(shape(item())).to.equal(cloned);
    await expect(thread).to.be.accessible();
    ben.destroy();
  });

  it('lays a long thread out in blocks: a reply in the middle and one more at the end each add their comment to one block', async () => {
    const { thread, network, room } = await mount();
    const doc = network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc;
    const people = await Promise.all([createSigner(), createSigner(), createSigner(), createSigner()]);
    const start = Date.now() - 100_000;
    const write = async (entries: { author: Signer; id: string; text: string; replyTo?: string; name?: string; at: number }[]) => {
      const signed = await Promise.all(
        entries.map(({ author, at, ...body }) => signEntry(author, { type: 'comment', scope: 'thread:rent-strike', room: roomTag(room), ...body }, at).then((entry) => [author, body.id, entry] as const)),
      );
      doc.transact(() => {
        for (const [author, id, entry] of signed) doc.getMap('thread:rent-strike').set(entryKey('comment', author.publicKey, id), storeEntry(entry, 'comment'));
      });
    };
    // 72 comments, 18 each (within the rate limit), none a reply.
    await write(Array.from({ length: 72 }, (_, i) => ({ author: people[i % 4]!, id: `c${i}`, text: `comment ${i}`, at: start + i * 1000 })));
    await waitUntil(() => commentItems(thread).length === 72);
    await thread.updateComplete;
    const inOrder = () => expect(commentItems(thread).map((li) => li.dataset['id'])).to.deep.equal(thread.view!.comments.map((c) => c.id));
    inOrder();
    const blocks = () => [...root(thread).querySelectorAll('.list > ol.block')];
    expect(blocks().length, 'in blocks').to.be.greaterThan(1);
    // No comment sits in a block skipped by content-visibility (Chromium leaves a skipped subtree's
    // items out of the accessibility tree: a screen reader's list would hold one block).
    const shown = (li: Element) => (li as unknown as { checkVisibility(options: object): boolean }).checkVisibility({ contentVisibilityAuto: true });
    expect(commentItems(thread).filter((li) => !shown(li)).length, 'comments in a skipped block').to.equal(0);
    for (const [reply, comment] of [
      [{ author: people[1]!, id: 'r0', text: 'a reply', replyTo: `${people[0]!.publicKey}:c40`, at: Date.now() }, 41],
      [{ author: people[2]!, id: 'r1', text: 'one more', at: Date.now() + 1 }, 73],
    ] as const) {
      const before = commentItems(thread);
      const touched = new Set<Node>();
      const observer = new MutationObserver((records) => records.forEach((r) => touched.add(r.target)));
      observer.observe(root(thread).querySelector('.list')!, { subtree: true, childList: true, characterData: true, attributes: true });
      await write([reply]);
      await waitUntil(() => commentItems(thread).length === before.length + 1);
      await thread.updateComplete;
      observer.disconnect();
      inOrder();
      const after = commentItems(thread);
      const added = after[comment]!;
      expect(added.dataset['id']).to.equal(`${reply.author.publicKey}:${reply.id}`);
      expect(after.filter((li) => li !== added).every((li, i) => li === before[i]), 'the same elements, in place').to.be.true;
      const outside = [...touched].filter((node) => node !== added.parentElement && !added.contains(node));
      expect(outside, 'nothing but the new comment and its block changed').to.deep.equal([]);
    }
    // Names and parents, as comments keep arriving: an unnamed comment shows its author's latest
    // signed name; a reply below the shown depth says whom it answers.
    const item = (author: Signer, id: string) => root(thread).querySelector(`li[data-id="${author.publicKey}:${id}"]`);
    const arrive = async (entry: { author: Signer; id: string; text: string; replyTo?: string; name?: string; at: number }) => {
      await write([entry]);
      await waitUntil(() => item(entry.author, entry.id) !== null);
      await thread.updateComplete;
      return item(entry.author, entry.id)!;
    };
    await arrive({ author: people[3]!, id: 'named', text: 'signed with a name', name: 'Dana', at: Date.now() + 2 });
    const unnamed = await arrive({ author: people[3]!, id: 'unnamed', text: 'no name this time', at: Date.now() + 3 });
    expect(unnamed.querySelector('.name')!.textContent).to.equal('Dana');
    // (People who have not reached the rate limit.)
    const talkers = await Promise.all([createSigner(), createSigner()]);
    let parent = `${people[2]!.publicKey}:c10`;
    for (let depth = 1; depth <= 4; depth++) {
      const author = talkers[depth % 2]!;
      const li = await arrive({ author, id: `deep${depth}`, text: `depth ${depth}`, replyTo: parent, name: `Name ${depth}`, at: Date.now() + 3 + depth });
      expect(li.querySelector('.replying')?.textContent ?? null, `depth ${depth}`).to.equal(depth === 4 ? 'Replying to Name 3' : null);
      parent = `${author.publicKey}:deep${depth}`;
    }
    inOrder();
    await expect(thread).to.be.accessible();
  });

  it('shows the most recent comments by whole blocks of replies, oldest or newest first, and the rest on asking', async () => {
    const { thread, network, room } = await mount();
    const doc = network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc;
    const people = await Promise.all([createSigner(), createSigner(), createSigner(), createSigner()]);
    const start = Date.now() - 300 * 40_000;
    const comments: [Signer, string, Awaited<ReturnType<typeof signEntry>>][] = [];
    let top = '';
    for (let i = 0; i < 250; i++) {
      // Every third a reply to the last top-level comment (a block of a comment and its replies); 40 s apart (within the rate limit).
      const author = people[i % 4]!;
      const replyTo = i % 3 === 2 ? top : undefined;
      const entry = await signEntry(author, { type: 'comment', scope: 'thread:rent-strike', room: roomTag(room), id: `c${i}`, text: `comment ${i}`, ...(replyTo ? { replyTo } : {}) }, start + i * 40_000);
      if (!replyTo) top = `${author.publicKey}:c${i}`;
      comments.push([author, `c${i}`, entry]);
    }
    doc.transact(() => {
      for (const [author, id, entry] of comments) doc.getMap('thread:rent-strike').set(entryKey('comment', author.publicKey, id), storeEntry(entry, 'comment'));
    });
    await waitUntil(() => thread.view?.comments.length === 250);
    await thread.updateComplete;
    /** The view's blocks (a top-level comment and its replies), newest first or not, the first `limit` comments' worth. */
    const expected = (order: 'oldest' | 'newest', limit: number) => {
      const blocks: string[][] = [];
      for (const c of thread.view!.comments) (c.depth === 0 || blocks.length === 0 ? blocks[blocks.push([]) - 1]! : blocks.at(-1)!).push(c.id);
      const newest = [...blocks].reverse();
      const taken: string[][] = [];
      for (let count = 0; count < limit && taken.length < newest.length; count += taken.at(-1)!.length) taken.push(newest[taken.length]!);
      return (order === 'newest' ? taken : taken.reverse()).flat();
    };
    const shownIds = () => commentItems(thread).map((li) => li.dataset['id']);
    const more = () => root(thread).querySelector<HTMLButtonElement>('button.more');
    expect(shownIds()).to.deep.equal(expected('oldest', 200));
    expect(more()!.textContent).to.contain(String(250 - shownIds().length));
    thread.order = 'newest';
    await thread.updateComplete;
    expect(shownIds()).to.deep.equal(expected('newest', 200));
    more()!.click();
    await thread.updateComplete;
    expect(shownIds()).to.deep.equal(expected('newest', 250));
    expect(more()).to.equal(null);
    // One more, newest first: at the top.
    const late = await signEntry(people[0]!, { type: 'comment', scope: 'thread:rent-strike', room: roomTag(room), id: 'late', text: 'one more' }, Date.now());
    doc.getMap('thread:rent-strike').set(entryKey('comment', people[0]!.publicKey, 'late'), storeEntry(late, 'comment'));
    await waitUntil(() => thread.view?.comments.length === 251);
    await thread.updateComplete;
    expect(shownIds()[0]).to.equal(`${people[0]!.publicKey}:late`);
    expect(shownIds()).to.deep.equal(expected('newest', 400));
  });

  it('leaves its room when taken off the page, and takes no new one as that room ends', async () => {
    const network = new MemoryNetwork();
    const source = network.source();
    const keeper = network.source().acquire('thread-leaves', DEFAULT_ROOM_OPTIONS);
    const thread = document.createElement('gather-thread');
    Object.assign(thread, { name: 'rent-strike', topic: 'Leaving', room: 'thread-leaves', source, signer: createSigner() });
    document.body.append(thread);
    await thread.ready;
    await thread.updateComplete;
    expect(source.rooms.size).to.equal(1);
    thread.remove();
    // The room's awareness ends with it (who is reading): the update that asks for takes no new lease.
    await thread.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 0));
    await thread.updateComplete;
    expect(source.rooms.size, 'rooms held by the removed thread').to.equal(0);
    keeper.source.destroy();
  });

  it('marks what is new since the last visit, counts it, and jumps to the first', async () => {
    const network = new MemoryNetwork();
    const room = `thread-unread-${++rooms}`;
    const doc = network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc;
    const other = new ThreadModel(doc, 'rent-strike', { topic: '' }, await createSigner(), { room });
    for (let i = 0; i < 3; i++) await other.comment(`old ${i}`);
    // The last visit saw up to the last old comment (signed times, not this page's clock, decide).
    rememberVisit(room, 'rent-strike', other.view.comments.at(-1)!.at);
    await other.comment('new one');
    await other.comment('new two');
    const wrapper = await fixture<HTMLElement>(html`
      <gather-room room=${room} .source=${network.source()} .signer=${createSigner()}><gather-thread name="rent-strike" topic="Rent"></gather-thread></gather-room>
    `);
    const thread = wrapper.querySelector('gather-thread')!;
    await thread.ready;
    await thread.updateComplete;
    expect(thread.view!.unread).to.equal(2);
    expect(root(thread).querySelector('.unread')!.textContent).to.equal('2 new comments since your last visit');
    expect(commentItems(thread).filter((li) => li.querySelector('.new')).length).to.equal(2);
    buttonNamed(root(thread), 'Go to the first new comment')!.click();
    await waitUntil(() => deepActive(thread)?.textContent?.includes('new one'), 'focus did not jump to the first new comment');
    other.destroy();
  });

  it('lets an organizer hide a comment with a reason and lock the thread; others get no organizer buttons', async () => {
    const organizer = await createSigner();
    const { thread, peer } = await mount({ organizer: organizer.publicKey, signer: organizer });
    const member = await peer();
    await member.comment('Something rude');
    await waitUntil(() => commentItems(thread).length === 1);
    await thread.updateComplete;
    buttonNamed(commentItems(thread)[0]!, 'Hide')!.click();
    await thread.updateComplete;
    const reason = root(thread).querySelector<HTMLInputElement>('.panel input')!;
    expect(deepActive(thread)).to.equal(reason);
    reason.value = 'Personal attack';
    buttonNamed(root(thread).querySelector('.panel')!, 'Hide')!.click();
    await waitUntil(() => commentItems(thread)[0]!.querySelector('.gone')?.textContent === 'Hidden by organizers: Personal attack', 'not hidden');
    buttonNamed(root(thread), 'Lock thread')!.click();
    await waitUntil(() => thread.hasState('locked'), 'not locked');
    await thread.updateComplete;
    expect(root(thread).querySelector('.locked')!.textContent).to.equal('Organizers locked this thread: no new comments for now.');
    expect(compose(thread), 'no box to write in').to.equal(null);
    await member.settled();
    expect(member.view.locked).to.equal(true);
    await expect(thread).to.be.accessible();

    const { thread: visitor, peer: visitorPeer } = await mount({ organizer: organizer.publicKey });
    const someone = await visitorPeer();
    await someone.comment('hello');
    await waitUntil(() => commentItems(visitor).length === 1);
    expect(buttonNamed(root(visitor), 'Hide'), 'no Hide for a visitor').to.equal(undefined);
    expect(buttonNamed(root(visitor), 'Lock thread')).to.equal(undefined);
    member.destroy();
    someone.destroy();
  });

  it('counts who is reading now from awareness, naming only signed presences', async () => {
    setDisplayName('Ana');
    const network = new MemoryNetwork();
    const room = `thread-presence-${++rooms}`;
    const wrapper = await fixture<HTMLElement>(html`
      <div>
        <gather-room room=${room} .source=${network.source()} .signer=${createSigner()}><gather-thread name="t" topic="Rent"></gather-thread></gather-room>
        <gather-room room=${room} .source=${network.source()} .signer=${createSigner()}><gather-thread name="t" topic="Rent"></gather-thread></gather-room>
      </div>
    `);
    const [a, b] = [...wrapper.querySelectorAll('gather-thread')];
    await Promise.all([a!.ready, b!.ready]);
    // A third visitor whose awareness claims to be here, unsigned (and with a made-up signature): neither counted nor named.
    const stranger = network.source().acquire(room, DEFAULT_ROOM_OPTIONS);
    stranger.awareness.setLocalStateField('gather:thread:t', { type: 'presence', author: 'made-up', name: 'Mallory', ts: Date.now(), sig: 'x' });
    const aRoom = (a as unknown as { connection: { room: { awareness: { getStates(): Map<number, unknown> } } } }).connection.room;
    await waitUntil(() => /^2 reading now, including (Ana and You|You and Ana)$/.test(root(a!).querySelector('.reading')?.textContent ?? ''), `presence "${root(a!).querySelector('.reading')?.textContent}" ${JSON.stringify([...aRoom.awareness.getStates().values()])}`);
    expect(root(a!).textContent).to.not.contain('Mallory');
    // Sixty more readers with signed presences (relayed under their own client ids): the count stops at its cap, and says so.
    const signed = await Promise.all(Array.from({ length: 60 }, async (_, i) => signEntry(await createSigner(), { type: PRESENCE_TYPE, scope: 'thread:t', room: roomTag(room), name: `Reader ${i}` }, Date.now())));
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, signed.length);
    signed.forEach((entry, i) => {
      encoding.writeVarUint(encoder, 900_000 + i);
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarString(encoder, JSON.stringify({ 'gather:thread:t': entry }));
    });
    applyAwarenessUpdate(stranger.awareness, encoding.toUint8Array(encoder), 'readers');
    await waitUntil(() => /^50\+ reading now, including /.test(root(a!).querySelector('.reading')?.textContent ?? ''), `presence "${root(a!).querySelector('.reading')?.textContent}"`);
  });

  it('works right to left, in Arabic, and parses links strictly', async () => {
    const { thread, peer, wrapper } = await mount({ dir: 'rtl' });
    const other = await peer();
    const parent = await other.comment('مرحبا mailto:union@example.org');
    await other.settled();
    await other.comment('رد', { replyTo: parent });
    await waitUntil(() => commentItems(thread).length === 2);
    expect(root(thread).querySelector('[part=base]')!.getAttribute('dir')).to.equal('rtl');
    const reply = commentItems(thread)[1]!;
    expect(getComputedStyle(reply).marginRight, 'replies indent from the right').to.not.equal('0px');
    expect(getComputedStyle(reply).marginLeft).to.equal('0px');
    expect(commentItems(thread)[0]!.querySelector('a')!.href).to.equal('mailto:union@example.org');
    // Every comment's fixed words (written into its template once per language) follow the language.
    const words = () => commentItems(thread).map((li) => [...li.querySelectorAll('.actions button')].map((b) => b.textContent));
    expect(words()).to.deep.equal([['Reply', 'Add reaction'], ['Reply', 'Add reaction']]);
    wrapper.setAttribute('lang', 'ar');
    await waitUntil(() => words()[1]![0] === 'ردّ', `not in Arabic: ${JSON.stringify(words())}`);
    expect(words()).to.deep.equal([['ردّ', 'أضف تفاعلًا'], ['ردّ', 'أضف تفاعلًا']]);
    await expect(thread).to.be.accessible();
    other.destroy();

    expect(parseLinks('see (https://example.org/a_(b)) and https://x.org/y. javascript:alert(1) ftp://z.org')).to.deep.equal([
      { text: 'see (' },
      { text: 'https://example.org/a_(b)', href: 'https://example.org/a_(b)' },
      { text: ') and ' },
      { text: 'https://x.org/y', href: 'https://x.org/y' },
      { text: '. javascript:alert(1) ftp://z.org' },
    ]);
  });
});
