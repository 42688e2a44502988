// The hostile-peer p2p page (./page.ts), served by the test server at /__hostile/?room=…&organizer=…[&hostile=1]
// (test/helpers/test-page.ts).
import type { RequestHandler } from '../../../src/server/serve.js';
import { testPageRequests } from '../../helpers/test-page.js';

/** Where the page is served. */
export const HOSTILE_PAGE = '/__hostile/';

/** The test server's handlers for the page: pass them as `startServer({ requests })`. */
export function hostilePageRequests(): Promise<Record<string, RequestHandler>> {
  return testPageRequests(new URL('./page.ts', import.meta.url), HOSTILE_PAGE, 'hostile p2p');
}
