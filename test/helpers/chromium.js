// Finds the Chromium that tests and benchmarks drive: CHROME_PATH, else Debian's package.
// Nothing here downloads a browser.
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser'];

/** @returns {string} the path of a Chromium executable; throws a one-line how-to when there is none. */
export function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROME_PATH=${fromEnv} does not exist.`);
  }
  const found = CANDIDATES.find((path) => existsSync(path));
  if (found) return found;
  throw new Error('No Chromium found: install Debian\'s with `sudo apt-get install chromium`, or set CHROME_PATH to a Chromium or Chrome binary.');
}

/** Flags for headless Chromium in tests: root needs --no-sandbox; no background traffic to any host. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];
