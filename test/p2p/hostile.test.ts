// The hostile-peer harness in real browsers (issue 13's Tests): a real signaling server and a real
// keeper (in this process, as test/server/keeper-helpers.ts starts it), two honest Chromium
// contexts each voting in a <gather-poll>, and a third, hostile context in the same room over real
// WebRTC (test/p2p/hostile-page: the room opened raw, no widget to heal it) that attacks the honest
// ballots one attack at a time: deletes them; overwrites them with invalid entries; writes raw Yjs
// items under the honest peers' own client ids; replays an older genuine ballot (its voter having
// voted again); floods 10,000 junk keys; writes a 20 MB string over a ballot; forges an organizer's
// close. After each attack the harness waits (poll-with-timeout, DELIVERY_MS then BOUND_MS) until every honest peer
// has received it (an honest ballot in its document was hit, or it holds all the attack wrote under
// the attacker's own client id, or the attack's own key is there) and
// its view equals the view before the attack, its document holds every honest ballot again as it
// was, and nothing is left to write back. Then a newcomer opens the room and must show the right
// tally; no honest page logs an error. It prints `attacks tried N, views corrupted 0`, each
// attack's time to restore, the keeper's refusals and the honest peers' keeper links. Runs inside
// the private network namespace:
// sh bin/netns node --import tsx --test test/p2p/hostile.test.ts
//
// The Node harness (test/models/hostile.test.ts) tries more attacks over the simulated network;
// test/server/entry-guard.test.ts, the keeper's refusals; test/p2p/crowding.test.ts, fake announces.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createSigner } from '../../src/identity/keys.js';
import { launchChromium, newVisitor, watchDataChannels, type Visitor } from '../helpers/browser.js';
import { startLocalKeeper, type LocalKeeper } from '../server/keeper-helpers.js';
import { HOSTILE_PAGE, hostilePageRequests } from './hostile-page/index.js';

const TIMEOUT = 20_000;
/**
 * Every honest view is what it was, and every honest document holds the honest ballots again,
 * within this long of an attack's reaching the peers (a poll-with-timeout: the printed figures say
 * how long it took; a write-back waits about a second at most).
 */
const BOUND_MS = 20_000;
/**
 * How long an attack may take to reach every honest peer. Most take well under a second; the 20 MB
 * string crosses WebRTC twice (to each honest peer, and again from the first honest peer to the
 * other: mesh-relay.ts relays any update over 16 KiB), and each page writes it to IndexedDB and
 * sends it to the keeper: views right again 5.2-24.8 s after it began in 66 runs on 2 cores shared
 * with benches (load 12-22; median 11 s), 4.7 s alone.
 */
const DELIVERY_MS = 40_000;
/**
 * The big string's size. 20 MB as the issue says: it crosses WebRTC in 64 KiB frames (the peer
 * layer takes messages up to 64 MiB) in a few seconds here.
 */
const BIG_MB = 20;
const SCOPE = 'poll:assembly';

let k: LocalKeeper;
let browser: Browser;
const visitors: Visitor[] = [];

interface PollElement extends HTMLElement {
  view: { total: number; mine: string | null; closed: boolean; options: { id: string; count: number | null }[] } | null;
  status: { peers: number; keeper: string };
  connection: { room: { doc: import('yjs').Doc } | null };
  model: { value: { damaged: number; repaired: number } | null };
}
/** What a honest page shows and holds: its view, and its document's ballots (base64 of the stored bytes). */
interface Seen {
  view: string;
  ballots: Record<string, string>;
  damaged: number;
  repaired: number;
  changes: number;
  hits: number;
  /** Whether the document holds the key the attack is known by (`seen`'s `mark`). */
  marked: boolean;
  /** How much of `seen`'s `client` (the attacker's Yjs client) the document holds: its clock there. */
  holds: number;
}

/**
 * Counts, in the page, every change to the poll's map that came from elsewhere (`window.pollChanges`),
 * and every one that left an honest ballot other than it was (`window.ballotsHit`: the attack landed).
 */
