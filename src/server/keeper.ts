/**
 * The keeper: the group's always-on Yjs peer at `/sync`, on Hocuspocus 3.4
 * (its protocol, its provider as the client, its Redis extension), with
 * durable storage in a {@link RoomStore}.
 *
 * What "confirmed" means: the Hocuspocus protocol answers every update a
 * client sends (sync step 2 or update) with a `SyncStatus` message, which
 * `HocuspocusProvider` counts down in `unsyncedChanges`. The keeper queues
 * each update for the disk in the `beforeHandleMessage` hook, lets Hocuspocus
 * apply and relay it at once, and holds that connection's `SyncStatus` answer
 * back until the write has finished (answers go out in order, one per update).
 * The store writes the updates queued in one turn of the event loop together,
 * once the network work already waiting has been handled (store.ts). So a
 * provider whose `unsyncedChanges` is 0 has every change it made stored, and a
 * `kill -9` at any moment loses none of them; the other clients do not wait
 * for the disk.
 *
 * Latency: what the keeper does before it relays an update is kept to
 * reading it once (the screening's decode is reused by the entry guard, which
 * answers at once unless a new signature must be checked); the relay is the
 * keeper's own (relayUpdates: encoded once, not echoed to its sender); the disk
 * write, the guard's review and Hocuspocus's own per-update bookkeeping (its
 * `onChange` hooks and store debounce) run after the relay.
 *
 * Every message is screened before Hocuspocus sees it, so that nothing a
 * client sends makes Hocuspocus throw or log:
 *
 * | input                                                      | outcome                                   |
 * |------------------------------------------------------------|-------------------------------------------|
 * | message larger than `maxMessageBytes`                      | closed by `ws` with 1009                  |
 * | invalid frame / invalid UTF-8                              | closed by `ws` with 1002 / 1007           |
 * | text frame                                                 | closed with 1003                          |
 * | more than `maxMessagesPerSecond` (10 s of burst)           | closed with 4429                          |
 * | not a Hocuspocus message (bad varints, truncated, …)       | closed with 4400                          |
 * | a Yjs update or state vector that Yjs cannot decode        | closed with 4400                          |
 * | an awareness update that is not valid (JSON states)        | closed with 4400                          |
 * | stateless / broadcast / status messages (unused by Gather) | closed with 1003                          |
 * | more than 8 rooms on one connection                        | closed with 4400                          |
 * | more than 64 messages before a room is open                | closed with 4400                          |
 * | a second token for an open room                            | ignored                                   |
 * | no room opened within `handshakeTimeoutMs`                 | closed with 4408                          |
 * | room name not matching `rooms`                             | refused (permission denied) for that room |
 * | wrong or missing token for a password room, token for an open room | refused (permission denied)       |
 * | a new room beyond `maxRooms` in memory                     | refused (permission denied)               |
 * | an update that would take the room over `maxDocBytes`     | closed with 4413, update not stored       |
 * | an update that deletes, overwrites (junk, an older entry) or writes under another's key what the keeper holds as a valid signed entry (entry-guard.ts) | refused: not applied, stored nor answered; the connection stays; logged `refused` with the reason |
 *
 * The keeper also keeps the newest valid entry of every entry key beside the document and puts it
 * back whenever the document loses it anyway (logged `restored`); see entry-guard.ts.
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Connection, Hocuspocus, OutgoingMessage, type Document, type Extension } from '@hocuspocus/server';
import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocketServer, WebSocket } from 'ws';
import * as Y from 'yjs';
import { clientAddress, roomMatcher, TokenBucket } from './limits.js';
import { silentLog, type Log } from './log.js';
import { Metrics } from './metrics.js';
import { refuseUpgrade } from './signaling.js';
import { reportTrouble } from './signal-relay.js';
import { applyQuietly, type RoomStore } from './store.js';
import { RoomGuard, type DecodedUpdate } from './entry-guard.js';
import { VerificationCache } from '../identity/verification.js';
import { expectHint } from '../keeper/hint.js';

/** Options of {@link createKeeper}. */
export interface KeeperOptions {
  /** Where rooms are stored. */
  store: RoomStore;
  /** Event log. Default: none. */
  log?: Log;
  /** Counters for `/metrics`. Default: a registry of its own. */
  metrics?: Metrics;
  /** Largest stored size of one room, in bytes. Default 16 MiB. */
  maxDocBytes?: number;
  /** Largest message, in bytes. Default 4 MiB. */
  maxMessageBytes?: number;
  /** Messages per second per connection, on average over 10 s. Default 50. */
  maxMessagesPerSecond?: number;
  /** Rooms in memory at once; a client opening one more is refused. Default 1000. */
  maxRooms?: number;
  /** A connection that has not opened a room after this long is closed. Default 10 000 ms. */
  handshakeTimeoutMs?: number;
  /** Glob patterns of the room names kept (`*`, `?`); none: all names. */
  rooms?: readonly string[];
  /** `redis://…`: share rooms with the other keepers using the same Redis. */
  redis?: string;
  /** Compact a room on disk after this many stored updates (and when it unloads). Default 200. */
  compactAfter?: number;
  /** Read the client address from X-Forwarded-For (for logs). Default false. */
  trustProxy?: boolean;
  /**
   * Guard signed entries (entry-guard.ts): refuse updates that would lose one, keep the newest of
   * each key in the store, put back what the document loses. Default true.
   */
  guardEntries?: boolean;
}

