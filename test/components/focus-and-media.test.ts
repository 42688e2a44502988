// WCAG 2.2 beyond axe, over every widget with something in it (Design/Theming's page: a poll with
// votes and result bars, a signup sheet with people, an aid board with posts, a thread with a
// reply, the organizer panel): a visible focus indicator on every control the keyboard reaches
// (2.4.7, 2.4.11), what still shows in forced colours (1.4.11 in Windows' contrast themes), and no
// motion when the visitor asks for less (2.3.3).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import theming from '../../stories/theming.stories.js';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';

type Widget = HTMLElement & { ready: Promise<void>; updateComplete: Promise<boolean> };
const WIDGETS = 'gather-poll, gather-signup, gather-aid-board, gather-thread, gather-organizer';

/** Every widget, seeded, as Design/Theming › Playground shows them. */
async function mountAll(): Promise<{ page: HTMLElement; widgets: Widget[] }> {
  const render = theming.render as (args: unknown) => TemplateResult;
  const page = await fixture<HTMLElement>(html`<div><button id="before">before</button>${render(theming.args)}</div>`);
  const widgets = [...page.querySelectorAll<Widget>(WIDGETS)];
  await Promise.all(widgets.map((widget) => widget.ready));
  const shadow = (tag: string) => page.querySelector(tag)!.shadowRoot!;
  // The seed is written after the first render: wait for what it shows.
  await waitUntil(() => shadow('gather-poll').querySelector('.bar .fill') && shadow('gather-signup').querySelector('.bar .fill') && shadow('gather-thread').querySelectorAll('li[part~=comment]').length === 2 && shadow('gather-aid-board').querySelectorAll('.post').length === 2, 'the seed did not show', { timeout: 10_000 });
  await Promise.all(widgets.map((widget) => widget.updateComplete));
  return { page, widgets };
}

/** The focused element, through open shadow roots. */
function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

const describeElement = (element: Element) => {
  const host = (element.getRootNode() as ShadowRoot).host;
  const name = element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 30) ?? '';
  return `${host?.localName ?? 'page'} ${element.localName}${element.className ? `.${String(element.className).split(' ').join('.')}` : ''}${element.getAttribute('type') ? `[type=${element.getAttribute('type')}]` : ''} "${name}"`;
};

/** What draws a focus indicator: the outline and the box shadow. */
const indicator = (element: Element) => {
  const style = getComputedStyle(element);
  return { outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth), outlineColor: style.outlineColor, boxShadow: style.boxShadow };
};
const visible = (shown: ReturnType<typeof indicator>) => (shown.outlineStyle !== 'none' && shown.outlineWidth >= 2) || shown.boxShadow !== 'none';

/**
 * Tabs from the button before the widgets until focus leaves them; for each control reached: its
 * indicator while focused, and again once focus has moved on.
 */
