// Where the thread bench's time goes: a CPU profile (Chromium's sampling profiler) of the thread
// shown in full, as opened, or one more comment (that alone, not the mount before it: the page
// marks it with console.profile), summed by function (self time), unminified.
// With TRACE=1, the renderer main thread's trace events summed by name instead (style, layout, GC),
// in thread time (CPU), so runs on a busy machine compare. `phases`: the thread shown in full, its
// sampled time by phase (each sample goes to the innermost phase on its stack): the room synced from
// the peer, entries read, the device's memory and verdicts, derive, render, layout, GC.
//   [TRACE=1] node --import tsx bench/thread-profile.ts [all|opened|one|bare|bareone|phases|timeline] [comments] [runs]
import { launchChromium } from '../test/helpers/browser.js';
import { ProfileSums } from './cpu-profile.js';
import { serveBenchPage } from './page-server.js';
import { openThreadPage, packUpdates, states } from './thread.js';

const kind = process.argv[2] ?? 'all';
const n = Number(process.argv[3] ?? 2000);
const runs = Number(process.argv[4] ?? 5);
// One more comment for each run (and the first, unprofiled) of `one`.
const { state, extra, items } = await states(n, runs + 1);
const server = await serveBenchPage(
  new URL('./thread-page.ts', import.meta.url),
  'thread profile',
  {
    '/state.bin': ['application/octet-stream', state],
    '/extra.bin': ['application/octet-stream', packUpdates(extra)],
  },
  { minify: false, isolated: true },
);
const browser = await launchChromium();
try {
  const { tab, errors } = await openThreadPage(browser, server.url, n);
  const go = () =>
    tab.evaluate(
      ({ kind, items }) => {
        const { bench, states } = window as any;
        if (kind === 'bare') return bench.bare(items);
        if (kind === 'bareone') return bench.bareOneMore(items, { id: 'late', text: 'One more, from a peer.' });
        if (kind === 'all' || kind === 'phases' || kind === 'timeline') return bench.thread(true);
        if (kind === 'opened') return bench.thread(false);
        return bench.threadOneMore(states.extra[states.next++ % states.extra.length]);
      },
      { kind, items: kind.startsWith('bare') ? items : [] },
    );
  await go();
  if (kind === 'one' && !process.env.TRACE) {
    // Only the one more comment: the page profiles it itself (console.profile), not the mount before it.
    const cdp = await tab.context().newCDPSession(tab);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    const profiles: any[] = [];
    cdp.on('Profiler.consoleProfileFinished', (event: any) => profiles.push(event.profile));
    for (let i = 0; i < runs; i++) console.log(JSON.stringify(await go()));
    const sums = new ProfileSums();
    for (const profile of profiles) sums.add(profile);
    sums.print(runs, 30, 45);
  } else if (kind === 'phases') {
    const cdp = await tab.context().newCDPSession(tab);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    const sums = new Map<string, number>();
    const times = [];
    for (let i = 0; i < runs; i++) {
      await cdp.send('Profiler.start');
      times.push(await go());
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: any };
      for (const [phase, us] of phasesOf(profile)) sums.set(phase, (sums.get(phase) ?? 0) + us);
    }
    console.log(JSON.stringify(times));
    console.log([...sums].sort((a, b) => b[1] - a[1]).map(([phase, us]) => `${(us / 1000 / runs).toFixed(1).padStart(8)} ms  ${phase}`).join('\n'));
  } else if (kind === 'timeline') {
    // One run at a time, its samples in order: what ran, for how long, and the waits between.
    const cdp = await tab.context().newCDPSession(tab);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    for (let i = 0; i < runs; i++) {
      await cdp.send('Profiler.start');
      const time = await go();
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: any };
      console.log(JSON.stringify(time));
      console.log(timelineOf(profile));
    }
  } else if (process.env.TRACE) {
    await browser.startTracing(tab, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing'] });
    const times = [];
    for (let i = 0; i < runs; i++) times.push(await go());
    const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: { name: string; ph: string; dur?: number; tid: number; args?: any }[] };
    console.log(JSON.stringify(times));
    // The page's renderer main thread: of the threads named CrRendererMain, the busiest.
    const renderers = new Set(trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => e.tid));
    const busy = new Map<number, number>();
    for (const e of trace.traceEvents) if (renderers.has(e.tid) && e.ph === 'X' && e.dur) busy.set(e.tid, (busy.get(e.tid) ?? 0) + e.dur);
    const main = [...busy].sort((a, b) => b[1] - a[1])[0]![0];
    const sums = new Map<string, number>();
    // Thread time (tdur: on the CPU, whatever else the machine runs), falling back to wall time.
    // One more comment (one, bareone): only what ran between the page's marks around it.
    const marks = trace.traceEvents.filter((e) => e.name === 'one-start' || e.name === 'one-end').map((e) => [e.name, (e as unknown as { ts: number }).ts] as const).sort((a, b) => a[1] - b[1]);
    const windows: [number, number][] = [];
    for (let i = 0; i + 1 < marks.length; i++) if (marks[i]![0] === 'one-start' && marks[i + 1]![0] === 'one-end') windows.push([marks[i]![1], marks[i + 1]![1]]);
    const inWindow = (e: { ts?: number; dur?: number }) => windows.length === 0 || windows.some(([a, b]) => e.ts! >= a && e.ts! + e.dur! <= b);
    if (windows.length > 0) console.log(`marked windows (ms): ${windows.map(([a, b]) => ((b - a) / 1000).toFixed(1)).join(' ')}`);
    for (const e of trace.traceEvents) if (e.tid === main && e.ph === 'X' && e.dur && inWindow(e as never)) sums.set(e.name, (sums.get(e.name) ?? 0) + ((e as { tdur?: number }).tdur ?? e.dur));
    console.log([...sums].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([name, us]) => `${(us / 1000 / runs).toFixed(1).padStart(8)} ms  ${name}`).join('\n'));
  } else {
  const cdp = await tab.context().newCDPSession(tab);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await go());
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: any };
  console.log(JSON.stringify(times));
  const sums = new ProfileSums();
  sums.add(profile);
  sums.print(runs, 40, 60);
  }
  if (errors.length) console.log(errors);
} finally {
  await browser.close();
  server.close();
}

