// Where the visitor bench's returning visitor goes (10,000 ballots, verdicts and entries kept on
// the device from a first visit, as bench/visitor.ts runs it): a CPU profile of the page (Chromium's
// sampling profiler, unminified) as a timeline per 10 ms and summed by function (self and total).
//   node --import tsx bench/visitor-profile.ts [ballots] [runs]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launchChromium, newVisitor } from '../test/helpers/browser.js';
import { states } from './visitor.js';

const n = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 3);
const { gather } = await states(n);
const page = await build({
  entryPoints: [fileURLToPath(new URL('./visitor-page.ts', import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  minify: false,
  logLevel: 'silent',
  conditions: ['production'],
  alias: { 'simple-peer/simplepeer.min.js': fileURLToPath(new URL('../src/room/peer/native-peer.ts', import.meta.url)) },
});
const files: Record<string, [string, Uint8Array | string]> = {
  '/': ['text/html', '<!doctype html><html lang="en"><title>p</title><body><script type="module" src="/page.js"></script></body></html>'],
  '/page.js': ['text/javascript', page.outputFiles[0]!.contents],
  '/gather.bin': ['application/octet-stream', gather],
};
const server = createServer((req, res) => {
  const file = files[req.url ?? ''];
  if (file === undefined) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': file[0] }).end(file[1]);
}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const browser = await launchChromium();
try {
  const { page: tab, context, errors } = await newVisitor(browser);
  await tab.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
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
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (let r = 0; r < runs; r++) {
    await cdp.send('Profiler.start');
    console.log(JSON.stringify(await go()));
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: any };
    const dt = profile.timeDeltas as number[];
    const byId = new Map<number, any>(profile.nodes.map((node: any) => [node.id, node]));
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
    const label = (node: any) => `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber + 1}`;
    const interesting = /^(drain|recall|load|applyUpdate|verifyBatch|check|EntryModel|PollModel|deriveDue|derive|publish|settle|remember|mergeSegments|read|\(garbage collector\))$/;
    const buckets = new Map<number, Map<string, number>>();
    let at = profile.startTime as number;
    profile.samples.forEach((id: number, i: number) => {
      const d = dt[i] ?? 0;
      at += d;
      const node = byId.get(id);
      const name = node.callFrame.functionName;
      if (name === '(idle)' || name === '(program)' || name === '(root)') return;
      let bucketLabel = '(other)';
      for (let k: number | undefined = id; k !== undefined; k = parent.get(k)) {
        const f = byId.get(k).callFrame.functionName;
        if (interesting.test(f)) {
          bucketLabel = f;
          break;
        }
      }
      const bucket = Math.floor((at - profile.startTime) / 10_000);
      let row = buckets.get(bucket);
      if (row === undefined) buckets.set(bucket, (row = new Map()));
      row.set(bucketLabel, (row.get(bucketLabel) ?? 0) + d);
      self.set(label(node), (self.get(label(node)) ?? 0) + d);
      const seen = new Set<string>();
      for (let k: number | undefined = id; k !== undefined; k = parent.get(k)) {
        const l = label(byId.get(k));
        if (seen.has(l)) continue;
        seen.add(l);
        total.set(l, (total.get(l) ?? 0) + d);
      }
    });
    for (const [bucket, row] of [...buckets].sort((a, b) => a[0] - b[0]))
      console.log(`${String(bucket * 10).padStart(5)} ms  ${[...row].sort((a, b) => b[1] - a[1]).map(([l, us]) => `${l} ${(us / 1000).toFixed(1)}`).join(', ')}`);
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([l, us]) => `${(us / 1000 / runs).toFixed(1).padStart(8)} ms  ${l}`).join('\n');
  console.log(`--- self\n${top(self, 25)}\n--- total\n${top(total, 40)}`);
  if (errors.length) console.log(errors);
} finally {
  await browser.close();
  server.close();
}
