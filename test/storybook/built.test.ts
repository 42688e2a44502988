// The built Storybook (npm run build-storybook → storybook-static/) renders every poll story:
// elements defined, models loaded, no errors. Catches what the source-level story test cannot
// (Vite's transforms, tree-shaking of the elements' define() side effects).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { launchChromium, newVisitor } from '../helpers/browser.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const built = `${root}/storybook-static`;
const STORIES = ['playground', 'voted', 'empty', 'offline', 'two-peers', 'theming', 'spanish'];

let server: RunningServer;
let browser: Browser;

describe('built Storybook', { timeout: 60_000 }, () => {
  before(async () => {
    assert.ok(existsSync(`${built}/iframe.html`), 'storybook-static/ is missing: run npm run build-storybook first');
    server = await startServer({ root, mounts: [{ prefix: '/', dir: built }] });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const story of STORIES) {
    it(`renders the poll story "${story}"`, async () => {
      const { page, errors, context } = await newVisitor(browser);
      await page.goto(new URL(`/iframe.html?id=widgets-poll--${story}&viewMode=story`, server.url).href);
      await page.waitForFunction(
        () => {
          const polls = [...document.querySelectorAll('gather-poll')];
          return polls.length > 0 && polls.every((poll) => poll.view != null && poll.shadowRoot?.querySelector('[part=base]'));
        },
        null,
        { timeout: 15_000 },
      );
      assert.deepEqual(errors.filter((error) => !error.includes('favicon')), []);
      await context.close();
    });
  }
});
