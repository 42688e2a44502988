// Where one vote's time goes on its way to the other peers' screens (issue 6, latency), in meshes
// of the sizes given, on the page bench/mesh.ts measures (the demo page's poll, built dist/):
// click → sign → Yjs update → send → receive → verify → derive → render. Timestamps come from hooks
// on the browser's own APIs (crypto.subtle.sign/verify, RTCDataChannel send and message), the
// room's doc ('update'), the model's subscribers and the widget's render, all in epoch ms (one
// browser, one clock). Prints the median of each step from the click, and per receiver the data
// messages received per vote (duplicates relayed by the other peers) and the time spent in them.
//   sh bin/netns node --import tsx bench/mesh-profile.ts [samples] [sizes, e.g. 2,10]
// Then the same votes as steps (median of each step's own duration): the voter's (click to the
// sign call, WebCrypto's sign, to the send), the wire (send to the message event) and a receiver's
// (Yjs, the model's read and hash, WebCrypto's verify, derive and publish, Lit's update and its
// DOM writes), so that wall time which is not CPU (awaits, thread hops) shows as a step of its own.
// With CPU=1, also a CPU profile of one receiver and of the voter over the votes, summed by
// function (ROOT=<dir> serves <dir>/dist and <dir>/demo instead: an unminified build reads better).
// With BARE=1, first the bare Yjs update of bench/mesh.ts's stock page carried by the native peer
// (src/room/peer) against stock simple-peer, alternately, same harness: the transport alone.
// The pages are served cross-origin isolated, as bench/mesh.ts serves them (COOP + COEP), so that
// their clocks read to 5 µs rather than 100 µs: the steps are tenths of a ms.
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startServer } from '../src/server/serve.js';
import { launchChromium, newVisitor } from '../test/helpers/browser.js';
import { ProfileSums } from './cpu-profile.js';
import { everyoneVoted, isolatedDemo, renderedAt, stockArrivals, stockRequests } from './mesh.js';
import { quantile } from './stats.js';


/** Installed before the page's scripts: marks (epoch ms) on the browser APIs a vote goes through. */
const HOOKS = `(() => {
  const t = () => performance.timeOrigin + performance.now();
  const p = (globalThis.__mp = { marks: [], on: false, mark(label, extra) { if (p.on) p.marks.push([label, t(), extra ?? 0]); } });
  const subtle = crypto.subtle;
  for (const name of ['sign', 'verify', 'importKey']) {
    const real = subtle[name].bind(subtle);
    subtle[name] = (...args) => {
      p.mark(name + '-start');
      const out = real(...args);
      out.then(() => p.mark(name + '-end'));
      return out;
    };
  }
  // The DOM writes of a render (text and attributes), timed: the first write after a frame costs more.
  const data = Object.getOwnPropertyDescriptor(CharacterData.prototype, 'data');
  Object.defineProperty(CharacterData.prototype, 'data', { ...data, set(value) { const a = t(); data.set.call(this, value); p.mark('dom-write', t() - a); } });
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) { const a = t(); setAttribute.call(this, name, value); p.mark('dom-write', t() - a); };
  const proto = RTCDataChannel.prototype;
  const send = proto.send;
  proto.send = function (data) {
    p.mark('send', data.byteLength ?? data.length);
    try {
      return send.call(this, data);
    } finally {
      p.mark('sent');
    }
  };
  const add = proto.addEventListener;
  proto.addEventListener = function (type, listener, options) {
    if (type !== 'message') return add.call(this, type, listener, options);
    return add.call(this, type, function (event) {
      p.mark('recv', event.data.byteLength ?? event.data.length);
      try { return listener.call(this, event); } finally { p.mark('recv-done'); }
    }, options);
  };
})();`;

async function open(browser: Browser, count: number, url: string): Promise<Page[]> {
  const out: Page[] = [];
  for (let i = 0; i < count; i++) {
    const { page, context } = await newVisitor(browser);
    await context.addInitScript({ content: HOOKS });
    await page.goto(url);
    out.push(page);
  }
  return out;
}

type Marks = [string, number, number][];