const WATCH = (scope: string) => {
  const poll = document.querySelector('gather-poll') as unknown as PollElement;
  const w = window as unknown as { pollChanges: number; ballotsHit: number; genuine: Map<string, string>; ballotChanges: string[] };
  const text = (value: unknown) => (value instanceof Uint8Array ? btoa(String.fromCharCode(...value)) : `not bytes: ${String(value).slice(0, 40)}`);
  w.pollChanges = 0;
  w.ballotsHit = 0;
  w.genuine = new Map();
  w.ballotChanges = [];
  const doc = poll.connection.room!.doc;
  const map = doc.getMap(scope);
  type ItemLike = { id: { client: number; clock: number }; left: ItemLike | null; deleted: boolean; content: { getContent(): unknown[] } };
  /** What the transaction added under `key`, newest first: e.g. `bytes 98 <- string 20971520 (deleted)`. */
  const added = (key: string, transaction: import('yjs').Transaction) => {
    const parts: string[] = [];
    for (let item = (map as unknown as { _map: Map<string, ItemLike> })._map.get(key) ?? null; item !== null && parts.length < 4; item = item.left) {
      if (item.id.clock < (transaction.beforeState.get(item.id.client) ?? 0)) break;
      const value = item.content.getContent()[0];
      parts.push(`${typeof value === 'string' ? `string ${value.length}` : value instanceof Uint8Array ? `bytes ${value.length}` : typeof value}${item.deleted ? ' (deleted)' : ''}`);
    }
    return parts.join(' <- ');
  };
  /** Whether the document held updates it could not apply yet (waiting for what they build on) before a transaction. */
  let pendingBefore = false;
  doc.on('beforeTransaction', () => {
    pendingBefore = doc.store.pendingStructs !== null;
  });
  map.observe((event, transaction) => {
    if (transaction.local) return;
    w.pollChanges++;
    for (const key of event.keysChanged) {
      if (!w.genuine.has(key)) continue;
      const hit = text(map.get(key)) !== w.genuine.get(key);
      if (hit) w.ballotsHit++;
      // The remote changes to honest ballots, for the report when an attack is not seen.
      const from = transaction.origin === null ? 'nowhere' : ((transaction.origin as object).constructor?.name ?? typeof transaction.origin);
      if (w.ballotChanges.length < 50) w.ballotChanges.push(`${Date.now()} ${key.slice(7, 13)} from ${from}: ${added(key, transaction)}${hit ? ', hit' : ', as it was'}${pendingBefore ? ', with updates that had waited' : ''}`);
    }
  });
};

/** Tells the page which ballots are the honest ones (key → base64 of the stored bytes). */
const setGenuine = (page: Page, ballots: Record<string, string>) =>
  page.evaluate((ballots) => {
    (window as unknown as { genuine: Map<string, string> }).genuine = new Map(Object.entries(ballots));
  }, ballots);

const seen = (page: Page, mark = '', client = -1): Promise<Seen> =>
  page.evaluate(([scope, mark, client]) => {
    const poll = document.querySelector('gather-poll') as unknown as PollElement;
    const ballots: Record<string, string> = {};
    const map = poll.connection.room!.doc.getMap(scope);
    map.forEach((value, key) => {
      if (key.startsWith('ballot:')) ballots[key] = value instanceof Uint8Array ? btoa(String.fromCharCode(...value)) : `not bytes: ${String(value).slice(0, 40)}`;
    });
    return {
      view: JSON.stringify(poll.view),
      ballots,
      damaged: poll.model.value!.damaged,
      repaired: poll.model.value!.repaired,
      changes: (window as unknown as { pollChanges: number }).pollChanges,
      hits: (window as unknown as { ballotsHit: number }).ballotsHit,
      marked: mark !== '' && map.has(mark),
      holds: client < 0 ? 0 : ((structs) => (structs?.length ? structs.at(-1)!.id.clock + structs.at(-1)!.length : 0))(poll.connection.room!.doc.store.clients.get(client)),
    };
  }, [SCOPE, mark, client] as const);

