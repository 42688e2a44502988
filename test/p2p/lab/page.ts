// The page the transport tests drive (bundled by ./index.ts with esbuild, simple-peer aliased to the
// native peer exactly as the embed is). It puts what the tests need on `window.lab`.
import * as Y from 'yjs';
import { webrtcRooms, roomTopic, type Room, type RoomStatus } from '../../../src/index.js';
import { pollScope } from '../../../src/models/poll.js';
import { NativePeer, type NativePeerOptions } from '../../../src/room/peer/native-peer.js';
import { FRAME_MARKER, FLAG_FIRST, FLAG_LAST } from '../../../src/room/peer/frames.js';
import { meshRelayOf } from '../../../src/room/mesh-relay.js';

/** Everything one peer of a pair saw. */
export interface PeerLog {
  signals: { type: string; keys: string[] }[];
  events: string[];
  errors: { code: string; message: string }[];
  data: (Uint8Array | string)[];
  /** Each 'receiving' (a framed message's frame but its last): bytes so far, in all, and how many messages had come whole by then. */
  receiving: { received: number; total: number; before: number }[];
}

const newLog = (): PeerLog => ({ signals: [], events: [], errors: [], data: [], receiving: [] });

/** Records a peer's events into `log`. */
function watch(peer: NativePeer, log: PeerLog): void {
  peer.on('signal', (signal) => log.signals.push({ type: signal.type, keys: Object.keys(signal) }));
  peer.on('connect', () => log.events.push('connect'));
  peer.on('close', () => log.events.push('close'));
  peer.on('error', (error) => {
    log.events.push('error');
    log.errors.push({ code: error.code, message: error.message });
  });
  peer.on('data', (data) => log.data.push(data));
  peer.on('receiving', (received, total) => log.receiving.push({ received, total, before: log.data.length }));
}

/** A signal as it comes out of the signaling server: JSON. */
const relay = (signal: unknown): unknown => JSON.parse(JSON.stringify(signal));

export interface Pair {
  readonly a: NativePeer;
  readonly b: NativePeer;
  readonly logA: PeerLog;
  readonly logB: PeerLog;
  /** Resolves once both sides emitted `connect`. */
  readonly connected: Promise<void>;
}

/**
 * Two native peers in this page, their signals relayed as the signaling server would. `a` is the
 * initiator unless `bInitiator` makes both initiators (glare); `dropFromB` drops B's descriptions
 * (y-webrtc's rule then makes B answer A's offer).
 */
function pair(options: { a?: NativePeerOptions; b?: NativePeerOptions; bInitiator?: boolean; dropOffersFromB?: boolean } = {}): Pair {
  const a = new NativePeer({ initiator: true, ...options.a });
  const b = new NativePeer({ initiator: options.bInitiator ?? false, ...options.b });
  const logA = newLog();
  const logB = newLog();
  watch(a, logA);
  watch(b, logB);
  a.on('signal', (signal) => b.signal(relay(signal)));
  b.on('signal', (signal) => {
    if (options.dropOffersFromB && signal.type === 'offer') return;
    a.signal(relay(signal));
  });
  const connected = within(Promise.all([a, b].map(connectedOnce)).then(() => undefined), 15_000, 'both peers to connect');
  return { a, b, logA, logB, connected };
}

/** Resolves once `peer` emitted `connect`. */
const connectedOnce = (peer: NativePeer): Promise<void> =>
  new Promise<void>((resolve) => (peer.connected ? resolve() : peer.on('connect', () => resolve())));

/** `promise`, or a rejection after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms))]);
}

/** Resolves when `check()` holds (polled), rejects after `ms`. */
async function until(check: () => boolean, ms = 15_000, what = 'a condition'): Promise<void> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Deterministic bytes: byte i of message `seed` is (i * 31 + seed) & 0xff, with a chosen first byte. */
function bytes(length: number, seed: number, first?: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  if (first !== undefined && length > 0) out[0] = first;
  return out;
}

/** Whether `data` equals `bytes(length, seed, first)`. */
function isBytes(data: unknown, length: number, seed: number, first?: number): boolean {
  if (!(data instanceof Uint8Array) || data.length !== length) return false;
  const expected = bytes(length, seed, first);
  for (let i = 0; i < length; i++) if (data[i] !== expected[i]) return false;
  return true;
}

