// Issue 12: "Two copies of the script on one page do not break anything." A page loading gather.js
// twice, from two URLs (/dist/ and /copy/dist/: two copies of every module), with a poll whose
// markup has two mistakes (a duplicate <option>, for the loader's diagnostics; a bad ice-transport,
// for the room options'): the poll upgrades and takes a vote, each diagnostic is told once (and the
// second copy says once that it stands aside), nothing is said in console.error (a second Yjs would
// be) and nothing throws.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../src/server/serve.js';
import { newVisitor } from '../helpers/browser.js';
import { widgetsSettled, withServedPages } from './pages.js';

let server: RunningServer;
let browser: Browser;

describe('two copies of the script', { timeout: 60_000 }, () => {
  withServedPages((started, launched) => ([server, browser] = [started, launched]));

  it('the poll works, and each diagnostic is told once', async () => {
    const { page, errors, context } = await newVisitor(browser);
    const warnings: string[] = [];
    const scripts = new Set<string>();
    page.on('console', (message) => void (message.type() === 'warning' && message.text().startsWith('gather:') && warnings.push(message.text())));
    page.on('request', (request) => void (new URL(request.url()).pathname.endsWith('/gather.js') && scripts.add(new URL(request.url()).pathname)));
    await page.goto(new URL('/two-copies.html', server.url).href);
    await widgetsSettled(page, ['gather-poll']);
    assert.deepEqual([...scripts].sort(), ['/copy/dist/gather.js', '/dist/gather.js'], 'both copies loaded');
    const offered = await page.evaluate(() => [...document.querySelector('gather-poll')!.shadowRoot!.querySelectorAll('input[type=radio]')].map((input) => (input as HTMLInputElement).value));
    assert.deepEqual(offered, ['soup', 'pie']);
    // A vote, as a visitor casts it.
    await page.locator('gather-poll input[type=radio][value=pie]').check();
    await page.locator('gather-poll button[type=submit]').click();
    await page.waitForFunction(() => (document.querySelector('gather-poll') as unknown as { view: { mine: unknown; total: number } }).view.mine === 'pie', null, { timeout: 10_000 });
    await page.waitForTimeout(500); // anything the second copy's code would still say
    for (const pattern of [
      /^gather: <gather-poll name="lunch"> has two <option>s with the value "soup"; the second is left out\./,
      /^gather: ignoring ice-transport="sideways"/,
    ]) {
      assert.equal(warnings.filter((text) => pattern.test(text)).length, 1, `${pattern} once in:\n${warnings.join('\n')}`);
    }
    assert.equal(warnings.filter((text) => /^gather: gather\.js is on this page twice \(http:.*\/dist\/gather\.js and http:.*\/copy\/dist\/gather\.js\); the second copy does nothing\./.test(text)).length, 1, warnings.join('\n'));
    assert.deepEqual(warnings.filter((text, i) => warnings.indexOf(text) !== i), [], `no diagnostic twice:\n${warnings.join('\n')}`);
    // The loader's and the room options' once-only record is the page's, under one key.
    const recorded = await page.evaluate(() => [...((globalThis as unknown as Record<symbol, Set<string>>)[Symbol.for('gather.warned')] ?? [])]);
    assert.deepEqual(recorded.sort(), [...warnings].sort());
    assert.deepEqual(errors, []);
    await context.close();
  });
});
