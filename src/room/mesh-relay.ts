/**
 * Relaying in a mesh, without sending everyone every update n−1 times.
 *
 * y-webrtc (10.3.0) sends each update of the doc to every peer it is connected to, including an
 * update it just applied from a peer (its `_docUpdateHandler` has no origin check). In a full mesh
 * every peer then receives n−2 copies of every update besides the one from its author, and pays
 * decoding and a Yjs transaction for each (at 10 peers: 81 messages per vote instead of 9). Relaying
 * is only needed where a peer's neighbours are not neighbours of the one that sent it (a partial
 * mesh: A–B and B–C connected, A–C not). This module takes the room's update handler over (y-webrtc
 * itself is unchanged) and relays an update applied from peer F to each connected peer C unless:
 *
 * - C is F (it has it), or
 * - F and C are connected to each other, as both said in-band (each peer tells its neighbours, on
 *   their own data channels, its Yjs client id and the peers it is connected to, whenever that
 *   changes), and the update's only author is the client F said it is, which no other neighbour
 *   claims: F, writing it, sent it to C itself.
 *
 * Why every peer still gets every update, in any connected mesh: by induction on when peers first
 * got update U, every neighbour of a peer that got U gets it. The author sends U to all its
 * neighbours. A peer D that got U first from F relays it to each neighbour E that is not F and
 * not (by both F's and E's word) F's neighbour; E = F has it; and a neighbour E of F gets it
 * because F got U earlier (induction). The skip applies only to updates F wrote, so F sent U to E
 * directly (else D relays to all but F, as y-webrtc does, minus the copy back). What F said reached
 * D on the same ordered channel before U did, and E's word is needed too: a link one side has
 * already seen close is not counted on.
 *
 * An update that did not come from a peer goes to every peer, as y-webrtc sends it, but for a large
 * one (64 KiB or more: the keeper's answer to a new visitor, the whole room): each peer that has
 * said what it holds (its last sync step 1's state vector) is sent only what it lacks of it
 * (`Y.diffUpdate`, in a task of its own per peer; the update's deletions always go). A new visitor
 * whose keeper sent it the room while its peers were connected sent each of them the whole room,
 * which they had.
 *
 * What a closing link may have lost (sent as it died) is asked for again: when a peer's connection
 * closes, this side sends a sync step 1 to every peer still connected, whose answers carry what
 * it lacks.
 *
 * The in-band message is a y-webrtc awareness message carrying no states (y-webrtc of any version
 * applies it as a no-op, without an error or a reply) followed by this module's fields, so peers
 * running an older Gather ignore it, and relay everything as before.
 *
 * Limits: Yjs client ids and y-webrtc peer ids are not authenticated. A hostile peer that claims
 * the client id of an author who is not connected to the deciding peer (no second claim to see),
 * and relays that author's updates first, can keep them from a peer every route to which runs
 * through peers it reached first, until that peer next syncs (a connection opening or closing).
 * In a full mesh every author is everyone's neighbour, and a second claim of its id turns the skip off.
 * @module
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { writeSyncStep1, writeUpdate } from 'y-protocols/sync';
import { yieldTask } from '../yield-task.js';

/** y-webrtc's message types. */
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
/** Marks the links message after its empty awareness update. */
const LINKS_MAGIC = 'gather-links';
const LINKS_VERSION = 1;
/** Most peers a links message may name (y-webrtc's maxConns is at most 34). */
const MAX_LINKS = 256;

/** The parts of a peer (the native peer, or simple-peer) this module uses. */
interface PeerLike {
  readonly destroyed?: boolean;
  send(data: Uint8Array): void;
}

/** The parts of y-webrtc's WebrtcConn this module reads. */
interface ConnLike {
  readonly connected: boolean;
  readonly remotePeerId: string;
  readonly peer: PeerLike;
}

type UpdateHandler = (update: Uint8Array, origin: unknown, doc?: Y.Doc, transaction?: Y.Transaction) => void;

/** The parts of y-webrtc's Room this module uses. */
export interface RelayRoom {
  readonly doc: Y.Doc;
  webrtcConns: Map<string, ConnLike>;
  readonly bcConns: Set<string>;
  readonly bcconnected: boolean;
  readonly provider: { readonly filterBcConns?: boolean };
  _docUpdateHandler: UpdateHandler;
}