interface ChannelSpy {
  /** Every data channel this page made with createDataChannel since the spy was installed. */
  readonly channels: RTCDataChannel[];
  /** The largest `bufferedAmount` seen just before a send. */
  maxBuffered(): number;
  /** Makes every RTCDataChannel.send throw (as Chromium does for a message over 256 KiB) or not. */
  failSends(fail: boolean): void;
  /** Silently drops the next `n` sync step 2 messages (a peer's state, unframed) this page sends. */
  dropSyncStep2(n: number): void;
  /** How many of those drops are still to come. */
  dropsLeft(): number;
  /**
   * A slow link: from now on each frame of a large message (frames.ts) this page sends leaves
   * `ms` after the one before, and whatever is sent on that channel meanwhile waits its turn behind
   * them (0: as fast as the channel takes them).
   */
  paceFrames(ms: number): void;
  /** Messages still waiting for their turn on a paced link. */
  queued(): number;
}
let spy: ChannelSpy | undefined;

/** Installs (once) and returns the page's channel spy. */
function spyOnChannels(): ChannelSpy {
  spy ??= installSpy();
  return spy;
}

function installSpy(): ChannelSpy {
  const channels: RTCDataChannel[] = [];
  let maxBuffered = 0;
  let failing = false;
  let drops = 0;
  let pace = 0;
  const waiting = new Map<RTCDataChannel, unknown[]>();
  let queued = 0;
  const proto = RTCPeerConnection.prototype;
  const create = proto.createDataChannel;
  proto.createDataChannel = function (this: RTCPeerConnection, ...args: Parameters<typeof create>) {
    const channel = create.apply(this, args);
    channels.push(channel);
    return channel;
  };
  const send = RTCDataChannel.prototype.send as (this: RTCDataChannel, data: unknown) => void;
  const isFrame = (data: unknown) => data instanceof Uint8Array && data[0] === FRAME_MARKER;
  /** Sends what waits on `channel`, a frame every `pace` ms and anything else at once after the one before it. */
  const drain = (channel: RTCDataChannel): void => {
    const queue = waiting.get(channel)!;
    while (queue.length > 0) {
      const data = queue.shift();
      queued--;
      if (channel.readyState === 'open') send.call(channel, data);
      if (isFrame(data) && queue.length > 0) return void setTimeout(() => drain(channel), pace);
    }
    waiting.delete(channel);
  };
  RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: unknown) {
    if (failing) throw new DOMException('refused by the test', 'OperationError');
    if (drops > 0 && data instanceof Uint8Array && data[0] === 0 && data[1] === 1) {
      drops--;
      return;
    }
    maxBuffered = Math.max(maxBuffered, this.bufferedAmount);
    const queue = waiting.get(this);
    if (queue !== undefined || (pace > 0 && isFrame(data))) {
      // Copied: the sender may reuse its buffer once send() returns.
      const copy = data instanceof Uint8Array ? data.slice() : data;
      queued++;
      if (queue !== undefined) return void queue.push(copy);
      waiting.set(this, [copy]);
      return void setTimeout(() => drain(this), pace);
    }
    send.call(this, data);
  } as RTCDataChannel['send'];
  return {
    channels,
    maxBuffered: () => maxBuffered,
    failSends: (fail) => void (failing = fail),
    dropSyncStep2: (n) => void (drops = n),
    dropsLeft: () => drops,
    paceFrames: (ms) => void (pace = ms),
    queued: () => queued,
  };
}

/* ------------------------------------------------------------------ rooms */

export interface SeenStatus extends RoomStatus {
  /** Entries in the watched map when this status was emitted. */
  readonly entries: number;
}

/** A room's 'receiving' event: bytes of a large message from a peer so far, and in all. */
export interface SeenReceiving {
  readonly received: number;
  readonly total: number;
}

const rooms = new Map<string, { room: Room; statuses: SeenStatus[]; receiving: SeenReceiving[] }>();

/**
 * Joins `name` through the page's signaling server (and `keeper`, a keeper's /sync, if given), in
 * memory only, and records every status with the size of map `watch`.
 */
