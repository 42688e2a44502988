// The poll bench's first ballot after the state (bench/poll.ts's (b), first), in a Chromium trace:
// every task, garbage collection, compilation, timer and idle callback on the page's main thread
// from the state's arrival to the first ballot's render, listed from 40 ms before the ballot
// arrives (marks gather:one / gather:one-done, set only when a profiler's hook is there).
//   node --import tsx bench/poll-trace.ts [voters] [runs]
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { fromBase64url } from '../src/identity/base64url.js';
import { createSigner } from '../src/identity/keys.js';
import { newVisitor } from '../test/helpers/browser.js';
import { chromiumArgs, findChromium } from '../test/helpers/chromium.js';
import { serveBenchPage } from './page-server.js';
import type { PollRun } from './poll-page.js';
import { quantile } from './stats.js';

const n = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 3);
const PRE_MS = Number(process.env['PRE'] ?? 40);
// The fixtures bench/poll-profile.ts keeps.
const saved = JSON.parse(await readFile(join(tmpdir(), `gather-poll-profile-${n}.json`), 'utf8')) as { state: string; one: string; next: string[] };
const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
const server = await serveBenchPage(
  new URL('./poll-page.ts', import.meta.url),
  'poll trace',
  {
    '/state.bin': ['application/octet-stream', bytes(saved.state)],
    '/one.bin': ['application/octet-stream', bytes(saved.one)],
    ...Object.fromEntries(saved.next.map((b64, i): [string, [string, Uint8Array]] => [`/next-${i}.bin`, ['application/octet-stream', bytes(b64)]])),
  },
  { minify: false, isolated: true }, // as bench/poll.ts: 5 µs timers
);
// CATEGORIES=gc: garbage collections, V8's compilers and the marks alone (least overhead).
const CATEGORIES = process.env['CATEGORIES'] === 'gc' ? ['disabled-by-default-v8.gc', 'blink.user_timing', 'toplevel', 'v8', 'v8.compile', 'disabled-by-default-v8.compile'] : ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'disabled-by-default-v8.gc', 'blink.user_timing', 'toplevel', 'disabled-by-default-v8.compile', 'cppgc', 'disabled-by-default-cppgc'];
interface TraceEvent { name: string; ph: string; ts: number; dur?: number; tdur?: number; tid: number; pid: number; args?: any; cat: string }
// JS_FLAGS: V8 flags for a one-off look (e.g. --trace-deopt; run with DEBUG=pw:browser to see the page's output;
// add --allow-natives-syntax for MARK lines where the state, the first ballot and the next ones begin).
// E.g. TRACE=0 JS_FLAGS="--allow-natives-syntax --trace-opt --trace-deopt" DEBUG=pw:browser: what V8 compiles and
// drops during the first ballot is what lies between "MARK one" and "MARK one-done".
const jsFlags = process.env['JS_FLAGS'];
const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: [...chromiumArgs, ...(jsFlags ? [`--js-flags=${jsFlags}`] : [])] });
const sums = new Map<string, number>();
const allocations = process.env['ALLOC'] === '1';
const allocSelf = new Map<string, number>();
const allocTotal = new Map<string, number>();
let allocRun = 0;
interface AllocNode { callFrame: { functionName: string; lineNumber: number }; selfSize: number; children: AllocNode[] }
/** Sums a sampling heap profile by function (skipping the warm-up run's). */
const addAllocations = (profile: { head: AllocNode }) => {
  if (allocRun++ === 0) return;
  const walk = (node: AllocNode, above: Set<string>): number => {
    const name = `${node.callFrame.functionName || '(anon)'}:${node.callFrame.lineNumber + 1}`;
    allocSelf.set(name, (allocSelf.get(name) ?? 0) + node.selfSize);
    const seen = new Set(above).add(name);
    let total = node.selfSize;
    for (const child of node.children) total += walk(child, seen);
    if (!above.has(name)) allocTotal.set(name, (allocTotal.get(name) ?? 0) + total);
    return total;
  };
  walk(profile.head, new Set());
};
/** BASELINE=0: the widget alone in its page (before, the default: the bench's bare Y.Doc applies the state first, as in bench/poll.ts). */
const withBaseline = process.env['BASELINE'] !== '0';
const check = await (async () => {
  const signer = await createSigner('Ed25519');
  const message = new TextEncoder().encode('gather bench: one signature check per ballot, as the baseline makes');
  return { key: [...fromBase64url(signer.publicKey)!], message: [...message], sig: [...(await signer.sign(message))] };
})();
/** TRACE=0: the timings alone (for EXPERIMENT or JS_FLAGS runs). */
const tracing = process.env['TRACE'] !== '0';
const firsts: number[] = [];
const applies: number[] = [];
const nexts: number[] = [];
try {
  for (let r = 0; r <= runs; r++) {
    const { page: tab, context } = await newVisitor(browser);
    const cdp = allocations ? await context.newCDPSession(tab) : undefined;
    if (cdp) await cdp.send('HeapProfiler.enable');
    await tab.exposeFunction('profileHook', async (what: string) => {
      console.error(`[hook ${what}]`);
      // With --allow-natives-syntax in JS_FLAGS: a line in V8's own output, in order with its traces
      // (the browser's output reaches us buffered, so the line above lands anywhere among them).
      if (jsFlags?.includes('--allow-natives-syntax')) await tab.evaluate((w) => new Function('s', '%DebugPrint(s)')(`MARK ${w}`), what);
      // PROTOS=1 (with --allow-natives-syntax): the prototypes along the page's Yjs objects' chains, and the built-ins',
      // before the state and the first ballot, so that a map in --trace-prototype-users ('Moving prototype_info from map …') can be named.
      // Beware: the verifier workers' isolates print into the same output, in the same pointer cage (their own Object.prototype
      // and built-ins, set up as they boot mid-sync), so a line beside the page's deopts need not be the page's.
      if ((what === 'state' || what === 'one') && process.env['PROTOS'] === '1') await tab.evaluate(() => new Function(`
        const print = (name, o) => { %DebugPrint('PROTO ' + name); %DebugPrint(o); };
        const chain = (name, o) => { for (let p = Object.getPrototypeOf(o), i = 0; p !== null; p = Object.getPrototypeOf(p), i++) print(name + '^' + i + ' ' + (p.constructor && p.constructor.name), p); };
        const find = (o, depth, seen) => { if (!o || typeof o !== 'object' || seen.has(o) || depth > 4) return null; seen.add(o); if ('clientID' in o && 'store' in o) return o; for (const k of Object.keys(o)) { const f = find(o[k], depth + 1, seen); if (f) return f; } return null; };
        const doc = find(document.querySelector('gather-poll').model.value, 0, new Set());
        chain('doc', doc); chain('store', doc.store); chain('share', doc.share);
        for (const [k, t] of doc.share) { chain('type ' + k, t); for (const [, item] of t._map) { chain('item', item); chain('content', item.content); chain('id', item.id); break; } }
        const poll = document.querySelector('gather-poll'); chain('element', poll); chain('element class', poll.constructor); chain('window', window); chain('model', poll.model.value); chain('controller', poll.model);
        const walk = (root, path) => { for (const el of root.querySelectorAll('*')) { chain(path + ' ' + el.localName, el); if (el.shadowRoot) { chain(path + ' ' + el.localName + ' #shadow', el.shadowRoot); walk(el.shadowRoot, path + ' ' + el.localName); } } };
        // Every prototype along the chains of what the model reaches (a few levels down, one element per Map/Set/Array).
        const protos = new Map(); const seenObjects = new Set();
        const reach = (o, depth) => { if (!o || (typeof o !== 'object' && typeof o !== 'function') || seenObjects.has(o) || depth > 6) return; seenObjects.add(o);
          for (let p = Object.getPrototypeOf(o); p !== null; p = Object.getPrototypeOf(p)) if (!protos.has(p)) protos.set(p, (p.constructor && p.constructor.name) || '?');
          if (o instanceof Map) { let i = 0; for (const [k, v] of o) { reach(k, depth + 1); reach(v, depth + 1); if (++i > 2) break; } return; }
          if (o instanceof Set || Array.isArray(o)) { let i = 0; for (const v of o) { reach(v, depth + 1); if (++i > 2) break; } return; }
          if (ArrayBuffer.isView(o) || o instanceof Node) return;
          for (const k of Object.getOwnPropertyNames(o)) { let v; try { v = o[k]; } catch { continue; } reach(v, depth + 1); } };
        reach(document.querySelector('gather-poll').model.value, 0); reach(doc, 0);
        for (const [p, name] of protos) print('reached ' + name, p);
        const builtins = { 'Array.prototype': Array.prototype, 'Function.prototype': Function.prototype, 'String.prototype': String.prototype, 'Number.prototype': Number.prototype, 'Object.prototype': Object.prototype, 'Iterator.prototype': Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())), 'ArrayIterator.prototype': Object.getPrototypeOf([][Symbol.iterator]()), 'SetIterator.prototype': Object.getPrototypeOf(new Set().values()), 'MapIterator.prototype': Object.getPrototypeOf(new Map().values()) };
        for (const [name, o] of Object.entries(builtins)) print('builtin ' + name, o), %DebugPrint('PROTO keys ' + name + ' ' + Reflect.ownKeys(o).length + ' ' + %HasFastProperties(o) + ' ' + Reflect.ownKeys(o).map(String).join(','));
        walk(document, 'dom'); chain('document', document); chain('performance', performance); chain('crypto', crypto); chain('subtle', crypto.subtle); chain('indexedDB', indexedDB); chain('navigator', navigator);
        for (const [name, o] of [['Object', {}], ['Array', []], ['Map', new Map()], ['Set', new Set()], ['Uint8Array', new Uint8Array(1)], ['Function', () => 0], ['Promise', Promise.resolve()], ['Error', new Error()]]) chain(name, o);
      `)());
      if (what === 'state' && tracing) await browser.startTracing(tab, { categories: CATEGORIES });
      // ALLOC=1: what the page allocates from the state's arrival to the first ballot's render (sampled, by function).
      if (what === 'state' && allocations) await cdp!.send('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
      if (what === 'one-done' && allocations) addAllocations(((await cdp!.send('HeapProfiler.stopSampling')) as any).profile);
    });
    // WRAP=1 (with --allow-natives-syntax): a MARK line in V8's output where the page starts workers, posts to them,
    // hears from them, opens IndexedDB or a transaction, or checks a signature on the page, to place other V8 lines.
    if (process.env['WRAP'] === '1' && jsFlags?.includes('--allow-natives-syntax'))
      await tab.addInitScript(`(() => {
        const mark = new Function('s', '%DebugPrint(s)');
        const wrap = (owner, name, label) => { const f = owner[name]; owner[name] = function (...args) { mark('MARK ' + label); return f.apply(this, args); }; };
        const W = Worker;
        window.Worker = function (...args) { mark('MARK new Worker'); const w = new W(...args); w.addEventListener('message', () => mark('MARK worker message')); return w; };
        window.Worker.prototype = W.prototype;
        wrap(W.prototype, 'postMessage', 'postMessage');
        wrap(IDBFactory.prototype, 'open', 'indexedDB.open');
        wrap(IDBDatabase.prototype, 'transaction', 'idb transaction');
        wrap(SubtleCrypto.prototype, 'verify', 'subtle.verify');
        wrap(URL, 'createObjectURL', 'createObjectURL');
      })()`);
    await tab.goto(server.url);
    if (jsFlags?.includes('trace')) await tab.evaluate(() => ((window as any).hookOne = true));
    // EXPERIMENT=gc (with JS_FLAGS=--expose-gc): a full collection once the state is rendered, before the first ballot.
    if (process.env['EXPERIMENT'] === 'gc') await tab.evaluate(() => ((window as any).afterSync = () => (window as any).gc()));
    await tab.waitForFunction(() => (window as any).bench !== undefined);
    const run: PollRun = await tab.evaluate(async ({ n, count, withBaseline, check }) => {
      const get = async (path: string) => new Uint8Array(await (await fetch(path)).arrayBuffer());
      const next = await Promise.all(Array.from({ length: count }, (_, i) => get(`/next-${i}.bin`)));
      const state = await get('/state.bin');
      // As bench/poll.ts does, the baseline runs in the same page first: its bare Y.Doc applies the state (so
      // Yjs's code and object shapes are as warm as in the bench), then one Ed25519 check per voter (one key's
      // check, n times: the fixtures kept have no checks; the page's time between the two is what the bench's).
      if (withBaseline) {
        const one = { key: new Uint8Array(check.key), message: new Uint8Array(check.message), sig: new Uint8Array(check.sig) };
        await (window as any).bench.baseline(state, Array.from({ length: n }, () => one));
      }
      return (await (window as any).bench.widget(state, await get('/one.bin'), next, 'assembly-day', 'eastside-tenants', n));
    }, { n, count: saved.next.length, withBaseline, check });
    const oneMs = run.oneMs;
    const p = run.oneParts;
    console.log(`run ${r}: first ${oneMs.toFixed(2)} ms (apply ${p.apply.toFixed(2)}, model ${p.model.toFixed(2)}, render ${p.render.toFixed(2)}), next median ${quantile(run.nextMs, 0.5).toFixed(2)} ms (apply ${quantile(run.nextParts.map((x) => x.apply), 0.5).toFixed(2)})`);
    if (r > 0) (firsts.push(oneMs), applies.push(p.apply), nexts.push(quantile(run.nextMs, 0.5)));
    if (!tracing) {
      await context.close();
      continue;
    }
    const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
    await context.close();
    const events = trace.traceEvents;
    const mark = (name: string) => events.find((e) => e.name === name && e.cat.includes('user_timing'));
    const start = mark('gather:one');
    const end = mark('gather:one-done');
    if (!start || !end) throw new Error('no marks');
    const main = events.filter((e) => e.tid === start.tid && e.pid === start.pid && e.ph === 'X' && e.dur !== undefined);
    const from = start.ts - PRE_MS * 1000;
    console.log(`run ${r}${r === 0 ? ' (warm-up)' : ''}: first ballot ${oneMs.toFixed(2)} ms (marks ${((end.ts - start.ts) / 1000).toFixed(2)} ms)`);
    // What else ran meanwhile: every thread's time within the first ballot (top-level events), the
    // page's main thread as wall time and CPU time (a main thread waiting for a core shows as wall
    // over CPU), and what the renderer's pool threads did (V8's background compilers, say).
    {
      const names = new Map<string, string>();
      for (const e of events) if (e.ph === 'M' && (e.name === 'thread_name' || e.name === 'process_name')) names.set(e.name === 'thread_name' ? `${e.pid}/${e.tid}` : `${e.pid}`, e.args?.name);
      const within = (e: TraceEvent) => Math.min(e.ts + e.dur!, end.ts) - Math.max(e.ts, start.ts);
      const busy = new Map<string, number>();
      const pool = new Map<string, number>();
      const openUntil = new Map<string, number>();
      for (const e of events) {
        if (e.ph !== 'X' || e.dur === undefined) continue;
        const thread = `${e.pid}/${e.tid}`;
        const label = `${names.get(String(e.pid)) ?? e.pid}:${names.get(thread) ?? e.tid}`;
        if (label.startsWith('Renderer:ThreadPool') && within(e) > 0) pool.set(e.name, (pool.get(e.name) ?? 0) + within(e));
        if (e.ts < (openUntil.get(thread) ?? 0)) continue; // nested in one counted already
        openUntil.set(thread, e.ts + e.dur);
        if (within(e) > 0) busy.set(label, (busy.get(label) ?? 0) + within(e)); // threads of one name summed
      }
      const top = main.filter((e) => e.ts <= start.ts && e.ts + e.dur! >= end.ts && e.name === 'v8.callFunction').at(-1) ?? main.find((e) => e.ts <= start.ts && e.ts + e.dur! >= end.ts);
      if (top?.tdur !== undefined) console.log(`  main thread around it: ${(top.dur! / 1000).toFixed(2)} ms wall, ${(top.tdur / 1000).toFixed(2)} ms CPU (${top.name})`);
      const list = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, us]) => `${k} ${(us / 1000).toFixed(2)}`).join(', ');
      console.log(`  threads busy meanwhile (ms): ${list(busy)}`);
      console.log(`  the renderer's pool threads did (ms, may nest): ${list(pool)}`);
    }
    // Events overlapping [from, end], nested ones indented under their parent.
    const within = main.filter((e) => e.ts + e.dur! >= from && e.ts <= end.ts).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const stack: TraceEvent[] = [];
    for (const e of within) {
      while (stack.length > 0 && stack.at(-1)!.ts + stack.at(-1)!.dur! <= e.ts) stack.pop();
      const depth = stack.length;
      stack.push(e);
      if (e.dur! < 100 && depth > 0) continue;
      const what = e.args?.data?.functionName ?? e.args?.data?.url?.split('/').pop() ?? e.args?.data?.type ?? e.args?.type ?? '';
      if (depth <= Number(process.env['DEPTH'] ?? 3)) console.log(`${((e.ts - start.ts) / 1000).toFixed(2).padStart(9)} ${(e.dur! / 1000).toFixed(2).padStart(7)} ${'  '.repeat(depth)}${e.name} ${what}`);
      if (r > 0 && e.ts >= start.ts && /GC|Compile|Parse|Optimize|Deopt|Scavenge|Mark|Sweep/i.test(e.name)) sums.set(e.name, (sums.get(e.name) ?? 0) + Math.min(e.dur!, end.ts - e.ts));
    }
  }
  if (allocations) {
    console.log(`--- allocated from the state to the first ballot's render, per run (MB, sampled; self, then with callees)`);
    const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([f, b]) => `${(b / runs / 1e6).toFixed(2).padStart(8)}  ${f}`).join('\n');
    console.log(top(allocSelf));
    console.log('--- with callees');
    console.log(top(allocTotal));
  }
  console.log(`medians: first ${quantile(firsts, 0.5).toFixed(2)} ms (apply ${quantile(applies, 0.5).toFixed(2)}), next ${quantile(nexts, 0.5).toFixed(2)} ms`);
  if (!tracing) process.exit(0);
  console.log('--- within the first ballot, per run (may nest)');
  for (const [name, us] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(us / 1000 / runs).toFixed(2).padStart(8)} ms  ${name}`);
} finally {
  await browser.close();
  server.close();
}