/**
 * A run's sampled time by phase: the innermost function on a sample's stack that names one decides
 * (a first pass that runs a render is render). What the page does around the run (the last thread
 * taken down, the room's state put in the peer's document: what `thread` calls before it starts
 * its clock) is `setup`, outside the time the bench reports; time on no named step is `other`.
 */
function phasesOf(profile: { nodes: { id: number; children?: number[]; callFrame: { functionName: string } }[]; samples: number[]; timeDeltas: number[] }): Map<string, number> {
  const phases: [string, RegExp][] = [
    ['layout', /^getBoundingClientRect$/],
    ['gc', /^\(garbage collector\)$/],
    ['render (Lit)', /^performUpdate$/],
    ['derive', /^(deriveDue|derive|publish|deepFreeze)$/],
    ['entries read', /^(readStoredEntry|parseThreadEntry)$/],
    ["the device's memory and verdicts", /^(recall|settle|verifyBatch|mergeSegments|load|remember|classify|flush)$/],
    ['synced from the peer', /^(sync|join|acquire)$/],
  ];
  const SETUP = /^(unmount|destroy|applyUpdate|acquire|source|MemoryNetwork)$/;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const sums = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    if (['(idle)', '(program)', '(root)'].includes(byId.get(id)!.callFrame.functionName)) return;
    let phase: string | null = null;
    let called = '';
    for (let k: number | undefined = id; k !== undefined; k = parent.get(k)) {
      const name = byId.get(k)!.callFrame.functionName;
      if (name === 'thread' && SETUP.test(called)) phase = 'setup (outside the time reported)';
      if (phase === null) phase = phases.find(([, pattern]) => pattern.test(name))?.[0] ?? null;
      called = name;
    }
    sums.set(phase ?? 'other', (sums.get(phase ?? 'other') ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return sums;
}

/**
 * A run's samples in order, as segments of the same step (the innermost function on the stack that
 * names one; see {@link phasesOf}'s list, with finer names), each with its start (ms from the
 * profile's start) and length; waits (idle) of 0.3 ms or more shown between them.
 */
function timelineOf(profile: { nodes: { id: number; children?: number[]; callFrame: { functionName: string } }[]; samples: number[]; timeDeltas: number[] }): string {
  const steps = /^(getBoundingClientRect|\(garbage collector\)|performUpdate|deriveDue|derive|publish|deepFreeze|readStoredEntry|parseThreadEntry|recall|settle|verifyBatch|mergeSegments|load|remember|classify|flush|sync|join|acquire|unmount|destroy|applyUpdate|drain|restoreView|showKept|hydrateStep|keptViewDigest|mapContent|entryId|checkOnPage|connectedCallback|hostConnected|hostUpdate|createModel|update|render|thread|bare)$/;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const segments: { name: string; start: number; us: number }[] = [];
  let at = 0;
  profile.samples.forEach((id, i) => {
    const d = profile.timeDeltas[i] ?? 0;
    at += d;
    const top = byId.get(id)!.callFrame.functionName;
    let name = top === '(idle)' || top === '(program)' || top === '(root)' ? 'idle' : '(other)';
    const path: string[] = [];
    for (let k: number | undefined = id; k !== undefined; k = parent.get(k)) {
      const f = byId.get(k)!.callFrame.functionName;
      if (steps.test(f)) path.push(f);
    }
    if (name !== 'idle' && path.length > 0) name = path.slice(0, 2).reverse().join(' > ');
    const last = segments.at(-1);
    if (last?.name === name) last.us += d;
    else segments.push({ name, start: at, us: d });
  });
  // Merge runs of tiny segments into their neighbours' lines for reading.
  return segments
    .filter((s) => s.us >= 300)
    .map((s) => `${(s.start / 1000).toFixed(1).padStart(8)} ${(s.us / 1000).toFixed(1).padStart(6)} ms  ${s.name}`)
    .join('\n');
}
