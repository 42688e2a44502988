/**
 * A fresh signaling peer id for each y-webrtc room of the page whenever a signaling connection
 * comes back, so that nobody can take a visitor's id while its socket is down.
 *
 * y-webrtc (10.3.0) picks a room's peer id once (`Room.peerId`, a random UUID) and announces it
 * again after every reconnect. The signaling server binds an id to the first connection that
 * publishes with it, until that connection goes (src/server/signaling.ts). In an open room every
 * subscriber of the topic sees the id in each announce, so a stranger who keeps claiming it gets
 * it the moment the visitor's socket drops (or, by making the server probe a socket that died
 * silently, a few seconds later), and keeps it: the visitor's messages under it are then dropped
 * (it no longer reaches new peers) and signals meant for it go to the stranger. A visitor whose
 * old socket the server still holds would likewise lock itself out until the server noticed.
 *
 * So when a signaling connection reconnects, before y-webrtc announces again through it (see
 * signaling-guard.ts), every room takes a new random id, which no one can know before the room
 * first uses it, on a connection the server then binds it to. Along with it:
 * - the page's other tabs of the room (BroadcastChannel) hear the new id, and that the old one is
 *   gone, as y-webrtc tells them of ids, so they keep talking to this tab over the channel;
 * - the room leaves and rejoins the topic on the page's other open signaling connections, which
 *   frees the old id there (the server allows a connection only a few ids per topic).
 *
 * Connections already open are keyed by the other side's id and go on as they are. A peer that is
 * connected to this tab hears the new id as a newcomer and tries to connect to it; that attempt
 * finds this tab already connected to it and lapses (peer/admission.ts gives it up after
 * `CONNECT_TIMEOUT_MS`).
 * @module
 */
import * as bc from 'lib0/broadcastchannel';
import * as encoding from 'lib0/encoding';
import { uuidv4 } from 'lib0/random';

/** The parts of y-webrtc's Room that a renewal reads and changes. */
export interface RenewableRoom {
  /** This page's id in the room's signaling messages. */
  peerId: string;
  /** The room's topic. */
  readonly name: string;
  /** The room's key (a password room), or null. */
  readonly key: CryptoKey | null;
  /** Whether the room talks to this browser's other tabs over a BroadcastChannel. */
  readonly bcconnected?: boolean;
  /** y-webrtc's mutex around the channel (its own messages are not read back while it sends). */
  readonly mux?: (f: () => void) => void;
  /** y-webrtc's provider: its `filterBcConns` (tabs tell each other their ids only when it is on, the default). */
  readonly provider?: unknown;
}

/** A signaling connection, as y-webrtc's SignalingConn (lib0's WebsocketClient) has it. */
export interface TopicConnection {
  readonly connected: boolean;
  send(message: unknown): void;
}

/** y-webrtc's message type that carries a tab's peer id over the BroadcastChannel. */
const MESSAGE_BC_PEER_ID = 4;

/** A BroadcastChannel message saying that this tab's id `peerId` is here (`true`) or gone. */
function bcPeerIdMessage(peerId: string, here: boolean): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_BC_PEER_ID);
  encoding.writeUint8(encoder, here ? 1 : 0);
  encoding.writeVarString(encoder, peerId);
  return encoding.toUint8Array(encoder);
}

/** `data` as y-webrtc encrypts a password room's messages (crypto.js `encrypt`): as is without a key. */
async function encrypt(data: Uint8Array, key: CryptoKey | null): Promise<Uint8Array> {
  if (key === null) return data;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const cipher = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, data as Uint8Array<ArrayBuffer>);
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, 'AES-GCM');
  encoding.writeVarUint8Array(encoder, iv);
  encoding.writeVarUint8Array(encoder, new Uint8Array(cipher));
  return encoding.toUint8Array(encoder);
}

/** Tells this browser's other tabs of the room that this tab is now `added`, no longer `removed`. */
async function tellTabs(room: RenewableRoom, added: string, removed: string): Promise<void> {
  for (const message of [bcPeerIdMessage(added, true), bcPeerIdMessage(removed, false)]) {
    const data = await encrypt(message, room.key);
    const publish = () => bc.publish(room.name, data);
    if (room.mux) room.mux(publish);
    else publish();
  }
}

/**
 * Gives `room` a new random peer id (returned), before the connection that just came back
 * announces it; rejoins the topic on `others` (the page's other signaling connections) to free the
 * old id there, and tells the other tabs. Never throws.
 */
export function renewPeerId(room: RenewableRoom, others: Iterable<TopicConnection>): string {
  const old = room.peerId;
  const fresh = uuidv4();
  room.peerId = fresh;
  for (const conn of others) {
    if (!conn.connected) continue;
    try {
      conn.send({ type: 'unsubscribe', topics: [room.name] });
      conn.send({ type: 'subscribe', topics: [room.name] });
    } catch {
      // A socket closing under us: it rejoins (with the new id) when it reconnects.
    }
  }
  const filterBcConns = (room.provider as { filterBcConns?: unknown } | undefined)?.filterBcConns !== false;
  if (room.bcconnected === true && filterBcConns) void tellTabs(room, fresh, old).catch(() => undefined);
  return fresh;
}
