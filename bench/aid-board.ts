// The mutual-aid board with 1,000 and 10,000 posts: time to render the list and to filter it by a
// category (until rendered, laid out and the next frame drawn), with <gather-aid-board> and with a
// bare Lit `repeat` list of the same titles, in Chromium, in the same run. Targets: 1,000 posts
// within 1.2× of the bare list; 10,000 faster than it.
//   node --import tsx bench/aid-board.ts [runs]
import { pathToFileURL } from 'node:url';
import { launchChromium, newVisitor } from '../test/helpers/browser.js';
import type { AidRun } from './aid-board-page.js';
import { serveBenchPage } from './page-server.js';
import { quantile } from './stats.js';

const SIZES = [1_000, 10_000] as const;

interface Figures {
  readonly boardMedianMs: number;
  readonly bareMedianMs: number;
  readonly ratio: number;
  /** Posts in the page once rendered (the board renders only what is on screen). */
  readonly boardRendered: number;
  readonly bareRendered: number;
}

export interface AidBoardBenchResult {
  readonly name: 'aid-board';
  readonly runs: number;
  readonly render: Readonly<Record<string, Figures>>;
  readonly filter: Readonly<Record<string, Figures>>;
  readonly targets: { readonly ratioAt1000: number; readonly ratioAt10000: number };
}

export async function measureAidBoard(runs = 7): Promise<AidBoardBenchResult> {
  const server = await serveBenchPage(new URL('./aid-board-page.ts', import.meta.url), 'aid board bench');
  const browser = await launchChromium();
  try {
    const { page: tab, errors } = await newVisitor(browser);
    await tab.setViewportSize({ width: 1280, height: 900 });
    await tab.goto(server.url);
    await tab.waitForFunction(() => (window as any).bench !== undefined);
    const run = (who: 'board' | 'bare', n: number, kind: 'render' | 'filter'): Promise<AidRun> =>
      tab.evaluate(({ who, n, kind }) => (window as any).bench[who](n, kind), { who, n, kind });
    const samples: Record<string, AidRun[]> = {};
    const key = (who: string, n: number, kind: string) => `${who}/${n}/${kind}`;
    for (const n of SIZES) for (const kind of ['render', 'filter'] as const) for (const who of ['board', 'bare'] as const) await run(who, n, kind); // warm up
    for (let i = 0; i < runs; i++) {
      // Interleaved, so that machine noise hits both alike.
      for (const n of SIZES) {
        for (const kind of ['render', 'filter'] as const) {
          for (const who of ['board', 'bare'] as const) (samples[key(who, n, kind)] ??= []).push(await run(who, n, kind));
        }
      }
    }
    if (errors.length > 0) throw new Error(errors.join('\n'));
    const figures = (n: number, kind: 'render' | 'filter'): Figures => {
      const board = samples[key('board', n, kind)]!;
      const bare = samples[key('bare', n, kind)]!;
      const boardMedianMs = quantile(board.map((r) => r.ms), 0.5);
      const bareMedianMs = quantile(bare.map((r) => r.ms), 0.5);
      return { boardMedianMs, bareMedianMs, ratio: boardMedianMs / bareMedianMs, boardRendered: board[0]!.rendered, bareRendered: bare[0]!.rendered };
    };
    const render = Object.fromEntries(SIZES.map((n) => [String(n), figures(n, 'render')]));
    const filter = Object.fromEntries(SIZES.map((n) => [String(n), figures(n, 'filter')]));
    return { name: 'aid-board', runs, render, filter, targets: { ratioAt1000: 1.2, ratioAt10000: 1 } };
  } finally {
    await browser.close();
    server.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await measureAidBoard(Number(process.argv[2] ?? 7)), null, 2));
}