const first = (marks: Marks, label: string, after = -Infinity): number | undefined => marks.find(([l, t]) => l === label && t >= after)?.[1];
const last = (marks: Marks, label: string): number | undefined => marks.filter(([l]) => l === label).at(-1)?.[1];

async function profile(browser: Browser, base: string, n: number, samples: number): Promise<void> {
  const all = await open(browser, n, new URL(`/?room=mesh-profile-${n}-${Date.now()}&keeper=`, base).href);
  await everyoneVoted(all, n);
  if (!(await all[0]!.evaluate(() => crossOriginIsolated))) console.warn('the page is not cross-origin isolated: its clock reads to 0.1 ms');
  for (const page of all) {
    await page.evaluate(() => {
      const p = (window as any).__mp;
      const poll = document.querySelector('gather-poll') as any;
      const model = poll.model.value;
      model.store.doc.on('beforeTransaction', () => p.mark('yjs-transaction'));
      model.store.doc.on('beforeObserverCalls', () => p.mark('yjs-integrated'));
      model.store.doc.on('update', () => p.mark('yjs-update'));
      model.subscribe(() => p.mark('view'));
      for (const name of ['render', 'updated']) {
        const real = poll[name];
        poll[name] = function (...args: unknown[]) {
          try {
            return real.apply(this, args);
          } finally {
            p.mark(name + '-end');
          }
        };
      }
      const performUpdate = poll.performUpdate;
      poll.performUpdate = function (...args: unknown[]) {
        p.mark('update-start');
        try {
          return performUpdate.apply(this, args);
        } finally {
          p.mark('update-end');
        }
      };
      poll.addEventListener('gather-change', async () => {
        p.mark('change');
        await poll.updateComplete;
        p.mark('rendered');
      });
    });
  }
  const [voter, ...receivers] = all;
  const cpu = process.env.CPU ? await Promise.all([voter!, receivers[0]!].map(async (page) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    await cdp.send('Profiler.start');
    return cdp;
  })) : [];
  // The main thread's style and layout after each vote (the frame after the render: outside the
  // bench's window, but CPU the other peers of a 2-core machine wait for), from Chromium's counters.
  const blink = await Promise.all([voter!, receivers[0]!].map(async (page) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    return cdp;
  }));
  const counters = () =>
    Promise.all(blink.map(async (cdp) => new Map(((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((m) => [m.name, m.value]))));
  const counted = await counters();
  const rows: Record<string, number[]> = {};
  const steps: Record<string, number[]> = {};
  /** The step from the first `from` mark to the first `to` mark after it, in `marks`. */
  const step = (label: string, marks: Marks, from: string | number | undefined, to: string, after = -Infinity) => {
    const start = typeof from === 'string' ? first(marks, from, after) : from;
    const end = start === undefined ? undefined : first(marks, to, start);
    if (start !== undefined && end !== undefined) (steps[label] ??= []).push(end - start);
  };
  const add = (label: string, value: number | undefined) => {
    if (value !== undefined) (rows[label] ??= []).push(value);
  };
  for (let i = -1; i < samples; i++) {
    const choice = i % 2 === 0 ? 'tue' : 'thu';
    const rendered = renderedAt(receivers, choice);
    await Promise.all(all.map((page) => page.evaluate(() => (((window as any).__mp.marks = []), ((window as any).__mp.on = true)))));
    const cast = await voter!.evaluate(async (choice) => {
      const t0 = performance.timeOrigin + performance.now();
      void document.querySelector('gather-poll')!.vote(choice);
      return t0;
    }, choice);
    const times = await Promise.all(rendered);
    // Duplicates relayed by the others come a little later: let them in before reading the marks.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const marks = await Promise.all(all.map((page) => page.evaluate(() => (((window as any).__mp.on = false), (window as any).__mp.marks as Marks))));
    if (i < 0) continue;
    const v = marks[0]!;
    add('voter: sign start', first(v, 'sign-start') !== undefined ? first(v, 'sign-start')! - cast : undefined);
    add('voter: signed', first(v, 'sign-end') !== undefined ? first(v, 'sign-end')! - cast : undefined);
    add('voter: yjs update', first(v, 'yjs-update') !== undefined ? first(v, 'yjs-update')! - cast : undefined);
    add('voter: first send', first(v, 'send') !== undefined ? first(v, 'send')! - cast : undefined);
    add('voter: last send of the vote', (() => {
      const sends = v.filter(([l]) => l === 'send');
      return sends.length >= n - 1 ? sends[n - 2]![1] - cast : undefined;
    })());
    add('voter: own view', first(v, 'view') !== undefined ? first(v, 'view')! - cast : undefined);
    add('voter: messages received (relayed copies)', v.filter(([l]) => l === 'recv').length);
    step('sender: click -> sign called (model, queue, signed bytes)', v, cast, 'sign-start');
    step('sender: WebCrypto sign (a thread hop)', v, 'sign-start', 'sign-end');
    step('sender: signed -> Yjs transaction', v, 'sign-end', 'yjs-transaction');
    step('sender: Yjs transaction -> first send', v, 'yjs-transaction', 'send');
    step('sender: the first send() call (native)', v, 'send', 'sent');
    const sends = v.filter(([l]) => l === 'send').map(([, at]) => at);
    if (sends.length >= n - 1) (steps['sender: first send -> last send of the vote'] ??= []).push(sends[n - 2]! - sends[0]!);
    // After the send, on the voter's own main thread: CPU the other peers' messages compete with on a small machine.
    step("sender: after the sends: the other 'update' listeners", v, 'sent', 'yjs-update', first(v, 'send'));
    step('sender: -> own view published', v, 'yjs-update', 'view');
    step('sender: own Lit update', v, 'update-start', 'update-end');
    (steps['sender: of which DOM writes (sum)'] ??= []).push(v.filter(([l]) => l === 'dom-write').reduce((sum, [, , ms]) => sum + ms, 0));
    receivers.forEach((_, r) => {
      const m = marks[r + 1]!;
      const at = (label: string) => (first(m, label) !== undefined ? first(m, label)! - cast : undefined);
      add('recv: first message', at('recv'));
      add('recv: yjs update integrated', at('yjs-integrated'));
      add('recv: yjs update applied', at('yjs-update'));
      add('recv: verify start', at('verify-start'));
      add('recv: verify end', at('verify-end'));
      add('recv: view published', at('view'));
      add('recv: gather-change', at('change'));
      add('recv: Lit update start', at('update-start'));
      add('recv: Lit update end', at('update-end'));
      add('recv: Lit updates per vote', m.filter(([l]) => l === 'update-start').length);
      add('recv: rendered (bench figure)', times[r]! - cast);
      const recvs = m.filter(([l]) => l === 'recv');
      add('recv: messages per vote', recvs.length);
      let busy = 0;
      let firstBusy = 0;
      for (let k = 0; k < m.length; k++) {
        if (m[k]![0] !== 'recv') continue;
        const done = m.slice(k).find(([l]) => l === 'recv-done');
        if (done === undefined) continue;
        busy += done[1] - m[k]![1];
        if (firstBusy === 0) firstBusy = done[1] - m[k]![1];
      }
      add('recv: ms in first message handler', firstBusy);
      add('recv: ms in all message handlers', busy);
      add('recv: sends (relays) per vote', m.filter(([l]) => l === 'send').length);
      const lastRecv = last(m, 'recv-done');
      add('recv: last message handled', lastRecv !== undefined ? lastRecv - cast : undefined);
      step('wire: first send -> the message event', m, sends[0], 'recv');
      step('receiver: message -> Yjs transaction (y-webrtc decode)', m, 'recv', 'yjs-transaction');
      step('receiver: Yjs integrate + observers', m, 'yjs-transaction', 'yjs-integrated');
      step("receiver: -> 'update' listeners done", m, 'yjs-integrated', 'yjs-update');
      step('receiver: -> verify called (model microtask, read, hash)', m, 'yjs-update', 'verify-start');
      step('receiver: WebCrypto verify (a thread hop)', m, 'verify-start', 'verify-end');
      step('receiver: verified -> view published (awaits, derive)', m, 'verify-end', 'view');
      step('receiver: view -> Lit update start', m, 'view', 'update-start');
      step('receiver: Lit render()', m, 'update-start', 'render-end');
      step('receiver: Lit commit (DOM writes) + updated()', m, 'render-end', 'update-end');
      step('receiver: Lit update end -> updateComplete (bench)', m, 'update-end', 'rendered');
      const writes = m.filter(([l]) => l === 'dom-write');
      (steps['receiver: of which DOM writes (sum)'] ??= []).push(writes.reduce((sum, [, , ms]) => sum + ms, 0));
      // The first write after the page was idle asks for a frame (the compositor wakes): the others are µs.
      if (writes.length > 0) (steps['receiver: of which the first DOM write'] ??= []).push(writes[0]![2]);
      (steps['receiver: DOM writes per vote'] ??= []).push(writes.length);
      (steps['receiver: key imports per vote (cached per author)'] ??= []).push(m.filter(([l]) => l === 'importKey-start').length);
    });
  }
  const ended = await counters();
  for (const [k, who] of ['voter', 'first receiver'].entries()) {
    const per = (name: string) => ((((ended[k]!.get(name) ?? 0) - (counted[k]!.get(name) ?? 0)) * 1000) / (samples + 1)).toFixed(2);
    console.log(`${n} peers, ${who}, per vote (whole loop, the bench's own calls too): style ${per('RecalcStyleDuration')} ms, layout ${per('LayoutDuration')} ms, script ${per('ScriptDuration')} ms`);
  }
  for (const [k, cdp] of cpu.entries()) {
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: any };
    const sums = new ProfileSums();
    sums.add(profile);
    console.log(`\n${n} peers: CPU profile of the ${k === 0 ? 'voter' : 'first receiver'} over ${samples + 1} votes`);
    sums.print(samples + 1, 25, 45);
  }
  console.log(`\n${n} peers, ${samples} votes (median, p90; ms from the click unless a count):`);
  for (const [label, values] of Object.entries(rows)) {
    console.log(`  ${label.padEnd(44)} ${quantile(values, 0.5).toFixed(2).padStart(8)} ${quantile(values, 0.9).toFixed(2).padStart(8)}`);
  }
  console.log(`${n} peers, steps (median, p90 of each step's own duration, ms; the medians do not add up to the total's):`);
  for (const [label, values] of Object.entries(steps)) {
    console.log(`  ${label.padEnd(60)} ${quantile(values, 0.5).toFixed(2).padStart(8)} ${quantile(values, 0.9).toFixed(2).padStart(8)}`);
  }
  for (const page of all) await page.context().close();
}