/** What a neighbour said of itself. */
export interface Links {
  readonly clientID: number;
  readonly peers: ReadonlySet<string>;
}

/** The links message: an awareness message with no states, then the magic, version, client id and peer ids. */
export const encodeLinks = (clientID: number, peers: Iterable<string>): Uint8Array => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, Uint8Array.of(0)); // an awareness update of 0 states
  encoding.writeVarString(encoder, LINKS_MAGIC);
  encoding.writeVarUint(encoder, LINKS_VERSION);
  encoding.writeVarUint(encoder, clientID);
  const list = [...peers];
  encoding.writeVarUint(encoder, list.length);
  for (const peer of list) encoding.writeVarString(encoder, peer);
  return encoding.toUint8Array(encoder);
};

/** Reads a links message; null for anything else (any other message, malformed, too many peers). Never throws. */
export const decodeLinks = (data: unknown): Links | null => {
  if (!(data instanceof Uint8Array) || data[0] !== MESSAGE_AWARENESS || data[1] !== 1 || data[2] !== 0 || data.length < 4) return null;
  try {
    const decoder = decoding.createDecoder(data.subarray(3));
    if (decoding.readVarString(decoder) !== LINKS_MAGIC || decoding.readVarUint(decoder) !== LINKS_VERSION) return null;
    const clientID = decoding.readVarUint(decoder);
    const count = decoding.readVarUint(decoder);
    if (count > MAX_LINKS) return null;
    const peers = new Set<string>();
    for (let i = 0; i < count; i++) peers.add(decoding.readVarString(decoder));
    return { clientID, peers };
  } catch {
    return null;
  }
};

/** Updates larger than this are taken as several authors' (relayed as y-webrtc does) without reading them. */
const MAX_AUTHOR_READ_BYTES = 16 * 1024;

/**
 * The one client whose items `transaction` added or deleted (a deletion counts for the deleted
 * item's client), or null if none or several. The added items are read from `update` (the
 * transaction's own update, a few structs) rather than by comparing the transaction's before and
 * after states, which name every client of the document (0.2-0.4 ms a message at 10,000 clients).
 */
export const soleAuthor = (update: Uint8Array, transaction: Y.Transaction | undefined): number | null => {
  if (transaction === undefined || update.length > MAX_AUTHOR_READ_BYTES) return null;
  let author: number | null = null;
  for (const client of Y.parseUpdateMeta(update).to.keys()) {
    if (author !== null && author !== client) return null;
    author = client;
  }
  for (const client of transaction.deleteSet.clients.keys()) {
    if (author !== null && author !== client) return null;
    author = client;
  }
  return author;
};

/**
 * An update this large that did not come from a peer (the keeper's answer to a new visitor: the
 * whole room) goes to each peer that has said what it holds as only what that peer lacks (see
 * {@link MeshRelay}'s #onUpdate).
 */
const DIFF_FROM_BYTES = 64 * 1024;

/** The state vector a y-webrtc sync step 1 carries (what its sender holds), or null for anything else. Never throws. */
export const stateVectorOfStep1 = (data: unknown): Uint8Array | null => {
  if (!(data instanceof Uint8Array) || data[0] !== MESSAGE_SYNC || data[1] !== 0) return null;
  try {
    const decoder = decoding.createDecoder(data);
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    const vector = decoding.readVarUint8Array(decoder);
    Y.decodeStateVector(vector); // well-formed, or it throws
    return vector;
  } catch {
    return null;
  }
};

/** A y-webrtc sync message carrying `update`. */
const syncUpdateMessage = (update: Uint8Array): Uint8Array => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
};

/** Sends `message` to `conn`'s peer; one not connected yet (it gets the state when it is) or closed is left, as y-webrtc does. */
const send = (conn: ConnLike, message: Uint8Array): void => {
  try {
    conn.peer.send(message);
  } catch {
    // Not connected, or closed meanwhile.
  }
};

const NO_CONNS: Map<string, ConnLike> = new Map();

/** The relays of each doc (for tests and diagnostics). */
const relays = new WeakMap<Y.Doc, MeshRelay>();

/** The relay running on `doc`'s y-webrtc room, if any. */
export const meshRelayOf = (doc: Y.Doc): MeshRelay | undefined => relays.get(doc);