function openRoom(name: string, { password = null as string | null, watch = pollScope('assembly-day'), keeper = null as string | null, persist = false } = {}) {
  const signaling = [new URL('/signal', location.href).href.replace(/^http/, 'ws')];
  const room = webrtcRooms.acquire(name, { signaling, iceServers: [], password, persist, keeper });
  const map = room.doc.getMap(watch);
  const statuses: SeenStatus[] = [];
  const record = (status: RoomStatus) => statuses.push({ ...status, entries: map.size });
  record(room.status);
  room.on('status', record);
  const receiving: SeenReceiving[] = [];
  room.on('receiving', (received, total) => receiving.push({ received, total }));
  rooms.set(name, { room, statuses, receiving });
  return room;
}

const roomOf = (name: string): Room => {
  const entry = rooms.get(name);
  if (!entry) throw new Error(`no room ${name} open in this page`);
  return entry.room;
};

/**
 * A slow device: from now on every IndexedDB database this page opens (y-indexeddb opening a room's
 * store) opens `ms` later than it would (the open request's success event is held back; nothing is
 * read in a transaction meanwhile, so none is left to expire).
 */
function slowIndexedDB(ms: number): void {
  const open = IDBFactory.prototype.open;
  const onsuccess = Object.getOwnPropertyDescriptor(IDBRequest.prototype, 'onsuccess')!;
  IDBFactory.prototype.open = function (this: IDBFactory, ...args: Parameters<IDBFactory['open']>) {
    const request = open.apply(this, args);
    Object.defineProperty(request, 'onsuccess', {
      configurable: true,
      set(listener: ((event: Event) => void) | null) {
        onsuccess.set!.call(request, listener === null ? null : (event: Event) => void setTimeout(() => listener.call(request, event), ms));
      },
      get: () => onsuccess.get!.call(request),
    });
    return request;
  };
}

/** How many updates this page's IndexedDB holds for room `name` (y-indexeddb's store, named by the room's topic). */
async function storedUpdates(name: string, password: string | null = null): Promise<number> {
  const topic = roomTopic(name, password);
  // Not opened unless it exists: an empty database made here would have no stores for y-indexeddb.
  if (!(await indexedDB.databases()).some((db) => db.name === topic)) return 0;
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(topic);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('updates')) {
        db.close();
        return resolve(0);
      }
      const count = db.transaction('updates').objectStore('updates').count();
      count.onsuccess = () => {
        db.close();
        resolve(count.result);
      };
      count.onerror = () => reject(count.error);
    };
  });
}

/** Applies a Yjs update (base64, as a test hands it over) to room `name`'s doc, in one transaction. */
function applyState(name: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  Y.applyUpdate(roomOf(name).doc, bytes);
}

const lab = {
  Y,
  NativePeer,
  FRAME_MARKER,
  FLAG_FIRST,
  FLAG_LAST,
  pair,
  until,
  within,
  connectedOnce,
  bytes,
  isBytes,
  spyOnChannels,
  openRoom,
  roomOf,
  statusesOf: (name: string): SeenStatus[] => rooms.get(name)?.statuses ?? [],
  receivingOf: (name: string): SeenReceiving[] => rooms.get(name)?.receiving ?? [],
  applyState,
  slowIndexedDB,
  storedUpdates,
  roomTopic,
  /** Room `name`'s relay (mesh-relay.ts): its counters, and how many peers each connected peer said it has (-1: not said). */
  relayOf: (name: string) => {
    const relay = meshRelayOf(roomOf(name).doc);
    if (relay === undefined) return null;
    const conns = [...relay.room.webrtcConns.values()].filter((conn) => conn.connected);
    return { relayed: relay.relayed, skipped: relay.skipped, told: conns.map((conn) => relay.linksOf(conn.peer)?.peers.size ?? -1) };
  },
  /** Closes room `name`'s signaling connections for good: it keeps the peers it has and meets no new ones. */
  dropSignaling: (name: string) => {
    const provider = meshRelayOf(roomOf(name).doc)!.room.provider as unknown as { signalingConns: { disconnect(): void }[] };
    for (const conn of provider.signalingConns) conn.disconnect();
  },
  /** Leaves every room this page opened. */
  closeRooms: () => {
    for (const { room } of rooms.values()) webrtcRooms.release(room);
    rooms.clear();
  },
};

export type Lab = typeof lab;
declare global {
  interface Window {
    lab: Lab;
  }
}
window.lab = lab;
