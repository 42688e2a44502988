// Peer ids after a signaling reconnect (src/room/peer-id.ts, through signaling-guard.ts): a room
// takes a fresh, unguessable id before y-webrtc announces again, so an id a stranger grabbed on the
// signaling server while the visitor's socket was down is of no use. Against the real signaling
// server with a real WebrtcRoom (no WebRTC connection is made: Node has none), its socket dropped
// by a TCP relay; then, with stand-in connections, what a renewal does besides.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as bc from 'lib0/broadcastchannel';
import * as decoding from 'lib0/decoding';
import { ObservableV2 } from 'lib0/observable';
import type { WebsocketClient } from 'lib0/websocket';
import { WebSocket } from 'ws';
import { WebrtcRoom } from '../../src/room/webrtc-room.js';
import { guardSignaling, type GuardedRoom } from '../../src/room/signaling-guard.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import type { RefusalReason } from '../../src/server/signaling.js';
import { waitForServer } from '../server/helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** lib0 retries a refused socket after at most 2.5 s; a reconnect and its announce come well within this. */
const RECONNECT_BOUND_MS = 8000;

interface Relay {
  readonly url: string;
  held: boolean;
  drop(): void;
  close(): Promise<void>;
}

/** A TCP relay to the signaling server: `drop()` cuts every connection through it; while `held`, new ones are refused. */
async function relay(port: number): Promise<Relay> {
  const pairs = new Set<[Socket, Socket]>();
  const state = { held: false };
  const server: Server = createServer((client) => {
    client.on('error', () => {});
    if (state.held) {
      client.destroy();
      return;
    }
    const upstream = connect(port, '127.0.0.1');
    upstream.on('error', () => client.destroy());
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port: relayPort } = server.address() as { port: number };
  const drop = (): void => {
    for (const [a, b] of [...pairs]) {
      a.destroy();
      b.destroy();
    }
  };
  return {
    url: `ws://127.0.0.1:${relayPort}/signal`,
    get held() {
      return state.held;
    },
    set held(held: boolean) {
      state.held = held;
    },
    drop,
    async close() {
      drop();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A raw client of the signaling server that keeps every publish it receives. */
class Listener {
  readonly published: Record<string, unknown>[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { type?: string; data?: unknown };
      if (message.type === 'publish' && typeof message.data === 'object' && message.data !== null) this.published.push(message.data as Record<string, unknown>);
      ws.emit('publish-seen');
    });
  }

  static async open(url: string, topic: string): Promise<Listener> {
    const ws = new WebSocket(url);
    await once(ws, 'open');
    const listener = new Listener(ws);
    listener.send({ type: 'subscribe', topics: [topic] });
    await listener.roundTrip();
    return listener;
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
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

  /** The first publish received (from now on, or already) for which `match` holds; fails after `ms`. */
  async waitFor(match: (data: Record<string, unknown>) => boolean, what: string, ms = RECONNECT_BOUND_MS): Promise<Record<string, unknown>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.published.find(match);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`not within ${ms} ms: ${what}; seen ${JSON.stringify(this.published)}`);
      await Promise.race([once(this.ws, 'publish-seen'), new Promise((resolve) => setTimeout(resolve, Math.min(left, 250)))]);
    }
  }

  close(): void {
    this.ws.close();
  }
}

const isAnnounce = (data: Record<string, unknown>): boolean => data['type'] === 'announce';

