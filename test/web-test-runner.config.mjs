// Browser tests (components, stories, IndexedDB) in Debian's headless Chromium.
// Run from the project root: web-test-runner --config test/web-test-runner.config.mjs
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { findChromium, chromiumArgs } from './helpers/chromium.js';

/**
 * y-webrtc imports `simple-peer/simplepeer.min.js`: serve our native peer in its place, as the
 * rollup build and Storybook do (src/room/peer/native-peer.ts).
 */
export const nativePeerAlias = {
  name: 'native-peer-alias',
  resolveImport({ source }) {
    if (source === 'simple-peer/simplepeer.min.js') return '/src/room/peer/native-peer.ts';
  },
};

/**
 * `executeServerCommand('emulate-touch', { enabled })`: a touch screen, through CDP, so that
 * `(pointer: coarse)` matches (Emulation.setEmulatedMedia does not emulate `pointer`). The CDP
 * session is kept per page: its overrides end with it.
 */
const touchSessions = new WeakMap();
export const touchEmulation = {
  name: 'emulate-touch',
  async executeCommand({ command, payload, session }) {
    if (command !== 'emulate-touch') return undefined;
    const page = session.browser.getPage(session.id);
    let cdp = touchSessions.get(page);
    if (cdp === undefined) touchSessions.set(page, (cdp = await page.context().newCDPSession(page)));
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: payload.enabled === true, maxTouchPoints: 1 });
    return true;
  },
};

/**
 * `executeServerCommand('emulate-media', { forcedColors, reducedMotion })`: `'active'` / `'none'`,
 * `'reduce'` / `'no-preference'` (Playwright's page.emulateMedia, Emulation.setEmulatedMedia
 * underneath); `null` for either goes back to the browser's own.
 */
export const mediaEmulation = {
  name: 'emulate-media',
  async executeCommand({ command, payload, session }) {
    if (command !== 'emulate-media') return undefined;
    const page = session.browser.getPage(session.id);
    await page.emulateMedia({ forcedColors: payload.forcedColors ?? null, reducedMotion: payload.reducedMotion ?? null });
    return true;
  },
};

let executablePath;
try {
  executablePath = findChromium();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

export default {
  rootDir: '.',
  files: ['test/components/**/*.test.ts', 'test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['development'] },
  hostname: '127.0.0.1',
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  plugins: [nativePeerAlias, touchEmulation, mediaEmulation, esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' })],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath, headless: true, args: chromiumArgs },
    }),
  ],
};
