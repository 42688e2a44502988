// A poll with 10,000 voters, in Chromium:
//   (a) a new visitor receives the whole state as a peer sends it (one Yjs update), until the
//       result is rendered; baseline in the same run: that state applied to a bare Y.Doc plus one
//       signature check per ballot, with no widget;
//   (b) one more remote ballot arrives, until the re-render; baseline: (a)'s baseline / 10,000.
//       Measured for the first ballot after the state (code paths still cold, the sync's garbage
//       still being collected) and, as well, for each of the next ballots, arriving one at a time.
//       For reference, Yjs alone: those updates applied to a bare doc holding the state, with one
//       'update' listener, as every provider has (the floor any widget starts from).
// Each run is a fresh browser context (no verdicts kept from an earlier run). The page is cross-origin
// isolated, so that performance.now() counts in 5 µs steps, not 100 µs: (b)'s first ballot is one
// figure per run of ~2-3 ms (a step was 4% of it, and its median of 5 moved by whole steps), hence
// also 9 runs by default.
//   node --import tsx bench/poll.ts [voters] [runs]   (10,000 and 9 by default)
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { createSigner } from '../src/identity/keys.js';
import { PollModel } from '../src/models/poll.js';
import { launchChromium, newVisitor } from '../test/helpers/browser.js';
import { distinctDocs } from '../test/helpers/clients.js';
import type { PollRun } from './poll-page.js';
import { assertIsolated, serveBenchPage } from './page-server.js';
import { quantile } from './stats.js';

const POLL = 'assembly-day';
const ROOM = 'eastside-tenants';
const config = { question: 'Which evening?', options: [{ id: 'tue', label: 'Tuesday' }, { id: 'thu', label: 'Thursday' }] };

export interface PollBenchResult {
  readonly name: 'poll';
  readonly voters: number;
  readonly runs: number;
  readonly fullMedianMs: number;
  readonly baselineMedianMs: number;
  /** (a): full state → rendered, against apply + one check per ballot. Target ≤ 1.5. */
  readonly fullRatio: number;
  readonly oneMedianMs: number;
  /** (b)'s baseline: (a)'s baseline / voters. */
  readonly oneBaselineMs: number;
  /** (b): one more ballot → re-rendered, against (a)'s baseline / voters. Target < 50. */
  readonly oneRatio: number;
  /** (b) for each of the {@link NEXT} ballots after the first, one at a time: their median over every run… */
  readonly nextMedianMs: number;
  /** …against (a)'s baseline / voters. */
  readonly nextRatio: number;
  /** Reference, not a baseline: a bare Y.Doc with one 'update' listener applying those same updates (median). */
  readonly yjsAloneMedianMs: number;
  /**
   * Reference, not a baseline: that bare Y.Doc applying the first ballot after the state (median over
   * runs): Yjs's own first transaction after a 10,000-client state, the floor under (b)'s first ballot.
   */
  readonly yjsAloneFirstMedianMs: number;
}

/** Ballots that arrive one at a time after the first one. */
const NEXT = 20;

/** The room's state after `n` voters each voted from their own Yjs client, one more ballot, and a check per voter for the baseline. */
export async function fixtures(n: number) {
  const doc = new Y.Doc();
  const checks: { key: number[]; message: number[]; sig: number[] }[] = [];
  const message = new TextEncoder().encode('gather bench: one signature check per ballot, as the baseline makes');
  const fresh = distinctDocs(); // each voter's own Yjs client, never two of one id
  const cast = async (choice: string) => {
    const own = fresh();
    const signer = await createSigner('Ed25519');
    const model = new PollModel(own, POLL, config, signer, { room: ROOM });
    await model.vote(choice);
    model.destroy();
    return { own, signer };
  };
  for (let i = 0; i < n; i++) {
    const { own, signer } = await cast(i % 3 === 0 ? 'thu' : 'tue');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(own));
    const sig = await signer.sign(message);
    checks.push({ key: [...(await import('../src/identity/base64url.js')).fromBase64url(signer.publicKey)!], message: [...message], sig: [...sig] });
  }
  const state = Y.encodeStateAsUpdate(doc);
  const updates: Uint8Array[] = [];
  for (let i = 0; i <= NEXT; i++) {
    const before = Y.encodeStateVector(doc);
    const { own } = await cast(i % 2 === 0 ? 'thu' : 'tue');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(own));
    updates.push(Y.encodeStateAsUpdate(doc, before));
  }
  const [one, ...next] = updates;
  return { state, one: one!, next, checks };
}

