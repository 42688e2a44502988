// Site-owner diagnostics from the markup (issue 12): duplicate and empty <option>s, two widgets of
// one kind with one name in one room, a widget with no name, and a members-only widget naming no
// organizer each say so once in the console, with the fix, and nothing else is said about a page
// that is otherwise right.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../src/server/serve.js';
import { newVisitor } from '../helpers/browser.js';
import { widgetsSettled, withServedPages } from './pages.js';

let server: RunningServer;
let browser: Browser;

describe('diagnostics from the markup', { timeout: 60_000 }, () => {
  withServedPages((started, launched) => ([server, browser] = [started, launched]));

  it('each misconfiguration is told once, and the widgets still work', async () => {
    const { page, errors, context } = await newVisitor(browser);
    const warnings: string[] = [];
    page.on('console', (message) => void (message.type() === 'warning' && message.text().startsWith('gather:') && warnings.push(message.text())));
    await page.goto(new URL('/diagnostics.html', server.url).href);
    await widgetsSettled(page, ['gather-poll', 'gather-signup']);
    // A poll added later with the same name in the same room, and an option added to a poll later.
    await page.evaluate(() => {
      const poll = document.createElement('gather-poll');
      poll.setAttribute('name', 'dinner');
      poll.setAttribute('room', 'diagnostics-page');
      poll.innerHTML = '<option value="stew">Stew</option>';
      document.body.append(poll);
      document.querySelector('gather-poll[name=dinner]')!.append(Object.assign(document.createElement('option'), { value: 'cake' }));
    });
    await widgetsSettled(page, ['gather-poll']);
    const expected = [
      /^gather: <gather-poll name="lunch"> has two <option>s with the value "soup"; the second is left out\. Give each option its own value\.$/,
      /^gather: <gather-poll name="lunch"> has an <option> with no text, which is left out\./,
      /^gather: <gather-poll name="lunch"> has an <option> with no value, which is left out\./,
      /^gather: <gather-poll name="dinner"> has an <option> with no text, which is left out\./,
      /^gather: two <gather-poll name="lunch"> in room "diagnostics-page": they share their entries/,
      /^gather: two <gather-poll name="dinner"> in room "diagnostics-page": they share their entries/,
      /^gather: a <gather-signup> has no name="…", so it keeps its entries under "saturday-food-drive"/,
      /^gather: <gather-poll name="breakfast"> is members-only but names no organizer, so nobody can be invited .* Add organizer="<public key>"/,
    ];
    for (const pattern of expected) assert.equal(warnings.filter((text) => pattern.test(text)).length, 1, `${pattern} once in:\n${warnings.join('\n')}`);
    assert.equal(warnings.length, expected.length, `nothing more:\n${warnings.join('\n')}`);
    // The options left out are the ones told about: the first poll offers Soup and Pie.
    const offered = await page.evaluate(() => [...document.querySelector('gather-poll')!.shadowRoot!.querySelectorAll('input[type=radio]')].map((input) => (input as HTMLInputElement).value));
    assert.deepEqual(offered, ['soup', 'pie']);
    assert.deepEqual(errors.filter((e) => !e.includes('favicon')), []);
    await context.close();
  });
});
