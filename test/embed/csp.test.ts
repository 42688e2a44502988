// A strict host page: every widget under the Content-Security-Policy the README gives (no eval, no
// inline script or style, Trusted Types required) renders, works — a vote, a signup, a comment —
// and causes no securitypolicyviolation event; and a room of 1,000+ signed ballots is checked in the
// verifier's workers there (their own file, through the `gather` Trusted Types policy), not on the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../src/server/serve.js';
import { ballots } from '../helpers/ballots.js';
import { launchChromium, newVisitor, type Visitor } from '../helpers/browser.js';
import { keeperHolding, type LocalKeeper } from '../server/keeper-helpers.js';
import { pagesServed, servePages, widgetsSettled, WIDGETS } from './pages.js';

/** The policy the README tells a site to send (section "Strict pages: Content-Security-Policy"), word for word. */
export const POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; " +
  "require-trusted-types-for 'script'; trusted-types lit-html gather";

/** Records every CSP violation (an init script runs before the page's own and is not subject to its policy). */
const RECORD_VIOLATIONS = `(() => {
  globalThis.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    globalThis.cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber + ' ' + e.sample);
  });
})();`;

/**
 * Records the page's workers in `workersSeen`: the URL each was started from, and how many answers
 * they sent (a verifier worker answers each chunk of signatures it checked).
 */
const RECORD_WORKERS = `(() => {
  const seen = (globalThis.workersSeen = { started: [], answers: 0 });
  const Native = globalThis.Worker;
  globalThis.Worker = class extends Native {
    constructor(url, options) {
      super(url, options);
      seen.started.push(String(url));
      this.addEventListener('message', () => seen.answers++);
    }
  };
})();`;

let server: RunningServer;
let browser: Browser;
let visitor: Visitor;

describe('a page under a strict Content-Security-Policy', { timeout: 60_000 }, () => {
  before(async () => {
    server = await servePages({ '/csp.html': { 'content-security-policy': POLICY } });
    browser = await launchChromium();
    visitor = await newVisitor(browser);
    await visitor.context.addInitScript({ content: RECORD_VIOLATIONS });
    const response = await visitor.page.goto(new URL('/csp.html', server.url).href);
    assert.equal(response?.headers()['content-security-policy'], POLICY);
    await widgetsSettled(visitor.page, WIDGETS);
  });

  after(async () => {
    await visitor?.context.close();
    await browser?.close();
    await server?.close();
  });

  const violations = () => visitor.page.evaluate(() => (globalThis as unknown as { cspViolations: string[] }).cspViolations);

  it('enforces the policy (an inline script is refused and reported)', async () => {
    const ran = await visitor.page.evaluate(() => {
      try {
        const script = document.createElement('script');
        script.textContent = 'globalThis.inlineRan = true'; // Trusted Types refuses a plain string here
        document.body.append(script); // and script-src would refuse to run it
      } catch {
        // refused
      }
      return (globalThis as unknown as { inlineRan?: boolean }).inlineRan === true;
    });
    assert.equal(ran, false);
    const seen = await violations();
    assert.ok(seen.length > 0, 'the probe caused no violation: the policy is not in force');
    await visitor.page.evaluate(() => ((globalThis as unknown as { cspViolations: string[] }).cspViolations = []));
    visitor.errors.length = 0; // the probe's own console message
  });

  it('renders every widget with its styles (adopted stylesheets) and no violation', async () => {
    const styled = await visitor.page.evaluate((tags) => tags.map((tag) => document.querySelector(tag)!.shadowRoot!.adoptedStyleSheets.length > 0), WIDGETS);
    assert.deepEqual(styled, WIDGETS.map(() => true));
    const primary = await visitor.page.locator('gather-poll').getByRole('button', { name: 'Vote' }).evaluate((button) => getComputedStyle(button).backgroundColor);
    assert.notEqual(primary, 'rgba(0, 0, 0, 0)', 'the poll is unstyled');
    assert.deepEqual(await violations(), []);
  });

  it('works: a vote, a signup and a comment, still with no violation', async () => {
    const { page } = visitor;
    const poll = page.locator('gather-poll');
    await poll.getByRole('radio', { name: 'Thursday, 6:30 pm' }).check();
    await poll.getByRole('button', { name: 'Vote' }).click();
    await page.waitForFunction(() => (document.querySelector('gather-poll') as unknown as { view: { total: number } }).view.total === 1);

    const signup = page.locator('gather-signup');
    await signup.getByRole('button', { name: 'Sign up for Pick-up drivers' }).click();
    await signup.getByLabel('Your name').fill('Ana');
    await signup.locator('form button[type=submit]').click();
    await page.waitForFunction(() => (document.querySelector('gather-signup') as unknown as { view: { slots: { confirmed: unknown[] }[] } }).view.slots[0]!.confirmed.length === 1);

    const thread = page.locator('gather-thread');
    await thread.getByLabel('Your comment').fill('Yes, if 30 households sign on. https://example.org/' + 'x'.repeat(200));
    await thread.getByRole('button', { name: 'Post comment' }).click();
    await page.waitForFunction(() => (document.querySelector('gather-thread') as unknown as { view: { comments: unknown[] } }).view.comments.length === 1);

    assert.deepEqual(await violations(), []);
    assert.deepEqual(visitor.errors.filter((error) => /Content Security Policy|TrustedScript|Trusted Type/i.test(error)), []);
  });
});

