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
/** Every story the build lists (its index.json), with the tag of its component. */
const stories = (): { id: string; tag: string }[] => {
  const index = JSON.parse(readFileSync(`${built}/index.json`, 'utf8')) as { entries: Record<string, { id: string; type: string; importPath: string }> };
  return Object.values(index.entries)
    .filter((entry) => entry.type === 'story')
    .map((entry) => ({ id: entry.id, tag: `gather-${/\/(\w[\w-]*)\.stories\.ts$/.exec(entry.importPath)![1]}` }));
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
    const tags = new Set(stories().map((story) => story.tag));
    assert.deepEqual([...tags].sort(), files.map((file) => `gather-${file.replace('.stories.ts', '')}`).sort());
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
      await context.close();
    });
  }
});
