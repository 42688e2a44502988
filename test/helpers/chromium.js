// Finds the Chromium that tests and benchmarks drive: CHROME_PATH, else Debian's package.
// Nothing here downloads a browser.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser'];

/** @returns {string} the path of a Chromium executable; throws a one-line how-to when there is none. */
export function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROME_PATH=${fromEnv} does not exist: point it at a Chromium or Chrome binary, or unset it to use Debian's (\`sudo apt-get install chromium\`).`);
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

// `node test/helpers/chromium.js`: the first step of `npm test`, so that a machine without Chromium
// hears how to get one in one line, before anything else runs.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    findChromium();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
