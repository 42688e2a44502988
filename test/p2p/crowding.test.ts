// Peers that cannot be crowded out, in real browsers through the real signaling server: fake
// announces and fake offers from a stranger who knows the room's name, and a forged peer id. The
// stranger is a raw WebSocket, as anyone's script could be. Runs inside the private network
// namespace (sh bin/netns node --import tsx --test test/p2p/crowding.test.ts).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import type { RefusalReason } from '../../src/server/signaling.js';
import { launchChromium, newVisitor, type Visitor } from '../helpers/browser.js';
import { labRequests } from './lab/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * How long a new honest visitor may take to connect to an attacked peer and hold its state. A
 * newcomer turned away by a room full of fresh fakes is let in once a fake's slot can be taken
 * (EVICTABLE_AFTER_MS, 2 s; measured: about 2 s from joining to synced), and at worst once the
 * fakes are given up (CONNECT_TIMEOUT_MS, 8 s); plus a few seconds to connect and sync on a loaded
 * machine.
 */
const HONEST_BOUND_MS = 12_000;

/**
 * Counts the page's RTCPeerConnections (made, and not yet closed) in `window.peerConnections`, and
 * keeps every signaling message that mentions `window.watchFor` in `window.signalingSeen`.
 */
const COUNT_PEER_CONNECTIONS = `(() => {
  const counts = (globalThis.peerConnections = { made: 0, live: 0, maxLive: 0 });
  const Native = globalThis.RTCPeerConnection;
  globalThis.RTCPeerConnection = class extends Native {
    #open = true;
    constructor(...args) {
      super(...args);
      counts.made++;
      counts.maxLive = Math.max(counts.maxLive, ++counts.live);
    }
    close() {
      if (this.#open) counts.live--;
      this.#open = false;
      return super.close();
    }
  };
  globalThis.signalingSeen = [];
  globalThis.watchFor = null;
  const NativeSocket = globalThis.WebSocket;
  globalThis.WebSocket = class extends NativeSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (globalThis.watchFor !== null && String(event.data).includes(globalThis.watchFor)) globalThis.signalingSeen.push(String(event.data));
      });
    }
  };
})();`;

interface PeerConnections {
  made: number;
  live: number;
  maxLive: number;
}

let server: RunningServer;
let browser: Browser;
const refusals: RefusalReason[] = [];

/** A visitor on the lab page, its RTCPeerConnections counted. */
async function visitor(): Promise<Visitor> {
  const visitor = await newVisitor(browser);
  await visitor.context.addInitScript({ content: COUNT_PEER_CONNECTIONS });
  await visitor.page.goto(new URL('/__lab/', server.url).href);
  await visitor.page.waitForFunction(() => 'lab' in window, null, { timeout: 10_000 });
  return visitor;
}

const peerConnections = (page: Page): Promise<PeerConnections> =>
  page.evaluate(() => (window as unknown as { peerConnections: PeerConnections }).peerConnections);

const open = (page: Page, room: string): Promise<void> => page.evaluate((room) => void window.lab.openRoom(room), room);

/** Waits until room `name` in `page` is online with at least `peers` peers; on a timeout, says what the room went through. */
async function waitOnline(page: Page, name: string, peers: number, timeout = HONEST_BOUND_MS): Promise<void> {
  try {
    await page.waitForFunction(
      ({ name, peers }) => {
        const status = window.lab.roomOf(name).status;
        return status.state === 'online' && status.peers >= peers;
      },
      { name, peers },
      { timeout },
    );
  } catch (error) {
    const seen = await page.evaluate((name) => window.lab.statusesOf(name).map((s) => `${s.state}/${s.peers}`), name).catch(() => []);
    const counts = await peerConnections(page).catch(() => null);
    throw new Error(`room ${name} not online with ${peers} peer(s); statuses (state/peers): ${seen.join(' ')}; RTCPeerConnections: ${JSON.stringify(counts)}`, { cause: error });
  }
}

/** Sets `key` in `from`'s room and waits until `to` holds it. */
async function syncs(from: Page, to: Page, room: string, key: string): Promise<void> {
  await from.evaluate(({ room, key }) => window.lab.roomOf(room).doc.getMap('notes').set(key, `${key}!`), { room, key });
  await to.waitForFunction(({ room, key }) => window.lab.roomOf(room).doc.getMap('notes').get(key) === `${key}!`, { room, key }, { timeout: HONEST_BOUND_MS });
}