/** Close codes of the keeper (besides 1002, 1003, 1007, 1009 of the WebSocket protocol). */
export const KeeperCloseCode = {
  goingAway: 1001,
  unsupported: 1003,
  malformed: 4400,
  handshakeTimeout: 4408,
  documentTooLarge: 4413,
  rateLimited: 4429,
} as const;

/** Per-room state while a room is in memory. */
interface RoomState {
  /** Bytes stored (updates since the last compaction included). */
  bytes: number;
  /** Updates stored since the last compaction. */
  appended: number;
}

/** The writes whose `SyncStatus` answers a Hocuspocus connection still holds back, oldest first. */
const heldAnswers = new WeakMap<Connection, Promise<boolean>[]>();

/** Whether an outgoing Hocuspocus message is a `SyncStatus` (type 8). */
function isSyncStatus(message: unknown): boolean {
  if (!(message instanceof Uint8Array)) return false;
  try {
    const decoder = decoding.createDecoder(message);
    decoding.readVarString(decoder);
    return decoding.readVarUint(decoder) === 8;
  } catch {
    return false;
  }
}

/**
 * Makes `connection` send each `SyncStatus` only once the oldest write it
 * waits for has finished; a failed write closes the connection unanswered.
 */
function holdAnswers(connection: Connection): Promise<boolean>[] {
  let held = heldAnswers.get(connection);
  if (held) return held;
  const queue: Promise<boolean>[] = [];
  heldAnswers.set(connection, queue);
  const send = connection.send.bind(connection);
  connection.send = (message: unknown) => {
    const write = queue.length > 0 && isSyncStatus(message) ? queue.shift() : undefined;
    if (!write) return send(message);
    void write.then((ok) => {
      if (ok) send(message);
      else connection.webSocket.close(1011, 'storage failed');
    });
  };
  return queue;
}

/** Hocuspocus's `SyncStatus` message for `room` saying an update is done (what it sends for one it applied). */
function syncStatusSaved(room: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, room);
  encoding.writeVarUint(encoder, 8);
  encoding.writeVarUint(encoder, 1);
  return encoding.toUint8Array(encoder);
}

/** A screened message's Yjs update, and what Yjs read of it. */
interface ScreenedUpdate {
  readonly update: Uint8Array;
  readonly decoded: DecodedUpdate;
}

/** Per-room state of one connection. */
interface ConnectionRoom {
  phase: 'new' | 'authenticating' | 'open';
  /** Messages passed to Hocuspocus before the room opened (it queues them). */
  queued: number;
}

