// Every custom property a component's stylesheet reads is defined (by the shared tokens or the
// component itself), and every one they define is read somewhere: no dangling or dead tokens. The
// public `--gather-*` tokens are never set by a widget, only read (each into a private `--_*`
// variable with its default), so a page may set them on any ancestor; the widgets follow.
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement, type CSSResultOrNative } from 'lit';
import * as embed from '../../components/index.js';
import * as rsvp from '../../components/rsvp/define.js';
import { createSigner } from '../../src/identity/keys.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';

/** Every element class the package exports, and the example widget. */
const COMPONENTS = Object.fromEntries(
  (Object.values({ ...embed, ...rsvp }) as unknown[])
    .filter((value): value is typeof LitElement => typeof value === 'function' && value.prototype instanceof LitElement)
    .map((component) => [component.name, component]),
);

const cssText = (styles: CSSResultOrNative[]) => styles.map((s) => ('cssText' in s ? s.cssText : '')).join('\n');
const matches = (text: string, pattern: RegExp) => new Set([...text.matchAll(pattern)].map((m) => m[1]));

describe('design tokens', () => {
  for (const [tag, component] of Object.entries(COMPONENTS)) {
    it(`${tag} defines every token it reads and reads every token it defines`, () => {
      const text = cssText(component.elementStyles);
      const defined = matches(text, /(--_[\w-]+)\s*:/g);
      const used = matches(text, /var\(\s*(--_[\w-]+)/g);
      expect([...used].filter((token) => !defined.has(token)), 'read but never defined').to.deep.equal([]);
      expect([...defined].filter((token) => !used.has(token)), 'defined but never read').to.deep.equal([]);
      // Public tokens: never set (that would hide a page's value on an ancestor), each read with its default.
      expect([...matches(text, /(--gather-[\w-]+)\s*:/g)], 'public tokens set by the widget').to.deep.equal([]);
      const read = [...text.matchAll(/var\(\s*(--gather-[\w-]+)\s*([,)])/g)];
      expect(read.filter(([, token, next]) => next !== ',' && token !== '--gather-font-family').map(([, token]) => token), 'public tokens read without a default').to.deep.equal([]);
      if (defined.size > 0) expect(read.length, 'reads the public tokens').to.be.greaterThan(0);
    });
  }
});

describe('tokens set on any ancestor', () => {
  async function mount(outer: string, inner = '') {
    const wrapper = await fixture<HTMLElement>(html`
      <div style=${outer}>
        <gather-room room=${`tokens-${Math.random()}`} .source=${new MemoryNetwork().source()} .signer=${createSigner()}>
          <gather-poll name="day" question="Which evening?" style=${inner}><option value="tue">Tuesday</option></gather-poll>
        </gather-room>
      </div>
    `);
    const poll = wrapper.querySelector('gather-poll')!;
    await poll.ready;
    await poll.updateComplete;
    const submit = poll.shadowRoot!.querySelector<HTMLElement>('button.primary')!;
    const choice = poll.shadowRoot!.querySelector<HTMLElement>('.choice')!;
    return { submit: getComputedStyle(submit), choice: getComputedStyle(choice), host: getComputedStyle(poll) };
  }

  it('reach the widget from :root, from an ancestor and on the widget, the nearest winning; unset, the defaults hold', async () => {
    const plain = await mount('');
    expect(plain.submit.backgroundColor).to.equal('rgb(29, 78, 216)');
    expect(plain.choice.borderTopLeftRadius).to.equal('8px');
    document.documentElement.style.setProperty('--gather-color-accent', 'rgb(1, 2, 3)');
    try {
      const fromRoot = await mount('');
      expect(fromRoot.submit.backgroundColor).to.equal('rgb(1, 2, 3)');
      const fromAncestor = await mount('--gather-color-accent: rgb(4, 5, 6); --gather-radius-m: 3px; --gather-font-family: serif');
      expect(fromAncestor.submit.backgroundColor).to.equal('rgb(4, 5, 6)');
      expect(fromAncestor.choice.borderTopLeftRadius).to.equal('3px');
      expect(fromAncestor.host.fontFamily).to.equal('serif');
      const onWidget = await mount('--gather-color-accent: rgb(4, 5, 6)', '--gather-color-accent: rgb(7, 8, 9)');
      expect(onWidget.submit.backgroundColor).to.equal('rgb(7, 8, 9)');
    } finally {
      document.documentElement.style.removeProperty('--gather-color-accent');
    }
  });

  it('without a token the widget takes the page\'s font, and theme="dark" its dark defaults; a token set above wins in either scheme', async () => {
    const inherited = await mount('font-family: monospace');
    expect(inherited.host.fontFamily).to.equal('monospace');
    const wrapper = await fixture<HTMLElement>(html`
      <div style="--gather-color-danger: rgb(9, 9, 9)">
        <gather-room room=${`tokens-${Math.random()}`} .source=${new MemoryNetwork().source()} .signer=${createSigner()}>
          <gather-poll name="d" theme="dark" question="?"><option value="a">A</option></gather-poll>
          <gather-poll name="e" theme="dark" question="?" style="--gather-color-accent: rgb(3, 3, 3)"><option value="a">A</option></gather-poll>
        </gather-room>
      </div>
    `);
    const [themed, branded] = [...wrapper.querySelectorAll('gather-poll')];
    await Promise.all([themed!.ready, branded!.ready]);
    await Promise.all([themed!.updateComplete, branded!.updateComplete]);
    const accent = (poll: Element) => getComputedStyle(poll.shadowRoot!.querySelector('button.primary')!).backgroundColor;
    expect(accent(themed!)).to.equal('rgb(147, 197, 253)');
    expect(accent(branded!)).to.equal('rgb(3, 3, 3)');
    expect(getComputedStyle(themed!).getPropertyValue('--_color-danger').trim()).to.equal('rgb(9, 9, 9)');
  });
});
