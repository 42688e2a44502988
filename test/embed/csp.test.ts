// A strict host page: every widget under the Content-Security-Policy the README gives (no eval, no
// inline script or style, Trusted Types required) renders, works — a vote, a signup, a comment —
// and causes no securitypolicyviolation event.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../src/server/serve.js';
import { launchChromium, newVisitor, type Visitor } from '../helpers/browser.js';
import { servePages, widgetsSettled, WIDGETS } from './pages.js';

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
