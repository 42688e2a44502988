// One vote reaching the other peers' screens in a mesh of 2, 5 and 10 browser contexts, against
// stock y-webrtc (with simple-peer) carrying a bare Yjs map update between the same number of
// contexts, through the same signaling server, in the same run; and against the same carrying a
// signed value, verified on arrival and written into the page (the floor the design sets). Needs the private network
// namespace (sh bin/netns …) and a built dist/. Both pages are served cross-origin isolated (COOP +
// COEP; all they load is their own origin's), so that their clocks read to 5 µs rather than 100 µs
// with jitter: the stock update arrives in under a millisecond at 2 peers.
//   sh bin/netns node --import tsx bench/mesh.ts [samples]
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RequestHandler } from '../src/server/serve.js';
import { launchChromium, newVisitor } from '../test/helpers/browser.js';
import { testPageRequests } from '../test/helpers/test-page.js';
import { assertIsolated, ISOLATION_HEADERS } from './page-server.js';
import { quantile } from './stats.js';

const TIMEOUT = 60_000;
const SIZES = [2, 5, 10] as const;

/** `handler`, its responses cross-origin isolated (the page's clock then reads to 5 µs). */
export const isolated =
  (handler: RequestHandler): RequestHandler =>
  (req, res) => {
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) res.setHeader(name, value);
    handler(req, res);
  };

/** The demo page of `root` (what the server serves at `/`), cross-origin isolated. */
export async function isolatedDemo(root: string): Promise<RequestHandler> {
  const demo = await readFile(`${root}/demo/index.html`);
  return isolated((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(demo);
  });
}

/** The stock page's requests (bench/mesh-page.ts under `prefix`), cross-origin isolated. */
export async function stockRequests(prefix: string, title: string, options: { stock?: boolean } = {}): Promise<Record<string, RequestHandler>> {
  const requests = await testPageRequests(new URL('./mesh-page.ts', import.meta.url), prefix, title, options);
  return Object.fromEntries(Object.entries(requests).map(([path, handler]) => [path, isolated(handler)]));
}

/** Waits until every page's poll sees the other n-1, then each votes once and all count n votes. */
export async function everyoneVoted(all: Page[], n: number): Promise<void> {
  for (const page of all) {
    await page.waitForFunction(
      (others) => new RegExp(` ${others} other`).test(document.querySelector('gather-poll')?.shadowRoot?.querySelector('[part=status]')?.textContent ?? ''),
      n - 1,
      { timeout: TIMEOUT },
    );
    await page.evaluate(() => document.querySelector('gather-poll')!.vote('wed'));
  }
  for (const page of all) await page.waitForFunction((n) => document.querySelector('gather-poll')?.view?.total === n, n, { timeout: TIMEOUT });
}

/** When each page's poll has rendered `choice` with one vote (its clock, from the time origin). */
export function renderedAt(pages: Page[], choice: string): Promise<number>[] {
  return pages.map((page) =>
    page.evaluate(
      (choice) =>
        new Promise<number>((resolve) => {
          const poll = document.querySelector('gather-poll')!;
          const onChange = async () => {
            if (poll.view?.options.find((o) => o.id === choice)?.count !== 1) return;
            poll.removeEventListener('gather-change', onChange);
            await poll.updateComplete;
            resolve(performance.timeOrigin + performance.now());
          };
          poll.addEventListener('gather-change', onChange);
        }),
      choice,
    ),
  );
}

export interface MeshResult {
  readonly name: 'mesh';
  readonly samples: number;
  /**
   * Per mesh size: median arrival (ms) of a vote on the others' screens, of a bare update with stock
   * y-webrtc, and of a signed one (signed, verified on arrival and written into the page: what
   * the design asks of a vote, with no widget), with Gather's ratio to each.
   */
  readonly sizes: readonly {
    readonly peers: number;
    readonly gatherMedianMs: number;
    readonly stockMedianMs: number;
    readonly ratio: number;
    readonly signedMedianMs: number;
    readonly signedRatio: number;
  }[];
}

