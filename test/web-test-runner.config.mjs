// Browser tests (components, stories, IndexedDB) in Debian's headless Chromium.
// Run from the project root: web-test-runner --config test/web-test-runner.config.mjs
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { findChromium, chromiumArgs } from './helpers/chromium.js';

/**
 * y-webrtc imports `simple-peer/simplepeer.min.js`, a UMD bundle with no ESM default export.
 * Wrap it as a module on the fly (rollup uses @rollup/plugin-commonjs for the same file).
 */
export const simplePeerEsm = {
  name: 'simple-peer-umd-to-esm',
  transform(context) {
    if (context.path.endsWith('/simple-peer/simplepeer.min.js')) {
      return {
        body: `const module = { exports: {} }; const exports = module.exports;\n${context.body}\nexport default module.exports;`,
      };
    }
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
  plugins: [simplePeerEsm, esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' })],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath, headless: true, args: chromiumArgs },
    }),
  ],
};
