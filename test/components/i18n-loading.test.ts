// Translations load with the widgets that show them: nothing beyond English up front, a language's
// strings the first time a widget is in it (the widget renders in them once they arrive, and
// `updateComplete` waits for them), a page's own strings winning over built-in ones that arrive
// later, and a `lang` changed at runtime. (Its own file: each test file is a fresh page, so no
// language is loaded before these tests.)
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import { statusText } from '../../components/shared/status.js';
import { createSigner } from '../../src/identity/keys.js';
import { getTranslation, registerTranslation } from '../../src/i18n/registry.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';
import type { GatherPoll } from '../../components/poll/poll.js';

async function mountPoll(lang: string): Promise<GatherPoll> {
  const wrapper = await fixture<HTMLElement>(html`
    <div lang=${lang}>
      <gather-room room=${`i18n-${Math.random()}`} .source=${new MemoryNetwork().source()} .signer=${createSigner()}>
        <gather-poll name="day" question="?"><option value="tue">1</option><option value="thu">2</option></gather-poll>
      </gather-room>
    </div>
  `);
  const poll = wrapper.querySelector('gather-poll')!;
  await poll.ready;
  await poll.updateComplete;
  return poll;
}

const voteButton = (poll: GatherPoll) => poll.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.textContent!.trim();
const results = (poll: GatherPoll) => poll.shadowRoot!.querySelector('section.results-region')?.getAttribute('aria-label');
const status = (poll: GatherPoll) => poll.shadowRoot!.querySelector('[part~=status]')!.textContent!.trim();

describe('translations load with the widgets that show them', () => {
  failOnLitWarnings();

  it('nothing beyond English up front, but each language is known by name and direction', () => {
    expect(getTranslation('es').poll).to.equal(getTranslation('en').poll);
    expect(getTranslation('ar').status).to.equal(getTranslation('en').status);
    expect(getTranslation('ar').$dir).to.equal('rtl');
    expect(getTranslation('es').$name).to.equal('Español');
  });

  it("a page's strings win over the built-in ones, even when these arrive later; the rest of a section it gives in part stays built-in", async () => {
    registerTranslation({ $code: 'fr', poll: { vote: 'Je vote !' } });
    expect(getTranslation('fr').poll.vote).to.equal('Je vote !');
    expect(getTranslation('fr').poll.cancel).to.equal('Cancel'); // French not loaded yet: English
    const poll = await mountPoll('fr');
    expect(voteButton(poll)).to.equal('Je vote !');
    expect(getTranslation('fr').poll.cancel).to.equal('Annuler'); // the built-in French arrived, under the page's
    expect(status(poll)).to.equal(statusText(getTranslation('fr'), poll.status));
    expect(status(poll)).not.to.equal(statusText(getTranslation('en'), poll.status));
  });

  it('a lang changed at runtime loads that language, and the widget renders in it, right to left for Arabic', async () => {
    const poll = await mountPoll('en');
    expect(voteButton(poll)).to.equal('Vote');
    poll.closest('div')!.setAttribute('lang', 'ar'); // seen by the page's MutationObserver, a moment later
    await waitUntil(() => voteButton(poll) === 'صوّت', 'the poll renders in Arabic once its strings arrive');
    expect(status(poll)).to.equal(statusText(getTranslation('ar'), poll.status));
    const base = poll.shadowRoot!.querySelector<HTMLElement>('[part~=base]')!;
    expect(base.dir).to.equal('rtl');
    expect(getComputedStyle(base).direction).to.equal('rtl');
    await expect(poll).to.be.accessible();
  });

  it("a lang changed above a page's own shadow root reaches a widget inside it", async () => {
    const outer = await fixture<HTMLElement>(html`<div lang="en"><section></section></div>`);
    const root = outer.querySelector('section')!.attachShadow({ mode: 'open' });
    const room = Object.assign(document.createElement('gather-room'), { source: new MemoryNetwork().source(), signer: createSigner() });
    room.setAttribute('room', `i18n-${Math.random()}`);
    room.innerHTML = '<gather-poll name="day" question="?"><option value="tue">1</option></gather-poll>';
    root.append(room);
    const poll = room.querySelector('gather-poll')!;
    await poll.ready;
    await poll.updateComplete;
    expect(voteButton(poll)).to.equal('Vote');
    poll.requestUpdate(); // a render for its own reasons keeps the language it has
    await poll.updateComplete;
    expect(voteButton(poll)).to.equal('Vote');
    outer.setAttribute('lang', 'es');
    await waitUntil(() => voteButton(poll) === 'Votar', 'the poll inside the shadow root renders in Spanish');
  });

  it('a regional tag loads its language (es-MX)', async () => {
    const poll = await mountPoll('es-MX');
    expect(voteButton(poll)).to.equal('Votar');
    expect(results(poll) ?? getTranslation('es-MX').poll.results).to.equal('Resultados');
  });
});
