// Issue 12: "Before its code arrives a widget shows its plain-HTML content … and its upgrade never
// shifts the page layout." Each page holds one widget above a paragraph: the layout-shift entries
// (PerformanceObserver, buffered) from the page's load until the widget has upgraded, attached its
// room and model, and painted again add up to 0, at 1280 and 360 CSS pixels. The widgets' code is
// held back 300 ms so that their plain HTML is surely painted first (on a fast local server it
// could come before the first paint, and there would be nothing to measure).
//
// Every poll kind (single, multiple, ranked, score, consent, time), a poll whose results always
// show, a signup sheet with its slots, an aid board and a thread. (Not yet: a page that names a
// keeper, whose status line, once the keeper has synced, says two things and takes two lines at
// 360 px: the widget's first render does not know yet that a keeper is named.) Each room is empty, and stays
// so: what is measured is the upgrade, from the plain HTML to the widget's first render with no
// entries (and its status line once connected). A room whose entries arrive later grows as they
// come; that growth is content loading, not the upgrade's shift, and is not what this test sums —
// which is why no page here has anyone else in its room, and why the sum must be exactly 0.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, newVisitor } from '../helpers/browser.js';
import { startLocalKeeper, type LocalKeeper } from '../server/keeper-helpers.js';
import { pagesServed, widgetsSettled } from './pages.js';

let server: LocalKeeper;
let browser: Browser;

/** Collects the page's layout shifts, and the widget's height in each frame before and after its upgrade. */
const watch = (tag: string): string => `(() => {
  globalThis.layoutShifts = [];
  globalThis.widgetFrames = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      layoutShifts.push({ value: entry.value, at: Math.round(entry.startTime), moved: entry.sources.map((s) => \`\${s.node?.nodeName} \${Math.round(s.previousRect.y)} -> \${Math.round(s.currentRect.y)}\`) });
    }
  }).observe({ type: 'layout-shift', buffered: true });
  const frame = () => {
    const widget = document.querySelector('${tag}');
    if (widget) widgetFrames.push({ defined: customElements.get('${tag}') !== undefined, height: widget.getBoundingClientRect().height, shown: widget.getBoundingClientRect().height > 0 });
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;

/** Each page (test/embed/pages/), its widget, and what it is. */
const CASES: readonly { page: string; tag: string; what: string }[] = [
  { page: 'upgrade.html', tag: 'gather-poll', what: 'a single-choice poll (its question a child <legend>)' },
  { page: 'upgrade-multiple.html', tag: 'gather-poll', what: 'a multiple-choice poll (at most 2)' },
  { page: 'upgrade-ranked.html', tag: 'gather-poll', what: 'a ranked poll' },
  { page: 'upgrade-score.html', tag: 'gather-poll', what: 'a score poll (1 to 5)' },
  { page: 'upgrade-consent.html', tag: 'gather-poll', what: 'a consent poll (no options)' },
  { page: 'upgrade-time.html', tag: 'gather-poll', what: 'a time poll' },
  { page: 'upgrade-always.html', tag: 'gather-poll', what: 'a poll whose results always show' },
  { page: 'upgrade-signup.html', tag: 'gather-signup', what: 'a signup sheet with two slots' },
  { page: 'upgrade-aid-board.html', tag: 'gather-aid-board', what: 'an aid board' },
  { page: 'upgrade-thread.html', tag: 'gather-thread', what: 'a thread' },
];

describe('the upgrade', { timeout: 120_000 }, () => {
  before(async () => {
    server = await startLocalKeeper({}, pagesServed());
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const { page: path, tag, what } of CASES) {
    for (const width of [1280, 360]) {
      it(`shifts nothing on the page: ${what}, plain HTML first, then the widget, its room attached (${width} CSS pixels wide)`, async () => {
        const { page, errors, context } = await newVisitor(browser);
        await page.setViewportSize({ width, height: 900 });
        await context.addInitScript({ content: watch(tag) });
        await page.route('**/dist/chunks/**', async (route) => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          await route.continue();
        });
        await page.goto(new URL(`/${path}`, server.running.url).href);
        await widgetsSettled(page, [tag]);
        // Later states that come without any input (the status line's words once connected): a while longer, then two frames.
        await page.waitForTimeout(1000);
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        const { shifts, frames } = await page.evaluate(() => ({
          shifts: (globalThis as unknown as { layoutShifts: { value: number; at: number; moved: string[] }[] }).layoutShifts,
          frames: (globalThis as unknown as { widgetFrames: { defined: boolean; height: number; shown: boolean }[] }).widgetFrames,
        }));
        const before = frames.filter((frame) => !frame.defined);
        const after = frames.filter((frame) => frame.defined);
        assert.ok(before.length > 0, 'the plain HTML was never painted before the code came');
        assert.ok(before.at(-1)!.shown, 'the plain content shows before the code comes');
        const total = shifts.reduce((sum, shift) => sum + shift.value, 0);
        assert.equal(total, 0, `layout shifts ${JSON.stringify(shifts)}; the widget's height before its code ${before.at(-1)!.height}px, after ${[...new Set(after.map((frame) => frame.height))].join(', ')}px`);
        assert.deepEqual(errors, []);
        await context.close();
      });
    }
  }
});
