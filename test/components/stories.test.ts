// Every story of every stories file renders, loads its widgets' models and passes axe (target-size
// included); each file
// has the stories STYLE.md asks for. The story names and tags come from the modules themselves.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import * as aidBoard from '../../stories/aid-board.stories.js';
import * as poll from '../../stories/poll.stories.js';
import * as rsvp from '../../stories/rsvp.stories.js';
import * as thread from '../../stories/thread.stories.js';
import * as signup from '../../stories/signup.stories.js';
import * as theming from '../../stories/theming.stories.js';
import * as organizer from '../../stories/organizer.stories.js';
import * as room from '../../stories/room.stories.js';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';

type Args = Record<string, unknown>;
type AnyStory = { args?: Args; render?: (args: Args) => unknown };
interface StoriesModule {
  default: { title?: string; component?: string; args?: Args; render?: (args: Args) => unknown };
}

const FILES: Record<string, StoriesModule> = { poll, rsvp, signup, thread, 'aid-board': aidBoard, theming, organizer, room } as unknown as Record<string, StoriesModule>;
/** What a stories file of no one widget shows (Design/Theming, and the room's, which renders nothing of its own): the widgets in it. */
const ANY_WIDGET = 'gather-poll, gather-signup, gather-aid-board, gather-thread, gather-organizer';
/** What every widget's stories show (STYLE.md): try it, its states, two peers, a language. */
const REQUIRED = ['Playground', 'Offline', 'TwoPeers', 'Spanish'];

type Render = (args: Args) => unknown;
/**
 * Each story as it is, then as Storybook's toolbars show it (.storybook/preview.ts): the Theme
 * toolbar's `theme="dark"` on every widget (and the story's own theme arg), and the Language
 * toolbar's Arabic, right to left, on a wrapper and as the story's own `lang` arg.
 */
const VARIANTS: { title: string; applies?: (args: Args) => boolean; mount: (render: Render, args: Args) => TemplateResult; after?: (root: HTMLElement) => void }[] = [
  { title: '', mount: (render, args) => html`<div>${render(args) as TemplateResult}</div>` },
  {
    title: ' in the dark theme',
    // Not a story whose page fixes its own light surface and text (Design/Theming › Background): theme="dark" over those is the page contradicting itself.
    applies: (args) => !args['--gather-color-surface'],
    mount: (render, args) => html`<div>${render('theme' in args ? { ...args, theme: 'dark' } : args) as TemplateResult}</div>`,
    after: (root) => {
      for (const widget of root.querySelectorAll(ALL_WIDGETS)) widget.setAttribute('theme', 'dark');
    },
  },
  {
    title: ' in Arabic (right to left)',
    mount: (render, args) => html`<div lang="ar">${render('lang' in args ? { ...args, lang: 'ar' } : args) as TemplateResult}</div>`,
  },
];
const ALL_WIDGETS = `${ANY_WIDGET}, gather-rsvp`;

// axe's target-size rule (WCAG 2.2, 2.5.8: 24 × 24 px), off by default in axe-core, on here: every
// story's controls are checked too (test/components/target-size.test.ts measures them on a touch screen).
before(async () => {
  await import('axe-core'); // sets window.axe, which chai-a11y-axe then runs
  (globalThis as unknown as { axe: { configure(spec: { rules: { id: string; enabled: boolean }[] }): void } }).axe.configure({ rules: [{ id: 'target-size', enabled: true }] });
});

for (const [file, module] of Object.entries(FILES)) {
  const meta = module.default;
  const tag = meta.component && meta.component !== 'gather-room' ? meta.component : ANY_WIDGET;
  const stories = Object.entries(module).filter(([name]) => name !== 'default') as [string, AnyStory][];

  describe(`${file}.stories.ts (${tag})`, () => {
    failOnLitWarnings();

    it('has the Playground, Offline, Two peers and Spanish stories', () => {
      expect(stories.map(([name]) => name)).to.include.members(meta.component ? REQUIRED : ['Playground']);
    });

    for (const [name, story] of stories) {
      for (const variant of VARIANTS.filter((v) => v.applies?.({ ...meta.args, ...story.args }) ?? true)) {
        it(`${name} renders, loads and is accessible${variant.title}`, async () => {
          const args = { ...meta.args, ...story.args };
          const render = (story.render ?? meta.render)!;
          const element = await fixture<HTMLElement>(variant.mount(render, args));
          // Stories that seed a room first (signing invites and claims) render later than a second under load.
          await waitUntil(() => element.querySelector(tag), `${name}: no <${tag}>`, { timeout: 10_000 });
          const widgets = [...element.querySelectorAll(tag)] as (HTMLElement & { ready: Promise<void>; view: unknown; updateComplete: Promise<boolean> })[];
          await Promise.all(widgets.map((widget) => widget.ready));
          expect(widgets.every((widget) => widget.view !== null)).to.be.true;
          variant.after?.(element);
          await Promise.all(widgets.map((widget) => widget.updateComplete));
          await expect(element).to.be.accessible();
        });
      }
    }
  });
}
