// Where the signup bench's cold (or returning) render goes: each run in a new browser context (as
// bench/signup.ts), the page's performance marks named `gather:*` relative to the run's start, and
// a CPU profile (Chromium's sampling profiler) of the runs summed by function (self and total),
// unminified. TIMELINE=1: the verifier workers' timeline too (bench/signup-timeline.ts); PROFILE=0:
// no CPU profile (the timeline alone, without the profiler's overhead); LEAD_MS=n: the page told n ms
// before the run starts that the state is on its way (its verifier's workers boot meanwhile).
//   node --import tsx bench/signup-profile.ts [cold|returning] [signups] [runs]
import type { Page } from 'playwright-core';
import { signupScope } from '../src/models/signup.js';
import { launchChromium, newVisitor } from '../test/helpers/browser.js';
import { ProfileSums } from './cpu-profile.js';
import { serveBenchPage } from './page-server.js';
import { sheet } from './signup.js';
import { summarize, TIMELINE_SCRIPT } from './signup-timeline.js';

const kind = process.argv[2] === 'returning' ? 'returning' : 'cold';
const n = Number(process.argv[3] ?? 2000);
const runs = Number(process.argv[4] ?? 3);
const timeline = process.env['TIMELINE'] === '1';
const profiling = process.env['PROFILE'] !== '0';
const SHEET = 'food-drive';
const ROOM = 'eastside-tenants';
const { state, slots } = await sheet(n);
const server = await serveBenchPage(
  new URL('./signup-page.ts', import.meta.url),
  'signup profile',
  {
    '/state.bin': ['application/octet-stream', state],
  },
  { minify: false },
);
const url = server.url;
const browser = await launchChromium();
const open = async (tab: Page) => {
  await tab.goto(url);
  await tab.waitForFunction(() => (window as any).bench !== undefined);
  await tab.evaluate(async () => ((window as any).state = new Uint8Array(await (await fetch('/state.bin')).arrayBuffer())));
};
const go = (tab: Page) =>
  tab.evaluate(
    async ({ name, room, slots, expected, leadMs }) => {
      const { bench, state } = window as any;
      performance.clearMarks();
      const events: [string, number][] | undefined = (window as any).__timeline; // this page's (each run is a new page)
      const t0 = performance.now();
      const result = await bench.gather(state, name, room, slots, expected, leadMs);
      const marks = performance
        .getEntriesByType('mark')
        .filter((m) => m.name.startsWith('gather:'))
        .map((m) => `${(m.startTime - t0).toFixed(1).padStart(7)} ${m.name}`);
      return { result, marks, t0, events: events === undefined ? [] : [...events, ...performance.getEntriesByType('mark').filter((m) => m.name.startsWith('gather:')).map((m): [string, number] => [m.name, m.startTime])] };
    },
    { name: SHEET, room: ROOM, slots, expected: n, scope: signupScope(SHEET), leadMs: Number(process.env['LEAD_MS'] ?? 0) },
  );
const sums = new ProfileSums();
try {
  for (let r = 0; r <= runs; r++) {
    const { page: tab, context, errors } = await newVisitor(browser);
    if (timeline) await context.addInitScript({ content: TIMELINE_SCRIPT });
    await open(tab);
    if (kind === 'returning') {
      await go(tab);
      await tab.reload();
      await open(tab);
    }
    const cdp = await context.newCDPSession(tab);
    if (profiling) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const { result, marks, t0, events } = await go(tab);
    const profile = profiling ? ((await cdp.send('Profiler.stop')) as { profile: any }).profile : null;
    if (errors.length) console.log(errors);
    await context.close();
    if (r === 0) continue; // warm-up
    console.log(JSON.stringify(result));
    console.log((timeline ? summarize(events, t0) : marks).join('\n'));
    if (profile === null) continue;
    // A timeline: per 10 ms of the run, the innermost frame of interest on each sample's stack.
    sums.add(profile, /^(drain|recall|load|probe|performUpdate|applyUpdate|verifyBatch|check|EntryModel|SignupModel|SignedEntryModel|warm|start|deriveDue|derive|publish|settle|remember|render|renderSlots|getBoundingClientRect|\(garbage collector\))$/);
  }
  if (profiling) sums.print(runs, 30, 50);
} finally {
  await browser.close();
  server.close();
}