/** A stranger on the signaling server: a raw WebSocket subscribed to `topic`, noting every peer id it sees. */
class Stranger {
  readonly ids = new Set<string>();
  private constructor(
    readonly ws: WebSocket,
    readonly topic: string,
  ) {
    ws.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { type?: string; data?: { from?: unknown } };
      if (message.type === 'publish' && typeof message.data?.from === 'string') this.ids.add(message.data.from);
    });
  }

  static async join(topic: string): Promise<Stranger> {
    const ws = new WebSocket(server.signalingUrl);
    await once(ws, 'open');
    const stranger = new Stranger(ws, topic);
    stranger.send({ type: 'subscribe', topics: [topic] });
    await stranger.roundTrip();
    return stranger;
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  publish(data: unknown): void {
    this.send({ type: 'publish', topic: this.topic, data });
  }

  /** Resolves once the server has handled everything sent before (it answers in order). */
  async roundTrip(): Promise<void> {
    const pong = new Promise<void>((resolve) => {
      const onMessage = (raw: WebSocket.RawData) => {
        if (String(raw) !== '{"type":"pong"}') return;
        this.ws.off('message', onMessage);
        resolve();
      };
      this.ws.on('message', onMessage);
    });
    this.send({ type: 'ping' });
    await pong;
  }

  /** Waits until the stranger has seen `count` peer ids other than its own. */
  async waitForIds(count: number, own: (id: string) => boolean = () => false): Promise<string[]> {
    const others = () => [...this.ids].filter((id) => !own(id));
    const start = Date.now();
    while (others().length < count) {
      if (Date.now() - start > HONEST_BOUND_MS) throw new Error(`the stranger saw ${others().length} peer id(s), not ${count}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return others();
  }

  close(): void {
    this.ws.close();
  }
}

/** A real offer's SDP (made in `page`, whose connection is then closed: nobody will ever answer its checks). */
const deadOffer = (page: Page): Promise<string> =>
  page.evaluate(async () => {
    const pc = new RTCPeerConnection({ iceServers: [] });
    pc.createDataChannel('x');
    await pc.setLocalDescription();
    const sdp = pc.localDescription!.sdp;
    pc.close();
    return sdp;
  });

describe('peers that cannot be crowded out', { timeout: 180_000 }, () => {
  before(async () => {
    // The server's own limits (ids per connection, publish rates) are lifted here: these tests show
    // what the browsers themselves withstand when a stranger gets everything through.
    server = await startServer({ port: 0, root, requests: await labRequests(), signaling: { maxPeerIdsPerTopic: 10_000, maxPublishBurst: 10_000 } });
    server.signaling.on('refused', (reason) => refusals.push(reason));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('40 fake announces: a new honest visitor still connects to the peer that got them, and syncs', async () => {
    const room = `announces-${Date.now()}`;
    const a = await visitor();
    await open(a.page, room);
    const topic = await a.page.evaluate((room) => window.lab.roomTopic(room, null), room);
    await a.page.waitForFunction((room) => window.lab.roomOf(room).status.state === 'online', room, { timeout: HONEST_BOUND_MS });
    await a.page.evaluate((room) => window.lab.roomOf(room).doc.getMap('notes').set('before', 'from A'), room);

    const stranger = await Stranger.join(topic);
    for (let i = 0; i < 40; i++) stranger.publish({ type: 'announce', from: `fake-announcer-${i}` });
    await stranger.roundTrip();
    // A took the bait: it opened connections to peers that will never answer.
    await a.page.waitForFunction(() => (window as unknown as { peerConnections: PeerConnections }).peerConnections.made >= 10, null, { timeout: 10_000 });

    const started = Date.now();
    const b = await visitor();
    await open(b.page, room);
    await b.page.waitForFunction((room) => window.lab.roomOf(room).doc.getMap('notes').get('before') === 'from A', room, { timeout: HONEST_BOUND_MS });
    await waitOnline(b.page, room, 1);
    const took = Date.now() - started;
    await syncs(b.page, a.page, room, 'after');
    const counts = await peerConnections(a.page);
    console.log(`# 40 fake announces: the new visitor connected and synced in ${took} ms; A made ${counts.made} RTCPeerConnections, at most ${counts.maxLive} at once`);
    assert.ok(counts.maxLive <= 34, `A held at most y-webrtc's maximum of connections at once (${counts.maxLive})`);

    stranger.close();
    for (const visitor of [a, b]) {
      assert.deepEqual(visitor.errors, []);
      await visitor.context.close();
    }
  });

  it('600 fake offers to one visitor: it stays connected to its honest peer, and a new honest peer still connects to it', async () => {
    const room = `offers-${Date.now()}`;
    const [a, b] = [await visitor(), await visitor()];
    const topic = await a.page.evaluate((room) => window.lab.roomTopic(room, null), room);
    const stranger = await Stranger.join(topic);
    await open(a.page, room);
    const [aId] = await stranger.waitForIds(1);
    await open(b.page, room);
    for (const { page } of [a, b]) await waitOnline(page, room, 1);
    const sdp = await deadOffer(b.page);
    const statusesBefore = await a.page.evaluate((room) => window.lab.statusesOf(room).length, room);

    for (let i = 0; i < 600; i++) stranger.publish({ type: 'signal', from: `fake-offerer-${i}`, to: aId, token: i, signal: { type: 'offer', sdp } });
    await stranger.roundTrip();
    await syncs(b.page, a.page, room, 'during');
    await syncs(a.page, b.page, room, 'during-back');

    const started = Date.now();
    const c = await visitor();
    await open(c.page, room);
    await waitOnline(a.page, room, 2);
    await syncs(c.page, a.page, room, 'newcomer');
    const took = Date.now() - started;

    const statuses = await a.page.evaluate((room) => window.lab.statusesOf(room).map((s) => s.peers), room);
    assert.ok(
      statuses.slice(statusesBefore).every((peers) => peers >= 1),
      `A never lost its honest peer under the flood: peers ${statuses.slice(statusesBefore).join(' ')}`,
    );
    const counts = await peerConnections(a.page);
    console.log(`# 600 fake offers: the new peer connected to the flooded one in ${took} ms; it made ${counts.made} RTCPeerConnections, at most ${counts.maxLive} at once`);
    assert.ok(counts.maxLive <= 34, `the flooded visitor held at most y-webrtc's maximum of connections at once (${counts.maxLive})`);

    stranger.close();
    for (const visitor of [a, b, c]) {
      assert.deepEqual(visitor.errors, []);
      await visitor.context.close();
    }
  });

  it('the native peer says how far a connection has got (what admission evicts by)', async () => {
    const v = await visitor();
    const seen = await v.page.evaluate(async () => {
      const { pair, NativePeer, until } = window.lab;
      const { a, b, connected } = pair();
      const start = [a.progress, b.progress];
      await connected;
      const open = [a.progress, b.progress];
      a.destroy();
      b.destroy();
      // An offer from a connection that is gone: the description arrives, no path ever will.
      const dead = new RTCPeerConnection({ iceServers: [] });
      dead.createDataChannel('x');
      await dead.setLocalDescription();
      const answerer = new NativePeer();
      answerer.signal(JSON.parse(JSON.stringify(dead.localDescription)));
      dead.close();
      await until(() => answerer.progress === 1, 5000, 'the offer to be applied');
      answerer.destroy();
      return { start, open, destroyed: answerer.progress };
    });
    assert.deepEqual(seen, { start: [0, 0], open: [3, 3], destroyed: 0 });
    assert.deepEqual(v.errors, []);
    await v.context.close();
  });

  it('a forged peer id (an honest peer’s, from another connection) is dropped by the server', async () => {
    const room = `forged-${Date.now()}`;
    const [a, b] = [await visitor(), await visitor()];
    const topic = await a.page.evaluate((room) => window.lab.roomTopic(room, null), room);
    const stranger = await Stranger.join(topic);
    await open(a.page, room);
    const [aId] = await stranger.waitForIds(1);
    await open(b.page, room);
    const bId = (await stranger.waitForIds(2)).find((id) => id !== aId)!;
    for (const { page } of [a, b]) await waitOnline(page, room, 1);
    await a.page.evaluate(() => void ((window as unknown as { watchFor: string }).watchFor = 'marker-'));
    refusals.length = 0;

    // Messages to A in B's name, and the same under the stranger's own id (which do arrive).
    const sdp = await deadOffer(b.page);
    const forged = [
      { type: 'signal', from: bId, to: aId, token: 'marker-forged-offer', signal: { type: 'offer', sdp } },
      { type: 'signal', from: bId, to: aId, token: 'marker-forged-answer', signal: { type: 'answer', sdp } },
      { type: 'announce', from: bId, marker: 'marker-forged-announce' },
    ];
    for (const data of forged) stranger.publish(data);
    stranger.publish({ type: 'announce', from: 'the-stranger', marker: 'marker-own' });
    await stranger.roundTrip();
    await a.page.waitForFunction(() => (window as unknown as { signalingSeen: string[] }).signalingSeen.length > 0, null, { timeout: HONEST_BOUND_MS });
    const seen = await a.page.evaluate(() => (window as unknown as { signalingSeen: string[] }).signalingSeen.map((text) => /marker-[a-z-]+/.exec(text)![0]));
    assert.deepEqual(seen, ['marker-own'], 'A received only what the stranger sent in its own name');
    assert.deepEqual(refusals, ['peer-id-taken', 'peer-id-taken', 'peer-id-taken']);

    await syncs(a.page, b.page, room, 'still');
    await syncs(b.page, a.page, room, 'still-back');
    stranger.close();
    for (const visitor of [a, b]) {
      assert.deepEqual(visitor.errors, []);
      await visitor.context.close();
    }
  });
});