/** One WebSocket at /sync. */
interface SyncConnection {
  readonly ws: WebSocket;
  readonly address: string;
  readonly bucket: TokenBucket;
  readonly rooms: Map<string, ConnectionRoom>;
  /** Messages Hocuspocus queued and will emit again: screened once. */
  readonly screened: WeakSet<object>;
  handshake?: NodeJS.Timeout;
  closing: boolean;
}

/** Hocuspocus message types (its `MessageType`, which it exports only as a type). */
const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  SyncReply: 4,
  Close: 7,
} as const;
const SyncStep = { one: 0, two: 1, update: 2 } as const;

const MAX_ROOMS_PER_CONNECTION = 8;
const MAX_QUEUED_PER_ROOM = 64;
const MAX_ROOM_NAME = 256;
const MAX_TOKEN = 512;

/** A refusal of `onAuthenticate`: Hocuspocus answers PermissionDenied with `reason`, and logs nothing (no `message`). */
const refusal = (reason: string) => ({ reason });

/** base64url SHA-256 of a token, as stored in a room's record. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

function sameHash(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The keeper at `/sync`. Mount it on an HTTP server by passing its upgrade
 * requests to {@link Keeper.handleUpgrade} (`startServer`'s `upgrades`).
 */
export class Keeper {
  readonly hocuspocus: Hocuspocus;
  readonly store: RoomStore;
  readonly metrics: Metrics;
  private readonly log: Log;
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<SyncConnection>();
  private readonly roomStates = new Map<string, RoomState>();
  private readonly allowed: (room: string) => boolean;
  private readonly maxDocBytes: number;
  private readonly maxMessagesPerSecond: number;
  private readonly maxRooms: number;
  private readonly handshakeTimeoutMs: number;
  private readonly compactAfter: number;
  private readonly trustProxy: boolean;
  private readonly background = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;
  private readonly guardEntries: boolean;
  private readonly guards = new Map<string, RoomGuard>();
  /** Verdicts of the entries the guards check, shared by every room. */
  private readonly verdicts = new VerificationCache({ persist: false, workers: false });
  /** The Yjs update of each screened sync message, decoded once (for the size check and the guard). */
  private readonly updates = new WeakMap<object, ScreenedUpdate>();

