// A visitor receiving a 10,000-ballot poll: time from the state's arrival to the tally (the
// model's derived view), against bare Yjs applying and counting the same votes, in Chromium, in
// the same run. A single page applies the state (no WebRTC needed): a new visitor (nothing known),
// the same on the main thread only (no workers), and a returning visitor (verdicts and entries kept
// in IndexedDB from an earlier visit; a new visitor's databases are its own, empty). Also records
// how long the main thread was busy at a stretch.
//   node --import tsx bench/visitor.ts [ballots] [runs]
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { createSigner } from '../src/identity/keys.js';
import { PollModel } from '../src/models/poll.js';
import { launchChromium, newVisitor } from '../test/helpers/browser.js';
import { distinctDocs } from '../test/helpers/clients.js';
import { serveBenchPage } from './page-server.js';
import { quantile } from './stats.js';
import type { VisitorRun } from './visitor-page.js';

export const POLL = 'assembly-day';
export const ROOM = 'eastside-tenants';
const config = { question: 'Which evening?', options: [{ id: 'tue', label: 'Tuesday' }, { id: 'thu', label: 'Thursday' }] };

export interface VisitorResult {
  readonly name: 'visitor';
  readonly ballots: number;
  readonly runs: number;
  readonly stateBytes: number;
  readonly bareStateBytes: number;
  readonly bareMedianMs: number;
  /** Bare Yjs applying the same Gather state and counting its ballots without any check. */
  readonly bareSameStateMedianMs: number;
  readonly newMedianMs: number;
  readonly newMainThreadMedianMs: number;
  readonly returningMedianMs: number;
  readonly newRatio: number;
  readonly newMainThreadRatio: number;
  readonly returningRatio: number;
  readonly newRatioSameState: number;
  readonly returningRatioSameState: number;
  /**
   * The floor of a new visit: the 10,000 signature checks alone (keys imported, entries read
   * beforehand), in the verifier pool's workers, and on the page alone.
   */
  readonly floorWorkersMedianMs: number;
  readonly floorPageMedianMs: number;
  /** A new visitor against that floor (workers). */
  readonly newOverFloor: number;
  /** Longest the main thread was busy at a stretch (median over runs), ms. */
  readonly longestBlockMs: { readonly bare: number; readonly new: number; readonly newMainThread: number; readonly returning: number };
}

/** The room's state after `n` visitors each voted once from their own Yjs client: Gather's, and bare Yjs's. */
export async function states(n: number): Promise<{ gather: Uint8Array; bare: Uint8Array }> {
  const gather = new Y.Doc();
  const bare = new Y.Doc();
  // Each visitor's own Yjs client, never two of one id (see distinctDocs).
  const fresh = distinctDocs();
  for (let i = 0; i < n; i++) {
    const choice = i % 3 === 0 ? 'thu' : 'tue';
    const own = fresh();
    const model = new PollModel(own, POLL, config, await createSigner('Ed25519'), { room: ROOM });
    await model.vote(choice);
    model.destroy();
    Y.applyUpdate(gather, Y.encodeStateAsUpdate(own));
    const plain = fresh();
    plain.getMap(`poll:${POLL}`).set(String(plain.clientID), choice);
    Y.applyUpdate(bare, Y.encodeStateAsUpdate(plain));
  }
  return { gather: Y.encodeStateAsUpdate(gather), bare: Y.encodeStateAsUpdate(bare) };
}

