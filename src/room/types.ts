import type * as Y from 'yjs';
import type { ObservableV2 } from 'lib0/observable';
import type { Awareness } from 'y-protocols/awareness';

/** Everything a room needs to connect. Nothing here defaults to a third-party host. */
export interface RoomOptions {
  /** y-webrtc signaling servers (ws:// or wss://). Empty: no peers beyond this browser. */
  readonly signaling: readonly string[];
  /** STUN/TURN servers handed to RTCPeerConnection. Empty by default: no public STUN is contacted. */
  readonly iceServers: readonly RTCIceServer[];
  /** Shared room password (y-webrtc encryption); null for an open room. */
  readonly password: string | null;
  /** Keep the room in this browser's IndexedDB. */
  readonly persist: boolean;
  /**
   * The group's keeper (`gather serve`'s `/sync`, ws:// or wss://): an always-on peer that stores the
   * room, so a visitor who arrives when nobody else is online still gets it. Absent or null: none.
   * (Optional so that option objects written before it existed stay valid; `resolveRoomOptions`
   * always sets it.)
   */
  readonly keeper?: string | null;
  /**
   * `relay`: WebRTC goes only through the TURN servers in `iceServers` (RTCPeerConnection's
   * `iceTransportPolicy`), so peers never learn each other's IP addresses (the relay's operator
   * does). Absent or `all`: direct connections where possible.
   */
  readonly iceTransportPolicy?: RTCIceTransportPolicy;
}

export type RoomState = 'connecting' | 'online' | 'offline';

/**
 * The room's link to its keeper. none: no keeper named; connecting: not yet synced with it (first
 * attempt under way); synced: it holds the room's state and this browser's (see `unsaved`);
 * offline: unreachable, or it refused the room (`keeperRefusal` says why).
 */
export type KeeperState = 'none' | 'connecting' | 'synced' | 'offline';

/**
 * Why a keeper refused the room, in the keeper's own words: `permission-denied` (the room's password
 * is not the one the keeper holds it with, or one room has a password and the other not),
 * `room-not-allowed` (not among its `--rooms`), `too-many-rooms` (its `--max-rooms` are in use;
 * tried again later), `room-too-large` (over its `--max-doc-bytes`).
 */
export type KeeperRefusal = 'permission-denied' | 'room-not-allowed' | 'too-many-rooms' | 'room-too-large';

/** What a person can read about a room's connection. */
export interface RoomStatus {
  /**
   * connecting: trying signaling, or connected to peers none of which has yet sent the room's state;
   * online: reachable by peers (and, with peers, synced with at least one); offline: no signaling
   * reachable (or none configured).
   */
  readonly state: RoomState;
  /** Other browsers currently connected to this one in the room. */
  readonly peers: number;
  /** The room's contents are stored on this device (IndexedDB loaded). */
  readonly saved: boolean;
  /**
   * Messages to peers that could not be sent since the room opened (absent: none). Each one closed
   * that peer's connection; y-webrtc then connects again and syncs afresh, and until that sync the
   * state is `connecting`.
   */
  readonly sendFailures?: number;
  /** The room's link to its keeper (`none` when the page names no keeper). */
  readonly keeper: KeeperState;
  /**
   * Changes the keeper has not yet confirmed as stored on its disk (0 without a keeper). Counted
   * by the keeper's client: this browser's own changes and those it relays from peers; while a
   * (re)sync with the keeper is under way it is at least 1. Saved on the keeper means
   * `keeper === 'synced' && unsaved === 0`.
   */
  readonly unsaved: number;
  /** Why the keeper refused the room (then `keeper` is `offline`); absent otherwise. */
  readonly keeperRefusal?: KeeperRefusal;
  /**
   * While `connecting`: the room's state arriving from a peer, in bytes so far of its total (the
   * peer furthest along, when several are sending it). Absent otherwise.
   */
  readonly receiving?: Receiving;
}

/** How much of a large message from a peer has come (see {@link RoomStatus.receiving}). */
export interface Receiving {
  readonly received: number;
  readonly total: number;
}

export interface RoomEvents {
  status: (status: RoomStatus) => void;
  /**
   * A message too large to travel whole (a room's state, say) is arriving from a peer: `received`
   * of its `total` bytes so far, once per frame but its last (the first time as it begins). It
   * reaches the document once all of it has come. Pages get ready for it meanwhile (the verifier's
   * workers boot); nothing in it is known yet, let alone trusted. The keeper sends a new visitor
   * the room as one message: it says so once, as that message is on its way (`received` 0, and
   * `total` at least the message's size).
   */
  receiving: (received: number, total: number) => void;
}

/** One shared Y.Doc for one room name in one page, with whatever keeps it in sync. */
export interface Room extends ObservableV2<RoomEvents> {
  readonly name: string;
  readonly doc: Y.Doc;
  readonly status: RoomStatus;
  /** Resolves once locally stored state (if any) has been loaded into `doc`. */
  whenLoaded(): Promise<void>;
  /**
   * Who else has the room open now (y-protocols awareness, shared with the peers). Anyone can put
   * anything in it: treat every state as hostile and never as proof of who someone is.
   */
  readonly awareness?: Awareness;
}

/** Hands out rooms by name, shared and reference-counted: `acquire` twice, `release` twice, then it is destroyed. */
export interface RoomSource {
  acquire(name: string, options: RoomOptions): Room;
  release(room: Room): void;
}
