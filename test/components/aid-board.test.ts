// The mutual-aid board: the base suite every widget inherits, then its own — hostile text renders
// inert, filters and search, keyboard-only posting, responding and accepting, a large board.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../../components/index.js';
import '../../components/aid-board/define.js';
import type { GatherAidBoard } from '../../components/aid-board/aid-board.js';
import { createEncryption } from '../../src/identity/encryption.js';
import { createSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';
import { AidBoardModel } from '../../src/models/aid-board.js';
import type { AidBoardConfig, AidBoardView, AidPostInput } from '../../src/models/aid-board.types.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../../src/room/options.js';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';
import { runWidgetBaseTests } from './widget-base.js';

const CATEGORIES = 'food, rides, childcare, other';
const AREAS = 'North, South, Downtown';
const config: AidBoardConfig = { categories: ['food', 'rides', 'childcare', 'other'], areas: ['North', 'South', 'Downtown'] };

const shadow = (board: GatherAidBoard) => board.shadowRoot!;
const titles = (board: GatherAidBoard) => [...shadow(board).querySelectorAll('li.post h3')].map((h) => h.textContent!.trim());
const buttonNamed = (root: ParentNode, name: string) => [...root.querySelectorAll('button')].find((b) => b.textContent!.replace(/\s+/g, ' ').trim().startsWith(name));
const item = (board: GatherAidBoard, title: string) => [...shadow(board).querySelectorAll<HTMLElement>('li.post')].find((li) => li.querySelector('h3')?.textContent?.trim() === title);

/** Fills the post form through its fields and submits it (as a visitor with a mouse would). */
async function postThroughForm(board: GatherAidBoard, title: string, contact = 'call 555-0100'): Promise<void> {
  const root = shadow(board);
  root.querySelector<HTMLDetailsElement>('details.new-post')!.open = true;
  const form = root.querySelector<HTMLFormElement>('details.new-post form')!;
  form.querySelector<HTMLInputElement>('input[name=title]')!.value = title;
  form.querySelector<HTMLInputElement>('input[name=contact]')!.value = contact;
  const posted = oneEvent(board, 'gather-post');
  form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
  await posted;
}

runWidgetBaseTests<GatherAidBoard>({
  tag: 'gather-aid-board',
  render: ({ name, room, organizer, text }) =>
    html`<gather-aid-board name=${ifDefined(name)} room=${ifDefined(room)} organizer=${ifDefined(organizer)} heading=${text ?? 'Eastside mutual aid'} categories=${CATEGORIES} areas=${AREAS}></gather-aid-board>`,
  act: async (board) => {
    const changed = oneEvent(board, 'gather-change');
    await postThroughForm(board, 'Soup for two');
    await changed;
  },
  mine: (view) => (view as AidBoardView).posts.some((p) => p.mine),
  reconfigure: (board) => (board.categories = 'food, tools'),
  reconfigured: (view) => 'tools' in (view as AidBoardView).counts.category,
});

let roomCount = 0;

/** A board in an in-memory room, and a way to make other visitors' models in the same room. */
async function mountBoard({ organizer = false, lang = 'en' } = {}) {
  const network = new MemoryNetwork();
  const room = `aid-${++roomCount}`;
  const me = await createSigner();
  const wrapper = await fixture<HTMLElement>(html`
    <gather-room room=${room} .source=${network.source()} .signer=${Promise.resolve(me)} lang=${lang}>
      <gather-aid-board name="aid" categories=${CATEGORIES} areas=${AREAS} organizer=${ifDefined(organizer ? me.publicKey : undefined)}></gather-aid-board>
    </gather-room>
  `);
  const board = wrapper.querySelector('gather-aid-board')!;
  await board.ready;
  await board.updateComplete;
  const peers: AidBoardModel[] = [];
  const peer = async (cfg: AidBoardConfig = config, signer?: Signer) => {
    const model = new AidBoardModel(network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc, 'aid', cfg, signer ?? (await createSigner()), {
      room,
      encryption: createEncryption(),
      organizers: organizer ? [me.publicKey] : [],
    });
    peers.push(model);
    return model;
  };
  return { board, me, peer, done: () => peers.forEach((p) => p.destroy()) };
}

const request = (over: Partial<AidPostInput> = {}): AidPostInput => ({ kind: 'request', title: 'Groceries', category: 'food', area: 'North', contact: 'peer: 555-0199', ...over });

/** Presses Tab until the focused element in the board's shadow root matches, at most `max` times. */
async function tabTo(board: GatherAidBoard, matches: (el: Element) => boolean, max = 60): Promise<Element> {
  for (let i = 0; i < max; i++) {
    const active = shadow(board).activeElement;
    if (active && matches(active)) return active;
    await sendKeys({ press: 'Tab' });
  }
  throw new Error(`never reached the control (at ${shadow(board).activeElement?.outerHTML.slice(0, 80)})`);
}

describe('<gather-aid-board>', () => {
  failOnLitWarnings();

  it('renders every text field of hostile posts and responses as inert text', async () => {
    const { board, me, peer, done } = await mountBoard();
    const payloads = [
      '<img src=x onerror="window.__xss=1">',
      '<script>window.__xss=2</script>',
      'javascript:window.__xss=3',
      '"><svg onload="window.__xss=4">',
      '{{constructor.constructor("window.__xss=5")()}}',
      '<a href="javascript:window.__xss=6">click</a>',
      '${window.__xss=7}',
      '\u202Eevil\u202C <iframe srcdoc="<script>parent.__xss=8</script>">',
    ];
    const hostile = await peer({ categories: payloads.map((p) => p.slice(0, 40)), areas: [] });
    for (const payload of payloads) {
      await hostile.post({ kind: 'offer', title: payload.slice(0, 120), description: payload, category: payload.slice(0, 40), area: payload.slice(0, 80), contact: payload.slice(0, 200) });
    }
    // A hostile responder on my post: its message is shown to me, the poster.
    const mine = await board.post({ kind: 'request', title: 'Mine', category: 'food', contact: 'me' });
    await hostile.settled();
    await hostile.respond(mine, { message: payloads[0]!, contact: payloads[1]! });
    await waitUntil(() => board.view!.posts.length === payloads.length + 1 && board.view!.posts.find((p) => p.id === mine)!.responses[0]?.message !== null, 'posts or the message did not arrive');
    await board.updateComplete;
    buttonNamed(item(board, 'Mine')!, 'Show contact details')!.click();
    await waitUntil(() => shadow(board).querySelector('.contact-text'), 'no contact shown');
    const root = shadow(board);
    expect(root.querySelectorAll('img, script, svg, iframe, a[href]').length, 'no element from user text').to.equal(0);
    expect((window as unknown as { __xss?: number }).__xss).to.equal(undefined);
    for (const payload of payloads) expect(titles(board)).to.include(payload.slice(0, 120).trim());
    expect(root.querySelector('.message')!.textContent).to.equal(payloads[0]);
    expect(root.querySelector('.contact-text')!.textContent).to.equal(payloads[1]);
    expect(board.view!.posts.every((p) => p.author !== me.publicKey || p.mine)).to.be.true;
    await expect(board).to.be.accessible();
    done();
  });

  it('filters by kind, category, area and status, searches the text, counts per filter, and shows mine', async () => {
    const { board, peer, done } = await mountBoard();
    const a = await peer();
    await a.post(request({ title: 'Ride to the clinic', kind: 'request', category: 'rides', area: 'South', description: 'Thursday morning' }));
    await a.post(request({ title: 'Fresh bread', kind: 'offer', category: 'food', area: 'North', description: 'From the Café on Elm' }));
    const closed = await a.post(request({ title: 'Old request', kind: 'request', category: 'food', area: 'Downtown' }));
    await a.setStatus(closed, 'withdrawn');
    const mine = await board.post({ kind: 'offer', title: 'Babysitting Saturday', category: 'childcare', area: 'North', contact: 'me' });
    await waitUntil(() => board.view!.posts.length === 4, 'posts did not arrive');
    await board.updateComplete;
    const root = shadow(board);
    const select = (name: string, value: string) => {
      const el = root.querySelector<HTMLSelectElement>(`form.filters select[name=${name}]`)!;
      el.value = value;
      el.dispatchEvent(new Event('change', { bubbles: true }));
    };
    const optionText = (name: string, value: string) => root.querySelector(`form.filters select[name=${name}] option[value="${value}"]`)!.textContent!.trim();
    expect(optionText('kind', 'offer')).to.equal('Offers (2)');
    expect(optionText('category', 'food')).to.equal('food (2)');
    expect(optionText('status', 'withdrawn')).to.equal('Withdrawn (1)');

    select('kind', 'offer');
    await board.updateComplete;
    expect(titles(board).sort()).to.deep.equal(['Babysitting Saturday', 'Fresh bread']);
    select('area', 'North');
    select('category', 'food');
    await board.updateComplete;
    expect(titles(board)).to.deep.equal(['Fresh bread']);
    buttonNamed(root, 'Clear filters')!.click();
    await board.updateComplete;
    expect(titles(board)).to.have.length(4);

    select('status', 'open');
    await board.updateComplete;
    expect(titles(board)).to.not.include('Old request');
    select('status', '');
    const search = root.querySelector<HTMLInputElement>('form.filters input[name=search]')!;
    search.focus();
    await sendKeys({ type: 'cafe elm' }); // accents and case ignored, every word must match
    await board.updateComplete;
    expect(titles(board)).to.deep.equal(['Fresh bread']);
    expect(root.querySelector('.summary[role=status]')!.textContent!.replace(/\s+/g, ' ').trim()).to.match(/^Showing 1 of 4 posts/);
    search.value = 'zzz';
    search.dispatchEvent(new Event('input', { bubbles: true }));
    await board.updateComplete;
    expect(root.querySelector('.empty')!.textContent).to.equal('No posts match these filters.');
    search.value = '';
    search.dispatchEvent(new Event('input', { bubbles: true }));

    buttonNamed(root, 'Mine (1)')!.click();
    await board.updateComplete;
    expect(titles(board)).to.deep.equal(['Babysitting Saturday']);
    expect(board.view!.posts.find((p) => p.id === mine)!.mine).to.be.true;
    await expect(board).to.be.accessible();
    done();
  });

  it('posts, responds and accepts with the keyboard alone; each side then reads the other\'s contact', async () => {
    const { board, me, peer, done } = await mountBoard();
    // Posting: open the disclosure, fill the fields, submit.
    await tabTo(board, (el) => el.matches('summary'));
    await sendKeys({ press: 'Enter' });
    await tabTo(board, (el) => el.matches('input[name=kind]'));
    await sendKeys({ press: 'ArrowLeft' }); // from "Ask for help" to "Offer help"
    await tabTo(board, (el) => el.matches('input[name=title]'));
    await sendKeys({ type: 'Can drive to appointments' });
    await tabTo(board, (el) => el.matches('input[name=contact]'));
    await sendKeys({ type: 'Dana 555-0142' });
    const posted = oneEvent(board, 'gather-post');
    await sendKeys({ press: 'Enter' });
    const { detail } = await posted;
    expect(detail.action).to.equal('post');
    const offer = board.view!.posts.find((p) => p.id === detail.postId)!;
    expect(offer.kind).to.equal('offer');
    expect(offer.title).to.equal('Can drive to appointments');

    // Responding to a peer's request: "I can help", then the message, the contact, Send.
    const asker = await peer();
    const requestId = await asker.post(request({ title: 'Need a ride Friday' }));
    await waitUntil(() => item(board, 'Need a ride Friday'), 'the request did not arrive');
    await tabTo(board, (el) => el.matches('button') && el.closest('li')?.querySelector('h3')?.textContent === 'Need a ride Friday' && el.textContent!.includes('I can help'));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => shadow(board).activeElement?.matches('textarea[name=message]'), 'focus did not move to the message');
    await sendKeys({ type: 'I have a car' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'Dana 555-0142' });
    await tabTo(board, (el) => el.matches('button[type=submit]') && el.closest('form.respond') !== null);
    const responded = oneEvent(board, 'gather-post');
    await sendKeys({ press: 'Enter' });
    expect((await responded).detail).to.deep.equal({ action: 'respond', postId: requestId, origin: 'local' });
    await asker.settled();
    expect(asker.view.posts[0]!.responses).to.deep.equal([{ author: me.publicKey, message: 'I have a car', accepted: false }]);

    // Accepting a peer's response to my offer.
    const helped = await peer();
    await helped.settled();
    await helped.respond(offer.id, { message: 'Tuesday at 9?', contact: 'Sam sam@example.org' });
    await waitUntil(() => item(board, 'Can drive to appointments')?.querySelector('.message')?.textContent === 'Tuesday at 9?', 'the response did not arrive');
    await tabTo(board, (el) => el.matches('button') && el.textContent!.includes('Accept'));
    const accepted = oneEvent(board, 'gather-post');
    await sendKeys({ press: 'Enter' });
    expect((await accepted).detail.action).to.equal('accept');
    await helped.settled();
    expect(helped.view.posts.find((p) => p.id === offer.id)!.status).to.equal('matched');
    expect(await helped.contact(offer.id)).to.deep.equal([{ author: me.publicKey, contact: 'Dana 555-0142' }]);
    expect(await board.contact(offer.id)).to.deep.equal([{ author: helped.signer!.publicKey, contact: 'Sam sam@example.org' }]);

    // The poster shows the contact by keyboard; focus stays on the toggle.
    await tabTo(board, (el) => el.matches('button[aria-expanded]') && el.closest('li')?.querySelector('h3')?.textContent === 'Can drive to appointments');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => item(board, 'Can drive to appointments')?.querySelector('.contact-text')?.textContent === 'Sam sam@example.org', 'the contact was not shown');
    await expect(board).to.be.accessible();
    done();
  });

  it('lets an organizer hide a post with a reason that everyone sees, and shows it as hidden', async () => {
    const { board, peer, done } = await mountBoard({ organizer: true });
    const other = await peer();
    const id = await other.post(request({ title: '12 Elm St, flat 3' }));
    await waitUntil(() => item(board, '12 Elm St, flat 3'), 'the post did not arrive');
    buttonNamed(item(board, '12 Elm St, flat 3')!, 'Hide')!.click();
    await board.updateComplete;
    await waitUntil(() => shadow(board).activeElement?.matches('input[name=reason]'), 'focus did not move to the reason');
    await sendKeys({ type: 'Street addresses are not allowed' });
    const hidden = oneEvent(board, 'gather-post');
    await sendKeys({ press: 'Enter' });
    expect((await hidden).detail).to.deep.equal({ action: 'hide', postId: id, origin: 'local' });
    await other.settled();
    expect(other.view.posts[0]!.hidden).to.equal('Street addresses are not allowed');
    await board.updateComplete;
    expect(titles(board)).to.deep.equal(['Hidden by organizers: Street addresses are not allowed']);
    expect(shadow(board).textContent).to.not.contain('12 Elm St');
    await expect(board).to.be.accessible();
    done();
  });

  it('renders only what is on screen on a large board, and filters it', async () => {
    const { board, peer, done } = await mountBoard();
    const others = await Promise.all([peer(), peer(), peer(), peer(), peer()]);
    // Written straight into the document (the limits allow 10 open posts per author).
    for (let i = 0; i < 50; i++) await others[i % 5]!.post(request({ title: `Post ${i}`, category: i % 2 ? 'food' : 'rides', kind: i % 3 ? 'offer' : 'request' }));
    const more = await Promise.all(Array.from({ length: 15 }, () => peer()));
    for (let i = 0; i < 150; i++) await more[i % 15]!.post(request({ title: `More ${i}`, category: 'other' }));
    await waitUntil(() => board.view!.posts.length === 200, `${board.view!.posts.length} posts arrived`, { timeout: 10_000 });
    await waitUntil(() => shadow(board).querySelector('ul.posts.windowed'), 'the list was not windowed');
    await waitUntil(() => shadow(board).querySelectorAll('li.post').length > 0, 'nothing rendered');
    const rendered = shadow(board).querySelectorAll('li.post').length;
    expect(rendered, `${rendered} of 200 posts in the page`).to.be.below(60);
    expect(shadow(board).querySelector('li.post')!.getAttribute('aria-setsize')).to.equal('200');
    const category = shadow(board).querySelector<HTMLSelectElement>('form.filters select[name=category]')!;
    category.value = 'rides';
    category.dispatchEvent(new Event('change', { bubbles: true }));
    await board.updateComplete;
    expect(shadow(board).querySelector('ul.posts.windowed'), '25 posts: plain list').to.equal(null);
    expect(titles(board)).to.have.length(25);
    expect(titles(board).every((t) => t.startsWith('Post '))).to.be.true;
    await expect(board).to.be.accessible();
    done();
  });

  it('speaks Spanish from the nearest lang, and says plainly who can read a contact', async () => {
    const { board, done } = await mountBoard({ lang: 'es' });
    const root = shadow(board);
    expect(root.querySelector('summary')!.textContent).to.equal('Publicar una oferta o una petición');
    expect(root.querySelector('#post-privacy')!.textContent).to.contain('hasta que aceptes la respuesta de alguien');
    expect(root.querySelector('.empty')!.textContent).to.contain('Todavía no hay publicaciones');
    done();
  });
});
