// Serves the transport tests' page (./page.ts): bundled here with esbuild, with simple-peer aliased
// to the native peer as rollup, web-test-runner and Storybook alias it, and served by the test
// server itself at /__lab/ (pass `labRequests()` to startServer), so that its /signal is the page's
// own. (Playwright's route() would not do: Chromium's Local Network Access checks then block the
// page's WebSocket to 127.0.0.1.)
import { build, type Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import type { RequestHandler } from '../../../src/server/serve.js';
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

/** The test server's handlers for the lab page: pass them as `startServer({ requests })`. */
export async function labRequests(): Promise<Record<string, RequestHandler>> {
  const script = await labScript();
  const send = (body: string, type: string): RequestHandler => (_req, res) => {
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  return { '/__lab/': send(PAGE, 'text/html; charset=utf-8'), '/__lab/lab.js': send(script, 'text/javascript; charset=utf-8') };
}

/** A visitor (own browser context) on the lab page of `serverUrl`, once `window.lab` is there. */
export async function openLab(browser: Browser, serverUrl: string): Promise<Visitor> {
  const visitor = await newVisitor(browser);
  await visitor.page.goto(new URL('/__lab/', serverUrl).href);
  await visitor.page.waitForFunction(() => 'lab' in window, null, { timeout: 10_000 });
  return visitor;
}