/**
 * Logs every data channel of a page in `window.channelLog` (for the report when an attack does not
 * reach an honest peer): when it opened, what arrived on it (messages, bytes, the last one's time),
 * when and how it closed.
 */
const CHANNEL_LOG = watchDataChannels(
  'const log = (globalThis.channelLog = []);',
  `(channel) => {
    const entry = { label: channel.label.slice(0, 6), opened: 0, messages: 0, bytes: 0, last: 0, ends: [], closed: 0, error: '' };
    log.push(entry);
    const opened = () => (entry.opened = Date.now());
    if (channel.readyState === 'open') opened(); else channel.addEventListener('open', opened, { once: true });
    channel.addEventListener('message', (event) => {
      entry.messages++;
      entry.bytes += typeof event.data === 'string' ? event.data.length : event.data.byteLength ?? event.data.size ?? 0;
      entry.last = Date.now();
      // The last frame of a framed message (src/room/peer/frames.ts: 0xFF, flags with LAST).
      if (event.data instanceof ArrayBuffer && event.data.byteLength > 2) {
        const head = new Uint8Array(event.data, 0, 2);
        if (head[0] === 0xff && (head[1] & 2) !== 0 && entry.ends.length < 8) entry.ends.push(Date.now());
      }
    });
    channel.addEventListener('close', () => (entry.closed = Date.now()), { once: true });
    channel.addEventListener('error', (event) => (entry.error = String(event.error?.message ?? event.error)), { once: true });
  }`,
);

type ChannelEntry = { label: string; opened: number; messages: number; bytes: number; last: number; ends: number[]; closed: number; error: string };

/** A page's data channels as CHANNEL_LOG saw them, times in ms after `since`. */
const channelReport = async (page: Page, since: number) => {
  const entries = await page.evaluate(() => (window as unknown as { channelLog: ChannelEntry[] }).channelLog);
  const at = (t: number) => (t === 0 ? '-' : `${t - since}`);
  return entries.map((e) => `${e.label} open ${at(e.opened)} closed ${at(e.closed)}${e.error ? ` (${e.error})` : ''}: ${e.messages} messages, ${e.bytes} bytes, last ${at(e.last)}, framed messages ended ${e.ends.map(at).join(', ') || '-'}`).join('; ');
};

async function visit(url: string): Promise<Visitor> {
  const visitor = await newVisitor(browser);
  visitors.push(visitor);
  await visitor.context.addInitScript({ content: CHANNEL_LOG });
  await visitor.page.goto(url);
  return visitor;
}

async function vote(page: Page, label: string, id: string): Promise<void> {
  const poll = page.locator('gather-poll');
  const change = poll.getByRole('button', { name: 'Change vote' });
  if (await change.isVisible()) await change.click();
  await poll.getByRole('radio', { name: label }).check();
  await poll.getByRole('button', { name: 'Vote' }).click();
  await page.waitForFunction((id) => document.querySelector('gather-poll')?.view?.mine === id, id, { timeout: TIMEOUT });
}

const counts = (page: Page) => page.evaluate(() => document.querySelector('gather-poll')!.view!.options.map((o) => `${o.id} ${o.count}`).join(', '));

