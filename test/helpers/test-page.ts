// A p2p test's own page: its script bundled with esbuild as the embed is built (simple-peer aliased
// to the native peer, as rollup, web-test-runner and Storybook alias it) and served by the test
// server itself under a prefix (pass the handlers as `startServer({ requests })`), so that the
// page's /signal and /sync are its own origin's. (Playwright's route() would not do: Chromium's
// Local Network Access checks then block the page's WebSocket to 127.0.0.1.)
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { RequestHandler } from '../../src/server/serve.js';

const bundles = new Map<string, Promise<string>>();

/** The page's script, built once per process; `stock: true` keeps y-webrtc's own simple-peer (benchmark baselines). */
export function testPageScript(entry: URL, { stock = false }: { stock?: boolean } = {}): Promise<string> {
  // Per entry and peer: the same page bundled with stock simple-peer and with the native peer are two scripts.
  const key = `${entry.href}\0${stock ? 'stock' : 'native'}`;
  let bundled = bundles.get(key);
  if (bundled === undefined) {
    bundled = build({
      entryPoints: [fileURLToPath(entry)],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      sourcemap: 'inline',
      logLevel: 'silent',
      alias: stock ? {} : { 'simple-peer/simplepeer.min.js': fileURLToPath(new URL('../../src/room/peer/native-peer.ts', import.meta.url)) },
    }).then((result) => result.outputFiles![0]!.text);
    bundles.set(key, bundled);
  }
  return bundled;
}

/** Handlers serving `entry`'s page at `prefix` (`/__lab/`) and its script at `${prefix}page.js`. */
export async function testPageRequests(entry: URL, prefix: string, title: string, options: { stock?: boolean } = {}): Promise<Record<string, RequestHandler>> {
  const script = await testPageScript(entry, options);
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,"></head><body><script type="module" src="${prefix}page.js"></script></body></html>`;
  const send = (body: string, type: string): RequestHandler => (_req, res) => {
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  // The verifier's workers start from a file beside the page's script (src/identity/verifier-worker.ts).
  const worker = await readFile(fileURLToPath(new URL('../../src/identity/verifier.worker.js', import.meta.url)), 'utf8');
  return {
    [prefix]: send(page, 'text/html; charset=utf-8'),
    [`${prefix}page.js`]: send(script, 'text/javascript; charset=utf-8'),
    [`${prefix}verifier.worker.js`]: send(worker, 'text/javascript; charset=utf-8'),
  };
}
