// The keeper against stock @y/websocket-server 0.1.1 (in memory, its defaults) in the same process:
// - broadcast latency of one update among 200 clients over 100 rooms on loopback (p50, p99),
//   end to end (the clients run in this process: their libraries' work counts, HocuspocusProvider's
//   for the keeper and stock Hocuspocus, y-websocket's WebsocketProvider for the stock server), and
//   the servers' own part of it, the relay time: from the update's arrival at the server's socket
//   to the server's send of it to the other client (`ws` instrumented, see relayProbe),
// - memory per idle room (a room whose visitors have all left),
// - time for a new client to sync a 10,000-ballot room from the keeper vs bare Yjs applying the same state:
//   real signed ballots (bench/visitor.ts's), which reached the keeper from a client as a room's do, so
//   its entry guard verified and kept them, and loads them with the room from disk.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { Hocuspocus } from '@hocuspocus/server';
import { setupWSConnection, docs as stockDocs } from '@y/websocket-server/utils';
import { WebSocket, WebSocketServer } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createKeeper } from '../src/server/keeper.js';
import { startServer } from '../src/server/serve.js';
import { RoomStore } from '../src/server/store.js';
import { quantile } from './stats.js';
import { POLL, ROOM, states } from './visitor.js';

setFlagsFromString('--expose-gc');
// y-websocket's provider adds a process 'exit' listener per instance; 200 are expected here.
process.setMaxListeners(0);
const gc = runInNewContext('gc') as () => void;

const ROOMS = 100;
const CLIENTS_PER_ROOM = 2;
const ROUNDS = 3;
const IDLE_ROOMS = 500;
const BALLOTS = 10_000;

export interface KeeperBenchResult {
  readonly name: 'keeper';
  readonly clients: number;
  readonly rooms: number;
  /** `stock` is @y/websocket-server; `hocuspocus` is stock Hocuspocus 3.4.4 (in memory, no hooks), for what the keeper adds to it. */
  readonly latency: {
    keeperP50Ms: number;
    keeperP99Ms: number;
    stockP50Ms: number;
    stockP99Ms: number;
    p50Ratio: number;
    p99Ratio: number;
    hocuspocusP50Ms: number;
    hocuspocusP99Ms: number;
    samples: number;
    /** Server relay time (p50, p99): arrival of the update at the server to its send to the reader. */
    relay: { keeperP50Ms: number; keeperP99Ms: number; stockP50Ms: number; stockP99Ms: number; hocuspocusP50Ms: number; hocuspocusP99Ms: number; p50Ratio: number };
  };
  readonly idleRoom: { keeperBytes: number; stockBytes: number; ratio: number; rooms: number };
  /** Cold: the room is on disk only (nobody online); warm: another client holds it in memory. */
  readonly sync: { ballots: number; stateBytes: number; keeperColdMs: number; keeperWarmMs: number; bareYjsMs: number; coldRatio: number; warmRatio: number };
}

interface Client {
  doc: Y.Doc;
  synced(): boolean;
  destroy(): void;
}

export interface Server {
  url: string;
  client(room: string): Client;
  roomsInMemory(): number;
  /** Open WebSocket connections on the server's side. */
  connections(): number;
  close(): Promise<void>;
}

export async function keeperServer(): Promise<Server & { store: RoomStore }> {
  const data = await mkdtemp(path.join(tmpdir(), 'gather-bench-keeper-'));
  const store = await RoomStore.open(data);
  const keeper = createKeeper({ store, maxMessagesPerSecond: 10_000 });
  const running = await startServer({
    root: data,
    mounts: [],
    maxConnectionsPerAddress: 10_000,
    upgrades: { '/sync': (req, socket, head) => keeper.handleUpgrade(req, socket, head) },
  });
  const url = `ws://127.0.0.1:${running.port}/sync`;
  return {
    url,
    store,
    client: (room) => hocuspocusClient(url, room),
    roomsInMemory: () => keeper.roomCount,
    connections: () => keeper.connectionCount,
    async close() {
      await keeper.close();
      await running.close();
      await store.close();
      await rm(data, { recursive: true, force: true });
    },
  };
}

function hocuspocusClient(url: string, room: string): Client {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: room, document: doc });
  provider.attach();
  return {
    doc,
    synced: () => provider.isSynced,
    destroy() {
      socket.connect = () => Promise.resolve(); // see test/server/keeper-helpers.ts
      provider.destroy();
      socket.destroy();
      doc.destroy();
    },
  };
}

