// <gather-signup>: the base suite every widget inherits, then the sheet's own: keyboard signup and
// withdraw, the waitlist and a promotion from a peer, organizers, open sheets, calendar, axe.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../../components/index.js';
import '../../components/signup/define.js';
import type { GatherSignup } from '../../components/signup/signup.js';
import type { GatherSignupChangeDetail } from '../../components/signup/signup-change-event.js';
import { DISPLAY_NAME_KEY, setDisplayName } from '../../src/identity/display-name.js';
import { createSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';
import { SignupModel, type SignupView } from '../../src/models/signup.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../../src/room/options.js';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';
import { runWidgetBaseTests } from './widget-base.js';

const START = '2099-12-05T09:00-05:00';
const END = '2099-12-05T11:00-05:00';
const shadow = (signup: GatherSignup) => signup.shadowRoot!;
const slotItem = (signup: GatherSignup, name: string) => shadow(signup).querySelector<HTMLElement>(`li[data-slot="${name}"]`)!;
const text = (element: Element | null) => (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
const focused = (signup: GatherSignup) => shadow(signup).activeElement as HTMLElement | null;
const button = (signup: GatherSignup, slot: string, name: string) =>
  [...slotItem(signup, slot).querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? text(b)) === name) ?? null;

/** Signs up through the UI: Sign up, the name, submit. */
async function signUpByClicking(signup: GatherSignup, slot: string, name: string, note = '') {
  slotItem(signup, slot).querySelector<HTMLButtonElement>('button.join')!.click();
  await signup.updateComplete;
  const form = slotItem(signup, slot).querySelector('form')!;
  form.querySelector<HTMLInputElement>('input[name=name]')!.value = name;
  form.querySelector<HTMLInputElement>('input[name=note]')!.value = note;
  form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
}

// No remembered name at the start of each test (setDisplayName also clears the page's in-memory copy).
beforeEach(() => setDisplayName(''));

runWidgetBaseTests<GatherSignup>({
  tag: 'gather-signup',
  render: ({ name, room, organizer, text }) => html`
    <gather-signup name=${ifDefined(name)} room=${ifDefined(room)} organizer=${ifDefined(organizer)} title=${text ?? 'Saturday food drive'}>
      <gather-slot name="pickup" capacity="2">Pick-up drivers</gather-slot>
    </gather-signup>
  `,
  act: async (signup) => {
    const changed = oneEvent(signup, 'gather-change');
    await signUpByClicking(signup, 'pickup', 'Ana');
    await changed;
  },
  mine: (view) => Object.keys((view as SignupView).mine).length > 0,
  reconfigure: (signup) => (signup.title = 'Sunday food drive'),
  reconfigured: (view) => (view as SignupView).title === 'Sunday food drive',
});

interface Mounted {
  signup: GatherSignup;
  network: MemoryNetwork;
  me: Signer;
  room: string;
  /** A peer's model in the same room. */
  peer(signer?: Signer, organizers?: string[]): Promise<SignupModel>;
}

let rooms = 0;

async function mount(slots = html`<gather-slot name="pickup" capacity="1" start=${START} end=${END} location="Church hall">Pick-up drivers</gather-slot>`, attributes: { organizer?: string; open?: boolean; showNames?: string; me?: Signer } = {}): Promise<Mounted> {
  const network = new MemoryNetwork();
  const me = attributes.me ?? (await createSigner());
  const room = `signup-${++rooms}`;
  const wrapper = await fixture<HTMLElement>(html`
    <gather-room room=${room} .source=${network.source()} .signer=${Promise.resolve(me)}>
      <gather-signup name="food" title="Saturday food drive" organizer=${ifDefined(attributes.organizer)} ?open=${attributes.open ?? false} show-names=${ifDefined(attributes.showNames)}>${slots}</gather-signup>
    </gather-room>
  `);
  const signup = wrapper.querySelector('gather-signup')!;
  await signup.ready;
  await signup.updateComplete;
  const peers: SignupModel[] = [];
  after(() => peers.forEach((p) => p.destroy()));
  return {
    signup,
    network,
    me,
    room,
    peer: async (signer, organizers = []) => {
      const config = { title: '', slots: signup.export()!.config.slots, open: attributes.open ?? false };
      const model = new SignupModel(network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc, 'food', config, signer ?? (await createSigner()), { organizers, room });
      peers.push(model);
      return model;
    },
  };
}

describe('<gather-signup>', () => {
  failOnLitWarnings();

  it('shows each slot: label, time (zone named when it differs), place, places taken and left, a Sign up button naming the slot', async () => {
    const { signup } = await mount(html`
      <gather-slot name="pickup" capacity="4" start=${START} end=${END} location="Church hall">Pick-up drivers</gather-slot>
      <gather-slot name="sorting">Sorting and packing</gather-slot>
    `);
    expect(text(shadow(signup).querySelector('[part=header]'))).to.equal('Saturday food drive');
    const pickup = slotItem(signup, 'pickup');
    expect(text(pickup.querySelector('.label'))).to.equal('Pick-up drivers');
    expect(text(pickup.querySelector('.where'))).to.equal('Church hall');
    expect(text(pickup.querySelector('.places'))).to.equal('0 of 4 places taken · 4 left');
    expect(text(slotItem(signup, 'sorting').querySelector('.places'))).to.equal('0 signed up');
    const ms = Date.parse(START);
    const when = text(pickup.querySelector('.when'));
    expect(pickup.querySelector('time')!.getAttribute('datetime')).to.equal(START);
    expect(when).to.contain('Dec');
    const viewerZone = new Intl.DateTimeFormat('en', { timeZoneName: 'short' }).formatToParts(ms).find((p) => p.type === 'timeZoneName')!.value;
    if (new Date(ms).getTimezoneOffset() !== 300) expect(when, 'the viewer is elsewhere: the zone is named').to.contain(viewerZone);
    // The same time written in the viewer's own offset names no zone.
    const offset = -new Date(ms).getTimezoneOffset();
    const own = `2099-12-05T09:00${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
    const local = await mount(html`<gather-slot name="x" start=${own}>Here</gather-slot>`);
    expect(text(slotItem(local.signup, 'x').querySelector('.when'))).to.not.contain(viewerZone);
    expect(button(signup, 'pickup', 'Sign up for Pick-up drivers'), 'the accessible name includes the label').to.not.equal(null);
    expect(text(button(signup, 'pickup', 'Sign up for Pick-up drivers'))).to.equal('Sign up');
    await expect(signup).to.be.accessible();
  });

  it('signs up and withdraws with the keyboard only; focus follows; the name is remembered on this device', async () => {
    const { signup } = await mount();
    const events: GatherSignupChangeDetail[] = [];
    signup.addEventListener('gather-signup-change', (event) => events.push(event.detail));
    await sendKeys({ press: 'Tab' });
    expect(focused(signup)?.getAttribute('aria-label')).to.equal('Sign up for Pick-up drivers');
    await sendKeys({ press: 'Enter' });
    await signup.updateComplete;
    expect(focused(signup)?.getAttribute('name'), 'focus in the name field').to.equal('name');
    await expect(signup).to.be.accessible();
    await sendKeys({ type: 'Ana' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'I have a van' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => signup.view?.mine['pickup']?.state === 'confirmed', 'never confirmed');
    await waitUntil(() => focused(signup)?.classList.contains('withdraw'), 'focus did not move to Withdraw');
    expect(focused(signup)!.getAttribute('aria-label')).to.equal('Withdraw from Pick-up drivers');
    expect(text(slotItem(signup, 'pickup').querySelector('[part=badge]'))).to.equal('You’re confirmed');
    expect(signup.view!.slots[0]!.confirmed[0]!.name).to.equal('Ana');
    expect(text(slotItem(signup, 'pickup').querySelector('.people'))).to.equal('Ana — I have a van');
    expect(text(slotItem(signup, 'pickup').querySelector('.places'))).to.equal('1 of 1 place taken · Full');
    expect(localStorage.getItem(DISPLAY_NAME_KEY)).to.equal('Ana');
    expect(signup.hasState('signed-up')).to.be.true;
    expect(events).to.deep.equal([{ slot: 'pickup', state: 'confirmed', position: 1, origin: 'local' }]);
    await expect(signup).to.be.accessible();

    await sendKeys({ press: 'Enter' });
    await waitUntil(() => signup.view?.mine['pickup'] === undefined, 'never withdrew');
    await waitUntil(() => focused(signup)?.classList.contains('join'), 'focus did not go back to Sign up');
    expect(events.at(-1)).to.deep.equal({ slot: 'pickup', state: null, position: null, origin: 'local' });

    // Next time the remembered name is already there; Escape cancels.
    await sendKeys({ press: 'Enter' });
    await signup.updateComplete;
    expect((focused(signup) as HTMLInputElement).value).to.equal('Ana');
    await sendKeys({ press: 'Escape' });
    await signup.updateComplete;
    expect(focused(signup)?.classList.contains('join')).to.be.true;
  });

  it('takes its title from a child slot="title" element as text when it has no title attribute, the attribute winning', async () => {
    const network = new MemoryNetwork();
    const wrapper = await fixture<HTMLElement>(html`
      <gather-room room="signup-title-child" .source=${network.source()} .signer=${createSigner()}>
        <gather-signup name="child"><h2 slot="title">Saturday <i>food</i> drive</h2><gather-slot name="pickup">Pick-up drivers</gather-slot></gather-signup>
        <gather-signup name="both" title="From the attribute"><h2 slot="title">From the child</h2><gather-slot name="pickup">Pick-up drivers</gather-slot></gather-signup>
      </gather-room>
    `);
    const [child, both] = [...wrapper.querySelectorAll('gather-signup')] as GatherSignup[];
    await Promise.all([child!.ready, both!.ready]);
    await Promise.all([child!.updateComplete, both!.updateComplete]);
    const heading = (signup: GatherSignup) => signup.shadowRoot!.querySelector('[part~=header]')!;
    expect(child!.view!.title).to.equal('Saturday food drive');
    expect(heading(child!).textContent!.trim()).to.equal('Saturday food drive');
    expect(heading(child!).querySelector('i')).to.equal(null);
    expect(child!.view!.slots.map((slot) => slot.label)).to.deep.equal(['Pick-up drivers']);
    expect(both!.view!.title).to.equal('From the attribute');
    child!.querySelector('h2')!.textContent = 'Sunday food drive';
    await waitUntil(() => child!.view?.title === 'Sunday food drive', 'the edited title was not read');
    await expect(child!).to.be.accessible();
  });

  it('refuses an empty name in words, next to the field', async () => {
    const { signup } = await mount();
    await signUpByClicking(signup, 'pickup', '   ');
    await signup.updateComplete;
    expect(text(slotItem(signup, 'pickup').querySelector('[role=alert]'))).to.equal('Enter your name to sign up.');
    expect(focused(signup)?.getAttribute('name')).to.equal('name');
    expect(signup.view!.mine).to.deep.equal({});
    await expect(signup).to.be.accessible();
  });

  it('waitlists past capacity with the position shown; a peer\'s withdrawal promotes, announced and as an event', async () => {
    const { signup, peer } = await mount();
    const first = await peer();
    await first.join('pickup', { name: 'Bo' });
    await waitUntil(() => signup.view?.slots[0]!.confirmed.length === 1, 'the peer\'s signup never arrived');
    await signup.updateComplete;
    expect(text(button(signup, 'pickup', 'Join the waitlist for Pick-up drivers')), 'a full slot offers the waitlist').to.equal('Join the waitlist');
    const events: GatherSignupChangeDetail[] = [];
    signup.addEventListener('gather-signup-change', (event) => events.push(event.detail));
    await signup.join('pickup', { name: 'Ana' });
    await signup.updateComplete;
    expect(signup.view!.mine['pickup']).to.deep.equal({ state: 'waitlisted', position: 1 });
    expect(text(slotItem(signup, 'pickup').querySelector('[part=badge]'))).to.equal('You’re number 1 on the waitlist');
    expect(text(slotItem(signup, 'pickup').querySelector('.places'))).to.equal('1 of 1 place taken · Full · 1 on the waitlist');
    expect(text(slotItem(signup, 'pickup').querySelector('ol.waitlist'))).to.equal('Ana');
    await expect(signup).to.be.accessible();

    await first.leave('pickup');
    await waitUntil(() => signup.view?.mine['pickup']?.state === 'confirmed', 'never promoted');
    expect(events).to.deep.equal([
      { slot: 'pickup', state: 'waitlisted', position: 1, origin: 'local' },
      { slot: 'pickup', state: 'confirmed', position: 1, origin: 'remote' },
    ]);
    const live = shadow(signup).querySelector('[aria-live=polite]')!;
    await waitUntil(() => text(live) === 'A place freed up: you’re now confirmed for Pick-up drivers.', `live region "${text(live)}"`, { timeout: 5000 });
    await expect(signup).to.be.accessible();
  });

  it('tells nothing while loading what this visitor had already done', async () => {
    const me = await createSigner();
    const network = new MemoryNetwork();
    const earlier = new SignupModel(network.source().acquire('signup-load', DEFAULT_ROOM_OPTIONS).doc, 'food', { title: '', slots: [{ name: 'pickup', label: 'P', capacity: 1, start: null, end: null, location: null }] }, me, { room: 'signup-load' });
    await earlier.join('pickup', { name: 'Ana' });
    const events: unknown[] = [];
    const wrapper = await fixture<HTMLElement>(html`
      <gather-room room="signup-load" .source=${network.source()} .signer=${Promise.resolve(me)} @gather-signup-change=${(e: Event) => events.push(e)}>
        <gather-signup name="food"><gather-slot name="pickup" capacity="1">Pick-up drivers</gather-slot></gather-signup>
      </gather-room>
    `);
    const signup = wrapper.querySelector('gather-signup')!;
    await signup.ready;
    await signup.updateComplete;
    expect(signup.view!.mine['pickup']?.state).to.equal('confirmed');
    expect(events).to.have.length(0);
    earlier.destroy();
  });

  it('reads the stored sheet while this visitor\'s key loads, offers signing up once it has, and tells nothing of what they had done', async () => {
    const me = await createSigner();
    const network = new MemoryNetwork();
    const config = { title: '', slots: [{ name: 'pickup', label: 'P', capacity: 3, start: null, end: null, location: null }] };
    const doc = network.source().acquire('signup-key', DEFAULT_ROOM_OPTIONS).doc;
    const earlier = new SignupModel(doc, 'food', config, me, { room: 'signup-key' });
    const other = new SignupModel(doc, 'food', config, await createSigner(), { room: 'signup-key' });
    await earlier.join('pickup', { name: 'Ana' });
    await other.join('pickup', { name: 'Bo' });
    let giveKey!: (signer: Signer) => void;
    const key = new Promise<Signer>((resolve) => (giveKey = resolve));
    const events: unknown[] = [];
    const wrapper = await fixture<HTMLElement>(html`
      <gather-room room="signup-key" .source=${network.source()} .signer=${key} @gather-signup-change=${(e: Event) => events.push(e)}>
        <gather-signup name="food"><gather-slot name="pickup" capacity="3">Pick-up drivers</gather-slot></gather-signup>
      </gather-room>
    `);
    const signup = wrapper.querySelector('gather-signup')!;
    let ready = false;
    void signup.ready.then(() => (ready = true));
    // The key has not loaded: the sheet is read and checked all the same, with nothing to sign with.
    await waitUntil(() => signup.view?.slots[0]?.confirmed.length === 2, 'both signups counted before the key loads');
    await signup.updateComplete;
    expect(signup.view!.mine).to.deep.equal({});
    expect(slotItem(signup, 'pickup').querySelector('button.join'), 'no Sign up without a key').to.equal(null);
    expect(ready, 'ready waits for the key').to.equal(false);
    giveKey(me);
    await signup.ready;
    await signup.updateComplete;
    expect(signup.view!.mine['pickup']?.state).to.equal('confirmed');
    expect(button(signup, 'pickup', 'Withdraw from Pick-up drivers')).to.not.equal(null);
    expect(events, 'what this visitor had done is not news').to.have.length(0);
    await signup.leave('pickup');
    await waitUntil(() => events.length === 1);
    expect(signup.view!.slots[0]!.confirmed.map((p) => p.name)).to.deep.equal(['Bo']);
    earlier.destroy();
    other.destroy();
  });

  it('an organizer removes a signup and closes a slot; someone else sees no such buttons', async () => {
    const me = await createSigner();
    const { signup, peer } = await mount(undefined, { organizer: me.publicKey, me });
    const bo = await peer(undefined, [me.publicKey]);
    await bo.join('pickup', { name: 'Bo' });
    await waitUntil(() => signup.view?.slots[0]!.confirmed.length === 1, 'Bo never arrived');
    await signup.updateComplete;
    await expect(signup).to.be.accessible();
    button(signup, 'pickup', 'Remove Bo from Pick-up drivers')!.click();
    await waitUntil(() => signup.view?.slots[0]!.confirmed.length === 0, 'never removed');
    await bo.settled();
    expect(bo.view.mine['pickup'], 'removed on the peer too').to.equal(undefined);
    await signup.updateComplete;
    button(signup, 'pickup', 'Close Pick-up drivers')!.click();
    await waitUntil(() => signup.view?.slots[0]!.closed, 'never closed');
    await signup.updateComplete;
    expect(text(slotItem(signup, 'pickup').querySelector('.closed-note'))).to.equal('Closed');
    expect(slotItem(signup, 'pickup').querySelector('button.join'), 'no signing up once closed').to.equal(null);
    await expect(signup).to.be.accessible();
    expect(shadow(signup).querySelector('button.csv')).to.not.equal(null);
    expect(signup.exportCsv()!.split('\r\n')[0]).to.equal('slot,label,start,end,location,state,position,name,note,signer,signed_at');

    const other = await mount(undefined, { organizer: me.publicKey });
    expect(shadow(other.signup).querySelectorAll('button.remove, button.close, button.csv')).to.have.length(0);
  });

  it('a slot closed by an organizer elsewhere: the open form gives way to "Closed", and join() rejects with closed', async () => {
    const organizer = await createSigner();
    const { signup, peer } = await mount(undefined, { organizer: organizer.publicKey });
    slotItem(signup, 'pickup').querySelector<HTMLButtonElement>('button.join')!.click();
    await signup.updateComplete;
    expect(slotItem(signup, 'pickup').querySelector('form')).to.not.equal(null);
    await (await peer(organizer, [organizer.publicKey])).close('pickup');
    await waitUntil(() => signup.view?.slots[0]!.closed, 'never closed');
    await signup.updateComplete;
    expect(slotItem(signup, 'pickup').querySelector('form')).to.equal(null);
    expect(text(slotItem(signup, 'pickup').querySelector('.closed-note'))).to.equal('Closed');
    let code = '';
    await signup.join('pickup', { name: 'Ana' }).catch((error: { code: string }) => (code = error.code));
    expect(code).to.equal('closed');
    await expect(signup).to.be.accessible();
  });

  it("a visitor's lists follow the room: a peer who joins, a changed note, a withdrawal; names and notes stay text", async () => {
    const { signup, peer } = await mount(html`<gather-slot name="pickup" capacity="1">Pick-up drivers</gather-slot>`);
    const [ana, bo] = [await peer(), await peer()];
    const rows = (selector: string) => [...slotItem(signup, 'pickup').querySelectorAll(`${selector} li`)].map((li) => text(li));
    await ana.join('pickup', { name: 'Ana' });
    await waitUntil(() => rows('.people').length === 1, 'Ana never shown');
    await bo.join('pickup', { name: '<b>Bo</b>', note: 'a <i>van</i>' });
    await waitUntil(() => rows('.waitlist').length === 1, 'Bo never waitlisted');
    expect(rows('ul.people')).to.deep.equal(['Ana']);
    expect(rows('.waitlist')).to.deep.equal(['<b>Bo</b> — a <i>van</i>']);
    expect(slotItem(signup, 'pickup').querySelector('.people b, .people i'), 'markup in a name or note is not rendered').to.equal(null);
    await bo.join('pickup', { name: '<b>Bo</b>', note: 'a truck' });
    await waitUntil(() => rows('.waitlist')[0] === '<b>Bo</b> — a truck', 'the new note never shown');
    await ana.leave('pickup');
    await waitUntil(() => rows('ul.people')[0] === '<b>Bo</b> — a truck', 'Bo never moved up');
    expect(rows('.waitlist')).to.deep.equal([]);
    await expect(signup).to.be.accessible();
  });

  it('without show-names: counts only', async () => {
    const { signup, peer } = await mount(undefined, { showNames: 'false' });
    await (await peer()).join('pickup', { name: 'Bo' });
    await waitUntil(() => signup.view?.slots[0]!.confirmed.length === 1, 'never arrived');
    await signup.updateComplete;
    expect(signup.view!.slots[0]!.confirmed).to.deep.equal([{ author: signup.view!.slots[0]!.confirmed[0]!.author }]);
    expect(slotItem(signup, 'pickup').querySelector('.people')).to.equal(null);
    expect(text(slotItem(signup, 'pickup').querySelector('.places'))).to.equal('1 of 1 place taken · Full');
  });

  it('offers the slot as a calendar file once joined', async () => {
    const { signup } = await mount();
    expect(slotItem(signup, 'pickup').querySelector('a[download]')).to.equal(null);
    await signup.join('pickup', { name: 'Ana' });
    await signup.updateComplete;
    const link = slotItem(signup, 'pickup').querySelector<HTMLAnchorElement>('a[download]')!;
    expect(link.getAttribute('aria-label')).to.equal('Add to calendar: Pick-up drivers');
    expect(link.download).to.equal('pickup.ics');
    const ics = decodeURIComponent(link.href.replace(/^data:text\/calendar;charset=utf-8,/, ''));
    const lines = ics.replace(/\r\n /g, '').split('\r\n');
    expect(lines).to.include.members(['DTSTART:20991205T140000Z', 'DTEND:20991205T160000Z', 'SUMMARY:Saturday food drive: Pick-up drivers', 'LOCATION:Church hall']);
  });

  it('an open sheet: a visitor adds a slot, others join it, its author removes it', async () => {
    const { signup, peer } = await mount(undefined, { open: true });
    shadow(signup).querySelector<HTMLButtonElement>('button.add')!.click();
    await signup.updateComplete;
    expect(focused(signup)?.getAttribute('name')).to.equal('label');
    await expect(signup).to.be.accessible();
    const form = shadow(signup).querySelector<HTMLFormElement>('form.add')!;
    form.querySelector<HTMLInputElement>('[name=label]')!.value = 'I can also bring a car';
    form.querySelector<HTMLInputElement>('[name=capacity]')!.value = '3';
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitUntil(() => signup.view?.slots.length === 2, 'the slot was never added');
    const car = signup.view!.slots[1]!;
    expect([car.label, car.capacity]).to.deep.equal(['I can also bring a car', 3]);
    await signup.updateComplete;
    expect(text(slotItem(signup, car.name).querySelector('.added-by'))).to.equal('Added by a participant');
    const other = await peer();
    await other.settled();
    await other.join(car.name, { name: 'Bo' });
    await waitUntil(() => signup.view?.slots[1]?.confirmed.length === 1, 'Bo never joined the new slot');
    await signup.updateComplete;
    button(signup, car.name, 'Remove the slot I can also bring a car')!.click();
    await waitUntil(() => signup.view?.slots.length === 1, 'never removed');
  });

  it('reads right to left under dir="rtl"; a <gather-slot> on its own reads as a list item', async () => {
    const wrapper = await fixture<HTMLElement>(html`
      <div dir="rtl" lang="es">
        <gather-room room="signup-rtl" .source=${new MemoryNetwork().source()} .signer=${createSigner()}>
          <gather-signup name="food" title="Reparto"><gather-slot name="pickup" capacity="2">Conductores</gather-slot></gather-signup>
        </gather-room>
        <gather-slot>Suelto</gather-slot>
      </div>
    `);
    const signup = wrapper.querySelector('gather-signup')!;
    await signup.ready;
    await signup.updateComplete;
    expect(shadow(signup).querySelector('[part=base]')!.getAttribute('dir')).to.equal('rtl');
    expect(button(signup, 'pickup', 'Apuntarme a Conductores')).to.not.equal(null);
    expect(text(slotItem(signup, 'pickup').querySelector('.places'))).to.equal('0 de 2 plazas ocupadas · quedan 2');
    expect(getComputedStyle(wrapper.querySelector(':scope > gather-slot')!).display).to.equal('list-item');
    await expect(signup).to.be.accessible();
  });

  it('a remembered name set elsewhere on the page fills the form', async () => {
    const { signup } = await mount();
    setDisplayName('Rosa');
    slotItem(signup, 'pickup').querySelector<HTMLButtonElement>('button.join')!.click();
    await signup.updateComplete;
    expect(slotItem(signup, 'pickup').querySelector<HTMLInputElement>('input[name=name]')!.value).to.equal('Rosa');
  });
});