/** See the module comment. One per y-webrtc room; {@link destroy} gives y-webrtc its handler back. */
export class MeshRelay {
  readonly room: RelayRoom;
  /** Updates sent to a peer that came from another peer (relayed). */
  relayed = 0;
  /** Copies of a peer's update not relayed: back to its sender, or to a peer its author sent it to. */
  skipped = 0;
  readonly #original: UpdateHandler;
  readonly #sender: () => PeerLike | null;
  /** What each neighbour said of itself, by its peer. */
  readonly #links = new WeakMap<PeerLike, Links>();
  /** The links message last sent to each peer. */
  readonly #told = new WeakMap<PeerLike, Uint8Array>();
  /** What each peer last said it holds (the state vector of its last sync step 1). */
  readonly #vectors = new WeakMap<PeerLike, Uint8Array>();
  /** The client id the last links message named. */
  #clientID: number;
  /** The peers connected when this side last looked (what a closing connection is checked against). */
  #linked = new Set<string>();
  #destroyed = false;

  /**
   * @param room y-webrtc's room, connected.
   * @param sender The peer whose message is being handed to y-webrtc right now (null outside one):
   *   an update applied with the room as origin during it came from that peer.
   */
  constructor(room: RelayRoom, sender: () => PeerLike | null) {
    this.room = room;
    this.#sender = sender;
    this.#original = room._docUpdateHandler;
    this.#clientID = room.doc.clientID;
    room.doc.off('update', this.#original);
    room._docUpdateHandler = this.#onUpdate;
    room.doc.on('update', this.#onUpdate);
    sendFirst(room.doc, this.#onUpdate);
    relays.set(room.doc, this);
    this.announce();
  }

  /** What the peer said of itself, if it did. */
  linksOf(peer: PeerLike): Links | undefined {
    return this.#links.get(peer);
  }

  /**
   * Reads a message from `peer`: keeps what it says of itself if it is a links message, and what it
   * holds if it is a sync step 1.
   */
  read(peer: PeerLike, data: unknown): void {
    const links = decodeLinks(data);
    if (links !== null) return void this.#links.set(peer, links);
    const vector = stateVectorOfStep1(data);
    if (vector !== null) this.#vectors.set(peer, vector);
  }

  /** Tells each connected peer this side's client id and connected peers, where it changed since they were last told. */
  announce(): void {
    if (this.#destroyed) return;
    const conns = [...this.room.webrtcConns.values()].filter((conn) => conn.connected && conn.peer.destroyed !== true);
    for (const conn of conns) this.#linked.add(conn.remotePeerId);
    this.#clientID = this.room.doc.clientID;
    const message = encodeLinks(this.#clientID, conns.map((conn) => conn.remotePeerId));
    for (const conn of conns) {
      const told = this.#told.get(conn.peer);
      if (told !== undefined && sameBytes(told, message)) continue;
      this.#told.set(conn.peer, message);
      try {
        conn.peer.send(message);
      } catch {
        // Closed meanwhile: y-webrtc connects again.
      }
    }
  }

  /**
   * Peers left (y-webrtc's `removed`): if one of them had been connected, asks every peer still
   * connected for what this side lacks (a sync step 1). A connection that never opened lost nothing.
   */
  repair(removed: readonly string[]): void {
    if (this.#destroyed) return;
    const lost = removed.filter((id) => this.#linked.delete(id)).length > 0;
    this.announce();
    if (!lost) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    writeSyncStep1(encoder, this.room.doc);
    const message = encoding.toUint8Array(encoder);
    for (const conn of this.room.webrtcConns.values()) {
      if (!conn.connected) continue;
      try {
        conn.peer.send(message);
      } catch {
        // Closed meanwhile.
      }
    }
  }

  readonly #onUpdate = (update: Uint8Array, origin: unknown, doc?: Y.Doc, transaction?: Y.Transaction): void => {
    const room = this.room;
    // A new client id (doc-guard.ts may change it) is told before anything it wrote.
    if (room.doc.clientID !== this.#clientID) this.announce();
    const from = origin === room ? this.#sender() : null;
    let sender: ConnLike | undefined;
    if (from !== null) for (const conn of room.webrtcConns.values()) if (conn.peer === from) sender = conn;
    // The update's author is read (its structs parsed) only when a peer besides its sender might be skipped.
    let author: Links | null | undefined;
    const skips = (conn: ConnLike): boolean => {
      if (conn === sender) return true;
      if (author === undefined) {
        const links = this.#links.get(from!);
        author = links !== undefined && soleAuthor(update, transaction) === links.clientID && this.#claimants(links.clientID) === 1 ? links : null;
      }
      return author !== null && author.peers.has(conn.remotePeerId) && this.#links.get(conn.peer)?.peers.has(sender!.remotePeerId) === true;
    };
    // Encoded once, for every peer, and only if one needs it (a full mesh relays nothing).
    let message: Uint8Array | undefined;
    let lacking: ConnLike[] | undefined;
    for (const conn of room.webrtcConns.values()) {
      if (sender !== undefined) {
        if (skips(conn)) {
          if (conn.connected) this.skipped++;
          continue;
        }
        if (conn.connected) this.relayed++;
      } else if (update.length >= DIFF_FROM_BYTES && conn.connected && this.#vectors.has(conn.peer)) {
        // A large update from elsewhere (the keeper's copy of the room, which a peer that has the
        // room lacks nothing of): what that peer lacks, by what it last said it holds, a little later.
        (lacking ??= []).push(conn);
        continue;
      }
      message ??= syncUpdateMessage(update);
      send(conn, message);
    }
    if (lacking !== undefined) void this.#sendLacking(update, lacking);
    // Other tabs of this browser, over BroadcastChannel, as y-webrtc does; skipped while there are
    // none (a tab that opens later asks for the state itself).
    if (this.#toTabs()) {
      const conns = room.webrtcConns;
      room.webrtcConns = NO_CONNS;
      try {
        this.#original(update, origin, doc, transaction);
      } finally {
        room.webrtcConns = conns;
      }
    }
  };

  /**
   * Sends each of `conns` what it lacks of `update` by what it last said it holds, one peer a task
   * (a diff of a 10,000-entry room is 7-19 ms: not in the transaction that brought it, which the
   * page's first render waits for). A hostile peer that claims more than it holds deprives only itself.
   */
  async #sendLacking(update: Uint8Array, conns: readonly ConnLike[]): Promise<void> {
    for (const conn of conns) {
      await yieldTask();
      const vector = this.#vectors.get(conn.peer);
      if (this.#destroyed || !conn.connected || vector === undefined) continue;
      let lacks = update;
      try {
        lacks = Y.diffUpdate(update, vector);
      } catch {
        // All of it, as any other update.
      }
      send(conn, syncUpdateMessage(lacks));
    }
  }

  /** Whether an update goes to other tabs of this browser (over BroadcastChannel) now. */
  #toTabs(): boolean {
    const room = this.room;
    return room.bcconnected && (room.provider.filterBcConns === false || room.bcConns.size > 0);
  }

  /** Whether `listener` is this relay's, and an update now would go to no peer and no tab. */
  sendsNowhere(listener: unknown): boolean {
    return listener === this.#onUpdate && this.room.webrtcConns.size === 0 && !this.#toTabs();
  }

  /** Connected peers that say they are `clientID`. */
  #claimants(clientID: number): number {
    let count = 0;
    for (const conn of this.room.webrtcConns.values()) if (conn.connected && this.#links.get(conn.peer)?.clientID === clientID) count++;
    return count;
  }

  /** Gives y-webrtc its own update handler back. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    const room = this.room;
    if (room._docUpdateHandler === this.#onUpdate) {
      room.doc.off('update', this.#onUpdate);
      room._docUpdateHandler = this.#original;
      if (room.bcconnected) room.doc.on('update', this.#original);
    }
    if (relays.get(room.doc) === this) relays.delete(room.doc);
  }
}

/**
 * Moves `listener` to the front of `doc`'s 'update' listeners (lib0's Observable calls them in the
 * order added): a vote goes to the peers before this browser's other listeners of the same update
 * run (writing it to IndexedDB later, the keeper's link). Leaves the order alone if the doc keeps
 * its listeners some other way.
 */
const sendFirst = (doc: Y.Doc, listener: UpdateHandler): void => {
  const listeners = (doc as unknown as { _observers?: unknown })._observers;
  if (!(listeners instanceof Map)) return;
  const own = listeners.get('update') as unknown;
  if (!(own instanceof Set) || !own.has(listener)) return;
  const rest = [...(own as Set<unknown>)].filter((other) => other !== listener);
  own.clear();
  own.add(listener);
  for (const other of rest) own.add(other);
};

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};
