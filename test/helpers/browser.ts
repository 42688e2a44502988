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

/**
 * An init script that hands every RTCDataChannel of the page to `track` (JavaScript source of a
 * `(channel) => …` function; `setup`, source run once before), by wrapping the real
 * RTCPeerConnection (the peer layer, src/room/peer/native-peer.ts, looks it up when each peer is
 * made).
 */
export const watchDataChannels = (setup: string, track: string): string => `(() => {
  const Native = globalThis.RTCPeerConnection;
  if (!Native) return;
  ${setup}
  const track = ${track};
  globalThis.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('datachannel', (event) => track(event.channel));
    }
    createDataChannel(...args) {
      const channel = super.createDataChannel(...args);
      track(channel);
      return channel;
    }
  };
})();`;

/** Counts the page's open RTCDataChannels in `window.openDataChannels`, so that a test can tell that data arrived over WebRTC. */
const COUNT_DATA_CHANNELS = watchDataChannels(
  'globalThis.openDataChannels = 0;',
  `(channel) => {
    const opened = () => { globalThis.openDataChannels++; channel.addEventListener('close', () => globalThis.openDataChannels--, { once: true }); };
    if (channel.readyState === 'open') opened(); else channel.addEventListener('open', opened, { once: true });
  }`,
);

export async function newVisitor(browser: Browser): Promise<Visitor> {
  const context = await browser.newContext();
  // tsx compiles these files with esbuild's keepNames, which wraps named inner functions of the
  // callbacks we hand to page.evaluate in `__name(…)`: give the page a no-op of that helper.
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  await context.addInitScript({ content: COUNT_DATA_CHANNELS });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return { context, page, errors };
}