async function pages(browser: Browser, count: number, url: string): Promise<Page[]> {
  const out: Page[] = [];
  for (let i = 0; i < count; i++) {
    const { page } = await newVisitor(browser);
    await page.goto(url);
    out.push(page);
  }
  return out;
}

/** Gather: the demo page's poll; every context votes once (results show after voting), then the first one changes its vote. */
async function gatherArrivals(browser: Browser, base: string, n: number, samples: number): Promise<number[]> {
  const all = await pages(browser, n, new URL(`/?room=mesh-${n}-${Date.now()}&keeper=`, base).href);
  await everyoneVoted(all, n);
  await assertIsolated(all[0]!);
  const [voter, ...receivers] = all;
  const arrivals: number[] = [];
  for (let i = -1; i < samples; i++) {
    const choice = i % 2 === 0 ? 'tue' : 'thu';
    const rendered = renderedAt(receivers, choice);
    await Promise.all(receivers.map((page) => page.evaluate(() => 0)));
    const cast = await voter!.evaluate(async (choice) => {
      const t0 = performance.timeOrigin + performance.now();
      void document.querySelector('gather-poll')!.vote(choice);
      return t0;
    }, choice);
    const times = await Promise.all(rendered);
    if (i >= 0) arrivals.push(...times.map((t) => t - cast));
  }
  for (const page of all) await page.context().close();
  return arrivals;
}

/**
 * Stock y-webrtc: one context sets a key, the others observe it. `prefix` names the page: the
 * stock page (simple-peer) by default; bench/mesh-profile.ts also serves it on the native peer.
 * With `signed`, the value is signed before it is set and verified, then written into the page, on
 * arrival (bench/mesh-page.ts): the floor of a vote's path under the design, with no widget.
 */
export async function stockArrivals(browser: Browser, base: string, n: number, samples: number, prefix = '/__mesh/', { signed = false } = {}): Promise<number[]> {
  const all = await pages(browser, n, new URL(`${prefix}?room=mesh-stock-${n}-${Date.now()}`, base).href);
  for (const page of all) {
    await page.waitForFunction(() => 'mesh' in window, null, { timeout: TIMEOUT });
    await page.waitForFunction((others) => (window as any).mesh.peers() >= others, n - 1, { timeout: TIMEOUT });
  }
  await assertIsolated(all[0]!);
  const [sender, ...receivers] = all;
  const arrivals: number[] = [];
  for (let i = -1; i < samples; i++) {
    const value = `v${i}`;
    const arrived = receivers.map((page) =>
      page.evaluate(([value, signed]) => (window as any).mesh[signed ? 'signedArrival' : 'arrival']('v', value) as Promise<number>, [value, signed] as const),
    );
    await Promise.all(receivers.map((page) => page.evaluate(() => 0)));
    const t0 = await sender!.evaluate(([value, signed]) => (window as any).mesh[signed ? 'setSigned' : 'set']('v', value) as Promise<number>, [value, signed] as const);
    const times = await Promise.all(arrived);
    if (i >= 0) arrivals.push(...times.map((t) => t - t0));
  }
  for (const page of all) await page.context().close();
  return arrivals;
}

export async function measureMesh(root: string, samples = 20): Promise<MeshResult> {
  const requests = { '/': await isolatedDemo(root), ...(await stockRequests('/__mesh/', 'stock y-webrtc mesh', { stock: true })) };
  const server = await startServer({ port: 0, root, requests });
  const browser = await launchChromium();
  try {
    const sizes = [];
    for (const n of SIZES) {
      const gather = quantile(await gatherArrivals(browser, server.url, n, samples), 0.5);
      const stock = quantile(await stockArrivals(browser, server.url, n, samples), 0.5);
      const signed = quantile(await stockArrivals(browser, server.url, n, samples, '/__mesh/', { signed: true }), 0.5);
      sizes.push({ peers: n, gatherMedianMs: gather, stockMedianMs: stock, ratio: gather / stock, signedMedianMs: signed, signedRatio: gather / signed });
    }
    return { name: 'mesh', samples, sizes };
  } finally {
    await browser.close();
    await server.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await measureMesh(fileURLToPath(new URL('..', import.meta.url)), Number(process.argv[2] ?? 20)), null, 2));
}
