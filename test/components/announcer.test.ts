// The announcer (components/shared/announcer-controller.ts) throttles a stream of changes into one
// announcement per interval, with the latest words, and reads the same words twice when they recur.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { AnnouncerController } from '../../components/shared/announcer-controller.js';

class AnnouncerHost extends LitElement {
  readonly announcer = new AnnouncerController(this, { interval: 150 });
  /** Every text the live region has held, in order (recorded after each update). */
  readonly held: string[] = [];

  override render() {
    return this.announcer.render();
  }

  override updated(): void {
    const text = this.renderRoot.querySelector('[aria-live=polite]')!.textContent ?? '';
    if (this.held.at(-1) !== text) this.held.push(text);
  }
}
customElements.define('announcer-test-host', AnnouncerHost);

describe('AnnouncerController', () => {
  it('announces a burst once, with its latest words; later ones after the interval; the same words again after an empty region', async () => {
    const host = await fixture<AnnouncerHost>(html`<announcer-test-host></announcer-test-host>`);
    // A burst within one task: one announcement, the last text.
    host.announcer.announce('1 vote');
    host.announcer.announce('2 votes');
    host.announcer.announce('3 votes');
    await waitUntil(() => host.held.at(-1) === '3 votes', 'the burst was not announced');
    const startedAt = performance.now();
    // Within the interval: held back, then announced once with the latest words.
    host.announcer.announce('4 votes');
    host.announcer.announce('5 votes');
    await waitUntil(() => host.held.at(-1) === '5 votes', 'the later votes were not announced');
    expect(performance.now() - startedAt).to.be.greaterThan(100);
    // The same words as the region holds: emptied for one render, then read again.
    host.announcer.announce('5 votes');
    await waitUntil(() => host.held.length === 5, 'the same words were not announced again');
    expect(host.held).to.deep.equal(['', '3 votes', '5 votes', '', '5 votes']);
  });

  it('makes words given as a function when it announces them, only the latest', async () => {
    const host = await fixture<AnnouncerHost>(html`<announcer-test-host></announcer-test-host>`);
    const made: string[] = [];
    const words = (text: string) => () => {
      made.push(text);
      return text;
    };
    host.announcer.announce(words('1 vote'));
    host.announcer.announce(words('2 votes'));
    expect(made).to.deep.equal([]);
    await waitUntil(() => host.held.at(-1) === '2 votes', 'the words were not announced');
    expect(made).to.deep.equal(['2 votes']);
  });
});
