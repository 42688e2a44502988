// Runs in the page of bench/poll.ts (bundled by esbuild): a <gather-poll> receiving a poll's whole
// state as a peer sends it (one Yjs update) until the result is on screen, then one more ballot;
// and the baseline: the same state applied to a bare Y.Doc plus one signature check per ballot.
import * as Y from 'yjs';
import '../components/index.js';
import type { GatherPoll } from '../components/poll/poll.js';
import { MemoryNetwork } from '../src/room/memory-room.js';

export interface PollRun {
  /** State received → result rendered (ms). */
  readonly fullMs: number;
  /** One more remote ballot → re-rendered (ms): the first after the state. */
  readonly oneMs: number;
  /** Each of the ballots that came after it, one at a time (ms). */
  readonly nextMs: readonly number[];
  /**
   * The same ballots in three parts (ms): Yjs applying the update (with every observer and
   * listener of the document), the model from then until its view counts the ballot (read,
   * verified, derived, published), and the element's render after that.
   */
  readonly nextParts: readonly { readonly apply: number; readonly model: number; readonly render: number }[];
  /** The first ballot's time in the same three parts. */
  readonly oneParts: { readonly apply: number; readonly model: number; readonly render: number };
  readonly total: number;
}

/** What the baseline checks: a raw Ed25519 public key, a message and its signature, per ballot. */
export interface Check {
  readonly key: Uint8Array<ArrayBuffer>;
  readonly message: Uint8Array<ArrayBuffer>;
  readonly sig: Uint8Array<ArrayBuffer>;
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

/** The widget: apply the state in one update, as a peer's sync would, and wait for the rendered tally. */
async function widget(state: Uint8Array, one: Uint8Array, next: readonly Uint8Array[], name: string, room: string, n: number): Promise<PollRun> {
  const network = new MemoryNetwork();
  const source = network.source();
  const host = document.createElement('div');
  host.innerHTML = `<gather-room room="${room}"><gather-poll name="${name}" question="Which evening?" results="always"><option value="tue">Tuesday</option><option value="thu">Thursday</option></gather-poll></gather-room>`;
  const gatherRoom = host.firstElementChild as HTMLElement & { source: unknown };
  gatherRoom.source = source;
  document.body.append(host);
  const poll = host.querySelector('gather-poll') as GatherPoll;
  await poll.ready;
  await poll.updateComplete;
  // A peer's updates arrive through the room, as they would over WebRTC.
  const memoryRoom = source.rooms.get(room)!;
  // Rendered: the view counts `total` and the element has finished the update that shows it.
  let published = 0;
  const until = (total: number) =>
    new Promise<void>((resolve) => {
      const check = async () => {
        if (poll.view?.total !== total) return;
        published = performance.now();
        poll.removeEventListener('gather-change', check);
        await poll.updateComplete;
        resolve();
      };
      poll.addEventListener('gather-change', check);
      void check();
    });
  // bench/poll-profile.ts profiles from the state to the first ballot's render, or the ballots after it (no such hook in the bench).
  const hook = (window as unknown as { profileHook?: (what: string) => Promise<void> }).profileHook;
  await hook?.('state');
  const t0 = performance.now();
  network.receive(memoryRoom, state);
  await until(n);
  const fullMs = performance.now() - t0;
  // bench/poll-trace.ts's experiments: something run once the state is rendered (a forced GC, say).
  (window as unknown as { afterSync?: () => void }).afterSync?.();
  await nextFrame();
  // The profilers' GAP_MS: more time between the state and the first ballot (what the sync leaves behind, or what its first use builds?).
  const gap = (window as unknown as { gapMs?: number }).gapMs;
  if (gap) await new Promise((resolve) => setTimeout(resolve, gap)).then(nextFrame);
  // bench/poll-trace.ts's V8 output: a line where the first ballot starts.
  if ((window as unknown as { hookOne?: boolean }).hookOne) await hook?.('one').then(nextFrame);
  if (hook) performance.mark('gather:one');
  const t1 = performance.now();
  network.receive(memoryRoom, one);
  const oneApplied = performance.now();
  await until(n + 1);
  const oneMs = performance.now() - t1;
  const oneParts = { apply: oneApplied - t1, model: published - oneApplied, render: t1 + oneMs - published };
  if (hook) performance.mark('gather:one-done');
  await hook?.('one-done');
  const nextMs: number[] = [];
  const nextParts: { apply: number; model: number; render: number }[] = [];
  await hook?.('next');
  for (const [i, update] of next.entries()) {
    await nextFrame();
    const t = performance.now();
    network.receive(memoryRoom, update);
    const applied = performance.now();
    await until(n + 2 + i);
    const done = performance.now();
    nextMs.push(done - t);
    nextParts.push({ apply: applied - t, model: published - applied, render: done - published });
  }
  await hook?.('done');
  const total = poll.view!.total;
  host.remove();
  network.destroy();
  return { fullMs, oneMs, oneParts, nextMs, nextParts, total };
}

/**
 * Yjs alone, for reference (not the baseline): the same one-ballot updates applied one at a time to
 * a bare Y.Doc holding the state, with one 'update' listener as every provider (y-webrtc,
 * y-indexeddb) has. Each transaction rebuilds the state vector of 10,000 clients, and the
 * listener makes Yjs encode the update again (which Gather's rooms spare a peer's update:
 * src/room/received-updates.ts).
 */
async function yjsAlone(state: Uint8Array, updates: readonly Uint8Array[]): Promise<number[]> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  let heard = 0;
  doc.on('update', () => heard++);
  const out: number[] = [];
  const gap = (window as unknown as { gapMs?: number }).gapMs;
  for (const update of updates) {
    await nextFrame();
    if (gap && out.length === 0) await new Promise((resolve) => setTimeout(resolve, gap)).then(nextFrame);
    const t = performance.now();
    Y.applyUpdate(doc, update, 'peer');
    out.push(performance.now() - t);
  }
  doc.destroy();
  if (heard !== updates.length) throw new Error(`yjs alone: ${heard} updates of ${updates.length}`);
  return out;
}

/** The baseline: the same state applied to a bare Y.Doc, and one Ed25519 check per ballot. */
async function baseline(state: Uint8Array, checks: readonly Check[]): Promise<number> {
  const t0 = performance.now();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  let valid = 0;
  for (const { key, message, sig } of checks) {
    const imported = await crypto.subtle.importKey('raw', key, { name: 'Ed25519' }, false, ['verify']);
    if (await crypto.subtle.verify({ name: 'Ed25519' }, imported, sig, message)) valid++;
  }
  const ms = performance.now() - t0;
  doc.destroy();
  if (valid !== checks.length) throw new Error(`baseline: ${valid} of ${checks.length} signatures verified`);
  return ms;
}

(window as unknown as { bench: unknown }).bench = { widget, baseline, yjsAlone };
