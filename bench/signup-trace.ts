// The signup bench's cold render in a Chromium trace: what the page's main thread does from the
// run's start to the sheet laid out (script, style and layout, paint, garbage collection, by the
// trace's own events), its tasks over 1 ms in the first part of the run (where the verifier
// workers wait for turns of it to boot), and each thread's CPU time (the workers', the
// compositor's, V8's and Blink's helpers'; THREADS=1: what those did, by the trace's events, V8's
// compilers among them). LEAD_MS=n: the page told n ms before the run that the state is coming, as
// bench/signup-profile.ts does.
//   node --import tsx bench/signup-trace.ts [signups] [runs] [list-ms]
import { signupScope } from '../src/models/signup.js';
import { launchChromium, newVisitor } from '../test/helpers/browser.js';
import { serveBenchPage } from './page-server.js';
import { sheet } from './signup.js';
import { quantile } from './stats.js';

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; tdur?: number; tid: number; pid: number; args?: any; cat: string }
const n = Number(process.argv[2] ?? 2000);
const runs = Number(process.argv[3] ?? 3);
const LIST_MS = Number(process.argv[4] ?? 160);
const LEAD_MS = Number(process.env['LEAD_MS'] ?? 0);
const { state, slots } = await sheet(n);
const server = await serveBenchPage(new URL('./signup-page.ts', import.meta.url), 'signup trace', { '/state.bin': ['application/octet-stream', state] });
const browser = await launchChromium();
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'disabled-by-default-v8.gc', 'blink.user_timing', 'toplevel', '__metadata', 'v8.compile', 'disabled-by-default-v8.compile'];
const sums = new Map<string, number[]>();
const add = (name: string, ms: number) => (sums.get(name) ?? sums.set(name, []).get(name)!).push(ms);
try {
  for (let r = 0; r <= runs; r++) {
    const { page: tab, context } = await newVisitor(browser);
    await tab.goto(server.url);
    await tab.waitForFunction(() => (window as any).bench !== undefined);
    await tab.evaluate(async () => ((window as any).state = new Uint8Array(await (await fetch('/state.bin')).arrayBuffer())));
    await browser.startTracing(tab, { categories: CATEGORIES });
    const result = await tab.evaluate(({ slots, n, lead }) => (window as any).bench.gather((window as any).state, 'food-drive', 'eastside-tenants', slots, n, lead), { slots, n, lead: LEAD_MS, scope: signupScope('food-drive') });
    const events = (JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
    await context.close();
    const mark = (name: string) => events.find((e) => e.name === name && e.cat.includes('user_timing'));
    const start = mark('gather:start');
    const end = mark('gather:laid-out');
    const connected = mark('gather:connected');
    if (!start || !end || !connected) throw new Error('no marks');
    const threadName = new Map<string, string>();
    for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
    const inRun = (e: TraceEvent) => e.ph === 'X' && e.dur !== undefined && e.ts >= start.ts && e.ts < end.ts;
    const main = events.filter((e) => e.pid === start.pid && e.tid === start.tid && inRun(e));
    // Top-level tasks (a RunTask inside another is the same task).
    const runTasks = main.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask').sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const tasks: TraceEvent[] = [];
    for (const e of runTasks) if (tasks.length === 0 || e.ts >= tasks.at(-1)!.ts + tasks.at(-1)!.dur!) tasks.push(e);
    const ms = (us: number) => us / 1000;
    const wall = ms(end.ts - start.ts);
    const busy = ms(tasks.reduce((s, e) => s + e.dur!, 0));
    const cpu = ms(tasks.reduce((s, e) => s + (e.tdur ?? 0), 0));
    // Kinds of main-thread work, by the trace's events (outermost of each kind counted).
    const kinds: [string, RegExp][] = [
      ['script', /^(FunctionCall|EvaluateScript|v8\.callFunction|RunMicrotasks|TimerFire|FireAnimationFrame|EventDispatch)$/],
      ['style', /^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet)$/],
      ['layout', /^(Layout|UpdateLayout)$/],
      ['paint, commit', /^(PrePaint|Paint|Layerize|Commit|UpdateLayer|CompositeLayers|PaintImage)$/],
      ['gc', /^(MinorGC|MajorGC|V8\.GC_.*|BlinkGC\..*|V8\.GCScavenger|V8\.GCFinalizeMC)$/],
    ];
    const line: string[] = [];
    for (const [kind, test] of kinds) {
      const of = main.filter((e) => test.test(e.name)).sort((a, b) => a.ts - b.ts);
      let total = 0;
      let until = -Infinity;
      for (const e of of) {
        if (e.ts >= until) total += e.dur!;
        else if (e.ts + e.dur! > until) total += e.ts + e.dur! - until;
        until = Math.max(until, e.ts + e.dur!);
      }
      line.push(`${kind} ${ms(total).toFixed(1)}`);
      if (r > 0) add(`main ${kind}`, ms(total));
    }
    // Every thread's CPU (the renderer's): sum of its top-level tasks' thread time.
    const perThread = new Map<string, number>();
    const outer = new Map<string, number>(); // per thread, where its last top-level task ends
    for (const e of events.filter((e) => inRun(e) && e.pid === start.pid && /RunTask$/.test(e.name)).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)) {
      const key = `${e.pid}:${e.tid}`;
      if (e.ts < (outer.get(key) ?? -Infinity)) continue;
      outer.set(key, e.ts + e.dur!);
      const name = threadName.get(key) ?? `tid ${e.tid}`;
      perThread.set(name, (perThread.get(name) ?? 0) + (e.tdur ?? e.dur!));
    }
    // What the other threads do: their events by name (outermost within a task), per thread kind.
    const work = new Map<string, number>();
    for (const e of events) {
      if (!inRun(e) || e.pid !== start.pid || e.tid === start.tid || /RunTask$/.test(e.name)) continue;
      const thread = (threadName.get(`${e.pid}:${e.tid}`) ?? '?').replace(/ thread$/, '');
      work.set(`${thread}: ${e.name}`, (work.get(`${thread}: ${e.name}`) ?? 0) + (e.tdur ?? e.dur!));
    }
    if (process.env['THREADS'] === '1') console.log(`  other threads' events (may nest): ${[...work].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([k, us]) => `${k} ${ms(us).toFixed(1)}`).join('; ')}`);
    console.log(`run ${r}${r === 0 ? ' (warm-up)' : ''}: ${result.ms.toFixed(0)} ms (trace ${wall.toFixed(0)}); main thread busy ${busy.toFixed(0)} ms, CPU ${cpu.toFixed(0)} ms: ${line.join(', ')}`);
    console.log(`  threads' CPU: ${[...perThread].sort((a, b) => b[1] - a[1]).map(([t, us]) => `${t} ${ms(us).toFixed(1)}`).join(', ')}`);
    if (r > 0) {
      add('wall', wall);
      add('main busy', busy);
      add('main CPU', cpu);
      for (const [t, us] of perThread) add(`thread ${t}`, ms(us));
    }
    if (r !== 1) continue;
    // The first run's main-thread tasks over 1 ms, from the widget's connection on, with their biggest parts.
    console.log(`  tasks over 1 ms from connected (+${ms(connected.ts - start.ts).toFixed(1)}) for ${LIST_MS} ms:`);
    for (const task of tasks.filter((e) => e.dur! > 1000 && e.ts + e.dur! >= connected.ts && e.ts <= connected.ts + LIST_MS * 1000)) {
      const inside = main.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= task.ts + task.dur! && e.dur! > 300 && !/RunTask/.test(e.name));
      const top = inside.filter((e) => !inside.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur! >= e.ts + e.dur! && o.dur! > e.dur!));
      console.log(`  ${ms(task.ts - start.ts).toFixed(1).padStart(7)} ${ms(task.dur!).toFixed(1).padStart(6)} (CPU ${ms(task.tdur ?? 0).toFixed(1).padStart(5)}) ${top.map((e) => `${e.name}${e.args?.data?.functionName ? `(${e.args.data.functionName})` : ''} ${ms(e.dur!).toFixed(1)}`).join(', ')}`);
    }
  }
  console.log(`--- medians of ${runs} runs (ms)`);
  for (const [name, values] of sums) console.log(`${quantile(values, 0.5).toFixed(1).padStart(8)}  ${name}`);
} finally {
  await browser.close();
  server.close();
}
