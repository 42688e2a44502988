// A deliberation thread of 2,000 comments (a third of them replies) in Chromium: the time to show
// it, and to show one more comment arriving from a peer, against a bare Lit list of the same texts
// (one keyed <li> each) in the same page and run. Also counts the comment elements the new comment
// touched (the target: one). Targets: within 1.3x of the bare list; one comment re-rendered.
// The thread's time runs from its insertion (or the peer's update) to every comment rendered and
// laid out, the entries read, verified and derived on the way (the bare list is handed its texts);
// `…RenderMs` is the rendering alone, from the view published. `ready` (the model also weighing
// what this device remembered of the room, which shows nothing new here) is reported apart.
//   node --import tsx bench/thread.ts [comments] [runs]   (2,000 and 15 by default)
//   node --import tsx bench/thread-profile.ts [all|opened|one] [comments] [runs]   (where the time goes)
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import { roomTag, signEntry, storeEntry } from '../src/identity/entries.js';
import { createSigner } from '../src/identity/keys.js';
import type { Signer } from '../src/identity/types.js';
import { entryKey } from '../src/models/entry-key.js';
import { newLocalId, threadScope, ThreadModel } from '../src/models/thread.js';
import { launchChromium, newVisitor } from '../test/helpers/browser.js';
import { assertIsolated, serveBenchPage } from './page-server.js';
import { quantile } from './stats.js';
import type { Item, OneMoreRun, RenderRun } from './thread-page.js';

const ROOM = 'bench-thread';
const NAME = 'rent-strike';

export interface ThreadBenchResult {
  readonly name: 'thread';
  readonly comments: number;
  readonly runs: number;
  /** Bare Lit list of the same texts: inserted → laid out. */
  readonly bareMs: number;
  /**
   * The thread showing every comment: inserted (state in the room, verdicts known) → every comment
   * read, verified, derived, rendered and laid out.
   */
  readonly threadAllMs: number;
  /** Of which: the view published → rendered and laid out (what the bare list does). */
  readonly threadAllRenderMs: number;
  /**
   * Inserted → `ready`: the model also settled what this device remembered of the room (IndexedDB,
   * weighed against the document; it changes nothing shown here). Not a rendering cost, shown apart.
   */
  readonly threadAllReadyMs: number;
  /** The thread as it opens (the most recent 200 comments shown, "show more" for the rest). */
  readonly threadMs: number;
  readonly threadRenderMs: number;
  readonly threadReadyMs: number;
  readonly shownAtFirst: number;
  readonly bareOneMoreMs: number;
  /** One more comment from a peer: applied to the doc → verified, derived, rendered, laid out. */
  readonly threadOneMoreMs: number;
  /** Of which: applied → the model's view published (verified and derived; the rest is rendering). */
  readonly threadOneMoreViewMs: number;
  /**
   * Of which, each phase's median: Y.applyUpdate returned (Yjs, the room's listeners) → the view
   * published (read, verified, derived) → Lit rendered → laid out.
   */
  readonly threadOneMorePhases: { readonly applied: number; readonly view: number; readonly rendered: number; readonly laidOut: number };
  /** Comment elements the new comment added or changed. */
  readonly reRenderedComments: number;
  readonly ratioAll: number;
  readonly ratioAllRenderOnly: number;
  readonly ratioAsOpened: number;
  readonly ratioOneMore: number;
}

const TEXTS = [
  'I can knock on doors on the third floor this weekend.',
  'What happens to people whose lease ends in January? https://example.org/leases',
  'Agreed. We should answer the letter together, not one by one.',
  'The tenants at 40 Pine did this in 2022 and won.\nLet us ask them to come to the meeting.',
  'Who keeps the escrow account, and who can sign for it?',
];

/**
 * The room's state: `n` signed comments by 40 people, every third a reply; and `extras` updates of
 * one more comment each, every one a different comment (one per run: a comment arriving from a
 * peer is one this page has not verified before, never a verdict it remembers from the last run).
 */