  constructor({
    store,
    log = silentLog,
    metrics = new Metrics({ defaults: false }),
    maxDocBytes = 16 * 1024 * 1024,
    maxMessageBytes = 4 * 1024 * 1024,
    maxMessagesPerSecond = 50,
    maxRooms = 1000,
    handshakeTimeoutMs = 10_000,
    rooms = [],
    redis,
    compactAfter = 200,
    trustProxy = false,
    guardEntries = true,
  }: KeeperOptions) {
    this.guardEntries = guardEntries;
    this.store = store;
    this.log = log;
    this.metrics = metrics;
    this.allowed = roomMatcher(rooms);
    this.maxDocBytes = maxDocBytes;
    this.maxMessagesPerSecond = maxMessagesPerSecond;
    this.maxRooms = maxRooms;
    this.handshakeTimeoutMs = handshakeTimeoutMs;
    this.compactAfter = compactAfter;
    this.trustProxy = trustProxy;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes, perMessageDeflate: false, clientTracking: false });

    const extensions: Extension[] = [this.storage()];
    if (redis) {
      extensions.push(
        new RedisExtension({
          prefix: 'gather',
          // Clients of our own: with the ready check, a client arriving right after start-up can
          // hit "Connection in subscriber mode" and its updates never cross (TOOLCHAIN.md).
          createClient: () => {
            const client = new Redis(redis, { enableReadyCheck: false, lazyConnect: false });
            reportTrouble(client, (error) => this.log('error', { during: 'redis', endpoint: '/sync', message: error.message }));
            return client;
          },
        }),
      );
    }
    this.hocuspocus = new Hocuspocus({ quiet: true, extensions, debounce: 2000, maxDebounce: 10_000, unloadImmediately: true });
    metrics.observe({ syncConnections: () => this.connections.size, rooms: () => this.hocuspocus.getDocumentsCount() });
  }

  /** Open WebSocket connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Rooms in memory. */
  get roomCount(): number {
    return this.hocuspocus.getDocumentsCount();
  }

  /** Takes over an HTTP upgrade request for `/sync`. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {});
    if (this.closing) {
      refuseUpgrade(socket, 503, 'Service Unavailable');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
  }

  /**
   * Stops accepting, closes every connection (1001), waits for the rooms to
   * unload and every write to finish, compacts what changed, and resolves.
   * Does not close the store (its owner does).
   */
  close({ graceMs = 3000 }: { graceMs?: number } = {}): Promise<void> {
    return (this.closing ??= (async () => {
      this.wss.close();
      this.hocuspocus.closeConnections();
      for (const conn of this.connections) {
        conn.closing = true;
        conn.ws.close(KeeperCloseCode.goingAway, 'server shutting down');
      }
      const deadline = Date.now() + graceMs;
      while ((this.connections.size > 0 || this.hocuspocus.getDocumentsCount() > 0) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (const conn of this.connections) conn.ws.terminate();
      while (this.background.size > 0) await Promise.allSettled([...this.background]);
      for (const room of this.roomStates.keys()) await this.compact(room).catch(() => {});
      await this.store.flush();
      await this.hocuspocus.hooks('onDestroy', { instance: this.hocuspocus });
    })());
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const conn: SyncConnection = {
      ws,
      address: clientAddress(req, this.trustProxy),
      bucket: new TokenBucket(this.maxMessagesPerSecond, this.maxMessagesPerSecond * 10),
      rooms: new Map(),
      screened: new WeakSet(),
      closing: false,
    };
    this.connections.add(conn);
    conn.handshake = setTimeout(() => this.reject(conn, 'handshake-timeout', KeeperCloseCode.handshakeTimeout, 'limit'), this.handshakeTimeoutMs);
    conn.handshake.unref();
    ws.on('error', (error: Error & { code?: string }) => {
      // ws closes the connection itself (1009, 1002, 1007); count and log why.
      const reason = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'message-bytes' : 'invalid-frame';
      this.metrics.reject(reason);
      this.log(reason === 'message-bytes' ? 'limit' : 'refused', { [reason === 'message-bytes' ? 'limit' : 'reason']: reason, address: conn.address, endpoint: '/sync' });
    });
    ws.once('close', () => {
      clearTimeout(conn.handshake);
      this.connections.delete(conn);
    });
    // Screen every message before Hocuspocus's own 'message' listener sees it.
    const emit = ws.emit.bind(ws) as (event: string | symbol, ...args: unknown[]) => boolean;
    ws.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event === 'message' && !this.screen(conn, args[0], args[1])) return false;
      return emit(event, ...args);
    }) as typeof ws.emit;
    this.hocuspocus.handleConnection(ws as never, req, { gather: conn });
  }

  /** Whether Hocuspocus may see this message; closes the connection when it must not. */
  private screen(conn: SyncConnection, data: unknown, isBinary: unknown): boolean {
    if (conn.closing) return false;
    if (typeof data === 'object' && data !== null && conn.screened.has(data)) {
      conn.screened.delete(data); // Hocuspocus re-emits what it queued: already screened
      return true;
    }
    if (isBinary !== true || !(data instanceof Uint8Array)) {
      return this.reject(conn, 'text-frame', KeeperCloseCode.unsupported);
    }
    if (!conn.bucket.take()) return this.reject(conn, 'message-rate', KeeperCloseCode.rateLimited, 'limit');

    let room: string;
    let type: number;
    const decoder = decoding.createDecoder(data);
    try {
      room = decoding.readVarString(decoder);
      type = decoding.readVarUint(decoder);
      if (room.length > MAX_ROOM_NAME) return this.reject(conn, 'room-name', KeeperCloseCode.malformed);
      const body = this.validBody(type, decoder);
      if (body === false) return this.reject(conn, 'malformed', KeeperCloseCode.malformed);
      if (body !== true) this.updates.set(data, body);
    } catch {
      return this.reject(conn, 'malformed', KeeperCloseCode.malformed);
    }
    if (type !== MessageType.Sync && type !== MessageType.SyncReply && type !== MessageType.Awareness && type !== MessageType.Auth && type !== MessageType.QueryAwareness && type !== MessageType.Close) {
      return this.reject(conn, 'unsupported-message', KeeperCloseCode.unsupported);
    }

    let state = conn.rooms.get(room);
    if (!state) {
      if (conn.rooms.size >= MAX_ROOMS_PER_CONNECTION) return this.reject(conn, 'rooms-per-connection', KeeperCloseCode.malformed, 'limit');
      conn.rooms.set(room, (state = { phase: 'new', queued: 0 }));
    }
    if (type === MessageType.Auth) {
      if (state.phase !== 'new') return false; // a token again (a provider re-sending): nothing to do
      state.phase = 'authenticating';
      return true;
    }
    if (state.phase !== 'open') {
      if (++state.queued > MAX_QUEUED_PER_ROOM) return this.reject(conn, 'queue', KeeperCloseCode.malformed, 'limit');
      conn.screened.add(data);
    }
    return true;
  }

  /**
   * Whether the rest of a message of `type` is well-formed (throws on truncation); for an update,
   * the update read.
   */
  private validBody(type: number, decoder: decoding.Decoder): boolean | ScreenedUpdate {
    switch (type) {
      case MessageType.Sync:
      case MessageType.SyncReply: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === SyncStep.one) Y.decodeStateVector(payload);
        else if (step === SyncStep.two || step === SyncStep.update) return { update: payload, decoded: validateUpdate(payload) };
        else return false;
        return true;
      }
      case MessageType.Awareness:
        return validAwareness(decoding.readVarUint8Array(decoder));
      case MessageType.Auth: {
        decoding.readVarUint(decoder);
        return decoding.readVarString(decoder).length <= MAX_TOKEN;
      }
      default:
        return true;
    }
  }

  /** Counts, logs and closes; returns false (the message is dropped). */
  private reject(conn: SyncConnection, reason: string, code: number, event: 'limit' | 'refused' = 'refused'): false {
    if (conn.closing) return false;
    conn.closing = true;
    this.metrics.reject(reason);
    this.log(event, { [event === 'limit' ? 'limit' : 'reason']: reason, address: conn.address, endpoint: '/sync' });
    conn.ws.close(code, reason);
    setTimeout(() => conn.ws.terminate(), 1000).unref();
    return false;
  }

  private compact(room: string): Promise<void> {
    const state = this.roomStates.get(room);
    const appended = state?.appended ?? 0;
    if (state) state.appended = 0;
    return this.track(
      this.store.compact(room).then(({ before, after }) => {
        if (state) state.bytes = Math.max(0, state.bytes - before + after);
        if (before !== after) {
          this.metrics.compactions.inc();
          this.log('compacted', { room, before, after });
        }
      }),
    ).catch((error: Error) => {
      if (state) state.appended += appended;
      this.log('error', { room, during: 'compaction', message: error.message });
    });
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.background.add(promise);
    const done = () => this.background.delete(promise);
    promise.then(done, done);
    return promise;
  }

  private async stored(room: string, update: Uint8Array): Promise<void> {
    let state = this.roomStates.get(room);
    if (!state) this.roomStates.set(room, (state = { bytes: 0, appended: 0 }));
    state.bytes += update.length;
    state.appended++;
    await this.track(this.store.append(room, update));
    this.metrics.updates.inc();
    this.metrics.updateBytes.inc(update.length);
  }

  /** The Hocuspocus extension that admits clients and stores rooms. */
  private storage(): Extension {
    const keeper = this;
    const connOf = (context: unknown) => (context as { gather?: SyncConnection } | undefined)?.gather;
    return {
      extensionName: 'gather-keeper',

      async onAuthenticate({ documentName: room, token, context }) {
        const conn = connOf(context);
        const address = conn?.address;
        if (!keeper.allowed(room)) {
          keeper.metrics.reject('room-not-allowed');
          keeper.log('refused', { reason: 'room-not-allowed', room, address });
          throw refusal('room-not-allowed');
        }
        const loaded = keeper.hocuspocus.documents.has(room) || keeper.hocuspocus.loadingDocuments.has(room);
        if (!loaded && keeper.hocuspocus.documents.size + keeper.hocuspocus.loadingDocuments.size >= keeper.maxRooms) {
          keeper.metrics.reject('rooms');
          keeper.log('limit', { limit: 'rooms', room, address });
          throw refusal('too-many-rooms');
        }
        const hash = typeof token === 'string' && token !== '' ? tokenHash(token) : null;
        const known = await keeper.store.record(room);
        const record = known ?? (await keeper.store.recordOrCreate(room, hash));
        if (!known && record.tokenHash === hash) keeper.log('room-created', { room, password: hash !== null, address });
        if (!sameHash(record.tokenHash, hash)) {
          keeper.metrics.reject('token');
          keeper.log('refused', { reason: 'token', room, address, password: record.tokenHash !== null });
          throw refusal('permission-denied');
        }
      },

      async connected({ documentName: room, context }) {
        const conn = connOf(context);
        if (!conn) return;
        const state = conn.rooms.get(room);
        if (state) state.phase = 'open';
        clearTimeout(conn.handshake);
        keeper.log('connected', { room, address: conn.address });
      },

      async onDisconnect({ documentName: room, context }) {
        const conn = connOf(context);
        conn?.rooms.delete(room);
      },

      async onLoadDocument({ documentName: room, document }) {
        const { updates, bytes } = await keeper.store.load(room);
        for (const update of updates) applyQuietly(document, update);
        keeper.roomStates.set(room, { bytes, appended: updates.length > 1 ? updates.length : 0 });
        keeper.log('room-loaded', { room, bytes, updates: updates.length });
        if (keeper.guardEntries) {
          keeper.guards.get(room)?.destroy();
          const guard = new RoomGuard(room, document, {
            cache: keeper.verdicts,
            keep: (entry, value) => {
              void keeper.track(keeper.store.keepEntry(room, entry, value)).catch((error: Error) => keeper.log('error', { room, during: 'keep', message: error.message }));
            },
            report: (event, count) => keeper.log(event, { room, entries: count }),
          });
          keeper.guards.set(room, guard);
          guard.start(await keeper.store.keptEntries(room));
        }
        if (updates.length > 1) void keeper.compact(room);
      },

      async afterLoadDocument({ document }) {
        relayUpdates(document);
      },

      async beforeHandleMessage({ documentName: room, update: message, connection }) {
        const screened = keeper.updates.get(message);
        const update = screened?.update ?? updateOf(message);
        if (!update) {
          // A new visitor asking for a large room: told its size first, so that its page gets ready
          // (its verifier's workers boot) while the answer, one message, is on its way.
          const bytes = keeper.roomStates.get(room)?.bytes ?? 0;
          if (bytes >= EXPECT_HINT_MIN_BYTES && asksForEverything(message)) connection.sendStateless(expectHint(bytes));
          return;
        }
        const state = keeper.roomStates.get(room);
        if (state && state.bytes + update.length > keeper.maxDocBytes) {
          await keeper.compact(room);
          if (state.bytes + update.length > keeper.maxDocBytes) {
            const conn = [...keeper.connections].find((c) => c.ws === (connection.webSocket as unknown));
            keeper.metrics.reject('doc-bytes');
            keeper.log('limit', { limit: 'doc-bytes', room, bytes: state.bytes, update: update.length, address: conn?.address });
            if (conn) conn.closing = true;
            connection.close({ code: KeeperCloseCode.documentTooLarge, reason: 'document-too-large' });
            connection.webSocket.close(KeeperCloseCode.documentTooLarge, 'document-too-large');
            // Neither applied nor answered: a promise that never settles holds the message back
            // without Hocuspocus logging an error; it is collected with the connection.
            return new Promise<never>(() => {});
          }
        }
        const guard = keeper.guards.get(room);
        // Most updates are judged at once; only new signed entries wait for their signatures.
        let refusal = guard === undefined ? null : guard.check(update, screened?.decoded);
        if (refusal instanceof Promise) refusal = await refusal;
        if (refusal !== null) {
          const conn = [...keeper.connections].find((c) => c.ws === (connection.webSocket as unknown));
          keeper.metrics.reject(refusal.reason);
          keeper.log('refused', { reason: refusal.reason, room, keys: refusal.keys, address: conn?.address });
          // Neither applied nor stored; the connection stays, since an honest client may relay what
          // a hostile peer sent it. It is answered as done (SyncStatus true: the client counts it
          // off `unsaved`), once the writes of this connection's earlier updates have finished, so
          // that no answer overtakes them: unanswered, it stayed unsaved until the next connection,
          // whose sync sent it again, refused again, so that link never came back to 'synced'.
          const queue = holdAnswers(connection);
          queue.push(Promise.all([...queue]).then((oks) => oks.every(Boolean)));
          connection.send(syncStatusSaved(room));
          return new Promise<never>(() => {});
        }
        // Written in the background, after Hocuspocus has applied and relayed it (the store writes
        // at the end of this turn of the event loop); this connection's answer waits for it (holdAnswers).
        holdAnswers(connection).push(
          keeper.stored(room, update).then(
            () => true,
            (error: Error) => {
              keeper.log('error', { room, during: 'store', message: error.message });
              return false;
            },
          ),
        );
      },

      async onChange({ documentName: room, update, transactionOrigin }) {
        // A client's update was stored before it was applied; anything else (another
        // keeper through Redis) is stored here, so that every keeper's store is complete.
        if (transactionOrigin instanceof Connection) return;
        await keeper.stored(room, update).catch((error: Error) => keeper.log('error', { room, during: 'store', message: error.message }));
      },

      async onStoreDocument({ documentName: room }) {
        const state = keeper.roomStates.get(room);
        if (state && state.appended >= keeper.compactAfter) await keeper.compact(room);
      },

      async afterUnloadDocument({ documentName: room }) {
        if (keeper.hocuspocus.documents.has(room) || keeper.hocuspocus.loadingDocuments.has(room)) return;
        keeper.guards.get(room)?.destroy();
        keeper.guards.delete(room);
        const state = keeper.roomStates.get(room);
        if (state && state.appended > 0) await keeper.compact(room);
        if (!keeper.hocuspocus.documents.has(room) && !keeper.hocuspocus.loadingDocuments.has(room)) keeper.roomStates.delete(room);
        keeper.log('room-unloaded', { room });
      },
    };
  }
}