describe('a fresh peer id after each signaling reconnect', () => {
  let root: string;
  let running: RunningServer;
  const refusals: RefusalReason[] = [];
  const hadWebSocket = 'WebSocket' in globalThis;

  before(async () => {
    // y-webrtc's signaling client (lib0's) uses the global WebSocket, which Node 20 does not have.
    if (!hadWebSocket) (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
    root = await mkdtemp(path.join(tmpdir(), 'gather-peer-id-'));
    running = await startServer({ root });
    running.signaling.on('refused', (reason) => refusals.push(reason));
  });

  after(async () => {
    await running.close();
    await rm(root, { recursive: true, force: true });
    if (!hadWebSocket) delete (globalThis as { WebSocket?: unknown }).WebSocket;
  });

  test('a stranger who grabs the id while the socket is down gets nothing meant for the visitor, who announces under a new one', { timeout: 30_000 }, async () => {
    const line = await relay(running.port);
    const name = `grab-${Date.now()}`;
    const room = new WebrtcRoom(name, { signaling: [line.url], iceServers: [], password: null, persist: false });
    const topic = room.topic;
    const [stranger, bystander] = await Promise.all([Listener.open(running.signalingUrl, topic), Listener.open(running.signalingUrl, topic)]);
    try {
      // y-webrtc announces its id when its socket opens (and again whenever a connection closes): catch one.
      const first = await bystander.waitFor(isAnnounce, "the visitor's first announce");
      const oldId = first['from'] as string;
      assert.match(oldId, UUID);

      // The visitor's socket drops, and stays down until the stranger holds its id.
      line.held = true;
      line.drop();
      await waitForServer(running.signaling, () => running.signaling.peerIdCount(topic) === 0, "the server frees the visitor's id");
      const seen = bystander.published.length;
      stranger.send({ type: 'publish', topic, data: { type: 'announce', from: oldId } });
      await stranger.roundTrip();
      await bystander.waitFor((data) => bystander.published.indexOf(data) >= seen && data['from'] === oldId, "the stranger's claim reaches the room: the grab worked");
      assert.equal(running.signaling.peerIdCount(topic), 1, 'the stranger holds the old id');
      refusals.length = 0;

      line.held = false;
      const renewed = await bystander.waitFor((data) => isAnnounce(data) && data['from'] !== oldId, 'the visitor announces again after reconnecting, under a new id');
      const newId = renewed['from'] as string;
      assert.match(newId, UUID, 'a random UUID, like the first');
      assert.notEqual(newId, oldId);
      assert.deepEqual(refusals, [], 'nothing the visitor sent was refused as a taken id');
      await waitForServer(running.signaling, () => running.signaling.peerIdCount(topic) === 2, 'the new id is bound to the visitor');

      // A signal for the visitor's new id goes to the visitor's connection alone: the stranger sees nothing of it.
      const before = stranger.published.length;
      bystander.send({ type: 'publish', topic, data: { type: 'signal', from: 'bystander', to: newId, signal: { type: 'answer', sdp: 'v=0' } } });
      await bystander.roundTrip();
      await stranger.roundTrip();
      assert.equal(stranger.published.length, before, 'a signal to the new id does not reach the stranger');
      await new Promise<void>((resolve) => (room.status.state === 'online' ? resolve() : room.on('status', (s) => s.state === 'online' && resolve())));
    } finally {
      stranger.close();
      bystander.close();
      room.destroy();
      await line.close();
      // y-webrtc's destroy() after disconnect() opens a BroadcastChannel it never closes (harmless in a
      // page, but it would keep Node running): subscribing and unsubscribing once closes it.
      const noop = () => {};
      bc.subscribe(topic, noop);
      bc.unsubscribe(topic, noop);
    }
  });
});

/** A stand-in for y-webrtc's SignalingConn: lib0 events, a `connected` flag, what it sent. */
class StandInConn extends ObservableV2<{ connect: (event: unknown) => void; disconnect: (event: unknown) => void; message: (m: unknown) => void }> {
  connected = false;
  readonly sent: unknown[] = [];
  send(message: unknown): void {
    this.sent.push(message);
  }
}

/** What this tab's channel of `topic` carries: y-webrtc's peer-id messages, decrypted with `key`. */
async function tabMessages(raw: unknown[], key: CryptoKey | null): Promise<[here: boolean, id: string][]> {
  const out: [boolean, string][] = [];
  for (const data of raw) {
    let bytes = new Uint8Array(data as Uint8Array);
    if (key !== null) {
      const decoder = decoding.createDecoder(bytes);
      assert.equal(decoding.readVarString(decoder), 'AES-GCM');
      const iv = decoding.readVarUint8Array(decoder);
      bytes = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, decoding.readVarUint8Array(decoder)));
    }
    const decoder = decoding.createDecoder(bytes);
    assert.equal(decoding.readVarUint(decoder), 4, "y-webrtc's peer-id message");
    out.push([decoding.readUint8(decoder) === 1, decoding.readVarString(decoder)]);
  }
  return out;
}

describe('what a renewal does besides', () => {
  for (const password of [false, true]) {
    test(`${password ? 'password' : 'open'} room: the id changes before y-webrtc's connect listener runs, only on a reconnect; the other tabs hear of it; other connections rejoin the topic`, async () => {
      const topic = `renew-${password ? 'pw' : 'open'}-${Date.now()}`;
      const key = password ? await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']) : null;
      const room = { peerId: 'first-id', name: topic, key, bcconnected: true, mux: (f: () => void) => f(), webrtcConns: new Map(), bcConns: new Set<string>(), provider: { maxConns: 20, filterBcConns: true } };
      const conn = new StandInConn();
      const other = new StandInConn();
      const closed = new StandInConn();
      // y-webrtc's own listener, registered first (in SignalingConn's constructor): it announces the id it sees.
      const announced: string[] = [];
      conn.on('connect', () => announced.push(room.peerId));
      const tabs: unknown[] = [];
      const onTab = (data: unknown) => void tabs.push(data);
      bc.subscribe(topic, onTab);
      const current = () => room as GuardedRoom;
      const unguard = [conn, other, closed].map((c) => guardSignaling(c as unknown as WebsocketClient, topic, current));
      try {
        other.connected = true;
        conn.connected = true;
        conn.emit('connect', [{}]);
        assert.deepEqual(announced, ['first-id'], 'the first connect announces the id y-webrtc picked');
        assert.deepEqual(other.sent, []);
        conn.connected = false;
        conn.emit('disconnect', [{}]);
        conn.connected = true;
        conn.emit('connect', [{}]);
        assert.equal(announced.length, 2);
        const fresh = announced[1]!;
        assert.match(fresh, UUID, 'the reconnect announces a fresh random id');
        assert.equal(room.peerId, fresh);
        assert.deepEqual(other.sent, [{ type: 'unsubscribe', topics: [topic] }, { type: 'subscribe', topics: [topic] }], 'the other open connection frees the old id');
        assert.deepEqual(closed.sent, [], 'a closed one rejoins by itself when it reconnects');
        await waitUntil(() => tabs.length === 2);
        assert.deepEqual(await tabMessages(tabs, key), [
          [true, fresh],
          [false, 'first-id'],
        ]);
        if (key !== null) assert.ok(!tabs.some((data) => Buffer.from(data as Uint8Array).includes(Buffer.from(fresh))), 'encrypted in a password room');
        // Another reconnect: another id.
        conn.emit('connect', [{}]);
        assert.notEqual(announced[2], fresh);
        assert.match(announced[2]!, UUID);
        await waitUntil(() => tabs.length === 4);
        assert.deepEqual((await tabMessages(tabs, key)).slice(2), [
          [true, announced[2]],
          [false, fresh],
        ]);
      } finally {
        for (const u of unguard) u();
        bc.unsubscribe(topic, onTab);
      }
    });
  }
});

/** Polls `check` until it holds (at most 10 s: a poll-with-timeout, not a timing assertion). */
async function waitUntil(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail('not within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
