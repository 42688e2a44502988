// Relaying in a mesh (src/room/mesh-relay.ts): in a full mesh no peer relays another's update (each
// gets it once, from its author); in a partial mesh (A–B and B–C connected, A–C not) B relays and
// every peer still gets every update. Separate browser contexts over real WebRTC; runs inside the
// private network namespace.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { launchChromium, type Visitor } from '../helpers/browser.js';
import { labRequests, openLab } from './lab/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TIMEOUT = 30_000;

let server: RunningServer;
let browser: Browser;

const online = (page: Page, room: string, peers: number): Promise<unknown> =>
  page.waitForFunction(
    ({ room, peers }) => {
      const status = window.lab.roomOf(room).status;
      return status.state === 'online' && status.peers === peers;
    },
    { room, peers },
    { timeout: TIMEOUT },
  );

/** Resolves once every connected peer of `room` in `page` said it has `peers` peers. */
const told = (page: Page, room: string, peers: number[]): Promise<unknown> =>
  page.waitForFunction(({ room, peers }) => JSON.stringify(window.lab.relayOf(room)?.told.sort()) === JSON.stringify(peers), { room, peers }, { timeout: TIMEOUT });

const write = (page: Page, room: string, key: string): Promise<void> =>
  page.evaluate(({ room, key }) => void window.lab.roomOf(room).doc.getMap('notes').set(key, `written by ${key}`), { room, key });

const has = (page: Page, room: string, key: string): Promise<unknown> =>
  page.waitForFunction(({ room, key }) => window.lab.roomOf(room).doc.getMap('notes').get(key) === `written by ${key}`, { room, key }, { timeout: TIMEOUT });

const counters = (page: Page, room: string): Promise<{ relayed: number; skipped: number }> =>
  page.evaluate((room) => {
    const { relayed, skipped } = window.lab.relayOf(room)!;
    return { relayed, skipped };
  }, room);

describe('relaying in a mesh', { timeout: 120_000 }, () => {
  const visitors: Visitor[] = [];
  const lab = async (): Promise<Visitor> => {
    const visitor = await openLab(browser, server.url);
    visitors.push(visitor);
    return visitor;
  };

  before(async () => {
    server = await startServer({ port: 0, root, requests: await labRequests() });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('in a full mesh of three, a peer relays no one’s update: each gets it once, from its author', async () => {
    const room = `full-mesh-${Date.now()}`;
    const [a, b, c] = [await lab(), await lab(), await lab()];
    for (const { page } of [a, b, c]) await page.evaluate((room) => void window.lab.openRoom(room), room);
    for (const { page } of [a, b, c]) await online(page, room, 2);
    for (const { page } of [a, b, c]) await told(page, room, [2, 2]);
    const before = await Promise.all([b, c].map(({ page }) => counters(page, room)));
    await write(a.page, room, 'a1');
    await Promise.all([b, c].map(({ page }) => has(page, room, 'a1')));
    const afterA = await Promise.all([b, c].map(({ page }) => counters(page, room)));
    // Each receiver skipped two copies (back to A, and to the other, whom A sent it to) and relayed none.
    assert.deepEqual(afterA, before.map(({ relayed, skipped }) => ({ relayed, skipped: skipped + 2 })));
    await write(c.page, room, 'c1');
    await Promise.all([a, b].map(({ page }) => has(page, room, 'c1')));
    for (const { page } of [a, b]) assert.equal((await counters(page, room)).relayed, 0);
    for (const visitor of [a, b, c]) {
      assert.deepEqual(visitor.errors, []);
      await visitor.context.close();
    }
  });

  it('in a partial mesh (A–B, B–C, no A–C), B relays and every peer gets every update', async () => {
    const room = `partial-mesh-${Date.now()}`;
    const [a, b] = [await lab(), await lab()];
    for (const { page } of [a, b]) await page.evaluate((room) => void window.lab.openRoom(room), room);
    for (const { page } of [a, b]) await online(page, room, 1);
    // A leaves the signaling server (keeping its link to B): C, arriving next, never meets A.
    await a.page.evaluate((room) => window.lab.dropSignaling(room), room);
    const c = await lab();
    await c.page.evaluate((room) => void window.lab.openRoom(room), room);
    await online(c.page, room, 1);
    await online(b.page, room, 2);
    await told(b.page, room, [1, 1]);
    assert.equal(await a.page.evaluate((room) => window.lab.roomOf(room).status.peers, room), 1, 'A is connected to B only');

    await write(a.page, room, 'a1');
    await has(c.page, room, 'a1');
    await write(c.page, room, 'c1');
    await has(a.page, room, 'c1');
    // Concurrent writes at both ends, and in the middle.
    await Promise.all([write(a.page, room, 'a2'), write(b.page, room, 'b2'), write(c.page, room, 'c2')]);
    for (const { page } of [a, b, c]) for (const key of ['a1', 'c1', 'a2', 'b2', 'c2']) await has(page, room, key);
    assert.ok((await counters(b.page, room)).relayed >= 4, 'B relayed A’s updates to C and C’s to A');
    const states = await Promise.all([a, b, c].map(({ page }) => page.evaluate((room) => JSON.stringify(Object.entries(window.lab.roomOf(room).doc.getMap('notes').toJSON()).sort()), room)));
    assert.equal(new Set(states).size, 1, 'the three documents are the same');
    for (const visitor of [a, b, c]) {
      assert.deepEqual(visitor.errors, []);
      await visitor.context.close();
    }
  });
});
