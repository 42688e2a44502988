// Time to an interactive poll: from navigation to the poll's first radio enabled, its Vote button
// enabled and the element upgraded (a vote cast from then on is kept, and cast once the sync stack
// has come); beside it, its first paint (the first frame in which the poll is upgraded and shows all
// its options) and, for the poll, when its model is attached (its room and the visitor's key
// loaded: `view` is not null, a vote is saved at once), on a page served by `gather serve`'s server (src/server/serve.ts,
// the precompressed Brotli/gzip files of dist/) on 127.0.0.1, in Chromium with a Slow-3G-like
// network (400 kbit/s each way, 400 ms round trip), 4x CPU slowdown and the cache disabled, a fresh
// browser context (so a new visitor) each run. Against a page with a bare Lit element showing the
// same question and options (bench/tti-page.ts, its own bundle, precompressed and served the same
// way), in the same run, the two pages taking turns. The poll needs no peers: its room has none.
// Needs the built embed (`npx rollup -c`).
//   node --import tsx bench/tti.ts [runs]
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';
import type { Browser } from 'playwright-core';
import { startServer } from '../src/server/serve.js';
import { launchChromium, newVisitor } from '../test/helpers/browser.js';
import { quantile } from './stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Slow-3G-like: 400 kbit/s down and up, 400 ms round trip (added to every request). */
export const NETWORK = { offline: false, latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 } as const;
export const CPU_SLOWDOWN = 4;

