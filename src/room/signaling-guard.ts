/**
 * Checks what the signaling server relays before y-webrtc reads it.
 *
 * y-webrtc (10.3.0) trusts every `publish` on a topic it has joined: a `signal` with no `signal`
 * field, or an `answer` from a peer it has no connection with, throws a TypeError in its message
 * handler, in every tab of the room; a password room's message that is not valid base64 or not
 * AES-GCM throws or rejects likewise. Anyone who knows a topic can send those. The guard wraps each
 * signaling connection's `emit` and drops such messages; everything else goes through unchanged,
 * in order. y-webrtc itself stays as it is.
 *
 * Well-formed messages can still crowd a room: fake announces and offers make y-webrtc open
 * connections that never open and fill its slots. Each room's {@link PeerAdmission}
 * (peer/admission.ts) decides which remote peers get a connection, and gives up on those that do
 * not open.
 *
 * When a signaling connection comes back after it dropped, every room of the page takes a fresh
 * peer id before y-webrtc announces again through it (peer-id.ts): an id a stranger grabbed on the
 * server while the socket was down is then of no use to them.
 * @module
 */
import * as decoding from 'lib0/decoding';
import { fromBase64 } from 'lib0/buffer';
import type { WebsocketClient } from 'lib0/websocket';
import { PeerAdmission, type SignalKind } from './peer/admission.js';
import { renewPeerId, type RenewableRoom } from './peer-id.js';
import { parseSignal } from './peer/signals.js';

/** The parts of y-webrtc's Room (provider.room) the guard reads (and, for admission, its connections). */
export interface GuardedRoom {
  readonly peerId: string;
  readonly key: CryptoKey | null;
  readonly webrtcConns: Map<string, unknown>;
  readonly bcConns: ReadonlySet<string>;
  /** y-webrtc's provider: its `maxConns`. */
  readonly provider?: unknown;
}

interface Guarded {
  readonly room: () => GuardedRoom | null;
  readonly admission: PeerAdmission;
}

/** Rooms by topic that this page's guards protect (y-webrtc allows one room per topic per page). */
const guarded = new Map<string, Guarded>();
const wrapped = new WeakSet<object>();
/** The signaling connections of the page that the guard wraps (the other connections of a renewal). */
const connections = new Set<WebsocketClient>();
/** Connections that have connected at least once: their next `connect` is a reconnect. */
const connectedOnce = new WeakSet<object>();

/**
 * A signaling connection came back: y-webrtc is about to announce every room of the page through
 * it (its `connect` listener), so each open room takes a fresh peer id first.
 */