export async function measureVisitor(n = 10_000, runs = 5): Promise<VisitorResult> {
  const { gather, bare } = await states(n);
  const server = await serveBenchPage(new URL('./visitor-page.ts', import.meta.url), 'visitor bench', {
    '/gather.bin': ['application/octet-stream', gather],
    '/bare.bin': ['application/octet-stream', bare],
  });
  const browser = await launchChromium();
  try {
    const { page: tab, errors } = await newVisitor(browser);
    await tab.goto(server.url);
    await tab.waitForFunction(() => (window as any).bench !== undefined);
    await tab.evaluate(async () => {
      const get = async (path: string) => new Uint8Array(await (await fetch(path)).arrayBuffer());
      (window as any).states = { gather: await get('/gather.bin'), bare: await get('/bare.bin') };
    });
    const run = (kind: 'bare' | 'same' | 'new' | 'main' | 'returning' | 'fill' | 'floor' | 'floorPage'): Promise<VisitorRun> =>
      tab.evaluate(
        ({ kind, poll, room }) => {
          const { bench, states } = window as any;
          if (kind === 'bare') return bench.bare(states.bare, poll);
          if (kind === 'same') return bench.bareSame(states.gather, poll);
          if (kind === 'floor' || kind === 'floorPage') return bench.floor(states.gather, poll, room, { workers: kind === 'floor' });
          const store = kind === 'returning' || kind === 'fill' ? 'bench-verdicts' : null;
          return bench.gather(states.gather, poll, room, { store, workers: kind !== 'main' });
        },
        { kind, poll: POLL, room: ROOM },
      );
    await tab.evaluate(() => (window as any).bench.dropStore('bench-verdicts'));
    // Warm up every path; the 'fill' run is the first visit that keeps its verdicts.
    for (const kind of ['bare', 'same', 'new', 'main', 'fill', 'floor', 'floorPage'] as const) {
      const result = await run(kind);
      if (result.total !== n) throw new Error(`${kind}: counted ${result.total} of ${n}`);
    }
    const results: Record<'bare' | 'same' | 'new' | 'main' | 'returning' | 'floor' | 'floorPage', VisitorRun[]> = { bare: [], same: [], new: [], main: [], returning: [], floor: [], floorPage: [] };
    for (let i = 0; i < runs; i++) {
      // Interleaved, so that machine noise hits every path alike.
      for (const kind of ['bare', 'same', 'new', 'main', 'returning', 'floor', 'floorPage'] as const) {
        const result = await run(kind);
        if (result.total !== n) throw new Error(`${kind}: counted ${result.total} of ${n}`);
        if (kind === 'returning' && result.checked !== 0) throw new Error(`returning visitor checked ${result.checked} signatures again`);
        if ((kind === 'new' || kind === 'main') && result.checked !== n) throw new Error(`${kind}: checked ${result.checked} of ${n}`);
        results[kind].push(result);
      }
    }
    if (errors.length > 0) throw new Error(errors.join('\n'));
    const median = (list: VisitorRun[], pick: (r: VisitorRun) => number) => quantile(list.map(pick), 0.5);
    const ms = (kind: keyof typeof results) => median(results[kind], (r) => r.ms);
    const block = (kind: keyof typeof results) => median(results[kind], (r) => r.longestBlockMs);
    return {
      name: 'visitor',
      ballots: n,
      runs,
      stateBytes: gather.length,
      bareStateBytes: bare.length,
      bareMedianMs: ms('bare'),
      bareSameStateMedianMs: ms('same'),
      newMedianMs: ms('new'),
      newMainThreadMedianMs: ms('main'),
      returningMedianMs: ms('returning'),
      newRatio: ms('new') / ms('bare'),
      newMainThreadRatio: ms('main') / ms('bare'),
      returningRatio: ms('returning') / ms('bare'),
      newRatioSameState: ms('new') / ms('same'),
      returningRatioSameState: ms('returning') / ms('same'),
      floorWorkersMedianMs: ms('floor'),
      floorPageMedianMs: ms('floorPage'),
      newOverFloor: ms('new') / ms('floor'),
      longestBlockMs: { bare: block('bare'), new: block('new'), newMainThread: block('main'), returning: block('returning') },
    };
  } finally {
    await browser.close();
    server.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await measureVisitor(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 5));
  console.log(JSON.stringify(result, null, 2));
}