type UpdateListener = (update: Uint8Array, origin: unknown, doc: Y.Doc, transaction: Y.Transaction) => void;

/** Marks (in `transaction.meta`) a transaction that began with no structs or deletions waiting in the room. */
const BEGAN_CLEAN = Symbol('gather-keeper-began-clean');

/**
 * Relays a room's updates in place of Hocuspocus's own relay (`Document.handleUpdate`, which
 * encodes the message again for each connection and sends every update back to the client that
 * sent it too). Here an update is encoded once, and not sent back to the connection it came from
 * when it is what that client sent: no structs or deletions were waiting in the room when the
 * transaction began, so everything it integrated came from that client's message (content waiting
 * for it, integrated with it, is news to its sender too, and is sent). The sender thus does not
 * decode and apply its own update again. Hocuspocus's per-update bookkeeping (the onChange hooks,
 * the store debounce), which it runs before its relay, runs after it (a microtask later): the room
 * hears sooner. If Hocuspocus's relay is not found (another version), it is left as it is.
 */
function relayUpdates(document: Document): void {
  const bookkeeping = document.callbacks.onUpdate;
  const listeners = (document as unknown as { _observers: Map<string, Set<UpdateListener>> })._observers.get('update');
  const hocuspocusRelay = listeners === undefined ? undefined : [...listeners].find((listener) => listener.name === 'bound handleUpdate');
  if (hocuspocusRelay === undefined) {
    document.onUpdate((doc, connection, update) => queueMicrotask(() => bookkeeping(doc, connection, update)));
    return;
  }
  const store = document.store as unknown as { pendingStructs: unknown; pendingDs: unknown };
  document.on('beforeTransaction', (transaction: Y.Transaction) => {
    if (store.pendingStructs === null && store.pendingDs === null) transaction.meta.set(BEGAN_CLEAN, true);
  });
  document.off('update', hocuspocusRelay);
  document.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
    const sender = origin instanceof Connection && transaction.meta.has(BEGAN_CLEAN) ? origin : null;
    const message = new OutgoingMessage(document.name).createSyncMessage().writeUpdate(update).toUint8Array();
    for (const { connection } of document.connections.values()) if (connection !== sender) connection.send(message);
    queueMicrotask(() => bookkeeping(document, origin as Connection, update));
  });
}

