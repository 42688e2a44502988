// Serves the transport tests' page (./page.ts) to a browser context: bundled here with esbuild, with
// simple-peer aliased to the native peer as rollup, web-test-runner and Storybook alias it, and
// routed under /__lab/ on the test server's origin (so that its /signal is the page's own).
import { build, type Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { newVisitor, type Visitor } from '../../helpers/browser.js';

const NATIVE_PEER = fileURLToPath(new URL('../../../src/room/peer/native-peer.ts', import.meta.url));

const nativePeer: Plugin = {
  name: 'native-peer',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^simple-peer\/simplepeer\.min\.js$/ }, () => ({ path: NATIVE_PEER }));
  },
};

let bundled: Promise<string> | undefined;

/** The lab page's script, built once per process. */
export function labScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    sourcemap: 'inline',
    logLevel: 'silent',
    plugins: [nativePeer],
  }).then((result) => result.outputFiles[0]!.text);
  return bundled;
}

const PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>lab</title><link rel="icon" href="data:,"></head><body><script type="module" src="/__lab/lab.js"></script></body></html>';

/** A visitor (own browser context) on the lab page of `serverUrl`, once `window.lab` is there. */
export async function openLab(browser: Browser, serverUrl: string): Promise<Visitor> {
  const script = await labScript();
  const visitor = await newVisitor(browser);
  const origin = new URL(serverUrl).origin;
  await visitor.context.route(`${origin}/__lab/**`, (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname === '/__lab/lab.js') return route.fulfill({ body: script, contentType: 'text/javascript; charset=utf-8' });
    return route.fulfill({ body: PAGE, contentType: 'text/html; charset=utf-8' });
  });
  await visitor.page.goto(`${origin}/__lab/`);
  await visitor.page.waitForFunction(() => 'lab' in window, null, { timeout: 10_000 });
  return visitor;
}
