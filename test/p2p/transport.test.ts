// Rooms over the native peer layer, in separate browser contexts (no shared BroadcastChannel; no
// keeper but where a test says so): a room far larger than one data-channel message reaches a new
// visitor, the status says "connected" only once the room's state has arrived, a new visitor is sent
// the room once (not by every peer, nor by a peer while the keeper sends it), a failed send shows in
// the status, and malformed signaling messages hurt no one. Runs inside the private network namespace.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { launchChromium, newVisitor, type Visitor } from '../helpers/browser.js';
import { ballots } from '../helpers/ballots.js';
import { slowLink, type SlowLink, type SlowLinkOptions } from '../helpers/slow-link.js';
import { until } from '../helpers/until.js';
import { keeperHolding, startLocalKeeper } from '../server/keeper-helpers.js';
import { labRequests, openLab } from './lab/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TIMEOUT = 30_000;

let server: RunningServer;
let browser: Browser;
const visitors: Visitor[] = [];

async function lab(): Promise<Visitor> {
  const visitor = await openLab(browser, server.url);
  visitors.push(visitor);
  return visitor;
}

/**
 * An init script: when a page's first framed data-channel message began and ended (its first and
 * last frame: frames.ts), how many framed messages of over 1 MB began (`copies`: whole copies of a
 * large room), and when its first Worker was started, in `window.__seen`.
 */
const FRAMES_AND_WORKERS = `(() => {
  const seen = (window.__seen = {});
  const add = RTCDataChannel.prototype.addEventListener;
  RTCDataChannel.prototype.addEventListener = function (type, listener, options) {
    if (type === 'message' && typeof listener === 'function') {
      const inner = listener;
      listener = function (event) {
        if (event.data instanceof ArrayBuffer && event.data.byteLength > 2) {
          const [marker, flags] = new Uint8Array(event.data, 0, 2);
          if (marker === 0xff && flags & 1 && !(flags & 2)) seen.first ??= performance.now();
          if (marker === 0xff && flags & 1 && new DataView(event.data).getUint32(2) > 1000000) seen.copies = (seen.copies ?? 0) + 1;
          if (marker === 0xff && flags & 2 && !(flags & 1) && seen.first !== undefined) seen.last ??= performance.now();
        }
        return inner.call(this, event);
      };
    }
    return add.call(this, type, listener, options);
  };
  const W = Worker;
  window.Worker = class extends W {
    constructor(...args) {
      super(...args);
      seen.worker ??= performance.now();
    }
  };
})();`;

/**
 * Runs `body` with a keeper in this process holding `state` as room `room`, behind a slow link
 * (test/helpers/slow-link.ts) made with `link`; both are closed after, however `body` ends.
 */
async function behindSlowLink(room: string, state: Uint8Array | null, link: SlowLinkOptions, body: (link: SlowLink) => Promise<void>): Promise<void> {
  const keeper = state === null ? await startLocalKeeper() : await keeperHolding(room, state);
  const slow = await slowLink(keeper.running.port, link);
  try {
    await body(slow);
  } finally {
    await slow.close();
    await keeper.close();
  }
}

/** A lab page holding room `room` with `state` applied as it opens (before any peer can connect); `pace`: its large messages paced (lab's paceFrames). */
async function seederOf(room: string, state: Uint8Array, pace = 0): Promise<Visitor> {
  const seeder = await lab();
  await seeder.page.evaluate(
    ({ room, state, pace }) => {
      window.lab.openRoom(room);
      window.lab.applyState(room, state);
      if (pace > 0) window.lab.spyOnChannels().paceFrames(pace);
    },
    { room, state: Buffer.from(state).toString('base64'), pace },
  );
  return seeder;
}

/** Checks that none of `visitors` saw a page error, and closes them. */
async function closeClean(...visitors: Visitor[]): Promise<void> {
  for (const visitor of visitors) {
    assert.deepEqual(visitor.errors, []);
    await visitor.context.close();
  }
}

const channels = (page: Page): Promise<number> => page.evaluate(() => (window as unknown as { openDataChannels: number }).openDataChannels);