/** Creates a {@link Keeper} over an open store. */
export function createKeeper(options: KeeperOptions): Keeper {
  return new Keeper(options);
}

/** Rooms stored in this many bytes or more are announced to a new visitor before they are sent (src/keeper/hint.ts). */
const EXPECT_HINT_MIN_BYTES = 64 * 1024;

/**
 * Whether a Hocuspocus message is a sync step 1 with an empty state vector: a client that holds
 * nothing of the room (a new visitor), whose answer will be the whole room.
 */
function asksForEverything(message: Uint8Array): boolean {
  try {
    const decoder = decoding.createDecoder(message);
    decoding.readVarString(decoder);
    if (decoding.readVarUint(decoder) !== MessageType.Sync || decoding.readVarUint(decoder) !== SyncStep.one) return false;
    const vector = decoding.readVarUint8Array(decoder);
    return vector.length === 1 && vector[0] === 0;
  } catch {
    return false; // screened already (validBody): never, but a hint is not worth a throw
  }
}

/** The Yjs update in a Hocuspocus sync message (step 2 or update), or undefined. */
function updateOf(message: Uint8Array): Uint8Array | undefined {
  const decoder = decoding.createDecoder(message);
  decoding.readVarString(decoder);
  const type = decoding.readVarUint(decoder);
  if (type !== MessageType.Sync && type !== MessageType.SyncReply) return undefined;
  const step = decoding.readVarUint(decoder);
  if (step !== SyncStep.two && step !== SyncStep.update) return undefined;
  return decoding.readVarUint8Array(decoder);
}

/**
 * Throws unless Yjs can read the whole update (structs, content references,
 * delete set) and apply it: a delete-set range of length 0 decodes but makes
 * `applyUpdate` throw half-way (found by bit-flipping updates; with this check,
 * 80,000 bit-flipped updates applied without an error).
 */
function validateUpdate(update: Uint8Array): DecodedUpdate {
  const decoded = Y.decodeUpdate(update) as unknown as DecodedUpdate;
  for (const ranges of decoded.ds.clients.values()) {
    for (const { clock, len } of ranges) {
      if (!(len > 0) || !Number.isSafeInteger(clock + len)) throw new Error('invalid delete set');
    }
  }
  return decoded;
}

/** Whether an awareness update is well-formed: entries of (client, clock, JSON state). */
function validAwareness(update: Uint8Array): boolean {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    const state = JSON.parse(decoding.readVarString(decoder)) as unknown;
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) return false;
  }
  return true;
}

