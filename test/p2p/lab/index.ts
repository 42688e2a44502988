// The transport tests' page (./page.ts), served by the test server at /__lab/ (test/helpers/test-page.ts).
import type { Browser } from 'playwright-core';
import type { RequestHandler } from '../../../src/server/serve.js';
import { newVisitor, type Visitor } from '../../helpers/browser.js';
import { testPageRequests } from '../../helpers/test-page.js';

/** The test server's handlers for the lab page: pass them as `startServer({ requests })`. */
export function labRequests(): Promise<Record<string, RequestHandler>> {
  return testPageRequests(new URL('./page.ts', import.meta.url), '/__lab/', 'lab');
}

/** A visitor (own browser context) on the lab page of `serverUrl`, once `window.lab` is there. */
export async function openLab(browser: Browser, serverUrl: string): Promise<Visitor> {
  const visitor = await newVisitor(browser);
  await visitor.page.goto(new URL('/__lab/', serverUrl).href);
  await visitor.page.waitForFunction(() => 'lab' in window, null, { timeout: 10_000 });
  return visitor;
}
