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
/** What a stories file named after no component (theming.stories.ts) shows: any widget. */
const ANY_WIDGET = 'gather-poll, gather-signup, gather-aid-board, gather-thread';
/** Every story the build lists (its index.json), with its file and the tag of its component. */
const stories = (): { id: string; file: string; tag: string }[] => {
  const index = JSON.parse(readFileSync(`${built}/index.json`, 'utf8')) as { entries: Record<string, { id: string; type: string; importPath: string }> };
  return Object.values(index.entries)
    .filter((entry) => entry.type === 'story')
    .map((entry) => {
      const file = /\/(\w[\w-]*)\.stories\.ts$/.exec(entry.importPath)![1]!;
      return { id: entry.id, file, tag: existsSync(`${root}/components/${file}`) ? `gather-${file}` : ANY_WIDGET };
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
    for (const id of ['widgets-poll--docs', 'widgets-signup-sheet--docs', 'widgets-aid-board--docs', 'widgets-thread--docs']) {
      await page.goto(new URL(`/iframe.html?id=${id}&viewMode=docs`, server.url).href);
      await page.waitForFunction(() => document.body.innerText.includes('--gather-color-accent'), undefined, { timeout: 15_000 });
      const text = await page.evaluate(() => document.body.innerText);
      for (const expected of ['ice-servers', 'theme', 'gather-change', '--gather-font-family']) assert.ok(text.includes(expected), `${id} lacks ${expected}`);
    }
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
      assert.deepEqual(errors.filter((error) => !error.includes('favicon')), []);
      // One Lit on the page (two copies warn "Multiple versions of Lit loaded" and break instanceof checks).
      const versions = await page.evaluate(() => (globalThis as unknown as { litHtmlVersions?: string[] }).litHtmlVersions ?? []);
      assert.equal(versions.length, 1, `lit-html versions on the page: ${versions.join(', ')}`);
      await context.close();
    });
  }
});