describe('a large room on a page under a strict Content-Security-Policy', { timeout: 120_000 }, () => {
  /** Ballots in the room: enough for a first sync to start the verifier's workers (WARM_MIN_JOBS, src/identity/verification.ts). */
  const COUNT = 1000;
  let keeper: LocalKeeper;
  let chromium: Browser;
  let large: Visitor;

  before(async () => {
    // The keeper holds the room (as a site's `gather serve` would) beside the page, which names it (data-keeper="/sync").
    const state = await ballots('strict-large', COUNT, ['tue', 'thu']);
    keeper = await keeperHolding('strict-large', state, pagesServed({ '/csp-large.html': { 'content-security-policy': POLICY } }));
    chromium = await launchChromium();
    large = await newVisitor(chromium);
    await large.context.addInitScript({ content: RECORD_VIOLATIONS });
    await large.context.addInitScript({ content: RECORD_WORKERS });
  });

  after(async () => {
    await large?.context.close();
    await chromium?.close();
    await keeper?.close();
  });

  it('checks a first sync of 1,000 signed ballots in the verifier workers, from their file in dist/chunks, with no violation', async () => {
    const { page } = large;
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));
    const response = await page.goto(new URL('/csp-large.html', keeper.running.url).href);
    assert.equal(response?.headers()['content-security-policy'], POLICY);
    await page.waitForFunction((count) => (document.querySelector('gather-poll') as unknown as { view?: { total: number } } | null)?.view?.total === count, COUNT, { timeout: 60_000 });
    const counts = await page.evaluate(() => (document.querySelector('gather-poll') as unknown as { view: { options: { id: string; count: number }[] } }).view.options.map(({ id, count }) => [id, count]));
    assert.deepEqual(counts, [
      ['tue', COUNT / 2],
      ['thu', COUNT / 2],
    ]);
    const seen = await page.evaluate(() => (globalThis as unknown as { workersSeen: { started: string[]; answers: number } }).workersSeen);
    assert.ok(seen.started.length > 0, 'no verifier worker started: the page checked every signature itself');
    for (const url of [...seen.started, ...workers]) assert.match(url, /\/dist\/chunks\/verifier-worker-[0-9a-f]{12}\.js$/);
    assert.ok(seen.answers > 0, 'the workers started but checked nothing');
    assert.deepEqual(await page.evaluate(() => (globalThis as unknown as { cspViolations: string[] }).cspViolations), []);
    assert.deepEqual(large.errors.filter((error) => /Content Security Policy|TrustedScript|Trusted Type|worker/i.test(error)), []);
  });
});
