// Serves the thread's p2p page (./page.ts), bundled with esbuild with simple-peer aliased to the
// native peer as rollup, web-test-runner and Storybook alias it, from the test server itself (pass
// `threadPageRequests()` to startServer), so that its /signal is the page's own.
import { build, type Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { RequestHandler } from '../../../src/server/serve.js';

const NATIVE_PEER = fileURLToPath(new URL('../../../src/room/peer/native-peer.ts', import.meta.url));

const nativePeer: Plugin = {
  name: 'native-peer',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^simple-peer\/simplepeer\.min\.js$/ }, () => ({ path: NATIVE_PEER }));
  },
};

/** Where the page is served. */
export const THREAD_PAGE = '/__thread/';

const PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>thread</title><link rel="icon" href="data:,"></head><body><script type="module" src="/__thread/page.js"></script></body></html>';

/** The test server's handlers for the page: pass them as `startServer({ requests })`. */
export async function threadPageRequests(): Promise<Record<string, RequestHandler>> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [nativePeer],
  });
  const script = result.outputFiles[0]!.text;
  const send = (body: string, type: string): RequestHandler => (_req, res) => {
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  return { [THREAD_PAGE]: send(PAGE, 'text/html; charset=utf-8'), '/__thread/page.js': send(script, 'text/javascript; charset=utf-8') };
}
