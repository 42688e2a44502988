// Runs in the page of bench/visitor.ts (bundled by esbuild): a visitor receiving a poll's whole
// state, with Gather's model and with bare Yjs.
import * as Y from 'yjs';
import { entrySite, type PreparedEntry, readStoredEntry, roomTag } from '../src/identity/entries.js';
import { VerificationCache } from '../src/identity/verification.js';
import { VerifierPool } from '../src/identity/verifier-pool.js';
import { keyAuthor, keyKind } from '../src/models/entry-key.js';
import { openVerdictStore } from '../src/identity/verdict-store.js';
import { openKeptStore } from '../src/models/kept-entries.js';
import { BALLOT_FIELDS, BALLOT_TYPE, PollModel, pollScope } from '../src/models/poll.js';
import type { PollConfig } from '../src/models/poll.types.js';

export interface VisitorRun {
  readonly ms: number;
  readonly total: number;
  readonly checked: number;
  /** Longest gap between two ticks of a 0 ms interval during the run: how long input would wait. */
  readonly longestBlockMs: number;
}

const config: PollConfig = { question: 'Which evening?', options: [{ id: 'tue', label: 'Tuesday' }, { id: 'thu', label: 'Thursday' }] };

/**
 * Measures the longest stretch the main thread was busy: the longest gap between ticks of a timer
 * chain (browsers space nested timers at least 4 ms apart, so a gap includes up to 4 ms of the
 * timer's own wait, and the loop wakes a few hundred times a second). A MessageChannel ping loop
 * used here before spun a whole core while the page waited: on a 2-core machine it took the CPU
 * from the verifier workers it was watching (~250 ms of postMessage and setTimeout per new visit).
 */
const watchMainThread = () => {
  let last = performance.now();
  let longest = 0;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    timer = setTimeout(tick, 0);
  };
  let timer = setTimeout(tick, 0);
  return () => {
    clearTimeout(timer);
    return Math.max(longest, performance.now() - last);
  };
};

let visits = 0;

/**
 * Gather: apply the state, verify, derive; resolves when the tally is the whole state's. `store`
 * names the device's databases: the verdicts (verdict-store.ts) and the entries it kept
 * (kept-entries.ts); null for a new visitor, whose device holds nothing (its own empty databases).
 */
async function gather(state: Uint8Array, name: string, room: string, { store, workers }: { store: string | null; workers: boolean }): Promise<VisitorRun> {
  const verdicts = store === null ? null : openVerdictStore({ name: store });
  if (verdicts !== null) await verdicts.ready; // a returning visitor's page opened it while connecting
  const keptName = store === null ? `bench-kept-new-${visits++}` : `${store}-kept`;
  const kept = openKeptStore(keptName);
  // Opened as the page loads (gather-widget.ts opens the page's store with the script), as the verdicts are.
  await kept?.load('');
  const cache = new VerificationCache({ persist: verdicts ?? false, workers });
  const watch = watchMainThread();
  const t0 = performance.now();
  const doc = new Y.Doc();
  const model = new PollModel(doc, name, config, null, { room, cache, heal: { store: kept } });
  Y.applyUpdate(doc, state);
  await model.settled();
  const total = model.view.total;
  const ms = performance.now() - t0;
  const longestBlockMs = watch();
  await verdicts?.flush();
  if (store === null) await dropStore(keptName);
  const checked = cache.signaturesChecked;
  model.destroy();
  cache.destroy();
  verdicts?.close();
  doc.destroy();
  return { ms, total, checked, longestBlockMs };
}

/** Bare Yjs: apply the state of plain `map.set(clientKey, choice)` votes and count them. */
async function bare(state: Uint8Array, name: string): Promise<VisitorRun> {
  const watch = watchMainThread();
  const t0 = performance.now();
  const doc = new Y.Doc();
  const map = doc.getMap<string>(`poll:${name}`);
  Y.applyUpdate(doc, state);
  const counts = new Map<string, number>();
  let total = 0;
  for (const choice of map.values()) {
    if (choice !== 'tue' && choice !== 'thu') continue;
    counts.set(choice, (counts.get(choice) ?? 0) + 1);
    total++;
  }
  const ms = performance.now() - t0;
  doc.destroy();
  return { ms, total, checked: 0, longestBlockMs: watch() };
}

/**
 * Bare Yjs over the same Gather state: apply it and count the compact ballots' choices, checking
 * nothing (no signature, no room, no key): what the state costs without Gather's trust.
 */
async function bareSame(state: Uint8Array, name: string): Promise<VisitorRun> {
  const watch = watchMainThread();
  const t0 = performance.now();
  const doc = new Y.Doc();
  const map = doc.getMap<unknown>(`poll:${name}`);
  Y.applyUpdate(doc, state);
  const counts = new Map<string, number>();
  let total = 0;
  for (const value of map.values()) {
    if (!(value instanceof Uint8Array) || value[0] !== 0x32) continue;
    let i = 1;
    while (value[i]! & 0x80) i++; // the time
    i++;
    if ((value[i]! & 0xe0) !== 0x60) continue; // the ballot: a short text, the option id
    const length = value[i]! & 0x1f;
    const choice = String.fromCharCode(...value.subarray(i + 1, i + 1 + length));
    counts.set(choice, (counts.get(choice) ?? 0) + 1);
    total++;
  }
  const ms = performance.now() - t0;
  doc.destroy();
  return { ms, total, checked: 0, longestBlockMs: watch() };
}

/**
 * The floor of a new visit: the state's signatures checked and nothing else (every author's key
 * imported, as all are new), the entries read beforehand; in the verifier pool's workers (as
 * Gather checks a first sync), or all at once on the page.
 */
async function floor(state: Uint8Array, name: string, room: string, { workers }: { workers: boolean }): Promise<VisitorRun> {
  const doc = new Y.Doc();
  const map = doc.getMap<unknown>(pollScope(name));
  Y.applyUpdate(doc, state);
  const site = entrySite(pollScope(name), roomTag(room));
  const jobs: PreparedEntry[] = [];
  map.forEach((value, key) => {
    const read = readStoredEntry(value, site, keyAuthor(key) ?? '', keyKind(key) ?? '', (type) => (type === BALLOT_TYPE ? BALLOT_FIELDS : undefined));
    if (read !== null) jobs.push(read.prepared);
  });
  doc.destroy();
  const pool = workers ? VerifierPool.create() : null;
  if (workers && pool === null) throw new Error('no workers');
  await pool?.verify(jobs.slice(0, 64)); // booted, as the pool is warmed while a stored room is read
  const t0 = performance.now();
  const verdicts = pool
    ? await pool.verify(jobs)
    : await Promise.all(jobs.map(async (job) => crypto.subtle.verify('Ed25519', await crypto.subtle.importKey('raw', job.key, 'Ed25519', false, ['verify']), job.sig, job.data)));
  const ms = performance.now() - t0;
  pool?.destroy();
  return { ms, total: verdicts.filter(Boolean).length, checked: jobs.length, longestBlockMs: 0 };
}

/** Empties a verdict store's database. */
const dropStore = (name: string): Promise<void> =>
  new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });

(window as unknown as { bench: unknown }).bench = { gather, bare, bareSame, floor, dropStore };
