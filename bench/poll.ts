// A poll with 10,000 voters, in Chromium:
//   (a) a new visitor receives the whole state as a peer sends it (one Yjs update), until the
//       result is rendered; baseline in the same run: that state applied to a bare Y.Doc plus one
//       signature check per ballot, with no widget;
//   (b) one more remote ballot arrives, until the re-render; baseline: (a)'s baseline / 10,000.
// Each run is a fresh browser context (no verdicts kept from an earlier run).
//   node --import tsx bench/poll.ts [voters] [runs]
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { createSigner } from '../src/identity/keys.js';
import { PollModel } from '../src/models/poll.js';
import { launchChromium, newVisitor } from '../test/helpers/browser.js';
import type { PollRun } from './poll-page.js';
import { serveBenchPage } from './page-server.js';
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
}

/** The room's state after `n` voters each voted from their own Yjs client, one more ballot, and a check per voter for the baseline. */
async function fixtures(n: number) {
  const doc = new Y.Doc();
  const checks: { key: number[]; message: number[]; sig: number[] }[] = [];
  const message = new TextEncoder().encode('gather bench: one signature check per ballot, as the baseline makes');
  const cast = async (choice: string) => {
    const own = new Y.Doc();
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
  const { own } = await cast('thu');
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(own));
  const one = Y.encodeStateAsUpdate(doc, Y.encodeStateVectorFromUpdate(state));
  return { state, one, checks };
}

export async function measurePoll(n = 10_000, runs = 5): Promise<PollBenchResult> {
  const { state, one, checks } = await fixtures(n);
  const server = await serveBenchPage(new URL('./poll-page.ts', import.meta.url), 'poll bench', {
    '/state.bin': ['application/octet-stream', state],
    '/one.bin': ['application/octet-stream', one],
    '/checks.json': ['application/json', JSON.stringify(checks)],
  });
  const url = server.url;
  const browser = await launchChromium();
  const full: number[] = [];
  const single: number[] = [];
  const base: number[] = [];
  try {
    // One warm-up run, then `runs` measured ones, each in a fresh context: a new visitor every time.
    for (let r = 0; r <= runs; r++) {
      const { context, page: tab, errors } = await newVisitor(browser);
      await tab.goto(url);
      await tab.waitForFunction(() => (window as any).bench !== undefined);
      const result = await tab.evaluate(async ({ name, room, n }) => {
        const get = async (path: string) => new Uint8Array(await (await fetch(path)).arrayBuffer());
        const checks = (await (await fetch('/checks.json')).json()).map((c: any) => ({ key: new Uint8Array(c.key), message: new Uint8Array(c.message), sig: new Uint8Array(c.sig) }));
        const state = await get('/state.bin');
        const baselineMs: number = await (window as any).bench.baseline(state, checks);
        const run: PollRun = await (window as any).bench.widget(state, await get('/one.bin'), name, room, n);
        return { baselineMs, run };
      }, { name: POLL, room: ROOM, n });
      if (result.run.total !== n + 1) throw new Error(`counted ${result.run.total} of ${n + 1}`);
      if (errors.length > 0) throw new Error(errors.join('\n'));
      await context.close();
      if (r === 0) continue;
      full.push(result.run.fullMs);
      single.push(result.run.oneMs);
      base.push(result.baselineMs);
    }
  } finally {
    await browser.close();
    server.close();
  }
  const fullMedianMs = quantile(full, 0.5);
  const baselineMedianMs = quantile(base, 0.5);
  const oneMedianMs = quantile(single, 0.5);
  const oneBaselineMs = baselineMedianMs / n;
  return { name: 'poll', voters: n, runs, fullMedianMs, baselineMedianMs, fullRatio: fullMedianMs / baselineMedianMs, oneMedianMs, oneBaselineMs, oneRatio: oneMedianMs / oneBaselineMs };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await measurePoll(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 5)), null, 2));
}
