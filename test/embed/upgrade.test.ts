// Issue 12: "Before its code arrives a widget shows its plain-HTML content … and its upgrade never
// shifts the page layout." A poll (its question a child <legend>, three options) above a paragraph:
// the layout-shift entries (PerformanceObserver, buffered) from the page's load until the poll has
// upgraded, attached its room and model, and painted again add up to 0. The widget's code is held
// back 300 ms so that its plain HTML is surely painted first (on a fast local server it could come
// before the first paint, and there would be nothing to measure).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../src/server/serve.js';
import { newVisitor } from '../helpers/browser.js';
import { withServedPages } from './pages.js';

let server: RunningServer;
let browser: Browser;

/** Collects the page's layout shifts, and the poll's height in each frame before and after its upgrade. */
const WATCH = `(() => {
  globalThis.layoutShifts = [];
  globalThis.pollFrames = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      layoutShifts.push({ value: entry.value, at: Math.round(entry.startTime), moved: entry.sources.map((s) => \`\${s.node?.nodeName} \${Math.round(s.previousRect.y)} -> \${Math.round(s.currentRect.y)}\`) });
    }
  }).observe({ type: 'layout-shift', buffered: true });
  const frame = () => {
    const poll = document.querySelector('gather-poll');
    if (poll) pollFrames.push({ defined: customElements.get('gather-poll') !== undefined, height: poll.getBoundingClientRect().height, question: poll.querySelector('legend')?.getBoundingClientRect().height ?? 0 });
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;

describe('the upgrade', { timeout: 60_000 }, () => {
  withServedPages((started, launched) => ([server, browser] = [started, launched]));

  for (const width of [1280, 360]) {
    it(`shifts nothing on the page: plain HTML first, then the poll, its room attached (${width} CSS pixels wide)`, async () => {
      const { page, errors, context } = await newVisitor(browser);
      await page.setViewportSize({ width, height: 900 });
      await context.addInitScript({ content: WATCH });
      await page.route('**/dist/chunks/**', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        await route.continue();
      });
      await page.goto(new URL('/upgrade.html', server.url).href);
      await page.waitForFunction(() => {
        const poll = document.querySelector('gather-poll') as (Element & { view?: unknown; status?: { state: string } }) | null;
        return poll?.view != null && poll.status?.state !== 'connecting' && poll.shadowRoot?.querySelector('fieldset legend')?.textContent?.trim() !== '';
      }, null, { timeout: 15_000 });
      // Later states that come without any input (the status line's words once connected): a while longer, then two frames.
      await page.waitForTimeout(1000);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const { shifts, frames, question } = await page.evaluate(() => ({
        shifts: (globalThis as unknown as { layoutShifts: { value: number; at: number; moved: string[] }[] }).layoutShifts,
        frames: (globalThis as unknown as { pollFrames: { defined: boolean; height: number; question: number }[] }).pollFrames,
        question: document.querySelector('gather-poll')!.shadowRoot!.querySelector('fieldset legend')!.textContent!.trim(),
      }));
      const before = frames.filter((frame) => !frame.defined);
      const after = frames.filter((frame) => frame.defined);
      assert.ok(before.length > 0, 'the plain HTML was never painted before the code came');
      assert.ok(before.at(-1)!.question > 0, 'the question shows before the code comes');
      assert.equal(question, 'Which evening works for the December assembly?');
      const total = shifts.reduce((sum, shift) => sum + shift.value, 0);
      assert.equal(total, 0, `layout shifts ${JSON.stringify(shifts)}; the poll's height before its code ${before.at(-1)!.height}px, after ${[...new Set(after.map((frame) => frame.height))].join(', ')}px`);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});
