// Runs in the page of bench/signup.ts (bundled by esbuild, simple-peer aliased to the native peer
// as the embed is built): a visitor opening a signup sheet whose state is already stored, with
// Gather's <gather-signup>, and with bare Yjs plus one signature check per entry.
import * as Y from 'yjs';
import '../components/index.js';
import { loadSyncStack } from '../components/shared/sync-loader.js';
import '../components/signup/define.js';
import type { GatherSignup } from '../components/signup/signup.js';
import { fromBase64url } from '../src/identity/base64url.js';
import { createSigner } from '../src/identity/keys.js';
import type { SignupSlotConfig } from '../src/models/signup.types.js';
import { MemoryNetwork } from '../src/room/memory-room.js';
import { VerificationCache } from '../src/identity/verification.js';
import { EntryModel } from '../src/models/entry-model.js';
import { DEFAULT_ROOM_OPTIONS } from '../src/room/options.js';

// As the embed's loader does when the markup holds a Gather tag (components/embed.ts, loadCore): the
// sync stack is asked for with the element's code as the page loads, not when the first widget
// connects (its module opens the page's IndexedDB stores). A stored room's state can reach a
// document only through that stack, so it has come before t0 in the embed too.
void loadSyncStack();

export interface SignupRun {
  readonly ms: number;
  /** People shown (confirmed and waitlisted) once rendered. */
  readonly shown: number;
  /** Signatures checked (bare: all of them). */
  readonly checked: number;
  /** Gather: until the model had verified and derived everything (the rest is rendering). */
  readonly readyMs: number;
}

/**
 * Gather: the stored state goes into the room's doc (as a WebRTC room loads it from IndexedDB), the sheet
 * is put on the page; done when every signup is verified, derived, rendered and laid out.
 */
async function gather(state: Uint8Array, name: string, room: string, slots: readonly SignupSlotConfig[], expected: number, leadMs = 0): Promise<SignupRun> {
  const signer = await createSigner(); // this visitor's own key: made before, as a returning visitor's is loaded
  // An experiment of bench/signup-profile.ts and signup-trace.ts (LEAD_MS), never the bench's: a new
  // visitor's state comes over a link, and the page hears that it is coming `leadMs` before it has
  // all come, as a peer's first frame or the keeper's hint tells it (the room's `receiving`, which
  // the sync stack hands to the verifier: components/shared/sync-stack.ts).
  if (leadMs > 0) {
    await (await loadSyncStack()).pageCache.expectBytes(state.length);
    await new Promise((resolve) => setTimeout(resolve, leadMs));
  }
  const source = new MemoryNetwork().source();
  const t0 = performance.now();
  performance.mark('gather:start'); // for bench/signup-trace.ts
  source.acquire(room, DEFAULT_ROOM_OPTIONS).loadStored(state);
  performance.mark('gather:applied'); // for bench/signup-profile.ts (a mark is a few µs)
  const signup = document.createElement('gather-signup') as GatherSignup;
  Object.assign(signup, { source, signer: Promise.resolve(signer) });
  signup.setAttribute('room', room);
  signup.setAttribute('name', name);
  signup.setAttribute('title', 'Saturday food drive');
  for (const slot of slots) {
    const element = document.createElement('gather-slot');
    element.setAttribute('name', slot.name);
    if (slot.capacity !== null) element.setAttribute('capacity', String(slot.capacity));
    if (slot.start !== null) element.setAttribute('start', slot.start);
    if (slot.end !== null) element.setAttribute('end', slot.end);
    if (slot.location !== null) element.setAttribute('location', slot.location);
    element.textContent = slot.label;
    signup.append(element);
  }
  document.body.append(signup);
  performance.mark('gather:connected');
  await signup.ready;
  performance.mark('gather:ready');
  const readyMs = performance.now() - t0;
  let shown = 0;
  for (;;) {
    await signup.updateComplete;
    shown = signup.shadowRoot!.querySelectorAll('.people li').length;
    if (shown >= expected) break;
    await new Promise((resolve) => signup.addEventListener('gather-change', resolve, { once: true }));
  }
  signup.shadowRoot!.querySelector('[part=status]')!.getBoundingClientRect(); // layout included
  performance.mark('gather:laid-out');
  const ms = performance.now() - t0;
  signup.remove();
  return { ms, shown, checked: 0, readyMs };
}

/** Bare Yjs: apply the same state, then check one Ed25519 signature per entry (the author's key from the map key, the stored bytes). */
async function bare(state: Uint8Array, scope: string): Promise<SignupRun> {
  const t0 = performance.now();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const checks: Promise<boolean>[] = [];
  doc.getMap<unknown>(scope).forEach((value, key) => {
    if (!(value instanceof Uint8Array)) return;
    const author = fromBase64url(key.split(':')[1] ?? '');
    if (author === null) return;
    checks.push(
      crypto.subtle
        .importKey('raw', author, { name: 'Ed25519' }, false, ['verify'])
        .then((publicKey) => {
          const bytes = value as Uint8Array<ArrayBuffer>;
          return crypto.subtle.verify('Ed25519', publicKey, bytes.subarray(bytes.length - 64), bytes.subarray(0, bytes.length - 64));
        })
        .catch(() => false),
    );
  });
  await Promise.all(checks);
  const ms = performance.now() - t0;
  doc.destroy();
  return { ms, shown: 0, checked: checks.length, readyMs: ms };
}

(window as unknown as { bench: unknown }).bench = { gather, bare };

// For bench/signup-profile.ts's TIMELINE=1 (its init script made `__timeline`): when the model's
// first pass and the verification cache's steps begin and end. Absent from the bench's runs.
const timeline = (window as unknown as { __timeline?: [string, number][] }).__timeline;
if (timeline !== undefined) {
  const wrap = (proto: any, method: string, describe: (args: any[]) => string = () => '') => {
    const original = proto[method];
    proto[method] = function (this: unknown, ...args: any[]) {
      const what = `${method}${describe(args)}`;
      timeline.push([`${what} begins`, performance.now()]);
      const result = original.apply(this, args);
      if (typeof result === 'boolean') timeline.push([`${what}: ${result}`, performance.now()]);
      if (result instanceof Promise) void result.then((value) => timeline.push([`${what} ends${value === null ? ' (null)' : ''}`, performance.now()]), () => undefined);
      return result;
    };
  };
  const size = (args: any[]) => ` (${args[0]?.length ?? args[0]})`;
  wrap(VerificationCache.prototype, 'warm', size);
  wrap(VerificationCache.prototype, 'verifyBatch', size);
  wrap(VerificationCache.prototype, 'checkNew', size);
  wrap(VerificationCache.prototype, 'check', size);
  wrap(EntryModel.prototype, 'drain');
  wrap(EntryModel.prototype, 'restoreView');
  wrap(EntryModel.prototype, 'recall');
  wrap(EntryModel.prototype, 'knownNew', size);
  // Each of the widget's Lit updates, with how long it took.
  const element = customElements.get('gather-signup')!.prototype as any;
  const update = element.update;
  let updates = 0;
  element.update = function (this: unknown, ...args: any[]) {
    const started = performance.now();
    const result = update.apply(this, args);
    timeline.push([`update ${updates++} took ${(performance.now() - started).toFixed(1)} ms`, started]);
    return result;
  };
  void loadSyncStack().then(({ pageCache }) => pageCache.verdictStore?.ready.then(() => timeline.push(['verdict store loaded', performance.now()])));
}
