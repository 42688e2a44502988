// The built Storybook (npm run build-storybook → storybook-static/) renders every story:
// elements defined, models loaded, no errors. Catches what the source-level story test cannot
// (Vite's transforms, tree-shaking of the elements' define() side effects).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { launchChromium, newVisitor } from '../helpers/browser.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const built = `${root}/storybook-static`;
/** What a stories file named after no widget shows (theming.stories.ts, and room.stories.ts: the room renders nothing of its own): the widgets in it. */
const ANY_WIDGET = 'gather-poll, gather-signup, gather-aid-board, gather-thread, gather-organizer';
/** Errors a story causes on purpose (a save that fails): they carry these words. */
const STAGED = 'a story that shows';
/** Every story the build lists (its index.json), with its file and the tag of its component. */
const stories = (): { id: string; file: string; tag: string }[] => {
  const index = JSON.parse(readFileSync(`${built}/index.json`, 'utf8')) as { entries: Record<string, { id: string; type: string; importPath: string }> };
  return Object.values(index.entries)
    .filter((entry) => entry.type === 'story')
    .map((entry) => {
      const file = /\/(\w[\w-]*)\.stories\.ts$/.exec(entry.importPath)![1]!;
      return { id: entry.id, file, tag: file !== 'room' && existsSync(`${root}/components/${file}`) ? `gather-${file}` : ANY_WIDGET };
    });
};

let server: RunningServer;
let browser: Browser;