/** Stock Hocuspocus, in memory. */
export async function hocuspocusServer(): Promise<Server> {
  const hocuspocus = new Hocuspocus({ quiet: true });
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer();
  server.on('upgrade', (req: IncomingMessage, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => hocuspocus.handleConnection(ws as never, req)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    client: (room) => hocuspocusClient(url, room),
    roomsInMemory: () => hocuspocus.getDocumentsCount(),
    connections: () => wss.clients.size,
    async close() {
      for (const client of wss.clients) client.terminate();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export async function stockServer(): Promise<Server> {
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer();
  server.on('upgrade', (req: IncomingMessage, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    client(room) {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(url, room, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true });
      return {
        doc,
        synced: () => provider.synced,
        destroy() {
          provider.destroy();
          doc.destroy();
        },
      };
    },
    roomsInMemory: () => (stockDocs as Map<string, unknown>).size,
    connections: () => wss.clients.size,
    async close() {
      for (const client of wss.clients) client.terminate();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      for (const doc of (stockDocs as Map<string, Y.Doc>).values()) doc.destroy();
      (stockDocs as Map<string, unknown>).clear();
    },
  };
}

async function until(predicate: () => boolean, label: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The server's part of a broadcast, the same way for every server: `ws`'s WebSocket is patched
 * (here only) to note when a server-side socket emits a message while a sample is armed, and
 * when the server next sends on another server-side socket (the reader's: the writer's own
 * socket is left out).
 */
const relayProbe = (() => {
  const proto = WebSocket.prototype as unknown as {
    emit(this: WebSocket & { _isServer?: boolean }, event: string | symbol, ...args: unknown[]): boolean;
    send(this: WebSocket & { _isServer?: boolean }, ...args: unknown[]): void;
  };
  const emit = proto.emit;
  const send = proto.send;
  let armed = false;
  let arrived = 0;
  let source: unknown = null;
  let samples: number[] = [];
  proto.emit = function (event, ...args) {
    if (armed && arrived === 0 && event === 'message' && this._isServer) {
      arrived = performance.now();
      source = this;
    }
    return emit.call(this, event, ...args);
  };
  proto.send = function (...args) {
    if (armed && arrived !== 0 && this._isServer && this !== source) {
      samples.push(performance.now() - arrived);
      armed = false;
    }
    return send.apply(this, args);
  };
  return {
    arm() {
      armed = true;
      arrived = 0;
    },
    disarm() {
      armed = false;
    },
    take(): number[] {
      const taken = samples;
      samples = [];
      return taken;
    },
  };
})();

/** One update from the first client of a room, until the second sees it; rooms in turn. Also the relay times. */
export async function broadcastLatency(server: Server, rounds = ROUNDS, during?: { start(): Promise<void>; stop(): Promise<void> }): Promise<{ samples: number[]; relay: number[] }> {
  const clients: Client[][] = [];
  for (let r = 0; r < ROOMS; r++) clients.push(Array.from({ length: CLIENTS_PER_ROOM }, () => server.client(`bench-${r}`)));
  await until(() => clients.every((room) => room.every((c) => c.synced())), 'all clients synced');
  await settle(500);
  const samples: number[] = [];
  await during?.start();
  for (let round = 0; round < rounds; round++) {
    for (const [writer, reader] of clients) {
      const map = reader!.doc.getMap('poll:bench');
      const seen = new Promise<void>((resolve) => {
        const observer = () => {
          map.unobserve(observer);
          resolve();
        };
        map.observe(observer);
      });
      relayProbe.arm();
      const start = performance.now();
      writer!.doc.getMap('poll:bench').set(`ballot-${round}`, { v: 1, choice: 'thu', author: 'a'.repeat(43), sig: 's'.repeat(86) });
      await seen;
      samples.push(performance.now() - start);
      relayProbe.disarm();
    }
  }
  await during?.stop();
  for (const room of clients) for (const c of room) c.destroy();
  return { samples, relay: relayProbe.take() };
}

/** Heap per room left behind after its only visitor wrote one ballot and left. */
async function idleRoomBytes(server: Server): Promise<number> {
  // The broadcast's clients first close and its rooms leave memory where they do (the keeper
  // unloads a room its visitors left): what they held, freed after the heap is read here, was
  // counted against the idle rooms (0 B per room in several runs).
  await until(() => server.connections() === 0, 'broadcast clients closed', 10_000).catch(() => {});
  let rooms = server.roomsInMemory();
  for (let still = 0; rooms > 0 && still < 4; ) {
    await settle(250);
    const now = server.roomsInMemory();
    still = now === rooms ? still + 1 : 0;
    rooms = now;
  }
  await settle(200);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let r = 0; r < IDLE_ROOMS; r += 50) {
    const batch = Array.from({ length: 50 }, (_, i) => server.client(`idle-${r + i}`));
    await until(() => batch.every((c) => c.synced()), 'idle batch synced');
    for (const c of batch) c.doc.getMap('poll:bench').set('ballot', { v: 1, choice: 'thu', author: 'a'.repeat(43), sig: 's'.repeat(86) });
    await settle(100);
    for (const c of batch) c.destroy();
  }
  await settle(1500);
  gc();
  await settle(100);
  gc();
  return Math.max(0, (process.memoryUsage().heapUsed - before) / IDLE_ROOMS);
}

export async function measureKeeper(): Promise<KeeperBenchResult> {
  // Latency: the stock server first, then the keeper, each with fresh clients.
  let server: Server = await stockServer();
  const { samples: stockSamples, relay: stockRelay } = await broadcastLatency(server);
  const stockIdle = await idleRoomBytes(server);
  const stockRoomsLeft = server.roomsInMemory();
  await server.close();

  const plain = await hocuspocusServer();
  const { samples: hocuspocusSamples, relay: hocuspocusRelay } = await broadcastLatency(plain);
  await plain.close();

  const keeper = await keeperServer();
  server = keeper;
  const { samples: keeperSamples, relay: keeperRelay } = await broadcastLatency(server);
  const keeperIdle = await idleRoomBytes(server);
  const keeperRoomsLeft = server.roomsInMemory();

  // Sync of a 10,000-ballot room: sent to the keeper once by a client (the keeper verifies, keeps
  // and stores its entries), then, with the room unloaded, new clients join it.
  const state = (await states(BALLOTS)).gather;
  const scope = `poll:${POLL}`;
  const seeder = keeper.client(ROOM);
  await until(() => seeder.synced(), 'seeder synced');
  Y.applyUpdate(seeder.doc, state);
  const check = keeper.client(ROOM);
  await until(() => check.synced() && check.doc.getMap(scope).size === BALLOTS, 'ballot room reached the keeper');
  seeder.destroy();
  check.destroy();
  await until(() => keeper.roomsInMemory() === 0, 'ballot room stored and unloaded');
  const kept = (await keeper.store.keptEntries(ROOM)).size;
  if (kept !== BALLOTS) throw new Error(`the keeper kept ${kept} of ${BALLOTS} ballots`);
  const keeperTimes: number[] = [];
  const bareTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    let start = performance.now();
    const bare = new Y.Doc();
    Y.applyUpdate(bare, state);
    bareTimes.push(performance.now() - start);
    if (bare.getMap(scope).size !== BALLOTS) throw new Error('bare Yjs lost ballots');
    bare.destroy();

    start = performance.now();
    const client = keeper.client(ROOM);
    await until(() => client.synced() && client.doc.getMap(scope).size === BALLOTS, 'ballot room synced');
    keeperTimes.push(performance.now() - start);
    client.destroy();
    await until(() => keeper.roomsInMemory() === 0, 'ballot room unloaded');
  }
  const holder = keeper.client(ROOM);
  await until(() => holder.synced() && holder.doc.getMap(scope).size === BALLOTS, 'holder synced');
  const warmTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const client = keeper.client(ROOM);
    await until(() => client.synced() && client.doc.getMap(scope).size === BALLOTS, 'ballot room synced (warm)');
    warmTimes.push(performance.now() - start);
    client.destroy();
  }
  holder.destroy();
  await keeper.close();

  const median = (xs: number[]) => quantile(xs, 0.5);
  const result: KeeperBenchResult = {
    name: 'keeper',
    clients: ROOMS * CLIENTS_PER_ROOM,
    rooms: ROOMS,
    latency: {
      keeperP50Ms: quantile(keeperSamples, 0.5),
      keeperP99Ms: quantile(keeperSamples, 0.99),
      stockP50Ms: quantile(stockSamples, 0.5),
      stockP99Ms: quantile(stockSamples, 0.99),
      p50Ratio: quantile(keeperSamples, 0.5) / quantile(stockSamples, 0.5),
      p99Ratio: quantile(keeperSamples, 0.99) / quantile(stockSamples, 0.99),
      hocuspocusP50Ms: quantile(hocuspocusSamples, 0.5),
      hocuspocusP99Ms: quantile(hocuspocusSamples, 0.99),
      samples: keeperSamples.length,
      relay: {
        keeperP50Ms: quantile(keeperRelay, 0.5),
        keeperP99Ms: quantile(keeperRelay, 0.99),
        stockP50Ms: quantile(stockRelay, 0.5),
        stockP99Ms: quantile(stockRelay, 0.99),
        hocuspocusP50Ms: quantile(hocuspocusRelay, 0.5),
        hocuspocusP99Ms: quantile(hocuspocusRelay, 0.99),
        p50Ratio: quantile(keeperRelay, 0.5) / quantile(stockRelay, 0.5),
      },
    },
    idleRoom: { keeperBytes: keeperIdle, stockBytes: stockIdle, ratio: keeperIdle / stockIdle, rooms: IDLE_ROOMS },
    sync: {
      ballots: BALLOTS,
      stateBytes: state.length,
      keeperColdMs: median(keeperTimes),
      keeperWarmMs: median(warmTimes),
      bareYjsMs: median(bareTimes),
      coldRatio: median(keeperTimes) / median(bareTimes),
      warmRatio: median(warmTimes) / median(bareTimes),
    },
  };
  if (keeperRoomsLeft !== 0) throw new Error(`the keeper kept ${keeperRoomsLeft} idle rooms in memory`);
  void stockRoomsLeft;
  return result;
}

// Run alone: node --import tsx bench/keeper.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measureKeeper(), null, 2));
  process.exit(0);
}
