// A poll with a long option list stays usable on a narrow phone: 40 options with long labels (one
// an unbroken URL) reflow at 320 CSS pixels with nothing wider than the page, and the radio group
// is one Tab stop whose arrow keys reach every option, each scrolled into view as it is focused.
// The list is deliberately not a scroll box of its own (see poll.styles.ts).
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../components/index.js';
import type { GatherPoll } from '../../components/poll/poll.js';
import { createSigner } from '../../src/identity/keys.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';

const LABELS = [
  'the community garden behind the library if the city renews the lease for another season',
  'a potluck in the church hall with childcare in the side room and a ramp at the back door',
  'https://example.org/a-very-long-address-for-the-online-meeting-room-that-never-breaks-by-itself',
  'Donaudampfschifffahrtsgesellschaftskapitänsmützenausstellungsraum',
];
const OPTIONS = Array.from({ length: 40 }, (_, i) => ({ id: `o${i + 1}`, label: `Option ${i + 1}: ${LABELS[i % LABELS.length]}` }));

describe('<gather-poll> with a long option list', () => {
  failOnLitWarnings();

  before(() => setViewport({ width: 320, height: 640 }));
  after(() => setViewport({ width: 800, height: 600 }));

  async function mount(): Promise<GatherPoll> {
    const element = await fixture<HTMLElement>(html`
      <div>
        <button type="button">Before the poll</button>
        <gather-room room="long-list" .source=${new MemoryNetwork().source()} .signer=${createSigner()}>
          <gather-poll name="venue" question="Where should the December assembly meet?" results="always">
            ${OPTIONS.map((option) => html`<option value=${option.id}>${option.label}</option>`)}
          </gather-poll>
        </gather-room>
      </div>
    `);
    const poll = element.querySelector('gather-poll') as GatherPoll;
    await poll.ready;
    await poll.updateComplete;
    return poll;
  }

  it('reflows at 320px wide: no horizontal overflow of the page or of the poll', async () => {
    const poll = await mount();
    const shadow = poll.shadowRoot!;
    expect(shadow.querySelectorAll('input[type=radio]').length).to.equal(40);
    expect(document.documentElement.scrollWidth, 'the page scrolls sideways').to.be.at.most(320);
    const base = shadow.querySelector<HTMLElement>('[part~=base]')!;
    expect(base.scrollWidth, 'the poll is wider than its box').to.be.at.most(base.clientWidth);
    const right = poll.getBoundingClientRect().right;
    for (const element of shadow.querySelectorAll<HTMLElement>('[part~=option], [part~=result], .results li')) {
      const box = element.getBoundingClientRect();
      expect(box.right, `${element.textContent!.trim().slice(0, 30)}… sticks out`).to.be.at.most(right + 0.5);
    }
    // Every radio keeps its size (1.25rem) beside a long label: it does not shrink to make room.
    for (const radio of shadow.querySelectorAll<HTMLInputElement>('input[type=radio]')) expect(radio.getBoundingClientRect().width).to.be.closeTo(20, 0.5);
    // The list is in the page's flow, not a box that scrolls inside the page.
    const fieldset = shadow.querySelector('fieldset')!;
    expect(fieldset.scrollHeight).to.be.at.most(fieldset.clientHeight + 1);
    await expect(poll).to.be.accessible();
  });

  it('reaches every option from the keyboard: one Tab into the group, then the arrow keys, each in view', async () => {
    const poll = await mount();
    const shadow = poll.shadowRoot!;
    const radios = [...shadow.querySelectorAll<HTMLInputElement>('input[type=radio]')];
    (poll.parentElement!.previousElementSibling as HTMLElement).focus();
    await sendKeys({ press: 'Tab' });
    expect(shadow.activeElement, 'Tab lands on the first option').to.equal(radios[0]);
    for (let i = 1; i < radios.length; i++) {
      await sendKeys({ press: 'ArrowDown' });
      expect(shadow.activeElement, `ArrowDown reaches option ${i + 1}`).to.equal(radios[i]);
      expect(radios[i]!.checked).to.be.true;
      const box = radios[i]!.getBoundingClientRect();
      expect(box.top >= 0 && box.bottom <= window.innerHeight, `option ${i + 1} is scrolled into view`).to.be.true;
    }
    // One Tab stop: the next Tab leaves the group for the reason field, and Shift+Tab comes back to the chosen option.
    await sendKeys({ press: 'Tab' });
    expect(shadow.activeElement?.matches('textarea[name=reason]')).to.be.true;
    await sendKeys({ press: 'Shift+Tab' });
    expect(shadow.activeElement).to.equal(radios[39]);
  });
});
