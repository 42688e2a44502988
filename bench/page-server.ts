// What every browser bench shares: its page script bundled as the embed is built (Lit's production
// mode, the native peer in simple-peer's place) and served on 127.0.0.1 with any data files.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';

/** The response headers that make a page cross-origin isolated: its clock then reads to 5 µs, not 100 µs. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/** Throws unless `page` is cross-origin isolated (its clock would read to 0.1 ms, not 5 µs). */
export async function assertIsolated(page: Page): Promise<void> {
  if (!(await page.evaluate(() => crossOriginIsolated))) throw new Error(`${page.url()} is not cross-origin isolated (its clock would read to 0.1 ms)`);
}

/** Files the page fetches, by path: [content type, body]. */
export type BenchFiles = Record<string, [string, Uint8Array | string]>;

export interface BenchPage {
  /** The page's address. */
  readonly url: string;
  close(): void;
}

/**
 * Bundles `entry` and serves it as `/page.js` from a page titled `title`, with `files` beside it.
 * Profilers pass `minify: false` so that a CPU profile names the functions. With `isolated`, the
 * page is cross-origin isolated (COOP and COEP headers), so that its `performance.now()` counts in
 * 5 µs steps rather than 100 µs: for figures of a few milliseconds (the thread's one more comment).
 */
export async function serveBenchPage(entry: URL, title: string, files: BenchFiles = {}, { minify = true, isolated = false } = {}): Promise<BenchPage> {
  const page = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify,
    logLevel: 'silent',
    conditions: ['production'],
    alias: { 'simple-peer/simplepeer.min.js': fileURLToPath(new URL('../src/room/peer/native-peer.ts', import.meta.url)) },
  });
  const all: BenchFiles = {
    '/': ['text/html', `<!doctype html><html lang="en"><link rel="icon" href="data:,"><title>${title}</title><body style="margin:0"><script type="module" src="/page.js"></script></body></html>`],
    '/page.js': ['text/javascript', page.outputFiles[0]!.contents],
    // The verifier's workers start from a file beside the page's script (src/identity/verifier-worker.ts).
    '/verifier.worker.js': ['text/javascript', await readFile(fileURLToPath(new URL('../src/identity/verifier.worker.js', import.meta.url)))],
    ...files,
  };
  const server = createServer((req, res) => {
    const file = all[req.url ?? ''];
    if (file === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file[0], ...(isolated ? ISOLATION_HEADERS : {}) }).end(file[1]);
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => void server.close() };
}