/** Waits until room `name` in `page` is online with `peers` peers; on a timeout, says what the room went through. */
async function waitOnline(page: Page, name: string, peers: number): Promise<void> {
  try {
    await page.waitForFunction(
      ({ name, peers }) => {
        const status = window.lab.roomOf(name).status;
        return status.state === 'online' && status.peers === peers;
      },
      { name, peers },
      { timeout: TIMEOUT },
    );
  } catch (error) {
    const seen = await page.evaluate((name) => window.lab.statusesOf(name).map((s) => `${s.state}/${s.peers}/${s.sendFailures ?? 0}`), name).catch(() => []);
    const channels = await page.evaluate(() => (window as unknown as { openDataChannels: number }).openDataChannels).catch(() => -1);
    throw new Error(`room ${name} not online with ${peers} peer(s); statuses (state/peers/sendFailures): ${seen.join(' ')}; open data channels: ${channels}`, { cause: error });
  }
}

describe('rooms over the native peer layer', { timeout: 240_000 }, () => {
  before(async () => {
    assert.ok(existsSync(`${root}/dist/gather.js`), 'dist/gather.js is missing: run npm run build first');
    server = await startServer({ port: 0, root, requests: await labRequests() });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a room of 10,000 signed ballots reaches a new visitor over WebRTC, who is "connected" only once it has arrived', async () => {
    const room = `big-${Date.now()}`;
    const count = 10_000;
    const state = await ballots(room, count, ['tue', 'wed', 'thu']);
    assert.ok(state.length > 4 * 262_144, `the room's state is ${state.length} bytes, many data-channel messages' worth`);
    const seeder = await seederOf(room, state);

    // A new visitor on the room layer: every status it ever reported, with the ballots it held then.
    const watcher = await lab();
    const opened = Date.now();
    await watcher.page.evaluate((room) => void window.lab.openRoom(room), room);
    try {
      await watcher.page.waitForFunction(({ room, count }) => window.lab.roomOf(room).doc.getMap('poll:assembly-day').size === count, { room, count }, { timeout: TIMEOUT });
    } catch (error) {
      const seen = await watcher.page.evaluate((room) => window.lab.statusesOf(room).map((s) => `${s.state}/${s.peers}/${s.entries}`), room).catch(() => []);
      const held = await watcher.page.evaluate((room) => window.lab.roomOf(room).doc.getMap('poll:assembly-day').size, room).catch(() => -1);
      const seederSeen = await seeder.page.evaluate((room) => window.lab.statusesOf(room).map((s) => `${s.state}/${s.peers}/${s.entries}`), room).catch(() => []);
      const open = await Promise.all([seeder, watcher].map(({ page }) => channels(page).catch(() => -1)));
      throw new Error(
        `the room did not arrive: ${held} of ${count} entries after ${Date.now() - opened} ms; statuses (state/peers/entries): ${seen.join(' ')}; the seeder's: ${seederSeen.join(' ')}; open data channels (seeder, watcher): ${open.join(', ')}`,
        { cause: error },
      );
    }
    const arrivedMs = Date.now() - opened;
    await waitOnline(watcher.page, room, 1);
    const statuses = await watcher.page.evaluate((room) => window.lab.statusesOf(room), room);
    const early = statuses.filter((s) => s.state === 'online' && s.peers > 0 && s.entries < count);
    assert.deepEqual(early, [], 'no "online with peers" status before the room had arrived');
    // Meanwhile the status said how much of it had come (what the widgets show as a progress bar), then no more.
    const arriving = statuses.filter((s) => s.receiving !== undefined);
    assert.ok(arriving.length >= 2, `statuses while the state arrived: ${JSON.stringify(statuses.map((s) => [s.state, s.entries, s.receiving]))}`);
    for (const s of arriving) {
      assert.equal(s.state, 'connecting');
      assert.ok(s.entries < count && s.receiving!.received < s.receiving!.total && s.receiving!.total > 1_000_000, JSON.stringify(s));
    }
    assert.equal(statuses.at(-1)!.receiving, undefined);
    assert.ok(
      statuses.some((s) => s.state === 'connecting' && s.peers > 0),
      `the watcher was "connecting" while connected to a peer whose state had not arrived: ${JSON.stringify(statuses.map((s) => [s.state, s.peers, s.entries]))}`,
    );

    // Another new visitor, on the demo page through the built embed (the room now reaches it from two peers).
    const reader = await newVisitor(browser);
    visitors.push(reader);
    await reader.context.addInitScript({ content: FRAMES_AND_WORKERS });
    const readerOpened = Date.now();
    await reader.page.goto(new URL(`/?${new URLSearchParams({ room, keeper: '' })}`, server.url).href); // no keeper: WebRTC alone
    await reader.page.waitForFunction((count) => document.querySelector('gather-poll')?.view?.total === count, count, { timeout: 60_000 });
    console.log(`the room's state (${state.length} bytes, ${count} ballots) reached the new visitor in ${arrivedMs} ms, the demo page's tally showed it ${Date.now() - readerOpened} ms after it opened`);
    // The page's verifier workers started as the state's first frame came, before its last one.
    const seen = await reader.page.evaluate(() => (window as unknown as { __seen: Record<string, number> }).__seen);
    assert.ok(seen['first'] !== undefined && seen['last'] !== undefined && seen['worker'] !== undefined, `frames and workers seen: ${JSON.stringify(seen)}`);
    assert.ok(seen['first']! <= seen['worker']! && seen['worker']! < seen['last']!, `the workers started while the state was arriving: ${JSON.stringify(seen)}`);
    // Two peers held the room; one of them sent it (the other, asked once it had come, only what was missing).
    assert.equal(seen['copies'], 1, `whole copies of the room received: ${JSON.stringify(seen)}`);
    // Results show once this visitor has voted (the poll's default): vote as a person does, then read the tally.
    await reader.page.getByRole('radio', { name: 'Tuesday, 7 pm' }).check();
    await reader.page.getByRole('button', { name: 'Vote' }).click();
    await reader.page.waitForFunction((count) => document.querySelector('gather-poll')?.view?.total === count + 1, count, { timeout: TIMEOUT });
    const counts = await reader.page.evaluate(() => document.querySelector('gather-poll')!.view!.options.map((o) => [o.id, o.count]));
    assert.deepEqual(counts, [
      ['tue', 3335],
      ['wed', 3333],
      ['thu', 3333],
    ]);
    await reader.page.waitForFunction(
      () => /^Connected/.test(document.querySelector('gather-poll')?.shadowRoot?.querySelector('[part=status]')?.textContent?.trim() ?? ''),
      null,
      { timeout: TIMEOUT },
    );
    for (const page of [watcher.page, reader.page]) assert.ok((await channels(page)) >= 1, 'the room arrived over an RTCDataChannel');
    await closeClean(seeder, watcher, reader);
  });

  it('a room whose state takes seconds to arrive (a slow link) is sent once, not asked for again while it comes', async () => {
    const room = `slow-${Date.now()}`;
    const count = 2000;
    const state = await ballots(room, count, ['tue', 'thu']);
    const frames = Math.ceil(state.length / (64 * 1024));
    // Each frame leaves 700 ms after the one before: the state takes longer than the 2 s after which a peer's state is overdue.
    const seeder = await seederOf(room, state, 700);
    const watcher = await lab();
    await watcher.page.evaluate((room) => void window.lab.openRoom(room), room);
    await watcher.page.waitForFunction(({ room, count }) => window.lab.roomOf(room).doc.getMap('poll:assembly-day').size === count, { room, count }, { timeout: 60_000 });
    await waitOnline(watcher.page, room, 1);
    // Everything the seeder sent has left, and the watcher is in the middle of no message.
    await seeder.page.waitForFunction(() => window.lab.spyOnChannels().queued() === 0, null, { timeout: 60_000 });
    await watcher.page.waitForFunction((room) => window.lab.roomOf(room).status.receiving === undefined && window.lab.statusesOf(room).at(-1)?.receiving === undefined, room, { timeout: TIMEOUT });
    const receiving = await watcher.page.evaluate((room) => window.lab.receivingOf(room), room);
    const copies = receiving.filter((r) => r.received === 64 * 1024 - 6).length; // each message's first frame
    assert.ok(frames >= 4, `${state.length} bytes: ${frames} frames`);
    assert.equal(copies, 1, `copies of the state begun: ${JSON.stringify(receiving)}`);
    await closeClean(seeder, watcher);
  });

  it('a new visitor whose keeper is sending it the room (a slow link) is not sent the room by a peer as well', async () => {
    const room = `kept-${Date.now()}`;
    const count = 2000;
    const state = await ballots(room, count, ['tue', 'thu']);
    // The keeper's answers reach the page at 60 kB/s: its ~300 kB state takes about 5 s.
    await behindSlowLink(room, state, { bytesPerSecond: 60_000 }, async (link) => {
      const watcher = await lab();
      await watcher.page.evaluate(({ room, keeper }) => void window.lab.openRoom(room, { keeper }), { room, keeper: `ws://127.0.0.1:${link.port}/sync` });
      // The keeper has been asked (its whole answer is on the slow link) before a peer holding the room comes.
      await until(() => link.received >= state.length, TIMEOUT, 'the keeper answering');
      const seeder = await seederOf(room, state);
      await watcher.page.waitForFunction(({ room, count }) => window.lab.roomOf(room).doc.getMap('poll:assembly-day').size === count, { room, count }, { timeout: 60_000 });
      await waitOnline(watcher.page, room, 1);
      await watcher.page.waitForFunction((room) => window.lab.roomOf(room).status.keeper === 'synced', room, { timeout: TIMEOUT });
      const statuses = await watcher.page.evaluate((room) => window.lab.statusesOf(room), room);
      // The peer was there while the keeper's answer was still on its way…
      assert.ok(
        statuses.some((s) => s.peers === 1 && s.entries < count),
        `a peer was connected before the room had come: ${JSON.stringify(statuses.map((s) => [s.state, s.peers, s.entries, s.keeper]))}`,
      );
      // …and was asked only once it had come: it sent what was missing (nothing), not a copy of the room.
      // (The one `receiving` is the keeper's: its answer on its way, announced before it was sent.)
      const receiving = await watcher.page.evaluate((room) => window.lab.receivingOf(room), room);
      assert.equal(receiving.length, 1, `no large message from the peer: ${JSON.stringify(receiving)}`);
      assert.ok(receiving[0]!.received === 0 && receiving[0]!.total >= state.length, JSON.stringify(receiving));
      // Nor did the new visitor send the peer, which had the room, the keeper's copy of it.
      assert.deepEqual(await seeder.page.evaluate((room) => window.lab.receivingOf(room), room), [], 'no large message to the peer');
      await closeClean(seeder, watcher);
    });
  });

  it('a new visitor whose peer is sending it the room is not sent the room by its keeper as well', async () => {
    const room = `peer-first-${Date.now()}`;
    const count = 2000;
    const state = await ballots(room, count, ['tue', 'thu']);
    // The keeper's socket opens only when the test says (a keeper slow to reach), at full speed then.
    await behindSlowLink(room, state, { bytesPerSecond: 10_000_000, held: true }, async (link) => {
      const seeder = await seederOf(room, state, 400); // its ~300 kB state takes about 2 s to send
      const watcher = await lab();
      await watcher.page.evaluate(({ room, keeper }) => void window.lab.openRoom(room, { keeper }), { room, keeper: `ws://127.0.0.1:${link.port}/sync` });
      // The peer was asked, and its state has begun to come: now the keeper's socket opens.
      await watcher.page.waitForFunction((room) => window.lab.receivingOf(room).length > 0, room, { timeout: TIMEOUT });
      link.release();
      await watcher.page.waitForFunction(({ room, count }) => window.lab.roomOf(room).doc.getMap('poll:assembly-day').size === count, { room, count }, { timeout: TIMEOUT });
      await watcher.page.waitForFunction((room) => window.lab.roomOf(room).status.keeper === 'synced', room, { timeout: TIMEOUT });
      await waitOnline(watcher.page, room, 1);
      // The keeper, asked once the peer's state had come, sent what was missing (nothing), not the room;
      // nor was the peer's copy sent on to the keeper, which had it (the sync told it what it lacked: nothing).
      assert.ok(link.sent < state.length / 4, `the keeper sent ${link.sent} bytes (the room is ${state.length})`);
      assert.ok(link.uploaded < state.length / 4, `the keeper was sent ${link.uploaded} bytes (the room is ${state.length})`);
      const copies = (await watcher.page.evaluate((room) => window.lab.receivingOf(room), room)).filter((r) => r.received === 64 * 1024 - 6).length;
      assert.equal(copies, 1, 'one copy from the peer');
      await closeClean(seeder, watcher);
    });
  });

  it("a new visitor's page gets ready for a large room its keeper is sending: the verifier's workers start before the room has come", async () => {
    const room = `kept-workers-${Date.now()}`;
    const count = 2000;
    const state = await ballots(room, count, ['tue', 'thu']);
    await behindSlowLink(room, state, { bytesPerSecond: 60_000 }, async (link) => {
      // ~5 s for the room
      const reader = await newVisitor(browser);
      visitors.push(reader);
      await reader.context.addInitScript({ content: FRAMES_AND_WORKERS });
      await reader.page.goto(new URL(`/?${new URLSearchParams({ room, keeper: `ws://127.0.0.1:${link.port}/sync` })}`, server.url).href);
      // When the last of the keeper's answer left the slow link (on this machine's clock, as the page's epoch times).
      await until(() => link.received >= state.length && link.sent === link.received, 60_000, 'the keeper’s answer sent on');
      const cameAt = Date.now();
      await reader.page.waitForFunction((count) => document.querySelector('gather-poll')?.view?.total === count, count, { timeout: TIMEOUT });
      const workerAt = await reader.page.evaluate(() => {
        const seen = (window as unknown as { __seen: Record<string, number> }).__seen;
        return seen['worker'] === undefined ? null : performance.timeOrigin + seen['worker'];
      });
      assert.ok(workerAt !== null && workerAt < cameAt - 1000, `the workers started ${workerAt === null ? 'never' : `${Math.round(cameAt - workerAt)} ms before the room had come`}`);
      await closeClean(reader);
    });
  });

  it('a keeper that stops answering only delays a new visitor: a peer is asked after a while, and the room comes', async () => {
    const room = `stuck-keeper-${Date.now()}`;
    // The page's WebSocket to the keeper opens (the keeper is asked), and then nothing more comes.
    await behindSlowLink(room, null, { bytesPerSecond: 1_000_000, stopAfter: 'head' }, async (link) => {
      const watcher = await lab();
      await watcher.page.evaluate(({ room, keeper }) => void window.lab.openRoom(room, { keeper }), { room, keeper: `ws://127.0.0.1:${link.port}/sync` });
      await until(() => link.sent > 0, TIMEOUT, 'the keeper’s socket opening');
      const peer = await lab();
      await peer.page.evaluate((room) => {
        window.lab.openRoom(room);
        window.lab.roomOf(room).doc.getMap('notes').set('from-peer', 'sent');
      }, room);
      await watcher.page.waitForFunction((room) => window.lab.roomOf(room).status.peers === 1, room, { timeout: TIMEOUT });
      const connected = Date.now();
      await watcher.page.waitForFunction((room) => window.lab.roomOf(room).doc.getMap('notes').get('from-peer') === 'sent', room, { timeout: TIMEOUT });
      const waited = Date.now() - connected;
      await waitOnline(watcher.page, room, 1);
      assert.equal(await watcher.page.evaluate((room) => window.lab.roomOf(room).status.keeper, room), 'connecting');
      console.log(`with its keeper not answering, the new visitor had the peer's state ${waited} ms after the peer connected`);
      await closeClean(peer, watcher);
    });
  });

  it('a returning visitor whose own copy is slow to load is not sent the room again by a peer that connects meanwhile', async () => {
    const room = `returning-${Date.now()}`;
    const count = 2000;
    const state = await ballots(room, count, ['tue', 'thu']);
    const seeder = await seederOf(room, state);
    // A first visit: the room comes from the peer and is kept in this browser's IndexedDB.
    const visitor = await lab();
    await visitor.page.evaluate((room) => void window.lab.openRoom(room, { persist: true }), room);
    await visitor.page.waitForFunction(({ room, count }) => window.lab.roomOf(room).doc.getMap('poll:assembly-day').size === count, { room, count }, { timeout: 60_000 });
    await visitor.page.evaluate(() => window.lab.closeRooms());
    await visitor.page.waitForFunction((room) => window.lab.storedUpdates(room).then((n) => n > 0), room, { timeout: TIMEOUT, polling: 100 });
    // The visit after: this browser's copy takes 1.5 s to load, and the peer connects meanwhile.
    await visitor.page.evaluate((room) => {
      window.lab.slowIndexedDB(1500);
      window.lab.openRoom(room, { persist: true });
    }, room);
    await visitor.page.waitForFunction(({ room, count }) => window.lab.roomOf(room).doc.getMap('poll:assembly-day').size === count, { room, count }, { timeout: TIMEOUT });
    await waitOnline(visitor.page, room, 1);
    const statuses = await visitor.page.evaluate((room) => window.lab.statusesOf(room), room);
    assert.ok(
      statuses.some((s) => s.peers === 1 && s.entries === 0),
      `the peer was connected while this browser's copy loaded: ${JSON.stringify(statuses.map((s) => [s.state, s.peers, s.entries]))}`,
    );
    // Asked once that copy had loaded, the peer sent only what it lacked (nothing), not the room again.
    assert.deepEqual(await visitor.page.evaluate((room) => window.lab.receivingOf(room), room), [], 'no large message from the peer');
    await closeClean(seeder, visitor);
  });

  it('a single Yjs update larger than 1 MB reaches the other peer', async () => {
    const room = `update-${Date.now()}`;
    const [a, b] = [await lab(), await lab()];
    for (const { page } of [a, b]) await page.evaluate((room) => void window.lab.openRoom(room), room);
    for (const { page } of [a, b]) await waitOnline(page, room, 1);
    const size = await a.page.evaluate((room) => {
      const doc = window.lab.roomOf(room).doc;
      let update = 0;
      doc.once('update', (u: Uint8Array) => (update = u.length));
      doc.getMap('blobs').set('big', 'x'.repeat(1536 * 1024));
      return update;
    }, room);
    assert.ok(size > 1024 * 1024, `the update is ${size} bytes`);
    await b.page.waitForFunction((room) => (window.lab.roomOf(room).doc.getMap('blobs').get('big') as string | undefined)?.length === 1536 * 1024, room, {
      timeout: TIMEOUT,
    });
    await closeClean(a, b);
  });

  it('a message that cannot be sent shows in the status (and the room syncs again once sending works)', async () => {
    const room = `refused-${Date.now()}`;
    const [a, b] = [await lab(), await lab()];
    const warnings: string[] = [];
    a.page.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
    for (const { page } of [a, b]) await page.evaluate((room) => void window.lab.openRoom(room), room);
    for (const { page } of [a, b]) await waitOnline(page, room, 1);
    // Every data-channel send in A now throws, as Chromium's does for a message over 256 KiB.
    await a.page.evaluate((room) => {
      window.lab.spyOnChannels().failSends(true);
      window.lab.roomOf(room).doc.getMap('notes').set('first', 'lost in transit');
    }, room);
    await a.page.waitForFunction((room) => (window.lab.roomOf(room).status.sendFailures ?? 0) >= 1, room, { timeout: TIMEOUT });
    // While A cannot send, no status claims a synced peer.
    const during = await a.page.evaluate((room) => window.lab.statusesOf(room).slice(-1)[0]!, room);
    assert.ok(!(during.state === 'online' && during.peers > 0), `status after the failure: ${JSON.stringify(during)}`);
    assert.equal(warnings.filter((w) => w.includes('could not be sent')).length, 1, 'one console warning');

    await a.page.evaluate(() => window.lab.spyOnChannels().failSends(false));
    await b.page.waitForFunction((room) => window.lab.roomOf(room).doc.getMap('notes').get('first') === 'lost in transit', room, { timeout: TIMEOUT });
    await waitOnline(a.page, room, 1);
    await closeClean(a, b);
  });

  it('a peer whose state was lost on the way is asked again: the room comes online with it', async () => {
    const room = `lost-state-${Date.now()}`;
    const [a, b] = [await lab(), await lab()];
    await b.page.evaluate((room) => {
      // B's answer to A's first sync request vanishes without an error, as a message sent before the other side could take it.
      window.lab.spyOnChannels().dropSyncStep2(1);
      window.lab.openRoom(room);
      window.lab.roomOf(room).doc.getMap('notes').set('from-b', 'only B had this');
    }, room);
    await a.page.evaluate((room) => void window.lab.openRoom(room), room);
    await waitOnline(a.page, room, 1);
    assert.equal(await a.page.evaluate((room) => window.lab.roomOf(room).doc.getMap('notes').get('from-b'), room), 'only B had this');
    assert.equal(await b.page.evaluate(() => window.lab.spyOnChannels().dropsLeft()), 0, 'B dropped its state once');
    await closeClean(a, b);
  });

  it('a peer asked for the state that never answers only delays a new visitor: another peer is asked, and the room comes', async () => {
    const room = `mute-${Date.now()}`;
    const [mute, visitor] = [await lab(), await lab()];
    // The mute peer holds the room but never sends its state (every sync step 2 it sends vanishes).
    await mute.page.evaluate((room) => {
      window.lab.spyOnChannels().dropSyncStep2(1_000_000);
      window.lab.openRoom(room);
      window.lab.roomOf(room).doc.getMap('notes').set('from-mute', 'never sent');
    }, room);
    // The new visitor meets it first, and asks it (its state vector: empty).
    await visitor.page.evaluate((room) => void window.lab.openRoom(room), room);
    await visitor.page.waitForFunction((room) => window.lab.roomOf(room).status.peers === 1, room, { timeout: TIMEOUT });
    // Then a peer that answers joins.
    const helpful = await lab();
    await helpful.page.evaluate((room) => {
      window.lab.openRoom(room);
      window.lab.roomOf(room).doc.getMap('notes').set('from-helpful', 'sent');
    }, room);
    await visitor.page.waitForFunction((room) => window.lab.roomOf(room).doc.getMap('notes').get('from-helpful') === 'sent', room, { timeout: TIMEOUT });
    await waitOnline(visitor.page, room, 2);
    await closeClean(mute, visitor, helpful);
  });

  it('malformed signaling messages from a stranger throw nowhere, in open and password rooms', async () => {
    for (const password of [null, 'correct horse']) {
      const room = `garbage-${password === null ? 'open' : 'pw'}-${Date.now()}`;
      const [a, b] = [await lab(), await lab()];
      for (const { page } of [a, b]) await page.evaluate(({ room, password }) => void window.lab.openRoom(room, { password }), { room, password });
      for (const { page } of [a, b]) await waitOnline(page, room, 1);
      const topic = await a.page.evaluate(({ room, password }) => window.lab.roomTopic(room, password), { room, password });

      // A stranger on the signaling server, subscribed to the room's topic.
      const stranger = new WebSocket(new URL('/signal', server.url.replace(/^http/, 'ws')).href);
      await new Promise((resolve, reject) => stranger.once('open', resolve).once('error', reject));
      const peerIds = new Set<string>();
      stranger.on('message', (raw) => {
        const message = JSON.parse(String(raw)) as { type?: string; data?: { from?: unknown } };
        if (message.type === 'publish' && typeof message.data?.from === 'string') peerIds.add(message.data.from);
      });
      stranger.send(JSON.stringify({ type: 'subscribe', topics: [topic] }));
      // Make them announce themselves again (so that, in the open room, the stranger learns their ids).
      stranger.send(JSON.stringify({ type: 'publish', topic, data: { type: 'announce', from: 'stranger' } }));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const garbage: unknown[] = [
        { type: 'signal', from: 'stranger' },
        { type: 'signal', from: 'stranger', signal: null },
        { type: 'signal', from: 'stranger', signal: 'nonsense' },
        { type: 'signal', from: 'stranger', signal: { type: 'answer', sdp: 'v=0' } },
        { type: 'signal', from: 'stranger-2', signal: { type: 'offer', sdp: 'v=0' }, token: 'x' },
        { type: 'signal', from: { not: 'a string' }, signal: { type: 'offer', sdp: 'v=0' } },
        { type: 'announce', from: 42 },
        { type: 'announce' },
        'a string',
        [1, 2, 3],
        null,
        ...[...peerIds].flatMap((to) => [
          { type: 'signal', from: 'stranger-3', to, signal: { type: 'answer', sdp: 'v=0' } },
          { type: 'signal', from: 'stranger-4', to, signal: {} },
          { type: 'signal', from: 'stranger-5', to, signal: 7 },
          { type: 'signal', from: 'stranger-6', to, signal: { type: 'candidate', candidate: 'x' } },
        ]),
      ];
      // In a password room the stranger has no key: what it sends cannot decrypt (not even base64).
      const publish = (data: unknown) => stranger.send(JSON.stringify({ type: 'publish', topic, data }));
      for (const data of garbage) publish(password === null ? data : JSON.stringify(data));
      if (password !== null) for (const data of ['!!! not base64 !!!', 'AAAA', '', 'QUVTLUdDTQ==']) publish(data);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      stranger.close();

      // The room still works, and nobody logged an error.
      await a.page.evaluate((room) => window.lab.roomOf(room).doc.getMap('notes').set('after', 'still here'), room);
      await b.page.waitForFunction((room) => window.lab.roomOf(room).doc.getMap('notes').get('after') === 'still here', room, { timeout: TIMEOUT });
      if (password === null) assert.ok(peerIds.size >= 2, `the stranger learnt ${peerIds.size} peer ids`);
      for (const visitor of [a, b]) {
        assert.deepEqual(visitor.errors, [], `errors in the ${password === null ? 'open' : 'password'} room`);
        await visitor.context.close();
      }
    }
  });
});
