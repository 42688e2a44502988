// Where the signup bench's cold (or returning) render goes: each run in a new browser context (as
// bench/signup.ts), the page's performance marks named `gather:*` relative to the run's start, and
// a CPU profile (Chromium's sampling profiler) of the runs summed by function (self and total),
// unminified.
//   node --import tsx bench/signup-profile.ts [cold|returning] [signups] [runs]
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { signupScope } from '../src/models/signup.js';
import { launchChromium, newVisitor } from '../test/helpers/browser.js';
import { sheet } from './signup.js';

const kind = process.argv[2] === 'returning' ? 'returning' : 'cold';
const n = Number(process.argv[3] ?? 2000);
const runs = Number(process.argv[4] ?? 3);
const SHEET = 'food-drive';
const ROOM = 'eastside-tenants';
const { state, slots } = await sheet(n);
const page = await build({
  entryPoints: [fileURLToPath(new URL('./signup-page.ts', import.meta.url))],
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
  '/': ['text/html', '<!doctype html><html lang="en"><title>p</title><body style="margin:0"><script type="module" src="/page.js"></script></body></html>'],
  '/page.js': ['text/javascript', page.outputFiles[0]!.contents],
  '/state.bin': ['application/octet-stream', state],
};
const server = createServer((req, res) => {
  const file = files[req.url ?? ''];
  if (file === undefined) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': file[0] }).end(file[1]);
}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const browser = await launchChromium();
const open = async (tab: Page) => {
  await tab.goto(url);
  await tab.waitForFunction(() => (window as any).bench !== undefined);
  await tab.evaluate(async () => ((window as any).state = new Uint8Array(await (await fetch('/state.bin')).arrayBuffer())));
};
const go = (tab: Page) =>
  tab.evaluate(
    async ({ name, room, slots, expected }) => {
      const { bench, state } = window as any;
      performance.clearMarks();
      const t0 = performance.now();
      const result = await bench.gather(state, name, room, slots, expected);
      const marks = performance
        .getEntriesByType('mark')
        .filter((m) => m.name.startsWith('gather:'))
        .map((m) => `${(m.startTime - t0).toFixed(1).padStart(7)} ${m.name}`);
      return { result, marks };
    },
    { name: SHEET, room: ROOM, slots, expected: n, scope: signupScope(SHEET) },
  );
const self = new Map<string, number>();
const total = new Map<string, number>();
let sum = 0;
try {
  for (let r = 0; r <= runs; r++) {
    const { page: tab, context, errors } = await newVisitor(browser);
    await open(tab);
    if (kind === 'returning') {
      await go(tab);
      await tab.reload();
      await open(tab);
    }
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    const { result, marks } = await go(tab);
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: any };
    if (errors.length) console.log(errors);
    await context.close();
    if (r === 0) continue; // warm-up
    console.log(JSON.stringify(result));
    console.log(marks.join('\n'));
    const dt = profile.timeDeltas as number[];
    const byId = new Map<number, any>(profile.nodes.map((node: any) => [node.id, node]));
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
    const label = (node: any) => `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber + 1}`;
    // A timeline: per 10 ms of the run, the innermost frame of interest on each sample's stack.
    const interesting = /^(drain|recall|load|probe|performUpdate|applyUpdate|verifyBatch|check|EntryModel|SignupModel|SignedEntryModel|warm|start|deriveDue|derive|publish|settle|remember|render|renderSlots|getBoundingClientRect|\(garbage collector\))$/;
    const buckets = new Map<number, Map<string, number>>();
    let at = profile.startTime as number;
    profile.samples.forEach((id: number, i: number) => {
      at += dt[i] ?? 0;
      const node = byId.get(id);
      const name = node.callFrame.functionName;
      if (name === '(idle)' || name === '(program)' || name === '(root)') return;
      let label = '(other)';
      for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
        const f = byId.get(n).callFrame.functionName;
        if (interesting.test(f)) {
          label = f;
          break;
        }
      }
      const bucket = Math.floor((at - profile.startTime) / 10_000);
      let row = buckets.get(bucket);
      if (row === undefined) buckets.set(bucket, (row = new Map()));
      row.set(label, (row.get(label) ?? 0) + (dt[i] ?? 0));
    });
    for (const [bucket, row] of [...buckets].sort((a, b) => a[0] - b[0]))
      console.log(`${String(bucket * 10).padStart(5)} ms  ${[...row].sort((a, b) => b[1] - a[1]).map(([l, us]) => `${l} ${(us / 1000).toFixed(1)}`).join(', ')}`);
    profile.samples.forEach((id: number, i: number) => {
      const d = dt[i] ?? 0;
      const node = byId.get(id);
      if (node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)') return;
      sum += d;
      self.set(label(node), (self.get(label(node)) ?? 0) + d);
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const l = label(byId.get(at));
        if (seen.has(l)) continue;
        seen.add(l);
        total.set(l, (total.get(l) ?? 0) + d);
      }
    });
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([l, us]) => `${(us / 1000 / runs).toFixed(1).padStart(8)} ms  ${l}`).join('\n');
  console.log(`per run, busy sampled ${(sum / 1000 / runs).toFixed(1)} ms\n--- self\n${top(self, 30)}\n--- total\n${top(total, 50)}`);
} finally {
  await browser.close();
  server.close();
}
