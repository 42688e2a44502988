// The hostile-stylesheet page (pages/hostile.css: resets, `* { box-sizing: content-box }`,
// `* { font: 20px serif !important }`, huge `button` rules, `all: unset` on common tags, inherited
// uppercase/centred/nowrap text): every widget still renders as it should. Checked in the DOM,
// then as a screenshot against the reviewed reference beside this file (hostile.reference.png;
// UPDATE_REFERENCE=1 writes a new one — look at it before committing it).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../src/server/serve.js';
import { launchChromium, newVisitor, type Visitor } from '../helpers/browser.js';
import { pngDifference, servePages, widgetsSettled, WIDGETS } from './pages.js';

const REFERENCE = fileURLToPath(new URL('./hostile.reference.png', import.meta.url));
/** Share of pixels allowed to differ (anti-aliasing, a caret): small, so a broken layout cannot hide in it. */
const TOLERANCE = 0.005;

let server: RunningServer;
let browser: Browser;
let visitor: Visitor;

describe('a hostile host stylesheet', { timeout: 60_000 }, () => {
  before(async () => {
    server = await servePages();
    browser = await launchChromium();
    visitor = await newVisitor(browser);
    await visitor.context.close();
    // Fixed size, language, zone and scheme: the screenshot must not depend on the machine's.
    const context = await browser.newContext({ viewport: { width: 680, height: 900 }, locale: 'en-US', timezoneId: 'America/New_York', colorScheme: 'light', reducedMotion: 'reduce' });
    await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    visitor = { context, page, errors };
    await page.goto(new URL('/hostile.html', server.url).href);
    await widgetsSettled(page, WIDGETS);
  });

  after(async () => {
    await visitor?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('keeps each widget inside the page, in its own button and text styles, with nothing overflowing', async () => {
    const report = await visitor.page.evaluate((tags) => {
      return tags.map((tag) => {
        const widget = document.querySelector(tag)!;
        const root = widget.shadowRoot!;
        const base = root.querySelector<HTMLElement>('[part~=base]')!;
        const button = root.querySelector('button');
        const buttonStyle = button ? getComputedStyle(button) : null;
        const text = root.querySelector('legend, h2, h3, p')!;
        return {
          tag,
          width: widget.getBoundingClientRect().width,
          overflow: base.scrollWidth - base.clientWidth,
          buttonBackground: buttonStyle?.backgroundColor ?? null,
          buttonFontSize: buttonStyle?.fontSize ?? null,
          buttonBorder: buttonStyle?.borderTopStyle ?? null,
          textTransform: getComputedStyle(text).textTransform,
          whiteSpace: getComputedStyle(text).whiteSpace,
          textAlign: getComputedStyle(text).textAlign,
        };
      });
    }, WIDGETS);
    for (const widget of report) {
      assert.ok(widget.width > 300 && widget.width <= 640, `${widget.tag} is ${widget.width}px wide`);
      assert.ok(widget.overflow <= 1, `${widget.tag} overflows by ${widget.overflow}px`);
      assert.notEqual(widget.buttonBackground, 'rgb(255, 0, 0)', `${widget.tag}: the page's red buttons`);
      assert.notEqual(widget.buttonFontSize, '40px', `${widget.tag}: the page's huge buttons`);
      assert.notEqual(widget.buttonBorder, 'dashed', `${widget.tag}: the page's dashed borders`);
      assert.equal(widget.textTransform, 'none', `${widget.tag}: the page's uppercase`);
      assert.equal(widget.whiteSpace, 'normal', `${widget.tag}: the page's nowrap`);
      assert.ok(['start', 'left'].includes(widget.textAlign), `${widget.tag}: the page's centring (${widget.textAlign})`);
    }
    assert.deepEqual(visitor.errors, []);
  });

  it('looks as the reviewed reference does', async () => {
    await visitor.page.evaluate(() => document.fonts.ready);
    const shot = await visitor.page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide' });
    if (process.env.UPDATE_REFERENCE === '1' || !existsSync(REFERENCE)) {
      writeFileSync(REFERENCE, shot);
      assert.ok(process.env.UPDATE_REFERENCE === '1', `no reference yet: wrote ${REFERENCE}; look at it, then commit it`);
      return;
    }
    const difference = await pngDifference(browser, shot, readFileSync(REFERENCE));
    if (!difference.sameSize || difference.differing > TOLERANCE) writeFileSync(REFERENCE.replace('.reference.png', '.actual.png'), shot);
    assert.ok(difference.sameSize, `the page is ${difference.width}×${difference.height} now, not the reference's size (see hostile.actual.png)`);
    assert.ok(difference.differing <= TOLERANCE, `${(difference.differing * 100).toFixed(2)}% of pixels differ from the reference (see hostile.actual.png)`);
  });
});
