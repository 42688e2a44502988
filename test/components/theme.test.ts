// At home in the host's design: theme="light|dark" (else prefers-color-scheme), the page's font,
// long words and URLs wrapping, and a page's inherited text styles stopping at the widget.
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import '../../components/index.js';
import { createSigner } from '../../src/identity/keys.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';

type Widget = HTMLElement & { ready: Promise<void>; updateComplete: Promise<boolean> };

const LONG = 'https://example.org/' + 'averylongunbrokenpathsegment'.repeat(20);

async function mount(content: TemplateResult, style = ''): Promise<Widget> {
  const wrapper = await fixture<HTMLElement>(html`
    <div style=${style}>
      <gather-room room=${`theme-${Math.random()}`} .source=${new MemoryNetwork().source()} .signer=${createSigner()}>${content}</gather-room>
    </div>
  `);
  const widget = wrapper.querySelector('gather-room > *') as Widget;
  await widget.ready;
  await widget.updateComplete;
  return widget;
}

const poll = (theme?: string) =>
  html`<gather-poll name="day" theme=${theme ?? ''} question="Which evening?"><option value="tue">Tuesday</option></gather-poll>`;

/** Relative luminance (0 dark … 1 light) of a computed rgb() colour. */
function luminance(color: string): number {
  const [r, g, b] = color.match(/[\d.]+/g)!.slice(0, 3).map(Number) as [number, number, number];
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

describe('themes', () => {
  failOnLitWarnings();
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('by default shows the page behind it, in the page font and the light scheme', async () => {
    await emulateMedia({ colorScheme: 'light' });
    const widget = await mount(poll(), 'font-family: Georgia, serif');
    const style = getComputedStyle(widget);
    expect(style.backgroundColor).to.equal('rgba(0, 0, 0, 0)');
    expect(luminance(style.color)).to.be.below(0.3);
    const legend = widget.shadowRoot!.querySelector('legend')!;
    expect(getComputedStyle(legend).fontFamily).to.include('Georgia');
    expect(getComputedStyle(widget.shadowRoot!.querySelector('button')!).fontFamily).to.include('Georgia');
  });

  it('theme="dark" on a light page: light text on its own dark surface', async () => {
    await emulateMedia({ colorScheme: 'light' });
    const widget = await mount(poll('dark'));
    const style = getComputedStyle(widget);
    expect(style.colorScheme).to.equal('dark');
    expect(luminance(style.color)).to.be.above(0.7);
    expect(luminance(style.backgroundColor)).to.be.below(0.3);
    await expect(widget).to.be.accessible();
  });

  it('without theme, a dark preference gives the dark scheme on its own surface; theme="light" keeps it light', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const dark = await mount(poll());
    expect(luminance(getComputedStyle(dark).color)).to.be.above(0.7);
    expect(luminance(getComputedStyle(dark).backgroundColor)).to.be.below(0.3);
    const light = await mount(poll('light'));
    expect(getComputedStyle(light).colorScheme).to.equal('light');
    expect(luminance(getComputedStyle(light).color)).to.be.below(0.3);
    expect(luminance(getComputedStyle(light).backgroundColor)).to.be.above(0.7);
  });

  it("the signup's and aid board's own marks follow theme, not the visitor's preference", async () => {
    type Signup = Widget & { join(slot: string, input: { name: string }): Promise<void> };
    type Board = Widget & { post(input: { kind: 'offer'; title: string; category: string; contact: string }): Promise<string> };
    const marks = async (theme: string): Promise<number[]> => {
      const signup = (await mount(html`<gather-signup name="s" theme=${theme}><gather-slot name="x" capacity="2">Drivers</gather-slot></gather-signup>`)) as Signup;
      await signup.join('x', { name: 'Ada' });
      await signup.updateComplete;
      const badge = signup.shadowRoot!.querySelector('.badge.confirmed')!;
      const board = (await mount(html`<gather-aid-board name="a" theme=${theme}></gather-aid-board>`)) as Board;
      await board.post({ kind: 'offer', title: 'A ride', category: 'transport', contact: 'me' });
      await board.updateComplete;
      const post = board.shadowRoot!.querySelector(".post[data-kind='offer']")!;
      return [luminance(getComputedStyle(badge).color), luminance(getComputedStyle(post).borderInlineStartColor)];
    };
    await emulateMedia({ colorScheme: 'dark' });
    for (const value of await marks('light')) expect(value).to.be.below(0.5);
    await emulateMedia({ colorScheme: 'light' });
    for (const value of await marks('dark')) expect(value).to.be.above(0.5);
  });

  it('a long word or URL wraps in every widget instead of widening the page', async () => {
    const widgets = [
      html`<gather-poll name="p" question=${LONG}><option value="a">${LONG}</option></gather-poll>`,
      html`<gather-signup name="s" title=${LONG}><gather-slot name="x" location=${LONG}>${LONG}</gather-slot></gather-signup>`,
      html`<gather-aid-board name="a" categories=${LONG}></gather-aid-board>`,
      html`<gather-thread name="t" topic=${LONG}></gather-thread>`,
    ];
    for (const content of widgets) {
      const widget = await mount(content, 'inline-size: 320px');
      const base = widget.shadowRoot!.querySelector<HTMLElement>('[part~=base]')!;
      expect(base.scrollWidth, widget.localName).to.be.at.most(320);
      expect(widget.getBoundingClientRect().width, widget.localName).to.be.at.most(320);
    }
  });

  it("a page's inherited text styles (uppercase, spacing, centring, nowrap) stop at the widget", async () => {
    const widget = await mount(poll(), 'text-transform: uppercase; letter-spacing: 0.5em; text-align: center; white-space: nowrap; font-style: italic');
    const legend = getComputedStyle(widget.shadowRoot!.querySelector('legend')!);
    expect([legend.textTransform, legend.letterSpacing, legend.whiteSpace, legend.fontStyle]).to.deep.equal(['none', 'normal', 'normal', 'normal']);
    expect(['start', 'left']).to.include(legend.textAlign);
  });
});
