// Where the poll bench's one-more-ballot time goes (bench/poll.ts's (b), the ballots after the
// first one, each arriving alone into a 10,000-voter poll): a CPU profile of the page (Chromium's
// sampling profiler, unminified) over those ballots only, as a timeline per 10 ms and summed by
// function (self and total), with the bench's own timings beside it.
//   node --import tsx bench/poll-profile.ts [voters] [runs]
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBase64url } from '../src/identity/base64url.js';
import { createSigner } from '../src/identity/keys.js';
import { launchChromium, newVisitor } from '../test/helpers/browser.js';
import { ProfileSums } from './cpu-profile.js';
import { serveBenchPage } from './page-server.js';
import type { PollRun } from './poll-page.js';
import { fixtures } from './poll.js';
import { quantile } from './stats.js';

const n = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 3);
/** PROFILE=0: the parts' timings alone, without the sampling profiler's overhead. */
const profiling = process.env['PROFILE'] !== '0';
/** FIRST=1: profile from the state's arrival to the first ballot's render (the first ballot: from its update's arrival, the second 'receive'). */
const first = process.env['FIRST'] === '1';
/** FIRST=only: profile the first ballot alone, from a frame after the rendered state (its update's arrival) to its render. */
const firstOnly = process.env['FIRST'] === 'only';
// Making 10,000 voters' ballots takes minutes: kept between runs of the profiler (in the system's temporary directory).
const cached = join(tmpdir(), `gather-poll-profile-${n}.json`);
const { state, one, next } = await readFile(cached, 'utf8').then(
  (text) => {
    const saved = JSON.parse(text) as { state: string; one: string; next: string[] };
    const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
    return { state: bytes(saved.state), one: bytes(saved.one), next: saved.next.map(bytes) };
  },
  async () => {
    const made = await fixtures(n);
    const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
    await writeFile(cached, JSON.stringify({ state: b64(made.state), one: b64(made.one), next: made.next.map(b64) }));
    return made;
  },
);
const server = await serveBenchPage(
  new URL('./poll-page.ts', import.meta.url),
  'poll profile',
  {
    '/state.bin': ['application/octet-stream', state],
    '/one.bin': ['application/octet-stream', one],
    ...Object.fromEntries(next.map((update, i): [string, [string, Uint8Array]] => [`/next-${i}.bin`, ['application/octet-stream', update]])),
  },
  { minify: false, isolated: true }, // as bench/poll.ts: 5 µs timers
);
/** `profile` cut to `ms` from its first sample with `receive` on the stack (the update's arrival). */
const ballotWindow = (profile: any, ms: number): any => {
  const byId = new Map<number, any>(profile.nodes.map((node: any) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const receiving = (id: number): boolean => {
    for (let k: number | undefined = id; k !== undefined; k = parent.get(k)) if (byId.get(k).callFrame.functionName === 'receive') return true;
    return false;
  };
  let at = 0;
  let from = -1;
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  profile.samples.forEach((id: number, i: number) => {
    at += profile.timeDeltas[i];
    if (from < 0 && receiving(id)) from = at;
    if (from >= 0 && at <= from + ms * 1000) (samples.push(id), timeDeltas.push(profile.timeDeltas[i]));
  });
  return { ...profile, samples, timeDeltas };
};
/** BASELINE=0: the widget alone in its page (by default, as in bench/poll.ts, the baseline runs first in the same page). */
const withBaseline = process.env['BASELINE'] !== '0';
const check = await (async () => {
  const signer = await createSigner('Ed25519');
  const message = new TextEncoder().encode('gather bench: one signature check per ballot, as the baseline makes');
  return { key: [...fromBase64url(signer.publicKey)!], message: [...message], sig: [...(await signer.sign(message))] };
})();
const browser = await launchChromium();
const sums = new ProfileSums();
try {
  for (let r = 0; r <= runs; r++) {
    const { page: tab, context, errors } = await newVisitor(browser);
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: Number(process.env['INTERVAL'] ?? 100) });
    let profile: any;
    await tab.exposeFunction('profileHook', async (what: string) => {
      if (!profiling) return;
      if (what === (first ? 'state' : firstOnly ? 'one' : 'next')) await cdp.send('Profiler.start');
      else if (what === (first || firstOnly ? 'one-done' : 'done')) profile = ((await cdp.send('Profiler.stop')) as { profile: unknown }).profile;
    });
    await tab.goto(server.url);
    if (firstOnly) await tab.evaluate(() => ((window as any).hookOne = true));
    if (process.env['GAP_MS']) await tab.evaluate((ms) => ((window as any).gapMs = ms), Number(process.env['GAP_MS']));
    await tab.waitForFunction(() => (window as any).bench !== undefined);
    const run: PollRun & { yjs: number[] } = await tab.evaluate(
      async ({ n, count, withBaseline, check }) => {
        const get = async (path: string) => new Uint8Array(await (await fetch(path)).arrayBuffer());
        const next = await Promise.all(Array.from({ length: count }, (_, i) => get(`/next-${i}.bin`)));
        // As bench/poll.ts does: the baseline first, in the same page (see bench/poll-trace.ts, BASELINE).
        if (withBaseline) {
          const one = { key: new Uint8Array(check.key), message: new Uint8Array(check.message), sig: new Uint8Array(check.sig) };
          await (window as any).bench.baseline(await get('/state.bin'), Array.from({ length: n }, () => one));
        }
        const run = await (window as any).bench.widget(await get('/state.bin'), await get('/one.bin'), next, 'assembly-day', 'eastside-tenants', n);
        const yjs: number[] = await (window as any).bench.yjsAlone(await get('/state.bin'), [await get('/one.bin'), ...next]);
        return { ...run, yjs };
      },
      { n, count: next.length, withBaseline, check },
    );
    console.log(`run ${r}${r === 0 ? ' (warm-up)' : ''}: full ${run.fullMs.toFixed(1)} ms, one ${run.oneMs.toFixed(2)} ms, next ${run.nextMs.map((ms) => ms.toFixed(2)).join(' ')}`);
    const part = (name: 'apply' | 'model' | 'render') => quantile(run.nextParts.map((p) => p[name]), 0.5).toFixed(2);
    console.log(`  Yjs alone: first ${run.yjs[0]!.toFixed(2)} ms, next ${quantile(run.yjs.slice(1), 0.5).toFixed(2)} ms`);
    console.log(`  next, medians: Yjs apply ${part('apply')} ms, model ${part('model')} ms, render ${part('render')} ms`);
    console.log(`  first: Yjs apply ${run.oneParts.apply.toFixed(2)} ms, model ${run.oneParts.model.toFixed(2)} ms, render ${run.oneParts.render.toFixed(2)} ms`);
    if (errors.length) console.log(errors);
    await context.close();
    if (r === 0 || !profiling) continue;
    if (process.env['PROFILE_OUT']) await writeFile(`${process.env['PROFILE_OUT']}-${r}.cpuprofile`, JSON.stringify(profile));
    // FIRST=only: the samples from the ballot's arrival (the first with 'receive' on its stack) for as long as the ballot took.
    if (firstOnly) profile = ballotWindow(profile, run.oneMs);
    sums.add(profile, /^(applyUpdate|transact|cleanupTransactions|drain|verifyBatch|checkOnPage|entryId|deriveDue|derive|track|publish|performUpdate|update|render|requestUpdate|emit|settle|remember|read|\(garbage collector\))$/);
  }
  if (profiling) sums.print(runs, 40, Number(process.env['PROFILE_ROWS'] ?? 60));
} finally {
  await browser.close();
  server.close();
}
