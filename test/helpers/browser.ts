// Drives Debian's Chromium with playwright-core for tests and benchmarks that need several
// separate browser contexts (separate storage, no shared BroadcastChannel): p2p tests, bench.
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { chromiumArgs, findChromium } from './chromium.js';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), headless: true, args: chromiumArgs });
}

/** A page in a context of its own, recording every console error and uncaught exception. */
export interface Visitor {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly errors: string[];
}

export async function newVisitor(browser: Browser): Promise<Visitor> {
  const context = await browser.newContext();
  // tsx compiles these files with esbuild's keepNames, which wraps named inner functions of the
  // callbacks we hand to page.evaluate in `__name(…)`: give the page a no-op of that helper.
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return { context, page, errors };
}