describe('the hostile-peer harness in real browsers, over WebRTC, through the signaling server and the keeper', { timeout: 120_000 }, () => {
  before(async () => {
    k = await startLocalKeeper({}, { requests: await hostilePageRequests() });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await k?.close();
  });

  it('after each attack the honest views are what they were, the documents repaired, nothing logged; a newcomer gets the tally', async () => {
    const room = `hostile-${Date.now()}`;
    const organizer = (await createSigner('Ed25519')).publicKey;
    const url = (extra: Record<string, string> = {}) => new URL(`${HOSTILE_PAGE}?${new URLSearchParams({ room, organizer, ...extra })}`, k.running.url).href;

    // Two honest visitors vote; one changes their mind once the hostile peer has kept the first ballot.
    const honest = [await visit(url()), await visit(url())];
    for (const { page } of honest) {
      await page.waitForFunction(() => {
        const poll = document.querySelector('gather-poll') as unknown as PollElement | null;
        return poll?.view != null && poll.status.peers >= 1 && poll.status.keeper === 'synced';
      }, null, { timeout: TIMEOUT });
      await page.evaluate(WATCH, SCOPE);
    }
    await vote(honest[0]!.page, 'Tuesday', 'tue');
    await vote(honest[1]!.page, 'Wednesday', 'wed');
    for (const { page } of honest) await page.waitForFunction(() => document.querySelector('gather-poll')?.view?.total === 2, null, { timeout: TIMEOUT });

    const hostile = await visit(url({ hostile: '1' }));
    const mallory = hostile.page;
    await mallory.waitForFunction(() => window.hostile?.state().peers >= 2 && window.hostile.state().ballots === 2, null, { timeout: TIMEOUT });
    assert.equal(await mallory.evaluate(() => window.hostile.remember()), 2, 'the hostile peer holds both genuine ballots');
    await vote(honest[0]!.page, 'Thursday', 'thu');
    await mallory.waitForFunction(() => window.hostile.changed() === 1, null, { timeout: TIMEOUT });
    for (const { page } of honest) await page.waitForFunction(() => document.querySelector('gather-poll')?.view?.options.find((o) => o.id === 'thu')?.count === 1, null, { timeout: TIMEOUT });

    const expected = await Promise.all(honest.map(({ page }) => seen(page)));
    for (const s of expected) {
      assert.equal(s.damaged, 0);
      assert.equal(Object.keys(s.ballots).length, 2);
      assert.deepEqual(s.ballots, expected[0]!.ballots, 'both honest peers hold the same two ballots');
    }
    assert.equal(await counts(honest[1]!.page), 'tue 0, wed 1, thu 1');

    for (const { page } of honest) await setGenuine(page, expected[0]!.ballots);
    /** Whether `s` holds every honest ballot as it was (other keys may hold junk). */
    const whole = (s: Seen) => Object.entries(expected[0]!.ballots).every(([key, value]) => s.ballots[key] === value);
    const results: { attack: string; wrote: number; attackMs: number; reachedMs: number[]; restoredMs: number; hits: number; unhit: number; corrupted: number }[] = [];
    /** The hostile peer's Yjs client id and its clock there: how much it has written under its own id. */
    const written = () => mallory.evaluate(() => {
      const { doc } = (window.hostile as unknown as { room: { doc: import('yjs').Doc } }).room;
      const structs = doc.store.clients.get(doc.clientID);
      return { client: doc.clientID, clock: structs?.length ? structs.at(-1)!.id.clock + structs.at(-1)!.length : 0 };
    });
    /**
     * Runs one attack; it has reached an honest peer once an honest ballot there was hit, or its
     * document holds all the attack wrote under the hostile peer's own client id, or (attacks that
     * leave the ballots alone) once its document holds the key `mark`. The second is needed: the
     * other honest peer's write-back builds on the attack's items, so it carries them (already
     * overwritten, the 20 MB string collected to a deleted stub) to whoever lacks them, and the keeper
     * relays it once that peer's link is back (it refused the original, over its 4 MiB limit, and
     * closed the link): on a loaded machine that can beat the attacker's own 20 MB over WebRTC, and
     * that peer's ballot is never hit, its document and view right all along (5 of 40 runs of this
     * file, 2 cores shared with benches: the write-back came from the keeper 5.6-9.3 s after the
     * attack began, the 20 MB copies from the attacker and the other honest peer later).
     */
    const attack = async (name: string, run: () => Promise<number>, mark = '') => {
      const before = await Promise.all(honest.map(({ page }) => seen(page)));
      const own = await written();
      const started = Date.now();
      const wrote = await run();
      const attackMs = Date.now() - started;
      const after = await written();
      /** Only what the attack wrote under the hostile peer's own id counts (none: only a hit does). */
      const client = after.clock > (after.client === own.client ? own.clock : 0) ? after.client : -1;
      let now = before;
      /** When the attack was first seen to have reached each honest peer (ms after it began). */
      const reachedAt: (number | undefined)[] = honest.map(() => undefined);
      const reached = (s: Seen, i: number) => (mark === '' ? s.hits > before[i]!.hits || (client >= 0 && s.holds >= after.clock) : s.marked);
      const restored = (s: Seen, i: number) => reached(s, i) && s.view === expected[i]!.view && whole(s) && s.damaged === 0;
      for (;;) {
        now = await Promise.all(honest.map(({ page }) => seen(page, mark, client)));
        const t = Date.now() - started;
        now.forEach((s, i) => void (reachedAt[i] ??= reached(s, i) ? t : undefined));
        if (now.every(restored)) break;
        // BOUND_MS from the attack's reaching the last honest peer; DELIVERY_MS for it to reach them.
        const last = reachedAt.every((at) => at !== undefined) ? Math.max(...(reachedAt as number[])) : undefined;
        if (last === undefined ? t > DELIVERY_MS : t - last > BOUND_MS) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const corrupted = now.filter((s, i) => !restored(s, i)).length;
      if (corrupted > 0) {
        // Each honest peer's remote changes to the honest ballots since the attack began (ms after it).
        for (const [i, { page }] of honest.entries()) {
          const changes = await page.evaluate(() => (window as unknown as { ballotChanges: string[] }).ballotChanges);
          const since = changes.map((c) => c.split(' ')).filter(([at]) => Number(at) >= started).map(([at, ...rest]) => `${Number(at) - started} ms ${rest.join(' ')}`);
          console.log(`  ${name}: honest peer ${i}'s remote changes to honest ballots: ${since.join('; ') || 'none'}`);
          console.log(`    its data channels (ms after the attack began): ${await channelReport(page, started)}`);
        }
        console.log(`  ${name}: the hostile peer's data channels: ${await channelReport(mallory, started)}`);
        now.forEach((s, i) => {
          if (!restored(s, i)) console.log(`  ${name}: honest peer ${i} (changes seen ${s.changes - before[i]!.changes}, ballots hit ${s.hits - before[i]!.hits}, marked ${s.marked}, holds ${client >= 0 ? `${s.holds} of the attacker's ${after.clock}` : '-'}, damaged ${s.damaged})\n    view     ${s.view}\n    expected ${expected[i]!.view}\n    ballots  ${JSON.stringify(s.ballots).slice(0, 300)}`);
        });
      }
      const hits = now.reduce((n, s, i) => n + s.hits - before[i]!.hits, 0);
      // An attack on the ballots landed somewhere: the first honest peer it reached had nothing to build on it yet.
      const landed = mark !== '' || hits > 0;
      const unhit = mark === '' ? now.filter((s, i) => s.hits === before[i]!.hits).length : 0;
      results.push({ attack: name, wrote, attackMs, reachedMs: reachedAt.map((at) => at ?? -1), restoredMs: Date.now() - started, hits, unhit, corrupted: landed ? corrupted : honest.length });
    };

    await attack('delete both honest ballots', () => mallory.evaluate(() => window.hostile.deleteBallots()));
    await attack('overwrite both with invalid entries (bit-flipped, truncated, junk)', () => mallory.evaluate(() => window.hostile.overwriteBallots()));
    await attack("raw Yjs items over both ballots under the honest peers' own client ids", () => mallory.evaluate(() => window.hostile.rawItemsUnderHonestIds()));
    await attack('replay the older genuine ballot of the voter who voted again', () => mallory.evaluate(() => window.hostile.replay()));
    await attack('flood 10,000 junk keys', () => mallory.evaluate(() => window.hostile.flood(10_000)), 'junk:9998');
    await attack(`a ${BIG_MB} MB string over a ballot`, () => mallory.evaluate((mb) => window.hostile.bigString(mb), BIG_MB));
    await attack("forge the organizer's close (and close as itself)", () => mallory.evaluate(() => window.hostile.forgeClose()), `close:${organizer}`);

    // A newcomer gets the room (from the keeper and the peers) and shows the honest tally.
    const newcomer = await visit(url());
    await newcomer.page.waitForFunction(() => document.querySelector('gather-poll')?.view?.total === 2, null, { timeout: TIMEOUT });
    const newcomerCorrupted = (await counts(newcomer.page)) === 'tue 0, wed 1, thu 1' && !(await newcomer.page.evaluate(() => document.querySelector('gather-poll')!.view!.closed)) ? 0 : 1;

    const corrupted = results.reduce((n, r) => n + r.corrupted, 0) + newcomerCorrupted;
    // Every honest peer's link to the keeper is back to synced with nothing unsaved: after the big
    // string the keeper closed the links that relayed it (it takes 4 MiB a message), and the sync on
    // the next connection carries the relayed attacks again, which it refuses; each refusal is
    // answered (unanswered, a link stayed offline for good, and `unsaved` counted them).
    const linksStarted = Date.now();
    await Promise.all(
      honest.map(({ page }) =>
        page
          .waitForFunction(() => {
            const { keeper, unsaved } = (document.querySelector('gather-poll') as unknown as PollElement & { status: { unsaved: number } }).status;
            return keeper === 'synced' && unsaved === 0;
          }, null, { timeout: 30_000, polling: 100 })
          .catch(() => undefined),
      ),
    );
    const linksMs = Date.now() - linksStarted;
    const keeperLinks = await Promise.all(honest.map(({ page }) => page.evaluate(() => {
      const { keeper, unsaved } = (document.querySelector('gather-poll') as unknown as PollElement & { status: { unsaved: number } }).status;
      return `${keeper} (unsaved ${unsaved})`;
    })));
    const refused = new Map<string, number>();
    for (const l of k.logs) if (l.event === 'refused' || l.event === 'limit') refused.set(String(l.reason ?? l.limit), (refused.get(String(l.reason ?? l.limit)) ?? 0) + 1);
    console.log(`hostile harness (browsers, WebRTC, signaling server and keeper): attacks tried ${results.length}, views corrupted ${corrupted}`);
    for (const r of results) console.log(`  ${r.corrupted === 0 ? 'ok  ' : 'FAIL'} ${r.attack} (${r.wrote} written, attack ${r.attackMs} ms; honest ballots hit ${r.hits} times in the peers' documents${r.unhit > 0 ? `; ${r.unhit} peer(s) got it with a write-back built on it, never hit` : ''}): reached the honest peers after ${r.reachedMs.join(', ')} ms, views and documents right after ${r.restoredMs} ms`);
    console.log(`  a newcomer shows ${await counts(newcomer.page)}; honest peers repaired ${(await Promise.all(honest.map(({ page }) => seen(page)))).map((s) => s.repaired).join(', ')} entries; the keeper refused ${[...refused].map(([reason, n]) => `${reason} ${n}`).join(', ')}; the hostile page logged ${hostile.errors.length} errors; the honest peers' keeper links: ${keeperLinks.join(', ')} (${linksMs} ms after the newcomer's tally)`);
    assert.equal(results.length, 7);
    assert.equal(corrupted, 0, 'views left corrupted');
    for (const visitor of [...honest, newcomer]) assert.deepEqual(visitor.errors, [], 'no page errors');
    assert.deepEqual(keeperLinks, ['synced (unsaved 0)', 'synced (unsaved 0)'], "the honest peers' keeper links are synced with nothing unsaved within 30 s");
  });
});

declare global {
  interface Window {
    hostile: {
      state(): { peers: number; keys: number; ballots: number };
      remember(): number;
      changed(): number;
      deleteBallots(): number;
      overwriteBallots(): number;
      rawItemsUnderHonestIds(): number;
      replay(): number;
      flood(count: number): number;
      bigString(mb: number): number;
      forgeClose(): Promise<number>;
    };
  }
}
