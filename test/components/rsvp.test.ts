// The example widget: the base suite every widget inherits, then what is its own.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../../components/index.js';
import '../../components/rsvp/define.js';
import type { GatherRsvp } from '../../components/rsvp/rsvp.js';
import { createSigner } from '../../src/identity/keys.js';
import { RsvpModel, type RsvpView } from '../../src/models/rsvp.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../../src/room/options.js';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';
import { runWidgetBaseTests } from './widget-base.js';

const radios = (rsvp: GatherRsvp) => [...rsvp.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type=radio]')];
const summary = (rsvp: GatherRsvp) => rsvp.shadowRoot!.querySelector('.summary')!.textContent!.replace(/\s+/g, ' ').trim();

runWidgetBaseTests<GatherRsvp>({
  tag: 'gather-rsvp',
  render: ({ name, room, organizer, text }) =>
    html`<gather-rsvp name=${ifDefined(name)} room=${ifDefined(room)} organizer=${ifDefined(organizer)} event=${text ?? 'the assembly'}></gather-rsvp>`,
  act: async (rsvp) => {
    const changed = oneEvent(rsvp, 'gather-change');
    radios(rsvp)[0]!.click();
    await changed;
  },
  mine: (view) => (view as RsvpView).mine !== null,
  reconfigure: (rsvp) => (rsvp.event = 'the picnic'),
  reconfigured: (view) => (view as RsvpView).event === 'the picnic',
});

describe('<gather-rsvp>', () => {
  failOnLitWarnings();

  it('answers with the keyboard, counts a peer\'s answer, and lets an organizer close the replies', async () => {
    const network = new MemoryNetwork();
    const me = await createSigner();
    const wrapper = await fixture<HTMLElement>(html`
      <gather-room room="rsvp" .source=${network.source()} .signer=${Promise.resolve(me)}>
        <gather-rsvp name="dec" event="the December assembly" organizer=${me.publicKey}></gather-rsvp>
      </gather-room>
    `);
    const rsvp = wrapper.querySelector('gather-rsvp')!;
    await rsvp.ready;
    await rsvp.updateComplete;
    expect(rsvp.shadowRoot!.querySelector('legend')!.textContent).to.equal('Are you coming to the December assembly?');
    expect(radios(rsvp).map((r) => r.labels![0]!.textContent!.trim())).to.deep.equal(['Going', 'Maybe', 'Not going']);

    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'ArrowRight' }); // moves to Maybe and selects it: answered at once
    await waitUntil(() => rsvp.view?.mine === 'maybe', 'the keyboard answer was not saved');

    const peerSource = network.source();
    const peer = new RsvpModel(peerSource.acquire('rsvp', DEFAULT_ROOM_OPTIONS).doc, 'dec', { event: '' }, await createSigner(), { organizers: [me.publicKey], room: 'rsvp' });
    await peer.reply('yes');
    await waitUntil(() => summary(rsvp) === '1 going · 1 maybe · 0 not going', `summary "${summary(rsvp)}"`);

    const close = [...rsvp.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Close replies')!;
    close.click();
    await waitUntil(() => rsvp.view?.closed, 'never closed');
    await rsvp.updateComplete;
    expect(summary(rsvp)).to.equal('1 going · 1 maybe · 0 not going · Replies are closed.');
    expect(rsvp.shadowRoot!.querySelector('fieldset')!.disabled, 'no answering once closed').to.be.true;
    await peer.settled();
    expect(peer.view.closed, 'the peer sees it closed').to.be.true;
    await expect(rsvp).to.be.accessible();
    peer.destroy();
  });

  it('shows no organizer button to someone the page does not name', async () => {
    const network = new MemoryNetwork();
    const wrapper = await fixture<HTMLElement>(html`
      <gather-room room="rsvp2" .source=${network.source()} .signer=${createSigner()}>
        <gather-rsvp name="dec" event="the assembly" organizer="someone-else"></gather-rsvp>
      </gather-room>
    `);
    const rsvp = wrapper.querySelector('gather-rsvp')!;
    await rsvp.ready;
    await rsvp.updateComplete;
    expect(rsvp.shadowRoot!.querySelectorAll('button').length).to.equal(0);
  });
});