async function tabThrough(page: HTMLElement, { open = false } = {}): Promise<{ what: string; focused: ReturnType<typeof indicator>; unfocused: ReturnType<typeof indicator> }[]> {
  if (open) {
    for (const widget of page.querySelectorAll<Widget>(WIDGETS)) for (const details of widget.shadowRoot!.querySelectorAll('details')) details.open = true;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  page.querySelector<HTMLButtonElement>('#before')!.focus();
  await sendKeys({ press: 'Tab' }); // from a keyboard focus, so :focus-visible holds throughout
  const reached: { element: Element; what: string; focused: ReturnType<typeof indicator> }[] = [];
  for (let i = 0; i < 300; i++) {
    const active = deepActive();
    if (!active || active === document.body || !page.contains((active.getRootNode() as ShadowRoot).host ?? active)) break;
    // A date input takes several Tabs (day, month, year) in one element.
    if (reached.at(-1)?.element === active) {
      await sendKeys({ press: 'Tab' });
      continue;
    }
    if (reached.some((r) => r.element === active)) break;
    reached.push({ element: active, what: describeElement(active), focused: indicator(active) });
    await sendKeys({ press: 'Tab' });
  }
  return reached.map(({ element, what, focused }) => ({ what, focused, unfocused: indicator(element) }));
}

describe('focus, forced colours and reduced motion', function () {
  this.timeout(60_000);
  failOnLitWarnings();

  afterEach(async () => {
    await executeServerCommand('emulate-media', { forcedColors: null, reducedMotion: null });
  });

  it('every control the keyboard reaches in every widget, with every disclosure shut and then open, shows a focus indicator (outline of 2px or more, or a shadow) that it does not show unfocused', async () => {
    const { page } = await mountAll();
    const reached = [...(await tabThrough(page)), ...(await tabThrough(page, { open: true }))];
    for (const tag of WIDGETS.split(', ')) expect(reached.some((r) => r.what.startsWith(tag)), `Tab reaches nothing in <${tag}>`).to.be.true;
    const missing = reached.filter((r) => !visible(r.focused)).map((r) => `${r.what}: ${JSON.stringify(r.focused)}`);
    expect(missing, 'no visible focus indicator').to.deep.equal([]);
    const unchanged = reached.filter((r) => JSON.stringify(r.focused) === JSON.stringify(r.unfocused)).map((r) => r.what);
    expect(unchanged, 'the same unfocused as focused').to.deep.equal([]);
  });

  it('in forced colours: the focus indicator, result and places bars, and pressed toggles still show', async () => {
    await executeServerCommand('emulate-media', { forcedColors: 'active' });
    expect(matchMedia('(forced-colors: active)').matches).to.be.true;
    const { page } = await mountAll();
    const shadow = (tag: string) => page.querySelector(tag)!.shadowRoot!;

    const reached = await tabThrough(page);
    const missing = reached.filter((r) => !visible(r.focused)).map((r) => `${r.what}: ${JSON.stringify(r.focused)}`);
    expect(missing, 'no visible focus indicator in forced colours').to.deep.equal([]);

    // The poll's result bar: its fill unlike its track, and a border round it.
    const poll = shadow('gather-poll');
    const pollFill = getComputedStyle(poll.querySelector('.bar .fill')!).fill;
    const pollTrack = getComputedStyle(poll.querySelector('.bar .track')!).fill;
    expect(pollFill, 'poll bar fill vs track').to.not.equal(pollTrack);
    expect(getComputedStyle(poll.querySelector('.bar')!).borderTopStyle).to.not.equal('none');

    // The signup sheet's places bar: likewise.
    const signup = shadow('gather-signup');
    const signupFill = getComputedStyle(signup.querySelector('.bar .fill')!).backgroundColor;
    const signupTrack = getComputedStyle(signup.querySelector('.bar')!).backgroundColor;
    expect(signupFill, 'signup bar fill vs track').to.not.equal(signupTrack);
    expect(getComputedStyle(signup.querySelector('.bar')!).borderTopStyle).to.not.equal('none');

    // A pressed toggle (the aid board's All / Mine) looks unlike one that is not.
    const look = (element: Element) => {
      const s = getComputedStyle(element);
      return [s.backgroundColor, s.color, s.borderTopColor, s.borderTopWidth, s.outlineStyle, s.textDecorationLine, s.fontWeight].join(' ');
    };
    const board = shadow('gather-aid-board');
    const pressed = board.querySelector('.views button[aria-pressed=true]')!;
    const unpressed = board.querySelector('.views button[aria-pressed=false]')!;
    expect(look(pressed), 'a pressed view button against an unpressed one').to.not.equal(look(unpressed));
  });

  it('with reduced motion, nothing in any widget moves for longer than 0.01 s', async () => {
    await executeServerCommand('emulate-media', { reducedMotion: 'reduce' });
    expect(matchMedia('(prefers-reduced-motion: reduce)').matches).to.be.true;
    const { widgets } = await mountAll();
    const longest = (value: string) => Math.max(...value.split(',').map((part) => (part.trim().endsWith('ms') ? parseFloat(part) / 1000 : parseFloat(part))));
    const moving: string[] = [];
    for (const widget of widgets) {
      for (const element of [widget, ...widget.shadowRoot!.querySelectorAll('*')]) {
        const style = getComputedStyle(element);
        const transition = style.transitionProperty !== 'none' ? longest(style.transitionDuration) : 0;
        const animation = style.animationName !== 'none' ? longest(style.animationDuration) : 0;
        if (transition > 0.01 || animation > 0.01) moving.push(`${describeElement(element)}: transition ${style.transitionDuration}, animation ${style.animationDuration}`);
      }
      expect(getComputedStyle(widget).scrollBehavior).to.not.equal('smooth');
    }
    expect(moving).to.deep.equal([]);
  });
});
