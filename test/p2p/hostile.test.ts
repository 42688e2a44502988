// The hostile-peer harness in real browsers (issue 13's Tests): a real signaling server and a real
// keeper (in this process, as test/server/keeper-helpers.ts starts it), two honest Chromium
// contexts each voting in a <gather-poll>, and a third, hostile context in the same room over real
// WebRTC (test/p2p/hostile-page: the room opened raw, no widget to heal it) that attacks the honest
// ballots one attack at a time: deletes them; overwrites them with invalid entries; writes raw Yjs
// items under the honest peers' own client ids; replays an older genuine ballot (its voter having
// voted again); floods 10,000 junk keys; writes a 20 MB string over a ballot; forges an organizer's
// close. After each attack the harness waits (poll-with-timeout, BOUND_MS) until every honest peer
// has received it (an honest ballot in its document was hit, or the attack's own key is there) and
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
import { launchChromium, newVisitor, type Visitor } from '../helpers/browser.js';
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
}

/**
 * Counts, in the page, every change to the poll's map that came from elsewhere (`window.pollChanges`),
 * and every one that left an honest ballot other than it was (`window.ballotsHit`: the attack landed).
 */
const WATCH = (scope: string) => {
  const poll = document.querySelector('gather-poll') as unknown as PollElement;
  const w = window as unknown as { pollChanges: number; ballotsHit: number; genuine: Map<string, string> };
  const text = (value: unknown) => (value instanceof Uint8Array ? btoa(String.fromCharCode(...value)) : `not bytes: ${String(value).slice(0, 40)}`);
  w.pollChanges = 0;
  w.ballotsHit = 0;
  w.genuine = new Map();
  const map = poll.connection.room!.doc.getMap(scope);
  map.observe((event, transaction) => {
    if (transaction.local) return;
    w.pollChanges++;
    for (const key of event.keysChanged) if (w.genuine.has(key) && text(map.get(key)) !== w.genuine.get(key)) w.ballotsHit++;
  });
};

/** Tells the page which ballots are the honest ones (key → base64 of the stored bytes). */
const setGenuine = (page: Page, ballots: Record<string, string>) =>
  page.evaluate((ballots) => {
    (window as unknown as { genuine: Map<string, string> }).genuine = new Map(Object.entries(ballots));
  }, ballots);

const seen = (page: Page, mark = ''): Promise<Seen> =>
  page.evaluate(([scope, mark]) => {
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
    };
  }, [SCOPE, mark] as const);

async function visit(url: string): Promise<Visitor> {
  const visitor = await newVisitor(browser);
  visitors.push(visitor);
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
    const results: { attack: string; wrote: number; attackMs: number; restoredMs: number; hits: number; corrupted: number }[] = [];
    /**
     * Runs one attack; it has reached an honest peer once an honest ballot there was hit, or (attacks
     * that leave the ballots alone) once its document holds the key `mark`.
     */
    const attack = async (name: string, run: () => Promise<number>, mark = '') => {
      const before = await Promise.all(honest.map(({ page }) => seen(page)));
      const started = Date.now();
      const wrote = await run();
      const attackMs = Date.now() - started;
      let now = before;
      const restored = (s: Seen, i: number) => (mark === '' ? s.hits > before[i]!.hits : s.marked) && s.view === expected[i]!.view && whole(s) && s.damaged === 0;
      for (;;) {
        now = await Promise.all(honest.map(({ page }) => seen(page, mark)));
        if (now.every(restored) || Date.now() - started > BOUND_MS) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const corrupted = now.filter((s, i) => !restored(s, i)).length;
      if (corrupted > 0) {
        now.forEach((s, i) => {
          if (!restored(s, i)) console.log(`  ${name}: honest peer ${i} (changes seen ${s.changes - before[i]!.changes}, ballots hit ${s.hits - before[i]!.hits}, marked ${s.marked}, damaged ${s.damaged})\n    view     ${s.view}\n    expected ${expected[i]!.view}\n    ballots  ${JSON.stringify(s.ballots).slice(0, 300)}`);
        });
      }
      const hits = now.reduce((n, s, i) => n + s.hits - before[i]!.hits, 0);
      results.push({ attack: name, wrote, attackMs, restoredMs: Date.now() - started, hits, corrupted });
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
    for (const r of results) console.log(`  ${r.corrupted === 0 ? 'ok  ' : 'FAIL'} ${r.attack} (${r.wrote} written, attack ${r.attackMs} ms; honest ballots hit ${r.hits} times in the peers' documents): views and documents right after ${r.restoredMs} ms`);
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