const OPTIONS = '<option value="hall">The community hall</option><option value="park">The park</option><option value="library">The library</option>';
const page = (title: string, script: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><link rel="icon" href="data:,"><title>${title}</title>${script}</head>` +
  `<body><h1>Tenants' meeting</h1>${body}</body></html>`;
const PAGES = {
  '/poll.html': page(
    'A poll',
    '<script type="module" src="/dist/gather.js" data-signaling="/signal" data-keeper=""></script>',
    `<gather-poll room="tti-bench" name="where" question="Where shall we meet?">${OPTIONS}</gather-poll>`,
  ),
  '/bare.html': page('A bare Lit element', '<script type="module" src="/bare/bare.js"></script>', `<bare-poll question="Where shall we meet?">${OPTIONS}</bare-poll>`),
};

/**
 * Records (ms since navigation began) the first frame in which a poll on the page is upgraded and
 * shows its three options (`paintedAt`), has its first radio and its Vote button enabled
 * (`interactiveAt`), and has its model attached (`attachedAt`: `view` not null; the bare element,
 * which has none, when interactive).
 */
const WATCH_INTERACTIVE = `(() => {
  const check = () => {
    for (const poll of document.querySelectorAll('gather-poll, bare-poll')) {
      if (!customElements.get(poll.localName)) continue;
      const radios = poll.shadowRoot?.querySelectorAll('input[type=radio]') ?? [];
      const vote = poll.shadowRoot?.querySelector('button[type=submit]');
      if (radios.length === 3) globalThis.paintedAt ??= performance.now();
      if (radios[0]?.matches(':enabled') && vote?.matches(':enabled')) globalThis.interactiveAt ??= performance.now();
      if (globalThis.interactiveAt !== undefined && (poll.localName === 'bare-poll' || poll.view != null)) {
        globalThis.attachedAt = performance.now();
        return;
      }
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

/** The baseline's bundle (the embed's plugins: Lit's production build, esbuild, terser), with its .gz and .br as the build writes them. */
async function buildBare(dir: string): Promise<void> {
  const bundle = await rollup({
    input: fileURLToPath(new URL('./tti-page.ts', import.meta.url)),
    plugins: [resolve({ browser: true }), esbuild({ target: 'es2022', tsconfig: path.join(root, 'tsconfig.json') }), terser({ format: { comments: false } })],
    onwarn: () => {},
  });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  const code = Buffer.from(output[0].code);
  const [gzipped, brotlied] = await Promise.all([
    promisify(gzip)(code, { level: 9 }),
    promisify(brotliCompress)(code, { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: code.length, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT } }),
  ]);
  await Promise.all([writeFile(path.join(dir, 'bare.js'), code), writeFile(path.join(dir, 'bare.js.gz'), gzipped), writeFile(path.join(dir, 'bare.js.br'), brotlied)]);
}

interface Run {
  /** Navigation → interactive, ms. */
  readonly ms: number;
  /** Navigation → first paint (upgraded, its options shown), ms. */
  readonly paintMs: number;
  /** Navigation → model attached, ms (the bare element: interactive). */
  readonly attachedMs: number;
  /** Bytes received (headers and bodies, as encoded on the wire). */
  readonly bytes: number;
  readonly requests: number;
  /** Content-Encoding of each script, by path. */
  readonly encodings: Readonly<Record<string, string>>;
}

async function once(browser: Browser, url: string): Promise<Run> {
  const { context, page, errors } = await newVisitor(browser);
  try {
    await context.addInitScript({ content: WATCH_INTERACTIVE });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', NETWORK);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    let bytes = 0;
    let requests = 0;
    const encodings: Record<string, string> = {};
    cdp.on('Network.loadingFinished', (event) => {
      bytes += event.encodedDataLength;
      requests++;
    });
    cdp.on('Network.responseReceived', ({ response }) => {
      const { pathname } = new URL(response.url);
      if (pathname.endsWith('.js')) encodings[pathname.replace(/-[0-9a-f]{12}\.js$/, '.js')] = String(response.headers['content-encoding'] ?? response.headers['Content-Encoding'] ?? 'none');
    });
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => (globalThis as { attachedAt?: number }).attachedAt, null, { timeout: 120_000, polling: 100 });
    const { ms, paintMs, attachedMs } = await page.evaluate(() => {
      const at = globalThis as unknown as { paintedAt: number; interactiveAt: number; attachedAt: number };
      return { ms: at.interactiveAt, paintMs: at.paintedAt, attachedMs: at.attachedAt };
    });
    const unexpected = errors.filter((error) => !error.includes('favicon'));
    if (unexpected.length > 0) throw new Error(`${url}: ${unexpected.join('\n')}`);
    return { ms, paintMs, attachedMs, bytes, requests, encodings };
  } finally {
    await context.close();
  }
}

export interface TtiResult {
  readonly name: 'tti';
  readonly runs: number;
  readonly network: typeof NETWORK;
  readonly cpuSlowdown: number;
  /** Median, navigation → the poll interactive (gather.js and the chunks it loads, a new visitor). */
  readonly pollMedianMs: number;
  /** Median, navigation → the bare Lit element interactive. */
  readonly bareMedianMs: number;
  readonly ratio: number;
  /** Median, navigation → the poll's first paint (upgraded, showing its options, with its status). */
  readonly pollPaintMedianMs: number;
  /** Median, navigation → the bare Lit element's first paint. */
  readonly barePaintMedianMs: number;
  readonly paintRatio: number;
  /** Median, navigation → the poll's model attached (a vote is saved at once; one cast before waits for this). */
  readonly pollAttachedMedianMs: number;
  readonly pollMs: readonly number[];
  readonly bareMs: readonly number[];
  readonly pollPaintMs: readonly number[];
  readonly barePaintMs: readonly number[];
  readonly pollAttachedMs: readonly number[];
  /** Bytes received and requests made by each page (from the last run). */
  readonly pollBytes: number;
  readonly bareBytes: number;
  readonly pollRequests: number;
  readonly bareRequests: number;
  /** How the server encoded each script (from the last run). */
  readonly encodings: Readonly<Record<string, string>>;
}

export async function measureTti(runs = 5): Promise<TtiResult> {
  if (!existsSync(path.join(root, 'dist/gather.js'))) throw new Error('dist/gather.js is missing: run `npx rollup -c` first');
  const bareDir = await mkdtemp(path.join(tmpdir(), 'gather-tti-'));
  await buildBare(bareDir);
  const html = (body: string) => (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  };
  const server = await startServer({
    root,
    mounts: [
      { prefix: '/dist/', dir: path.join(root, 'dist') },
      { prefix: '/bare/', dir: bareDir },
    ],
    requests: Object.fromEntries(Object.entries(PAGES).map(([at, body]) => [at, html(body)])),
  });
  const browser = await launchChromium();
  const poll: Run[] = [];
  const bare: Run[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      // Taking turns, so that the machine's load falls on both alike.
      poll.push(await once(browser, new URL('/poll.html', server.url).href));
      bare.push(await once(browser, new URL('/bare.html', server.url).href));
    }
  } finally {
    await browser.close();
    await server.close();
    await rm(bareDir, { recursive: true, force: true });
  }
  const pollMedianMs = quantile(poll.map((run) => run.ms), 0.5);
  const bareMedianMs = quantile(bare.map((run) => run.ms), 0.5);
  const pollPaintMedianMs = quantile(poll.map((run) => run.paintMs), 0.5);
  const barePaintMedianMs = quantile(bare.map((run) => run.paintMs), 0.5);
  return {
    name: 'tti',
    runs,
    network: NETWORK,
    cpuSlowdown: CPU_SLOWDOWN,
    pollMedianMs,
    bareMedianMs,
    ratio: pollMedianMs / bareMedianMs,
    pollPaintMedianMs,
    barePaintMedianMs,
    paintRatio: pollPaintMedianMs / barePaintMedianMs,
    pollAttachedMedianMs: quantile(poll.map((run) => run.attachedMs), 0.5),
    pollMs: poll.map((run) => Math.round(run.ms)),
    bareMs: bare.map((run) => Math.round(run.ms)),
    pollPaintMs: poll.map((run) => Math.round(run.paintMs)),
    barePaintMs: bare.map((run) => Math.round(run.paintMs)),
    pollAttachedMs: poll.map((run) => Math.round(run.attachedMs)),
    pollBytes: poll.at(-1)!.bytes,
    bareBytes: bare.at(-1)!.bytes,
    pollRequests: poll.at(-1)!.requests,
    bareRequests: bare.at(-1)!.requests,
    encodings: { ...poll.at(-1)!.encodings, ...bare.at(-1)!.encodings },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await measureTti(Number(process.argv[2] ?? 5));
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