describe('built Storybook', { timeout: 600_000 }, () => {
  before(async () => {
    assert.ok(existsSync(`${built}/iframe.html`), 'storybook-static/ is missing: run npm run build-storybook first');
    server = await startServer({ root, mounts: [{ prefix: '/', dir: built }] });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('holds the stories of every stories file', () => {
    const files = readdirSync(`${root}/stories`).filter((file) => file.endsWith('.stories.ts'));
    const built = new Set(stories().map((story) => story.file));
    assert.deepEqual([...built].sort(), files.map((file) => file.replace('.stories.ts', '')).sort());
  });

  it('has a Docs page per widget made from custom-elements.json (attributes, events, tokens)', async () => {
    const { page, context } = await newVisitor(browser);
    for (const id of ['widgets-poll--docs', 'widgets-signup-sheet--docs', 'widgets-aid-board--docs', 'widgets-thread--docs', 'widgets-organizer--docs']) {
      await page.goto(new URL(`/iframe.html?id=${id}&viewMode=docs`, server.url).href);
      await page.waitForFunction(() => document.body.innerText.includes('--gather-color-accent'), undefined, { timeout: 15_000 });
      const text = await page.evaluate(() => document.body.innerText);
      for (const expected of ['ice-servers', 'theme', 'gather-change', '--gather-font-family', 'trust-repaired', 'protection']) assert.ok(text.includes(expected), `${id} lacks ${expected}`);
      // Private members stay out of the table (the manifest lists them; preview.ts hides them).
      assert.ok(!text.includes('signedModel'), `${id} lists private members`);
    }
    await page.goto(new URL('/iframe.html?id=widgets-room--docs&viewMode=docs', server.url).href);
    await page.waitForFunction(() => document.body.innerText.includes('ice-servers'), undefined, { timeout: 15_000 });
    const room = await page.evaluate(() => document.body.innerText);
    for (const expected of ['theme', 'password', 'keeper']) assert.ok(room.includes(expected), `widgets-room--docs lacks ${expected}`);
    await context.close();
  });

  it('the Language and Theme toolbars put a story in Arabic, right to left, dark', async () => {
    const { page, context } = await newVisitor(browser);
    await page.goto(new URL('/iframe.html?id=widgets-poll--playground&viewMode=story&globals=locale:ar;scheme:dark', server.url).href);
    await page.waitForFunction(() => {
      const poll = document.querySelector('gather-poll') as (Element & { view?: unknown }) | null;
      const base = poll?.shadowRoot?.querySelector('[part~=base]');
      // Its Arabic strings load when the toolbar asks for Arabic: the Vote button says so.
      return poll?.view != null && poll.getAttribute('theme') === 'dark' && base?.getAttribute('dir') === 'rtl' && base.querySelector('button.primary')?.textContent?.trim() === 'صوّت';
    }, undefined, { timeout: 15_000 });
    await context.close();
  });

  it('every control of a Playground changes what it renders, and a shared link (args in the URL) keeps the choices', async () => {
    const { page, context } = await newVisitor(browser);
    const ids = ['widgets-poll', 'widgets-signup-sheet', 'widgets-aid-board', 'widgets-thread', 'widgets-organizer', 'widgets-room', 'design-theming'].map((c) => `${c}--playground`);
    for (const id of ids) {
      await page.goto(new URL(`/iframe.html?id=${id}&viewMode=story`, server.url).href);
      await page.waitForFunction(() => document.querySelector('gather-room'), undefined, { timeout: 15_000 });
      const inert = await page.evaluate(async (storyId) => {
        const preview = (globalThis as any).__STORYBOOK_PREVIEW__;
        const story = await preview.storyStoreValue.loadStory({ storyId });
        const args = preview.storyStoreValue.args.get(storyId);
        // What the story renders, but for the room's name (new on each render) and Lit's markers.
        const rendered = () => document.querySelector('#storybook-root')!.innerHTML.replace(/room="story-\d+"/g, '').replace(/<!--[^>]*-->/g, '');
        const other = (argType: any, value: unknown): unknown => {
          const control = typeof argType.control === 'string' ? argType.control : argType.control?.type;
          if (argType.options) return argType.options.find((option: unknown) => option !== value);
          if (control === 'boolean') return !value;
          if (control === 'number') return typeof value === 'number' ? value + 1 : 3;
          if (control === 'date') return Date.UTC(2030, 0, 1);
          if (control === 'color') return '#123456';
          return typeof value === 'string' && value ? `${value}, Friday` : '2rem';
        };
        /** Waits (up to 3 s) until what the story renders is (or is no longer) `markup`. */
        const until = async (same: boolean, markup: string) => {
          const start = performance.now();
          while ((rendered() === markup) !== same && performance.now() - start < 3000) await new Promise((resolve) => setTimeout(resolve, 25));
          return (rendered() === markup) === same;
        };
        const initial = rendered();
        const inert: string[] = [];
        for (const [name, argType] of Object.entries(story.argTypes as Record<string, any>)) {
          if (!argType.control || argType.table?.disable) continue;
          await preview.onUpdateArgs({ storyId, updatedArgs: { [name]: other(argType, args[name]) } });
          if (!(await until(false, initial))) inert.push(name);
          await preview.onResetArgs({ storyId });
          if (!(await until(true, initial))) inert.push(`${name} (not reset)`);
        }
        return inert;
      }, id);
      assert.deepEqual(inert, [], `${id}: controls that change nothing`);
    }
    // The choices survive a reload: Storybook maps URL args to each row's type, so the rows need types it knows.
    await page.goto(new URL('/iframe.html?id=widgets-poll--playground&viewMode=story&args=theme:dark;quorum:7;anonymous:!true;kind:multiple;closes:1893456000000;--gather-color-accent:!hex(9a3412)', server.url).href);
    await page.waitForFunction(() => (document.querySelector('gather-poll') as (Element & { view?: unknown }) | null)?.view != null, undefined, { timeout: 15_000 });
    const attributes = await page.evaluate(() => Object.fromEntries([...document.querySelector('gather-poll')!.attributes].map((a) => [a.name, a.value])));
    assert.deepEqual(
      { theme: attributes['theme'], quorum: attributes['quorum'], anonymous: attributes['anonymous'], kind: attributes['kind'], closes: attributes['closes'], style: attributes['style'] },
      { theme: 'dark', quorum: '7', anonymous: '', kind: 'multiple', closes: '2030-01-01T00:00:00.000Z', style: '--gather-color-accent:#9a3412;' },
    );
    await context.close();
  });

  for (const { id, tag } of existsSync(`${built}/index.json`) ? stories() : []) {
    it(`renders the story "${id}"`, { timeout: 30_000 }, async () => {
      const { page, errors, context } = await newVisitor(browser);
      await page.goto(new URL(`/iframe.html?id=${id}&viewMode=story`, server.url).href);
      await page.waitForFunction(
        (tag) => {
          const widgets = [...document.querySelectorAll(tag)] as (Element & { view?: unknown })[];
          return widgets.length > 0 && widgets.every((widget) => widget.view != null && widget.shadowRoot?.querySelector('[part=base]'));
        },
        tag,
        { timeout: 15_000 },
      );
      assert.deepEqual(errors.filter((error) => !error.includes('favicon') && !error.includes(STAGED)), []);
      // One Lit on the page (two copies warn "Multiple versions of Lit loaded" and break instanceof checks).
      const versions = await page.evaluate(() => (globalThis as unknown as { litHtmlVersions?: string[] }).litHtmlVersions ?? []);
      assert.equal(versions.length, 1, `lit-html versions on the page: ${versions.join(', ')}`);
      await context.close();
    });
  }
});
