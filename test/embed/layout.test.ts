// Layout checks of issue 12, on the built embed as a site serves it: every widget reflows at 320 CSS
// pixels wide and at 200% zoom (a 1280-pixel window: 640 CSS pixels, device scale 2) with nothing
// wider than the viewport; visitors' words in another script take their own direction (dir="auto"
// or, in the thread, unicode-bidi: plaintext); `theme` on <gather-room> reaches the widgets inside
// that name none of their own; design tokens set on a widget (nothing on :root) or on any ancestor reach its parts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { RunningServer } from '../../src/server/serve.js';
import { WIDGETS, widgetsSettled, withServedPages } from './pages.js';

let server: RunningServer;
let browser: Browser;

/** A page in a context of its own with `options` (viewport, scale), its console errors collected. */
async function open(path: string, options: BrowserContextOptions = {}): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext(options);
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' }); // tsx's keepNames helper
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(new URL(path, server.url).href);
  return { page, errors, close: () => context.close() };
}

/** How far the page scrolls sideways, and every element in a widget whose box ends past the viewport's right edge. */
function overflow(page: Page) {
  return page.evaluate((tags) => {
    const width = document.documentElement.clientWidth;
    const wide: string[] = [];
    for (const widget of document.querySelectorAll(tags.join(','))) {
      for (const element of [widget, ...widget.shadowRoot!.querySelectorAll('*')]) {
        const box = element.getBoundingClientRect();
        if (box.width > 0 && box.right > width + 0.5) wide.push(`${widget.localName} ${element.localName}.${[...element.classList].join('.')} ends at ${Math.round(box.right)}px`);
      }
    }
    return { width, sideways: document.documentElement.scrollWidth - width, wide };
  }, [...WIDGETS]);
}