export async function measurePoll(n = 10_000, runs = 9): Promise<PollBenchResult> {
  const { state, one, next, checks } = await fixtures(n);
  const server = await serveBenchPage(new URL('./poll-page.ts', import.meta.url), 'poll bench', {
    '/state.bin': ['application/octet-stream', state],
    '/one.bin': ['application/octet-stream', one],
    ...Object.fromEntries(next.map((update, i): [string, [string, Uint8Array]] => [`/next-${i}.bin`, ['application/octet-stream', update]])),
    '/checks.json': ['application/json', JSON.stringify(checks)],
  }, { isolated: true });
  const url = server.url;
  const browser = await launchChromium();
  const full: number[] = [];
  const single: number[] = [];
  const base: number[] = [];
  const following: number[] = [];
  const yjs: number[] = [];
  const yjsFirst: number[] = [];
  try {
    // One warm-up run, then `runs` measured ones, each in a fresh context: a new visitor every time.
    for (let r = 0; r <= runs; r++) {
      const { context, page: tab, errors } = await newVisitor(browser);
      await tab.goto(url);
      await assertIsolated(tab);
      await tab.waitForFunction(() => (window as any).bench !== undefined);
      const result = await tab.evaluate(async ({ name, room, n, count }) => {
        const get = async (path: string) => new Uint8Array(await (await fetch(path)).arrayBuffer());
        const checks = (await (await fetch('/checks.json')).json()).map((c: any) => ({ key: new Uint8Array(c.key), message: new Uint8Array(c.message), sig: new Uint8Array(c.sig) }));
        const state = await get('/state.bin');
        const one = await get('/one.bin');
        const next = await Promise.all(Array.from({ length: count }, (_, i) => get(`/next-${i}.bin`)));
        const baselineMs: number = await (window as any).bench.baseline(state, checks);
        const run: PollRun = await (window as any).bench.widget(state, one, next, name, room, n);
        const yjsMs: number[] = await (window as any).bench.yjsAlone(state, [one, ...next]);
        return { baselineMs, run, yjsMs };
      }, { name: POLL, room: ROOM, n, count: NEXT });
      if (result.run.total !== n + 1 + NEXT) throw new Error(`counted ${result.run.total} of ${n + 1 + NEXT}`);
      if (errors.length > 0) throw new Error(errors.join('\n'));
      await context.close();
      if (r === 0) continue;
      full.push(result.run.fullMs);
      single.push(result.run.oneMs);
      base.push(result.baselineMs);
      following.push(...result.run.nextMs);
      yjs.push(...result.yjsMs.slice(1));
      yjsFirst.push(result.yjsMs[0]!);
    }
  } finally {
    await browser.close();
    server.close();
  }
  const fullMedianMs = quantile(full, 0.5);
  const baselineMedianMs = quantile(base, 0.5);
  const oneMedianMs = quantile(single, 0.5);
  const oneBaselineMs = baselineMedianMs / n;
  const nextMedianMs = quantile(following, 0.5);
  return {
    name: 'poll',
    voters: n,
    runs,
    fullMedianMs,
    baselineMedianMs,
    fullRatio: fullMedianMs / baselineMedianMs,
    oneMedianMs,
    oneBaselineMs,
    oneRatio: oneMedianMs / oneBaselineMs,
    nextMedianMs,
    nextRatio: nextMedianMs / oneBaselineMs,
    yjsAloneMedianMs: quantile(yjs, 0.5),
    yjsAloneFirstMedianMs: quantile(yjsFirst, 0.5),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await measurePoll(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 9)), null, 2));
}
