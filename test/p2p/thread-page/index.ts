// The thread's p2p page (./page.ts), served by the test server at /__thread/ (test/helpers/test-page.ts).
import type { RequestHandler } from '../../../src/server/serve.js';
import { testPageRequests } from '../../helpers/test-page.js';

/** Where the page is served. */
export const THREAD_PAGE = '/__thread/';

/** The test server's handlers for the page: pass them as `startServer({ requests })`. */
export function threadPageRequests(): Promise<Record<string, RequestHandler>> {
  return testPageRequests(new URL('./page.ts', import.meta.url), THREAD_PAGE, 'thread');
}
