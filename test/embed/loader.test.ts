// The loader (dist/gather.js): a page with no Gather tag loads nothing but the loader; a widget
// with loading="lazy" loads its code only when it comes near the viewport; a widget added later loads.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../src/server/serve.js';
import { launchChromium, newVisitor } from '../helpers/browser.js';
import { servePages } from './pages.js';

let server: RunningServer;
let browser: Browser;

/** The scripts a page fetched from /dist/. */
function scriptsOf(page: Page): string[] {
  const fetched: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/dist/') && url.pathname.endsWith('.js')) fetched.push(url.pathname.replace(/-[0-9a-f]{12}\.js$/, '.js'));
  });
  return fetched;
}

describe('the loader', { timeout: 60_000 }, () => {
  before(async () => {
    server = await servePages();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('on a page with no Gather tag, loads nothing but itself; a widget the page adds later is loaded', async () => {
    const { page, errors, context } = await newVisitor(browser);
    const fetched = scriptsOf(page);
    await page.goto(new URL('/empty.html', server.url).href);
    await page.waitForLoadState('networkidle');
    assert.deepEqual(fetched, ['/dist/gather.js'], 'gather.js imports no chunk of its own');
    await page.evaluate(() => {
      const poll = document.createElement('gather-poll');
      poll.setAttribute('room', 'later');
      poll.setAttribute('name', 'later');
      poll.setAttribute('question', 'Added later?');
      poll.innerHTML = '<option value="yes">Yes</option>';
      document.body.append(poll);
    });
    await page.waitForFunction(() => (document.querySelector('gather-poll') as unknown as { view: unknown } | null)?.view != null, null, { timeout: 15_000 });
    assert.ok(fetched.includes('/dist/chunks/gather-poll.js'), fetched.join(' '));
    assert.ok(!fetched.includes('/dist/chunks/gather-thread.js'), 'nothing the page does not have');
    assert.deepEqual(errors.filter((e) => !e.includes('favicon')), []);
    await context.close();
  });

  it('loads a loading="lazy" widget only when it comes near the viewport', async () => {
    const { page, errors, context } = await newVisitor(browser);
    const fetched = scriptsOf(page);
    await page.goto(new URL('/lazy.html', server.url).href);
    await page.waitForLoadState('networkidle');
    assert.ok(!fetched.includes('/dist/chunks/gather-poll.js'), `loaded before it was near: ${fetched.join(' ')}`);
    assert.equal(await page.evaluate(() => customElements.get('gather-poll') === undefined), true);
    // Before its code arrives, the poll reads as its plain options.
    assert.match(await page.locator('gather-poll').innerText(), /Yes\s+No/);
    await page.locator('gather-poll').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => (document.querySelector('gather-poll') as unknown as { view: unknown } | null)?.view != null, null, { timeout: 15_000 });
    assert.ok(fetched.includes('/dist/chunks/gather-poll.js'));
    assert.deepEqual(errors.filter((e) => !e.includes('favicon')), []);
    await context.close();
  });
});