const samples = Number(process.argv[2] ?? 20);
const sizes = (process.argv[3] ?? '2,10').split(',').map(Number);
const root = process.env.ROOT ?? fileURLToPath(new URL('..', import.meta.url));
const bare = process.env.BARE
  ? { ...(await stockRequests('/__mesh/', 'stock y-webrtc mesh', { stock: true })), ...(await stockRequests('/__native/', 'y-webrtc mesh on the native peer')) }
  : {};
const server = await startServer({ port: 0, root, requests: { '/': await isolatedDemo(root), ...bare } });
const browser = await launchChromium();
try {
  if (process.env.BARE) {
    for (const n of sizes) {
      const times: Record<string, number[]> = { '/__mesh/': [], '/__native/': [] };
      for (let round = 0; round < 2; round++) for (const prefix of ['/__mesh/', '/__native/']) times[prefix]!.push(...(await stockArrivals(browser, server.url, n, samples, prefix)));
      console.log(`${n} peers, bare Yjs update (median, p90 ms): stock simple-peer ${quantile(times['/__mesh/']!, 0.5).toFixed(2)} ${quantile(times['/__mesh/']!, 0.9).toFixed(2)}, native peer ${quantile(times['/__native/']!, 0.5).toFixed(2)} ${quantile(times['/__native/']!, 0.9).toFixed(2)}`);
    }
  }
  for (const n of sizes) await profile(browser, server.url, n, samples);
} finally {
  await browser.close();
  await server.close();
}
