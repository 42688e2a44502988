// The trust p2p page (./page.ts), served by the test server at /__trust/?room=…&organizer=… (test/helpers/test-page.ts).
import type { RequestHandler } from '../../../src/server/serve.js';
import { testPageRequests } from '../../helpers/test-page.js';

/** The test server's handlers for the page: pass them as `startServer({ requests })`. */
export function trustPageRequests(): Promise<Record<string, RequestHandler>> {
  return testPageRequests(new URL('./page.ts', import.meta.url), '/__trust/', 'trust p2p');
}
