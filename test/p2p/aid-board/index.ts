// The aid board's p2p page (./page.ts), served by the test server at /__aid/ (test/helpers/test-page.ts).
import type { Browser } from 'playwright-core';
import type { RequestHandler } from '../../../src/server/serve.js';
import { newVisitor, type Visitor } from '../../helpers/browser.js';
import { testPageRequests } from '../../helpers/test-page.js';

/** The test server's handlers for the page: pass them as `startServer({ requests })`. */
export function aidBoardRequests(): Promise<Record<string, RequestHandler>> {
  return testPageRequests(new URL('./page.ts', import.meta.url), '/__aid/', 'aid board');
}

/** A visitor (own browser context) on the aid board page of `serverUrl`, in `room`, once its board has loaded. */
export async function openAidBoard(browser: Browser, serverUrl: string, room: string): Promise<Visitor> {
  const visitor = await newVisitor(browser);
  await visitor.page.goto(new URL(`/__aid/?room=${encodeURIComponent(room)}`, serverUrl).href);
  await visitor.page.waitForFunction(() => 'aidLab' in window && document.querySelector('gather-aid-board')?.view != null, null, { timeout: 20_000 });
  return visitor;
}
