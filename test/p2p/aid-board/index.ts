// Serves the aid board's p2p page (./page.ts) to a browser context: bundled here with esbuild,
// simple-peer aliased to the native peer as rollup, web-test-runner and Storybook alias it, and
// routed under /__aid/ on the test server's origin (so that its /signal is the page's own).
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

function script(): Promise<string> {
  bundled ??= build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [nativePeer],
  }).then((result) => result.outputFiles[0]!.text);
  return bundled;
}

const PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>aid board</title><link rel="icon" href="data:,"></head><body><script type="module" src="/__aid/page.js"></script></body></html>';

/**
 * The test server's handlers for the page: pass them as `startServer({ requests })`. Served by the
 * server itself (not a routed response), so that Chromium sees a local page reaching its own
 * origin's /signal.
 */
export async function aidBoardRequests(): Promise<Record<string, RequestHandler>> {
  const code = await script();
  const send = (body: string, type: string): RequestHandler => (_req, res) => {
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  return { '/__aid/': send(PAGE, 'text/html; charset=utf-8'), '/__aid/page.js': send(code, 'text/javascript; charset=utf-8') };
}

/** A visitor (own browser context) on the aid board page of `serverUrl`, in `room`, once its board has loaded. */
export async function openAidBoard(browser: Browser, serverUrl: string, room: string): Promise<Visitor> {
  const visitor = await newVisitor(browser);
  await visitor.page.goto(new URL(`/__aid/?room=${encodeURIComponent(room)}`, serverUrl).href);
  await visitor.page.waitForFunction(() => 'aidLab' in window && document.querySelector('gather-aid-board')?.view != null, null, { timeout: 20_000 });
  return visitor;
}