function renewPeerIds(conn: WebsocketClient): void {
  for (const { room } of guarded.values()) {
    const current = room() as (GuardedRoom & RenewableRoom) | null;
    if (current === null) continue;
    try {
      renewPeerId(current, [...connections].filter((other) => other !== conn));
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether y-webrtc can read `data` (a decrypted signaling message for `room`) without throwing and
 * without keeping a connection for a peer that did not really signal. Messages y-webrtc ignores
 * anyway (its own, addressed to another peer, from a BroadcastChannel peer) are let through.
 */
export function isSafeSignalingMessage(room: GuardedRoom, data: unknown): boolean {
  if (data == null) return true;
  if (!isRecord(data)) return true; // y-webrtc reads `.from`, `.to`, `.type` of it and finds nothing to do
  const { from, to, type } = data;
  if (from === room.peerId || (to !== undefined && to !== room.peerId)) return true;
  if (type !== 'announce' && type !== 'signal') return true;
  if (typeof from !== 'string' || from.length === 0 || from.length > 256) return false;
  if (room.bcConns.has(from)) return true;
  if (type === 'announce') return true;
  // A signal is only ever for one peer; a broadcast one would only upset y-webrtc's glare tokens.
  if (to !== room.peerId) return false;
  const signal = parseSignal(data['signal']);
  // The signal goes to the peer as y-webrtc received it: it must be an object (y-webrtc reads `.type`).
  if (signal === null || !isRecord(data['signal'])) return false;
  if (signal.type === 'answer' && !room.webrtcConns.has(from)) return false;
  return true;
}

/**
 * What y-webrtc would do with a safe message (see {@link isSafeSignalingMessage}) from another peer
 * addressed to `room`'s: `[from, kind]`, or null when it would do nothing with it.
 */
export function signalingKind(room: GuardedRoom, data: unknown): [from: string, kind: SignalKind] | null {
  if (!isRecord(data)) return null;
  const { from, to, type } = data;
  if (typeof from !== 'string' || from === room.peerId || room.bcConns.has(from)) return null;
  if (type === 'announce') return to === undefined || to === room.peerId ? [from, 'announce'] : null;
  if (type !== 'signal' || to !== room.peerId) return null;
  const signal = parseSignal(data['signal']);
  return signal === null ? null : [from, signal.type];
}

/**
 * Whether the room may act on a safe message `data`: its admission decides for a remote peer's.
 * `retry` hands the message over again if the admission lets its peer in later.
 */
function admits({ admission }: Guarded, current: GuardedRoom, data: unknown, retry: () => void): boolean {
  const kind = signalingKind(current, data);
  return kind === null || admission.admit(kind[0], kind[1], retry);
}

/** The decrypted JSON of a password room's message (y-webrtc's encryptJson format), or undefined. */
async function decrypt(base64: string, key: CryptoKey): Promise<unknown> {
  try {
    const decoder = decoding.createDecoder(fromBase64(base64));
    if (decoding.readVarString(decoder) !== 'AES-GCM') return undefined;
    const iv = decoding.readVarUint8Array(decoder);
    const cipher = decoding.readVarUint8Array(decoder);
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, cipher);
    return decoding.readAny(decoding.createDecoder(new Uint8Array(plain)));
  } catch {
    return undefined;
  }
}

/**
 * Protects `topic` on `conn`: installs the guard on the connection once (connections are shared by
 * every room of the page) and registers how to find the room. Returns the function that unregisters.
 */
export function guardSignaling(conn: WebsocketClient, topic: string, room: () => GuardedRoom | null): () => void {
  let entry = guarded.get(topic);
  if (entry?.room !== room) {
    entry?.admission.destroy();
    entry = { room, admission: new PeerAdmission(room) };
    guarded.set(topic, entry);
  }
  if (!wrapped.has(conn)) {
    wrapped.add(conn);
    connections.add(conn);
    if (conn.connected) connectedOnce.add(conn);
    const emit = conn.emit;
    // Password rooms: messages are checked after decryption, then handed on in arrival order.
    let queue: Promise<void> = Promise.resolve();
    conn.emit = function (this: WebsocketClient, name, args) {
      if (name === 'connect') {
        if (connectedOnce.has(this)) renewPeerIds(this);
        connectedOnce.add(this);
      }
      if (name !== 'message') return emit.call(this, name, args);
      const message: unknown = args[0];
      if (!isRecord(message) || message['type'] !== 'publish' || typeof message['topic'] !== 'string') return emit.call(this, name, args);
      const topic = message['topic'];
      const entry = guarded.get(topic);
      const current = entry?.room() ?? null;
      if (entry === undefined || current === null) return emit.call(this, name, args);
      /** Hands `data` (the message, decrypted) to y-webrtc if safe and admitted; again if admitted later. */
      const deliver = (data: unknown): void => {
        const room = entry.room();
        if (room === null || guarded.get(topic) !== entry) return;
        if (isSafeSignalingMessage(room, data) && admits(entry, room, data, () => deliver(data))) emit.call(this, name, args);
      };
      if (current.key === null) return deliver(message['data']);
      const encrypted = message['data'];
      if (typeof encrypted !== 'string') return; // y-webrtc ignores it too
      const checked = decrypt(encrypted, current.key);
      queue = queue.then(async () => {
        const data = await checked;
        if (data === undefined) return;
        try {
          deliver(data);
        } catch (error) {
          // Not ours to swallow: surface it as y-webrtc's own handler would have, without breaking the queue.
          queueMicrotask(() => {
            throw error;
          });
        }
      });
    } as WebsocketClient['emit'];
  }
  const registered = entry;
  return () => {
    if (guarded.get(topic) !== registered) return;
    guarded.delete(topic);
    registered.admission.destroy();
  };
}