describe('layout', { timeout: 90_000 }, () => {
  withServedPages((started, launched) => ([server, browser] = [started, launched]));

  for (const [label, options] of [
    ['320 CSS pixels wide', { viewport: { width: 320, height: 640 } }],
    ['200% zoom (640 CSS pixels at device scale 2)', { viewport: { width: 640, height: 480 }, deviceScaleFactor: 2 }],
  ] as const) {
    it(`every widget reflows at ${label}: no sideways scroll, nothing past the edge`, async () => {
      const { page, errors, close } = await open('/layout.html', options);
      await widgetsSettled(page, WIDGETS);
      const { width, sideways, wide } = await overflow(page);
      assert.equal(width, options.viewport.width);
      assert.equal(sideways, 0, `the page scrolls sideways by ${sideways}px`);
      assert.deepEqual(wide, []);
      assert.deepEqual(errors, []);
      await close();
    });
  }

  it('visitors’ words in Arabic on an English page read right to left, each on its own', async () => {
    const { page, errors, close } = await open('/layout.html', { viewport: { width: 800, height: 800 } });
    await widgetsSettled(page, WIDGETS);
    await page.evaluate(() => (document.querySelector('gather-thread') as unknown as { comment(text: string): Promise<string> }).comment('نحن نوافق على ذلك'));
    await page.waitForFunction(() => [...document.querySelector('gather-thread')!.shadowRoot!.querySelectorAll('.text')].some((p) => p.textContent!.includes('نحن')), null, { timeout: 10_000 });
    const found = await page.evaluate(() => {
      const direction = (root: ShadowRoot, text: string) => {
        const element = [...root.querySelectorAll('[dir=auto]')].find((e) => e.textContent!.trim().startsWith(text));
        return element ? getComputedStyle(element).direction : 'not found';
      };
      const poll = document.querySelector('gather-poll')!.shadowRoot!;
      const signup = document.querySelector('gather-signup')!.shadowRoot!;
      const comment = [...document.querySelector('gather-thread')!.shadowRoot!.querySelectorAll('.text')].find((p) => p.textContent!.includes('نحن'))!;
      const range = document.createRange();
      range.selectNodeContents(comment);
      const [box, words] = [comment.getBoundingClientRect(), range.getBoundingClientRect()];
      return {
        pollArabic: direction(poll, 'قاعة'),
        pollEnglish: direction(poll, 'The community hall'),
        signupArabic: direction(signup, 'تعبئة'),
        signupEnglish: direction(signup, 'Pick-up drivers'),
        // The comment's words sit against its right edge, not its left.
        commentGapRight: box.right - words.right,
        commentGapLeft: words.left - box.left,
      };
    });
    assert.equal(found.pollArabic, 'rtl');
    assert.equal(found.pollEnglish, 'ltr');
    assert.equal(found.signupArabic, 'rtl');
    assert.equal(found.signupEnglish, 'ltr');
    assert.ok(found.commentGapRight < 2 && found.commentGapLeft > 100, `the Arabic comment is not set right to left: ${JSON.stringify(found)}`);
    assert.deepEqual(errors, []);
    await close();
  });

  it('theme on <gather-room> reaches the widgets inside, a widget’s own theme wins, and tokens set on a widget or any ancestor reach its parts', async () => {
    const { page, errors, close } = await open('/theme.html', { colorScheme: 'light' });
    await widgetsSettled(page, ['gather-poll']);
    const read = () =>
      page.evaluate(() => {
        const poll = (id: string) => document.getElementById(id)!;
        const vote = (id: string) => getComputedStyle(poll(id).shadowRoot!.querySelector('button[type=submit]')!);
        return {
          inherits: getComputedStyle(poll('inherits')).colorScheme,
          own: getComputedStyle(poll('own')).colorScheme,
          inheritsBackground: getComputedStyle(poll('inherits')).backgroundColor,
          brandedAccent: vote('branded').backgroundColor,
          brandedRadius: vote('branded').borderTopLeftRadius,
          rootToken: getComputedStyle(document.documentElement).getPropertyValue('--gather-color-accent'),
        };
      });
    const dark = await read();
    assert.equal(dark.inherits, 'dark', 'theme="dark" on the room');
    assert.notEqual(dark.inheritsBackground, 'rgba(0, 0, 0, 0)', 'a themed widget paints its own surface');
    assert.equal(dark.own, 'light', 'its own theme="light" wins over the room’s');
    assert.equal(dark.brandedAccent, 'rgb(154, 52, 18)');
    assert.equal(dark.brandedRadius, '0px');
    assert.equal(dark.rootToken, '', 'nothing is needed on :root');
    // Tokens set on an ancestor reach the widgets below it (over their dark defaults); a widget's own wins.
    const fromAbove = await page.evaluate(() => {
      document.documentElement.style.setProperty('--gather-color-accent', 'rgb(0, 128, 0)');
      (document.querySelector('gather-room') as HTMLElement).style.setProperty('--gather-radius-m', '5px');
      const vote = (id: string) => getComputedStyle(document.getElementById(id)!.shadowRoot!.querySelector('button[type=submit]')!);
      const found = { accent: vote('inherits').backgroundColor, radius: vote('own').borderTopLeftRadius, branded: vote('branded').backgroundColor };
      document.documentElement.style.removeProperty('--gather-color-accent');
      (document.querySelector('gather-room') as HTMLElement).style.removeProperty('--gather-radius-m');
      return found;
    });
    assert.deepEqual(fromAbove, { accent: 'rgb(0, 128, 0)', radius: '5px', branded: 'rgb(154, 52, 18)' });
    await page.evaluate(() => document.querySelector('gather-room')!.setAttribute('theme', 'light'));
    await page.waitForFunction(() => getComputedStyle(document.getElementById('inherits')!).colorScheme === 'light', null, { timeout: 5_000 });
    await page.evaluate(() => document.querySelector('gather-room')!.removeAttribute('theme'));
    await page.waitForFunction(() => getComputedStyle(document.getElementById('inherits')!).colorScheme === 'light dark', null, { timeout: 5_000 });
    assert.deepEqual(errors, []);
    await close();
  });
});