export async function states(n: number, extras = 1): Promise<{ state: Uint8Array; extra: Uint8Array[]; items: Item[]; extraItem: Item }> {
  const gen = prng.create(42);
  const people: Signer[] = await Promise.all(Array.from({ length: 40 }, () => createSigner('Ed25519')));
  const doc = new Y.Doc();
  const map = doc.getMap(threadScope(NAME));
  const scope = threadScope(NAME);
  const room = roomTag(ROOM);
  const start = Date.now() - n * 2000;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const author = people[i % people.length]!;
    const id = newLocalId();
    const replyTo = i > 0 && i % 3 === 0 ? ids[prng.uint32(gen, Math.max(0, i - 30), i - 1)] : undefined;
    const body = { id, text: `${TEXTS[i % TEXTS.length]} (${i + 1})`, name: `Neighbour ${i % people.length}`, ...(replyTo ? { replyTo } : {}) };
    const entry = await signEntry(author, { type: 'comment', scope, room, ...body }, start + i * 2000);
    map.set(entryKey('comment', author.publicKey, id), storeEntry(entry, 'comment'));
    ids.push(`${author.publicKey}:${id}`);
  }
  const state = Y.encodeStateAsUpdate(doc);
  // The texts in the order the thread shows them.
  const model = new ThreadModel(doc, NAME, { topic: '' }, null, { room: ROOM });
  await model.settled();
  const items = model.view.comments.map((c) => ({ id: c.id, text: c.text }));
  model.destroy();
  if (items.length !== n) throw new Error(`the thread shows ${items.length} of ${n} comments`);
  const extra: Uint8Array[] = [];
  for (let k = 0; k < extras; k++) {
    // Each from a peer's copy of the room (its own Yjs client), so each applies to the state alone.
    const peer = new Y.Doc();
    Y.applyUpdate(peer, state);
    peer.on('update', (update: Uint8Array) => extra.push(update));
    const author = people[k % people.length]!;
    const late = await signEntry(author, { type: 'comment', scope, room, id: `late${k}`, text: 'One more, from a peer.', name: `Neighbour ${k % people.length}` }, Date.now());
    peer.getMap(scope).set(entryKey('comment', author.publicKey, `late${k}`), storeEntry(late, 'comment'));
    peer.destroy();
  }
  return { state, extra, items, extraItem: { id: 'late', text: 'One more, from a peer.' } };
}

/** The one-more updates as one file: each preceded by its length (4 bytes, big-endian). */
export const packUpdates = (updates: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(updates.reduce((size, u) => size + 4 + u.length, 0));
  let at = 0;
  for (const update of updates) {
    new DataView(out.buffer).setUint32(at, update.length);
    out.set(update, at + 4);
    at += 4 + update.length;
  }
  return out;
};

/** A visitor on the thread bench page at `url`, its states fetched and set up for `n` comments. */
export async function openThreadPage(browser: Browser, url: string, n: number): Promise<{ tab: Page; errors: string[] }> {
  const { page: tab, errors } = await newVisitor(browser);
  await tab.setViewportSize({ width: 1000, height: 800 });
  await tab.goto(url);
  await tab.waitForFunction(() => (window as any).bench !== undefined);
  await tab.evaluate(async (n) => {
    const get = async (path: string) => new Uint8Array(await (await fetch(path)).arrayBuffer());
    const w = window as any;
    // The one-more updates, unpacked (see packUpdates); `next` is the one the next run applies.
    const packed = await get('/extra.bin');
    const extra: Uint8Array[] = [];
    for (let at = 0; at < packed.length; ) {
      const length = new DataView(packed.buffer, packed.byteOffset).getUint32(at);
      extra.push(packed.slice(at + 4, at + 4 + length));
      at += 4 + length;
    }
    w.states = { state: await get('/state.bin'), extra, next: 0 };
    w.bench.setup(w.states.state, n);
  }, n);
  return { tab, errors };
}

