// Every shipped language has every string English has (the key lists come from English itself),
// each plural form of Arabic is written out, and every widget renders in Spanish, French and
// Arabic — Arabic right to left, its layout mirrored, whatever `dir` the page puts further out.
import { expect, fixture, html } from '@open-wc/testing';
import { render, type TemplateResult } from 'lit';
import '../../components/index.js';
import { statusText } from '../../components/shared/status.js';
import { createSigner } from '../../src/identity/keys.js';
import { getTranslation, loadTranslation, translationsLoading } from '../../src/i18n/registry.js';
import type { Translation } from '../../src/i18n/types.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';

const LANGUAGES = ['es', 'fr', 'ar'] as const;
/** What a string function is called with: counts in every plural category of every language, flags, and the reasons and states some strings take. */
const SAMPLES: unknown[] = [
  ...[0, 1, 2, 3, 11, 100, 1.5, true, false],
  ...['permission-denied', 'room-not-allowed', 'too-many-rooms', 'room-too-large', 'blocked', 'full'],
  ...['organizer', 'member', 'revoked', 'over-limit', 'refused', 'invalid-invite', 'checking', 'not-kept', 'none'],
];

type Tree = { readonly [key: string]: unknown };

/** Every path to a string or a function in English's `section`, compared with `other`'s: what is missing or broken. */
function problems(english: unknown, other: unknown, path: string): string[] {
  if (typeof english === 'string') return typeof other === 'string' && other.trim() !== '' ? [] : [`${path}: missing`];
  if (typeof english === 'function') {
    if (typeof other !== 'function') return [`${path}: missing`];
    const found: string[] = [];
    for (const sample of SAMPLES) {
      const args = Array.from({ length: Math.max(english.length, 1) }, () => sample);
      let expected: unknown;
      try {
        expected = english(...args);
      } catch {
        continue; // not a sample this string takes
      }
      if (typeof expected !== 'string') continue;
      const got: unknown = other(...args);
      if (typeof got !== 'string' || got.trim() === '' || /undefined|NaN|\[object/.test(got)) found.push(`${path}(${String(sample)}): ${String(got)}`);
    }
    return found;
  }
  if (english !== null && typeof english === 'object') {
    if (other === null || typeof other !== 'object') return [`${path}: missing`];
    return Object.keys(english).flatMap((key) => problems((english as Tree)[key], (other as Tree)[key], `${path}.${key}`));
  }
  return [];
}

const sections = (t: Translation) => Object.keys(t).filter((key) => !key.startsWith('$'));

describe('translations', () => {
  const en = getTranslation('en');

  // Each language's strings load the first time a widget is in it: here, all of them at once.
  before(async () => {
    for (const lang of LANGUAGES) loadTranslation(lang, '*');
    await translationsLoading();
  });

  it('English has the shared section and one per widget', () => {
    expect(sections(en)).to.include.members(['status', 'poll', 'signup', 'aidBoard', 'thread']);
  });

  for (const lang of LANGUAGES) {
    it(`${lang} has its own copy of every section, with every key English has`, () => {
      const t = getTranslation(lang);
      expect(t.$code).to.equal(lang);
      for (const section of sections(en).filter((s) => s !== 'rsvp')) {
        // A section a language lacks falls back to English's very object.
        expect((t as unknown as Tree)[section], `${lang}.${section} falls back to English`).not.to.equal((en as unknown as Tree)[section]);
        expect(problems((en as unknown as Tree)[section], (t as unknown as Tree)[section], `${lang}.${section}`)).to.deep.equal([]);
      }
    });
  }

  it('Arabic writes out its six plural forms (zero, one, two, few, many, other)', () => {
    const t = getTranslation('ar');
    const counts = [0, 1, 2, 3, 11, 100];
    expect(counts.map((n) => new Intl.PluralRules('ar').select(n))).to.deep.equal(['zero', 'one', 'two', 'few', 'many', 'other']);
    for (const phrase of [(n: number) => t.poll.total(n, String(n)), (n: number) => t.status.keeperWaiting(n, String(n)), (n: number) => t.thread.comments(n, String(n)), (n: number) => t.aidBoard.updated(n, String(n))]) {
      expect(new Set(counts.map((n) => phrase(n))).size, counts.map((n) => phrase(n)).join(' | ')).to.equal(6);
    }
  });

  it('French counts 0 and 1 in the singular', () => {
    const t = getTranslation('fr');
    expect([0, 1, 2].map((n) => t.poll.total(n, String(n)))).to.deep.equal(['0 vote au total', '1 vote au total', '2 votes au total']);
  });

  it('a regional tag finds its language (fr-CA, ar-EG)', () => {
    expect(getTranslation('fr-CA').poll.vote).to.equal(getTranslation('fr').poll.vote);
    expect(getTranslation('ar-EG').$dir).to.equal('rtl');
  });
});

/** Each widget as a page writes it, with the string that shows it speaks `lang`. */
const WIDGETS: Record<string, { render: () => TemplateResult; says: (t: Translation) => string }> = {
  'gather-poll': {
    render: () => html`<gather-poll name="day" question="Quel soir ? / أي مساء؟"><option value="tue">Mardi</option><option value="thu">Jeudi</option></gather-poll>`,
    says: (t) => t.poll.vote,
  },
  'gather-signup': {
    render: () => html`<gather-signup name="drive" title="Collecte"><gather-slot name="pickup" capacity="2">Chauffeurs</gather-slot></gather-signup>`,
    says: (t) => t.signup.signUp,
  },
  'gather-aid-board': {
    render: () => html`<gather-aid-board name="aid" categories="food, rides"></gather-aid-board>`,
    says: (t) => t.aidBoard.heading,
  },
  'gather-thread': {
    render: () => html`<gather-thread name="talk" topic="Grève des loyers"></gather-thread>`,
    says: (t) => t.thread.noComments,
  },
  'gather-organizer': {
    render: () => html`<gather-organizer></gather-organizer>`,
    says: (t) => t.organizer.identityLegend,
  },
};

type Widget = HTMLElement & { ready: Promise<void>; requestUpdate(): void; status: Parameters<typeof statusText>[1]; updateComplete: Promise<boolean> };

/** `tag` as {@link WIDGETS} writes it, in a room of its own. */
const inRoom = (tag: string) =>
  html`<gather-room room=${`locale-${tag}-${Math.random()}`} .source=${new MemoryNetwork().source()} .signer=${createSigner()}>${WIDGETS[tag]!.render()}</gather-room>`;

async function settled(widget: Widget): Promise<Widget> {
  await widget.ready;
  await widget.updateComplete;
  return widget;
}

async function mount(tag: string, lang: string): Promise<Widget> {
  const wrapper = await fixture<HTMLElement>(html`<div lang=${lang}>${inRoom(tag)}</div>`);
  return settled(wrapper.querySelector(tag) as Widget);
}

const visibleText = (root: ShadowRoot) => (root.textContent ?? '').replace(/\s+/g, ' ');

describe('every widget in every language', () => {
  failOnLitWarnings();

  for (const tag of Object.keys(WIDGETS)) {
    for (const lang of LANGUAGES) {
      it(`<${tag}> in ${lang}: its strings, the status line, the direction`, async () => {
        const widget = await mount(tag, lang);
        const t = getTranslation(lang);
        const root = widget.shadowRoot!;
        const base = root.querySelector<HTMLElement>('[part~=base]')!;
        expect(base.lang).to.equal(lang);
        expect(base.dir).to.equal(lang === 'ar' ? 'rtl' : 'ltr');
        expect(getComputedStyle(base).direction).to.equal(lang === 'ar' ? 'rtl' : 'ltr');
        expect(visibleText(root)).to.include(WIDGETS[tag]!.says(t));
        expect(visibleText(root)).not.to.match(/undefined|NaN|\[object /);
        expect(root.querySelector('[part~=status]')!.textContent!.trim()).to.equal(statusText(t, widget.status));
        await expect(widget).to.be.accessible();
      });
    }
  }

  it('Arabic mirrors the layout: a poll choice has its radio on the right, the text to its left', async () => {
    const rtl = await mount('gather-poll', 'ar');
    const ltr = await mount('gather-poll', 'fr');
    const sides = (widget: Widget) => {
      const choice = widget.shadowRoot!.querySelector('.choice')!;
      const input = choice.querySelector('input')!.getBoundingClientRect();
      const label = choice.querySelector('span')!.getBoundingClientRect();
      return { inputFirst: input.left < label.left, base: widget.shadowRoot!.querySelector('[part~=base]')!.getBoundingClientRect() };
    };
    expect(sides(ltr).inputFirst).to.be.true;
    expect(sides(rtl).inputFirst).to.be.false;
    // The legend starts at the right edge in Arabic.
    const legend = rtl.shadowRoot!.querySelector('legend')!.getBoundingClientRect();
    expect(Math.abs(sides(rtl).base.right - legend.right)).to.be.below(2);
  });

  it('a nearer lang wins over a dir further out (<div dir=ltr><div lang=ar>: right to left)', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div dir="ltr"><div lang="ar">${inRoom('gather-poll')}</div></div>`);
    const widget = await settled(wrapper.querySelector('gather-poll') as Widget);
    const base = widget.shadowRoot!.querySelector<HTMLElement>('[part~=base]')!;
    expect(base.dir).to.equal('rtl');
    expect(getComputedStyle(base).direction).to.equal('rtl');
  });

  it('dir and lang are found across a host page\'s shadow roots', async () => {
    // dir=rtl outside a shadow root the widget is in, no lang nearer: right to left.
    const outer = await fixture<HTMLElement>(html`<div lang="fr" dir="rtl"><span></span></div>`);
    const host = outer.querySelector('span')!;
    const root = host.attachShadow({ mode: 'open' });
    render(html`<div>${inRoom('gather-thread')}</div>`, root);
    const thread = await settled(root.querySelector('gather-thread') as Widget);
    expect(thread.shadowRoot!.querySelector<HTMLElement>('[part~=base]')!.dir).to.equal('rtl');
    // lang=ar outside, dir=ltr inside the shadow root and nearer: left to right, still in Arabic.
    const arabic = await fixture<HTMLElement>(html`<div lang="ar"><span></span></div>`);
    const inner = arabic.querySelector('span')!.attachShadow({ mode: 'open' });
    render(html`<div dir="ltr">${inRoom('gather-thread')}</div>`, inner);
    const ltr = await settled(inner.querySelector('gather-thread') as Widget);
    const base = ltr.shadowRoot!.querySelector<HTMLElement>('[part~=base]')!;
    expect(base.dir).to.equal('ltr');
    expect(base.lang).to.equal('ar');
    // And lang=ar outside a shadow root, nothing inside: right to left.
    const plain = await fixture<HTMLElement>(html`<div dir="ltr"><div lang="ar"><span></span></div></div>`);
    const shadowed = plain.querySelector('span')!.attachShadow({ mode: 'open' });
    render(inRoom('gather-poll'), shadowed);
    const poll = await settled(shadowed.querySelector('gather-poll') as Widget);
    expect(poll.shadowRoot!.querySelector<HTMLElement>('[part~=base]')!.dir).to.equal('rtl');
  });

  it('dir on the page wins over the language (an Arabic widget on a page that says dir=ltr)', async () => {
    const widget = await mount('gather-thread', 'ar');
    widget.closest('div')!.setAttribute('dir', 'ltr');
    widget.requestUpdate();
    await widget.updateComplete;
    expect(widget.shadowRoot!.querySelector<HTMLElement>('[part~=base]')!.dir).to.equal('ltr');
  });
});

describe('numbers in the widget\'s language (Intl.NumberFormat)', () => {
  failOnLitWarnings();

  before(async () => {
    for (const lang of LANGUAGES) loadTranslation(lang, '*');
    await translationsLoading();
  });

  /** A poll needing 10,000 voters, in `lang`: the words under its quorum bar. */
  async function quorumWords(lang: string): Promise<string> {
    const wrapper = await fixture<HTMLElement>(html`
      <div lang=${lang}>
        <gather-room room=${`numbers-${lang}-${Math.random()}`} .source=${new MemoryNetwork().source()} .signer=${createSigner()}>
          <gather-poll name="strike" question="¿Huelga?" quorum="10000"><option value="yes">Sí</option></gather-poll>
        </gather-room>
      </div>
    `);
    const poll = await settled(wrapper.querySelector('gather-poll') as Widget);
    return poll.shadowRoot!.querySelector('.quorum label')!.textContent!.trim();
  }

  it('Spanish and French group thousands: 10,000 voters needed is "10.000" and "10 000"', async () => {
    expect(await quorumWords('es')).to.equal('0 de 10.000 necesarios');
    // French groups with a narrow no-break space (U+202F).
    expect(await quorumWords('fr')).to.equal('0 sur 10\u202f000 nécessaires');
  });

  it('Arabic writes numbers as Intl does for its tag: ar-EG in Arabic-Indic digits, ar grouped as Chromium\'s ar', async () => {
    // Chromium's (CLDR's) plain "ar" uses Latin digits, grouped; "ar-EG" uses Arabic-Indic ones.
    const ar = new Intl.NumberFormat('ar').format(10000);
    expect(ar).not.to.equal('10000');
    expect(await quorumWords('ar')).to.include(ar);
    expect(await quorumWords('ar-EG')).to.include('١٠٬٠٠٠').and.include('٠ من');
  });

  it('the status line writes the number of peers in the widget\'s language, by default its translation\'s', () => {
    const online = { state: 'online', peers: 1234, saved: true, keeper: 'none', unsaved: 0 } as unknown as Parameters<typeof statusText>[1];
    expect(statusText(getTranslation('ar'), online)).to.include(new Intl.NumberFormat('ar').format(1234)).and.not.include('1234');
    expect(statusText(getTranslation('ar'), online, (n) => new Intl.NumberFormat('ar-EG').format(n))).to.include('١٬٢٣٤');
    expect(statusText(getTranslation('fr'), online)).to.include('1\u202f234');
    expect(statusText(getTranslation('en'), online)).to.equal('Connected · 1,234 other people here');
  });
});
