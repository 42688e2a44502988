// Where the visitor bench's returning visitor goes (10,000 ballots, verdicts and entries kept on
// the device from a first visit, as bench/visitor.ts runs it): a CPU profile of the page (Chromium's
// sampling profiler, unminified) as a timeline per 10 ms and summed by function (self and total).
//   node --import tsx bench/visitor-profile.ts [ballots] [runs]
import { launchChromium, newVisitor } from '../test/helpers/browser.js';
import { ProfileSums } from './cpu-profile.js';
import { serveBenchPage } from './page-server.js';
import { states } from './visitor.js';

const n = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 3);
const { gather } = await states(n);
const server = await serveBenchPage(
  new URL('./visitor-page.ts', import.meta.url),
  'visitor profile',
  {
    '/gather.bin': ['application/octet-stream', gather],
  },
  { minify: false },
);
const browser = await launchChromium();
try {
  const { page: tab, context, errors } = await newVisitor(browser);
  await tab.goto(server.url);
  await tab.waitForFunction(() => (window as any).bench !== undefined);
  await tab.evaluate(async () => ((window as any).state = new Uint8Array(await (await fetch('/gather.bin')).arrayBuffer())));
  const go = () =>
    tab.evaluate(() => {
      const { bench, state } = window as any;
      return bench.gather(state, 'assembly-day', 'eastside-tenants', { store: 'profile-verdicts', workers: true });
    });
  await tab.evaluate(() => (window as any).bench.dropStore('profile-verdicts'));
  await go(); // the first visit keeps its verdicts and entries
  await go();
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  const sums = new ProfileSums();
  for (let r = 0; r < runs; r++) {
    await cdp.send('Profiler.start');
    console.log(JSON.stringify(await go()));
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: any };
    sums.add(profile, /^(drain|recall|load|applyUpdate|verifyBatch|check|EntryModel|PollModel|deriveDue|derive|publish|settle|remember|mergeSegments|read|\(garbage collector\))$/);
  }
  sums.print(runs, 25, 40);
  if (errors.length) console.log(errors);
} finally {
  await browser.close();
  server.close();
}