export async function measureThread(n = 2000, runs = 15): Promise<ThreadBenchResult> {
  // One more comment for each run of it and its warm-up.
  const { state, extra, items, extraItem } = await states(n, runs + 1);
  const server = await serveBenchPage(new URL('./thread-page.ts', import.meta.url), 'thread bench', {
    '/state.bin': ['application/octet-stream', state],
    '/extra.bin': ['application/octet-stream', packUpdates(extra)],
  }, { isolated: true });
  const browser = await launchChromium();
  try {
    const { tab, errors } = await openThreadPage(browser, server.url, n);
    await assertIsolated(tab);
    type Kind = 'bare' | 'all' | 'opened' | 'bareOne' | 'threadOne';
    const run = (kind: Kind): Promise<RenderRun | OneMoreRun> =>
      tab.evaluate(
        ({ kind, items, extraItem }) => {
          const { bench, states } = window as any;
          if (kind === 'bare') return bench.bare(items);
          if (kind === 'all') return bench.thread(true);
          if (kind === 'opened') return bench.thread(false);
          if (kind === 'bareOne') return bench.bareOneMore(items, extraItem);
          return bench.threadOneMore(states.extra[states.next++]);
        },
        { kind, items, extraItem },
      );
    const kinds: Kind[] = ['bare', 'all', 'opened', 'bareOne', 'threadOne'];
    // Warm up every path (the first thread verifies every signature; later ones find the verdicts).
    for (const kind of kinds) await run(kind);
    const results = Object.fromEntries(kinds.map((k) => [k, [] as (RenderRun | OneMoreRun)[]])) as Record<Kind, (RenderRun & OneMoreRun)[]>;
    // Interleaved, so that machine noise hits every path alike.
    for (let i = 0; i < runs; i++) for (const kind of kinds) results[kind].push((await run(kind)) as RenderRun & OneMoreRun);
    for (const kind of ['bare', 'all'] as const) {
      for (const r of results[kind]) if (r.items !== n) throw new Error(`${kind}: ${r.items} of ${n} items shown`);
    }
    if (errors.length > 0) throw new Error(errors.join('\n'));
    const median = (kind: Kind, pick: (r: RenderRun & OneMoreRun) => number) => quantile(results[kind].map(pick), 0.5);
    const bareMs = median('bare', (r) => r.ms);
    const threadAllMs = median('all', (r) => r.ms);
    const threadAllRenderMs = median('all', (r) => r.renderMs);
    const threadMs = median('opened', (r) => r.ms);
    const bareOneMoreMs = median('bareOne', (r) => r.ms);
    const threadOneMoreMs = median('threadOne', (r) => r.ms);
    return {
      name: 'thread',
      comments: n,
      runs,
      bareMs,
      threadAllMs,
      threadAllRenderMs,
      threadAllReadyMs: median('all', (r) => r.readyMs),
      threadMs,
      threadRenderMs: median('opened', (r) => r.renderMs),
      threadReadyMs: median('opened', (r) => r.readyMs),
      shownAtFirst: median('opened', (r) => r.items),
      bareOneMoreMs,
      threadOneMoreMs,
      threadOneMoreViewMs: median('threadOne', (r) => r.viewMs),
      threadOneMorePhases: {
        applied: median('threadOne', (r) => r.phases!.applied),
        view: median('threadOne', (r) => r.phases!.view),
        rendered: median('threadOne', (r) => r.phases!.rendered),
        laidOut: median('threadOne', (r) => r.phases!.laidOut),
      },
      reRenderedComments: Math.max(...results.threadOne.map((r) => r.touched)),
      ratioAll: threadAllMs / bareMs,
      ratioAllRenderOnly: threadAllRenderMs / bareMs,
      ratioAsOpened: threadMs / bareMs,
      ratioOneMore: threadOneMoreMs / bareOneMoreMs,
    };
  } finally {
    await browser.close();
    server.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await measureThread(Number(process.argv[2] ?? 2000), Number(process.argv[3] ?? 5));
  console.log(JSON.stringify(result, null, 2));
}
