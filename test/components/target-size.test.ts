// Every control a visitor clicks or taps, in every widget, is a target of at least 24 × 24 CSS px
// (WCAG 2.2, 2.5.8), and of 44 × 44 on a touch screen (`pointer: coarse`, emulated through CDP):
// buttons, links, summaries, fields, selects, and the labels that are a checkbox's or a radio's
// target. Measured on the page's default root font and on a theme's small one (62.5%, 10px: rem
// sizes shrink with it).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import '../../components/index.js';
import { createSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';

const START = '2099-12-05T09:00-05:00';
const END = '2099-12-05T11:00-05:00';

type Widget = HTMLElement & { ready: Promise<void>; updateComplete: Promise<boolean>; requestUpdate(): void };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the widget's own model, to act as its visitor
const modelOf = (widget: Element) => (widget as unknown as { model: { value: any } }).model.value;

/** Each widget in a state that shows its controls: what it renders, and what its visitor does first. */
const WIDGETS: Record<string, { render: () => TemplateResult; act?: (widget: Widget, signer: Signer) => Promise<void> }> = {
  'gather-poll': {
    render: () => html`<gather-poll name="day" question="Which evening?"><option value="tue">Tuesday</option><option value="thu">Thursday</option></gather-poll>`,
  },
  'gather-poll (ranked, with reasons)': {
    render: () =>
      html`<gather-poll name="rank" kind="ranked" reasons question="Which order?"><option value="a">A</option><option value="b">B</option><option value="c">C</option></gather-poll>`,
  },
  'gather-signup': {
    render: () =>
      html`<gather-signup name="drive" title="Drive"
        ><gather-slot name="pickup" capacity="2" start=${START} end=${END} location="Church hall">Drivers</gather-slot
        ><gather-slot name="sorting">Sorting</gather-slot></gather-signup
      >`,
    // Signed up: the slot shows "Withdraw" and the "Add to calendar" link.
    act: (widget) => modelOf(widget).join('pickup', { name: 'Ana' }),
  },
  'gather-aid-board': {
    render: () => html`<gather-aid-board name="aid" categories="food, rides" areas="north, south"></gather-aid-board>`,
    act: async (widget) => {
      await modelOf(widget).post({ kind: 'offer', title: 'Soup', category: 'food', contact: 'ana@example.org' });
      // The new post's form, open.
      widget.shadowRoot!.querySelector('details')?.setAttribute('open', '');
    },
  },
  'gather-thread': {
    render: () => html`<gather-thread name="talk" topic="Rent strike"></gather-thread>`,
    act: async (widget) => {
      const model = modelOf(widget);
      await model.comment('Who is in?', { name: 'Ana' });
      const id = await model.propose('Withhold rent', { name: 'Ana' });
      await model.stance(id, { stance: 'agree', reason: 'It is time.' });
    },
  },
  'gather-organizer': {
    render: () => html`<gather-organizer></gather-organizer>`,
    // An organizer (its own key named): the invites, members and password sections.
    act: async (widget, signer) => {
      widget.setAttribute('organizer', signer.publicKey);
      await waitUntil(() => widget.shadowRoot!.querySelector('select') !== null, 'the organizer sections never showed');
    },
  },
};

/** What a visitor can click or tap in `root`, with the box that takes the click: a checkbox's or radio's label, else itself. */
function targets(root: ShadowRoot): { name: string; box: DOMRect }[] {
  const found = [...root.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')];
  return found
    .filter((control) => control.checkVisibility() && !control.closest('.visually-hidden'))
    .map((control) => {
      const hit = control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio') ? (control.closest('label') ?? control) : control;
      const name = `${control.localName}${control.getAttribute('type') ? `[type=${control.getAttribute('type')}]` : ''} "${(control.getAttribute('aria-label') ?? hit.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
      return { name, box: hit.getBoundingClientRect() };
    });
}

/** The targets smaller than `min` × `min` (half a pixel of rounding allowed). */
const tooSmall = (root: ShadowRoot, min: number) =>
  targets(root)
    .filter(({ box }) => box.width < min - 0.5 || box.height < min - 0.5)
    .map(({ name, box }) => `${name}: ${box.width.toFixed(1)} × ${box.height.toFixed(1)}`);

async function mount(key: string): Promise<Widget> {
  const signer = await createSigner();
  const wrapper = await fixture<HTMLElement>(
    html`<gather-room room=${`targets-${Math.random()}`} .source=${new MemoryNetwork().source()} .signer=${Promise.resolve(signer)}>${WIDGETS[key]!.render()}</gather-room>`,
  );
  const widget = wrapper.querySelector(key.split(' ')[0]!) as Widget;
  await widget.ready;
  await WIDGETS[key]!.act?.(widget, signer);
  widget.requestUpdate();
  await widget.updateComplete;
  return widget;
}

const settle = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

describe('target sizes', () => {
  failOnLitWarnings();

  afterEach(async () => {
    await executeServerCommand('emulate-touch', { enabled: false });
    document.documentElement.style.fontSize = '';
  });

  it('the emulated touch screen is a coarse pointer (what the 44 px rule keys on)', async () => {
    expect(matchMedia('(pointer: coarse)').matches).to.equal(false);
    await executeServerCommand('emulate-touch', { enabled: true });
    expect(matchMedia('(pointer: coarse)').matches).to.equal(true);
  });

  for (const key of Object.keys(WIDGETS)) {
    it(`<${key}>: every control at least 24 × 24 px, and 44 × 44 px on a touch screen`, async () => {
      const widget = await mount(key);
      const root = widget.shadowRoot!;
      expect(targets(root).length, 'controls found').to.be.greaterThan(1);
      for (const rootFont of ['', '62.5%']) {
        document.documentElement.style.fontSize = rootFont;
        await executeServerCommand('emulate-touch', { enabled: false });
        await settle();
        expect(tooSmall(root, 24), `mouse, root font ${rootFont || 'default'}`).to.deep.equal([]);
        await executeServerCommand('emulate-touch', { enabled: true });
        await settle();
        expect(tooSmall(root, 44), `touch, root font ${rootFont || 'default'}`).to.deep.equal([]);
      }
    });
  }
});
