/**
 * A room backed by y-webrtc (peers), y-indexeddb (this browser), optionally the group's keeper
 * (keeper-link.ts, loaded only when a keeper is named), and one Y.Doc.
 * @module
 */
import * as Y from 'yjs';
import { WebrtcProvider } from 'y-webrtc';
import { Awareness } from 'y-protocols/awareness';
import { IndexeddbPersistence, clearDocument } from 'y-indexeddb';
import { ObservableV2 } from 'lib0/observable';
import * as encoding from 'lib0/encoding';
import { writeSyncStep1 } from 'y-protocols/sync';
import { toBase64url } from '../identity/base64url.js';
import { sha256Pair } from '../identity/sha256.js';
import type { WebsocketClient } from 'lib0/websocket';
import { guardAwareness } from './awareness-guard.js';
import { DEFAULT_ROOM_OPTIONS, warnOnce } from './options.js';
import type { KeeperLink, KeeperLinkStatus } from './keeper-link.js';
import { MeshRelay, type RelayRoom } from './mesh-relay.js';
import { deliveringMessage, deliveringPeer, ERR_SEND } from './peer/native-peer.js';
import { onlyListeners, passReceivedUpdates, syncMessageUpdates } from './received-updates.js';
import { guardSignaling, type GuardedRoom } from './signaling-guard.js';
import { watchSignaling } from './signaling-watch.js';
import type { KeeperRefusal, KeeperState, Receiving, Room, RoomEvents, RoomOptions, RoomState, RoomStatus } from './types.js';

/** How long the doc's updates wait (merged) before they are written to this browser's IndexedDB. */
const PERSIST_DELAY_MS = 50;

/**
 * y-indexeddb writes each update in an IndexedDB transaction of its own, inside the Yjs
 * transaction and ahead of y-webrtc's send (its listener comes first): ~1 ms between a click and
 * the vote leaving, and again between a peer's vote arriving and the widget seeing it. Takes its
 * listener off the doc and writes the same updates a moment later, merged (one transaction per
 * burst), and at once when the page goes away. Returns its listener, and what writes the rest and stops.
 */
const writeLater = (doc: Y.Doc, persistence: IndexeddbPersistence): { readonly listener: unknown; readonly stop: () => void } => {
  const store = (persistence as unknown as { _storeUpdate: (update: Uint8Array, origin: unknown) => void })._storeUpdate;
  doc.off('update', store);
  let queued: Uint8Array[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (queued.length === 0) return;
    const update = queued.length === 1 ? queued[0]! : Y.mergeUpdates(queued);
    queued = [];
    store(update, undefined);
  };
  const onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === persistence) return; // read from IndexedDB: already there
    queued.push(update);
    timer ??= setTimeout(flush, PERSIST_DELAY_MS);
  };
  doc.on('update', onUpdate);
  globalThis.addEventListener?.('pagehide', flush);
  const stop = (): void => {
    flush();
    doc.off('update', onUpdate);
    globalThis.removeEventListener?.('pagehide', flush);
  };
  return { listener: onUpdate, stop };
};

const EMPTY = new Uint8Array(0);

/**
 * The y-webrtc room name (signaling topic) and IndexedDB name for a room: a hash of the room name and
 * the password. People with a different password never share a topic (y-webrtc would otherwise
 * feed their undecryptable signaling messages to each other), and a signaling server never learns
 * room names. 22 base64url characters = 132 bits.
 *
 * Our own synchronous SHA-256 (identity/sha256.ts) rather than `crypto.subtle`, which does not exist
 * on plain-http pages (not a secure context), where an open room must still work.
 */
export function roomTopic(name: string, password: string | null): string {
  const bytes = new TextEncoder().encode(`gather-room\0${name}\0${password ?? ''}`);
  return 'gather/' + toBase64url(sha256Pair(bytes, EMPTY)).slice(0, 22);
}

/** Deletes what this browser stored for a room (close the room first). */
export function clearStoredRoom(name: string, password: string | null = null): Promise<void> {
  return clearDocument(roomTopic(name, password));
}

/** Teardown still in progress per topic: a new room on the same topic waits for it (y-webrtc allows one per page). */
const closing = new Map<string, Promise<void>>();

/**
 * y-webrtc decrypts each signaling/BroadcastChannel message of a password room with AES-GCM and has no
 * `catch` on that promise (y-webrtc.js SignalingConn 'publish' → `decryptJson(...).then(execMessage)`).
 * A message that cannot be decrypted (a peer with another password on the same topic — which the
 * topic derivation above already avoids — or garbage) then surfaces as an unhandled rejection with a
 * DOMException `OperationError`. That is expected and harmless, so it is silenced while a password room
 * is open; every other rejection is left alone.
 */
const swallowDecryptFailure = (event: PromiseRejectionEvent): void => {
  const reason: unknown = event.reason;
  if (typeof DOMException !== 'undefined' && reason instanceof DOMException && reason.name === 'OperationError') {
    event.preventDefault();
  }
};
let passwordRoomsOpen = 0;
const holdDecryptFilter = (): (() => void) => {
  if (typeof window === 'undefined') return () => {};
  if (passwordRoomsOpen++ === 0) window.addEventListener('unhandledrejection', swallowDecryptFailure);
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    if (--passwordRoomsOpen === 0) window.removeEventListener('unhandledrejection', swallowDecryptFailure);
  };
};

const isBrowserOffline = (): boolean => typeof navigator !== 'undefined' && navigator.onLine === false;

/** Polling interval while `connecting`: lib0's WebsocketClient emits nothing when a first attempt fails. */
const CONNECTING_POLL_MS = 400;

/**
 * How long a connected peer's state may take to arrive before this room asks for it again. Its
 * sync step 2 answers the step 1 y-webrtc sends on connect; if that answer is lost (a send the
 * other side could not make yet), y-webrtc never asks again and the room would wait for ever.
 */
const RESYNC_AFTER_MS = 2000;

/**
 * Longest a new visitor waits on the one peer asked for the room's state before asking the others
 * too, however steadily it sends (a hostile peer could trickle a huge message; see WebrtcRoom's
 * #mayAsk). A 10,000-ballot room is 1.5 MB: about 6 s at 2 Mbit/s.
 */
const ASKED_ALONE_MS = 30_000;

/**
 * Longest a new visitor waits on the keeper's answer before asking its WebRTC peers for the room's
 * state too (see WebrtcRoom's #mayAsk). The keeper sends it as one WebSocket message, whose progress
 * the page cannot see, so there is no "gone quiet" to tell a slow link from a stuck keeper by: a
 * 10,000-ballot room (1.5 MB) takes about 6 s at 2 Mbit/s.
 */
const KEEPER_ALONE_MS = 10_000;

/**
 * Longest a room waits for this browser's own copy (IndexedDB) before asking a peer for the room's
 * state all the same (see WebrtcRoom's #mayAsk): a store that never answers holds no one up.
 */
const OWN_COPY_WAIT_MS = 3000;

/** The parts of simple-peer's API (and of the native peer that replaces it) the room uses. */
interface PeerEvents {
  readonly destroyed?: boolean;
  send(data: Uint8Array): void;
  on(event: 'connect', listener: () => void): void;
  on(event: 'data', listener: (data: unknown) => void): void;
  on(event: 'error', listener: (error: { code?: unknown }) => void): void;
  on(event: 'receiving', listener: (received: number, total: number) => void): void;
  on(event: 'close', listener: () => void): void;
  off(event: 'connect', listener: () => void): void;
  off(event: 'data', listener: (data: unknown) => void): void;
  off(event: 'error', listener: (error: { code?: unknown }) => void): void;
}

/** The parts of y-webrtc's WebrtcConn the room reads. */
interface WebrtcConnLike {
  readonly connected: boolean;
  /** Set by y-webrtc when this peer's sync step 2 arrived while the room was not yet synced (after decryption). */
  readonly synced?: boolean;
  readonly peer?: unknown;
}

/**
 * Whether a y-webrtc peer message is a sync step 2 (the sender's whole state): y-protocols' message
 * type 0 (sync) then sync type 1 (step 2), each a one-byte varint. y-webrtc's own per-peer `synced`
 * flag cannot be used: it is set only while the room as a whole is unsynced, so a peer that joins
 * (or comes back) later never gets it.
 */
const isSyncStep2 = (data: unknown): boolean => data instanceof Uint8Array && data[0] === 0 && data[1] === 1;

/** Whether a message to a peer is a sync step 1 (this browser's state vector: the peer answers with what this browser lacks). */
const isSyncStep1 = (data: unknown): boolean => ArrayBuffer.isView(data) && (data as Uint8Array)[0] === 0 && (data as Uint8Array)[1] === 0;

const isPeer = (peer: unknown): peer is PeerEvents =>
  typeof peer === 'object' && peer !== null && typeof (peer as PeerEvents).on === 'function' && typeof (peer as PeerEvents).off === 'function';

/**
 * One Y.Doc for one room name, synced with peers over y-webrtc, stored in IndexedDB and, when
 * `options.keeper` names one, synced with the group's keeper (both paths at once).
 * Only ever contacts the signaling, ICE and keeper servers in `options`.
 * Prefer `webrtcRooms.acquire()` (registry.ts): y-webrtc allows one provider per topic per page.
 */
export class WebrtcRoom extends ObservableV2<RoomEvents> implements Room {
  readonly name: string;
  readonly options: RoomOptions;
  readonly doc: Y.Doc = new Y.Doc();
  /** The room's awareness, handed to y-webrtc (which shares it with the peers); destroyed with the doc. */
  readonly awareness: Awareness = new Awareness(this.doc);
  /** The y-webrtc room name and IndexedDB database name (see `roomTopic`). */
  readonly topic: string;

  #status: RoomStatus;
  #provider: WebrtcProvider | null = null;
  #persistence: IndexeddbPersistence | null = null;
  #destroyed = false;
  #isOpen = false;
  #resolveLoaded!: () => void;
  readonly #loaded = new Promise<void>((resolve) => (this.#resolveLoaded = resolve));
  /** Signaling connections that failed or dropped since they last connected. */
  readonly #tried = new Set<WebsocketClient>();
  readonly #hookedPeers = new WeakSet<object>();
  /** Large messages partly received, by peer (RoomStatus.receiving). */
  readonly #receiving = new Map<PeerEvents, Receiving>();
  /** Peers whose sync step 2 (their state) has arrived. */
  readonly #syncedPeers = new WeakSet<object>();
  /** Connected peers whose state has not arrived: since when this room has waited for it, or for more of it (ms). */
  readonly #waitingSince = new WeakMap<object, number>();
  /**
   * Until a first peer's state has come, one peer at a time is asked for it (see {@link #mayAsk}):
   * the one asked, and those whose sync step 1 is held meanwhile.
   */
  #asked: PeerEvents | null = null;
  /** When the asked peer was asked, and when it was asked or last sent some of its state (ms). */
  #askedAt = 0;
  #askedHeardAt = 0;
  readonly #held = new Set<PeerEvents>();
  /** Whether a peer's state has come: from then on every sync step 1 goes out at once. */
  #stateCame = false;
  /** Messages that could not be sent to a peer (see RoomStatus.sendFailures). */
  #sendFailures = 0;
  #poll: ReturnType<typeof setInterval> | undefined;
  /** When the room opened (Date.now()): how long its own copy has been loading (#mayAsk). */
  #openedAt = 0;
  /** Relays peers' updates only where the mesh needs it (mesh-relay.ts), once y-webrtc's room exists. */
  #relay: MeshRelay | null = null;
  readonly #cleanups: (() => void)[] = [];
  /** The link to the keeper, once its module has loaded (and this browser's copy of the room). */
  #keeper: KeeperLink | null = null;
  /** What the keeper link last reported; `none` without a keeper, `offline` when its module failed to load. */
  #keeperStatus: { readonly keeper: KeeperState; readonly unsaved: number; readonly keeperRefusal?: KeeperRefusal };

  constructor(name: string, options: RoomOptions = DEFAULT_ROOM_OPTIONS) {
    super();
    this.name = name;
    this.options = options;
    this.topic = roomTopic(name, options.password);
    this.#keeperStatus = options.keeper ? { keeper: 'connecting', unsaved: 0 } : { keeper: 'none', unsaved: 0 };
    this.#status = Object.freeze({ state: this.#computeState(0, false), peers: 0, saved: false, ...this.#keeperStatus });
    // A peer's forged update of this page's own awareness state is undone (awareness-guard.ts).
    this.#cleanups.push(guardAwareness(this.awareness));
    if (options.password !== null) this.#cleanups.push(holdDecryptFilter());
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.#update);
      window.addEventListener('offline', this.#update);
      this.#cleanups.push(() => {
        window.removeEventListener('online', this.#update);
        window.removeEventListener('offline', this.#update);
      });
    }
    if (!options.persist) this.#resolveLoaded();
    const previous = closing.get(this.topic);
    if (previous) void previous.then(() => this.#open());
    else this.#open();
  }

  get status(): RoomStatus {
    return this.#status;
  }

  whenLoaded(): Promise<void> {
    return this.#loaded;
  }

  #open(): void {
    if (this.#destroyed) return;
    this.#isOpen = true;
    this.#openedAt = Date.now();
    const { signaling, iceServers, password, persist, keeper, iceTransportPolicy } = this.options;
    if (keeper) this.#openKeeper(keeper);
    else if (signaling.length === 0) {
      warnOnce(
        'gather: no signaling server and no keeper is named, so this page keeps its own copy of its widgets and meets nobody. ' +
          'Add data-signaling="wss://your-server.example/signal" to the script tag of gather.js (or signaling="…" on <gather-room>); npx gather serve runs one.',
      );
    }
    /** The origin of what y-webrtc applies from peers (its room, once the key is derived). */
    const fromPeers = (origin: unknown): boolean => origin !== null && origin === this.#provider?.room;
    let unneeded: (transaction: Y.Transaction) => boolean = () => false;
    if (persist) {
      const persistence = new IndexeddbPersistence(this.topic, this.doc);
      this.#persistence = persistence;
      const stored = writeLater(this.doc, persistence);
      this.#cleanups.push(stored.stop);
      // This browser's copy, loaded while no peer or tab is there to be sent it: only the store
      // listens, and it has it (the keeper's link is made once it has loaded).
      const known = (listener: unknown): boolean => listener === stored.listener || this.#relay?.sendsNowhere(listener) === true;
      unneeded = (transaction) => transaction.origin === persistence && onlyListeners(this.doc, known);
      persistence.on('synced', () => {
        this.#resolveLoaded();
        // Peers held while it loaded are asked now, naming what this browser holds (one at a time, still).
        for (const held of [...this.#held]) this.#sendStep1(held);
        this.#update();
      });
    }
    // A peer's update goes to the relay, IndexedDB and the keeper as it came, not encoded again by Yjs.
    this.#cleanups.push(passReceivedUpdates(this.doc, fromPeers, syncMessageUpdates(deliveringMessage), unneeded));
    if (password !== null && (typeof crypto === 'undefined' || !crypto.subtle)) {
      // y-webrtc encrypts with WebCrypto, which plain-http pages do not have: stay offline rather than leak.
      warnOnce('gather: a room password needs a secure context (https or localhost); staying offline.');
      this.#update();
      return;
    }
    const provider = new WebrtcProvider(this.topic, this.doc, {
      // Always explicit: y-webrtc's default signaling and simple-peer's default STUN are public hosts.
      signaling: [...signaling],
      password,
      awareness: this.awareness,
      peerOpts: { config: { iceServers: [...iceServers], ...(iceTransportPolicy === 'relay' ? { iceTransportPolicy } : {}) } },
    } as ConstructorParameters<typeof WebrtcProvider>[2]);
    this.#provider = provider;
    // y-webrtc makes its room once the key is derived (its own `then` comes first).
    void Promise.resolve(provider.key).then(() => {
      const room = provider.room as unknown as RelayRoom | null;
      if (this.#destroyed || this.#provider !== provider || room === null) return;
      this.#relay = new MeshRelay(room, deliveringPeer);
    });
    provider.on('peers', this.#onPeers);
    provider.on('synced', this.#update);
    provider.on('status', this.#update);
    for (const conn of provider.signalingConns as WebsocketClient[]) {
      this.#cleanups.push(guardSignaling(conn, this.topic, () => (provider.room as GuardedRoom | null) ?? null));
      watchSignaling(conn);
      const onConnect = () => {
        this.#tried.delete(conn);
        this.#update();
      };
      const onDisconnect = () => {
        this.#tried.add(conn);
        this.#update();
      };
      conn.on('connect', onConnect);
      conn.on('disconnect', onDisconnect);
      this.#cleanups.push(() => {
        conn.off('connect', onConnect);
        conn.off('disconnect', onDisconnect);
      });
    }
    this.#update();
  }

  /**
   * Loads the keeper's client (a chunk of its own: pages without a keeper never fetch it) and links
   * the doc to the keeper once this browser's copy has loaded from IndexedDB, so that loading it is
   * not counted as changes waiting for the keeper (the first sync sends the keeper what it lacks).
   */
  #openKeeper(url: string): void {
    const loaded = import('./keeper-link.js');
    void Promise.all([loaded, this.#loaded]).then(
      ([{ KeeperLink }]) => {
        if (this.#destroyed) return;
        // Not asked while a peer's answer is on its way (that peer goes first, as peers do among themselves).
        const link = new KeeperLink(this.doc, { url, room: this.name, password: this.options.password, mayAsk: () => !this.#peerAnswering(Date.now()) });
        this.#keeper = link;
        const onStatus = ({ state, unsaved, refusal }: KeeperLinkStatus): void => {
          this.#keeperStatus = refusal !== undefined ? { keeper: state, unsaved, keeperRefusal: refusal } : { keeper: state, unsaved };
          this.#update();
        };
        link.on('status', onStatus);
        link.on('state', this.#stateArrived);
        // The keeper's answer comes whole: said once, as nothing of it has come yet.
        link.on('expecting', (bytes) => this.emit('receiving', [0, bytes]));
        onStatus(link.status);
      },
      (error: unknown) => {
        if (this.#destroyed) return;
        warnOnce(`gather: could not load the keeper's client (${String(error)}); the keeper is not used. Serve dist/chunks/ beside dist/gather.js.`);
        this.#keeperStatus = { keeper: 'offline', unsaved: 0 };
        this.#update();
      },
    );
  }

  /**
   * A WebRTC peer counts once its data channel is open, and the room is `online` with it once its
   * sync step 2 (the room's state) has arrived; y-webrtc emits 'peers' on add/remove only, and
   * 'synced' only when every peer has synced. So each peer is watched until it has synced.
   */
  readonly #onPeers = ({ removed }: { removed?: readonly string[] } = {}): void => {
    // A closed connection may have lost what was on its way: ask the others (and tell them who is connected).
    if (removed !== undefined && removed.length > 0) this.#relay?.repair(removed);
    else this.#relay?.announce();
    const room = this.#provider?.room;
    if (room) {
      for (const conn of room.webrtcConns.values() as Iterable<WebrtcConnLike>) {
        const peer = conn.peer;
        if (isPeer(peer) && !this.#hookedPeers.has(peer)) {
          this.#hookedPeers.add(peer);
          this.#watch(peer);
        }
      }
    }
    this.#update();
  };

  #watch(peer: PeerEvents): void {
    const onConnect = (): void => {
      peer.off('connect', onConnect);
      this.#relay?.announce();
      this.#update();
    };
    const onLinks = (data: unknown): void => this.#relay?.read(peer, data);
    // y-webrtc's own 'data' listener came first: the state is in the doc when this one runs.
    const onData = (data: unknown): void => {
      if (!isSyncStep2(data)) return;
      peer.off('data', onData);
      this.#syncedPeers.add(peer);
      this.#stateArrived();
      this.#update();
    };
    const onError = (error: { code?: unknown }): void => {
      if (error?.code !== ERR_SEND) return;
      this.#sendFailures++;
      warnOnce('gather: a message to a peer could not be sent; reconnecting to sync again.');
      this.#update();
    };
    // Every sync step 1 to this peer (y-webrtc's as it connects, the relay's, this room's) passes #mayAsk.
    const send = peer.send.bind(peer);
    peer.send = (data: Uint8Array): void => {
      if (isSyncStep1(data) && !this.#mayAsk(peer)) return;
      send(data);
    };
    const onClose = (): void => {
      this.#held.delete(peer);
      if (this.#asked !== peer) return;
      // It never answered: another peer is asked in its place, and the keeper if it was held back.
      this.#asked = null;
      const next = this.#held.values().next().value;
      if (next !== undefined) this.#sendStep1(next);
      this.#keeper?.ask();
    };
    peer.on('connect', onConnect);
    peer.on('close', onClose);
    // For as long as the peer lives (a large update may come after its state).
    peer.on('receiving', (received, total) => {
      // More of its state has come: not overdue (#askState asks no second copy of it meanwhile).
      this.#waitingSince.set(peer, Date.now());
      if (peer === this.#asked) this.#askedHeardAt = Date.now();
      this.#receiving.set(peer, { received, total });
      this.emit('receiving', [received, total]);
      this.#update();
    });
    // A whole message after a framed one's frames is that message (frames are never interleaved).
    const onWhole = (): void => {
      if (this.#receiving.delete(peer)) this.#update();
    };
    peer.on('data', onWhole);
    peer.on('close', onWhole);
    peer.on('data', onLinks);
    peer.on('data', onData);
    peer.on('error', onError);
  }

  /**
   * Whether a sync step 1 may go to `peer` now: always once a peer's state has come. Before, a
   * new visitor who meets five peers would be sent the whole room by each of them at once (each
   * answers a step 1 with everything this browser lacks), over a link they share, so that the first
   * copy came five times later than one would have. So one peer is asked at a time: while its answer
   * is on its way (it has not closed, has sent some of it within {@link RESYNC_AFTER_MS} of being
   * asked or of its last frame, and was asked under {@link ASKED_ALONE_MS} ago), a step 1 to another
   * is held, and sent once that answer has come, with the state vector as it is then. A peer asked
   * that does not answer (gone quiet, or hostile) only delays the others: #askState asks them again
   * once their own state is overdue, and then this lets them through. The keeper counts as asked
   * too: its link asks as its socket opens (usually well before a data channel does), and while its
   * answer is on its way, for up to {@link KEEPER_ALONE_MS}, no peer is asked (but one asked before).
   * And no peer is asked while this browser's own copy loads from IndexedDB (for up to
   * {@link OWN_COPY_WAIT_MS}): a returning visitor whose data channel opened first was sent the
   * whole room again.
   */
  #mayAsk(peer: PeerEvents): boolean {
    if (this.#stateCame) return true;
    const asked = this.#asked;
    const now = Date.now();
    // This browser's own copy is still loading: a step 1 now would name nothing, and be answered with the whole room.
    if (this.#persistence !== null && !this.#persistence.synced && now - this.#openedAt < OWN_COPY_WAIT_MS) {
      this.#held.add(peer);
      return false;
    }
    // The keeper's answer is on its way (its socket opened, and it asked, before this peer was asked).
    const keeperAsked = this.#keeper?.askedAt ?? null;
    if (asked !== peer && keeperAsked !== null && now - keeperAsked < KEEPER_ALONE_MS) {
      this.#held.add(peer);
      return false;
    }
    if (asked !== peer && this.#peerAnswering(now)) {
      this.#held.add(peer);
      return false;
    }
    if (asked !== peer) {
      this.#asked = peer;
      this.#askedAt = this.#askedHeardAt = now;
    }
    this.#held.delete(peer);
    return true;
  }

  /**
   * Whether the peer asked for the room's state is answering: it has not closed, has sent some of it
   * within {@link RESYNC_AFTER_MS} of being asked or of its last frame, and was asked under
   * {@link ASKED_ALONE_MS} ago (see {@link #mayAsk}).
   */
  #peerAnswering(now: number): boolean {
    const asked = this.#asked;
    return !this.#stateCame && asked !== null && asked.destroyed !== true && now - this.#askedHeardAt < RESYNC_AFTER_MS && now - this.#askedAt < ASKED_ALONE_MS;
  }

  /**
   * A first state has come (a peer's or the keeper's): the peers held back are asked now, with the
   * state vector as it is, so each answers with only what is still missing.
   */
  readonly #stateArrived = (): void => {
    if (this.#stateCame) return;
    this.#stateCame = true;
    this.#asked = null;
    for (const held of this.#held) this.#sendStep1(held);
    this.#held.clear();
    this.#keeper?.ask();
  };

  /** Sends `peer` a sync step 1 (through {@link #mayAsk}); a peer closed meanwhile is left to y-webrtc. */
  #sendStep1(peer: PeerEvents): void {
    // A step 1 that would be held is not encoded (a state vector of 10,000 clients: ~1 ms) only to be dropped.
    if (!this.#mayAsk(peer)) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0); // y-webrtc's messageSync
    writeSyncStep1(encoder, this.doc);
    try {
      peer.send(encoding.toUint8Array(encoder));
    } catch {
      // Closed meanwhile: y-webrtc connects again.
    }
  }

  /** Sends `peer` a sync step 1 again (its answer is its state) once its state is overdue. */
  #askState(peer: PeerEvents): void {
    const now = Date.now();
    const since = this.#waitingSince.get(peer);
    if (since === undefined) {
      this.#waitingSince.set(peer, now);
      return;
    }
    if (now - since < RESYNC_AFTER_MS) return;
    this.#waitingSince.set(peer, now);
    if (!this.#hookedPeers.has(peer)) {
      this.#hookedPeers.add(peer);
      this.#watch(peer);
    }
    this.#sendStep1(peer);
  }

  #computeState(peers: number, synced: boolean): RoomState {
    if (this.#destroyed || isBrowserOffline() || this.options.signaling.length === 0) return 'offline';
    const provider = this.#provider;
    // No provider: still waiting for a previous room on this topic to close, or (after #open) none possible.
    if (provider === null) return this.#isOpen ? 'offline' : 'connecting';
    const conns = provider.signalingConns as WebsocketClient[];
    // Connected to peers but holding none's state yet: saying "connected" would promise a room that has not arrived.
    if (conns.some((c) => c.connected)) return peers > 0 && !synced ? 'connecting' : 'online';
    for (const c of conns) if (c.unsuccessfulReconnects > 0) this.#tried.add(c);
    return conns.length > 0 && conns.every((c) => this.#tried.has(c)) ? 'offline' : 'connecting';
  }

  #computeStatus(): RoomStatus {
    let peers = 0;
    let synced = false;
    const room = this.#provider?.room;
    if (room) {
      for (const conn of room.webrtcConns.values() as Iterable<WebrtcConnLike>) {
        const peer = conn.peer;
        // A peer destroyed (a failed send, say) counts no more, though y-webrtc hears of it a moment later.
        if (!conn.connected || (isPeer(peer) && peer.destroyed === true)) continue;
        peers++;
        if (isPeer(peer) && this.#syncedPeers.has(peer)) synced = true;
        // y-webrtc's own flag (set only while the room as a whole is unsynced) says it too.
        else if (conn.synced === true) synced = true;
        else if (isPeer(peer)) this.#askState(peer);
      }
      // Tabs of this browser: BroadcastChannel carries the state whole, and they share IndexedDB.
      peers += room.bcConns.size;
      if (room.bcConns.size > 0) synced = true;
    }
    const state = this.#computeState(peers, synced);
    let status: RoomStatus = { state, peers, saved: this.#persistence?.synced === true, ...this.#keeperStatus };
    if (this.#sendFailures > 0) status = { ...status, sendFailures: this.#sendFailures };
    if (state !== 'connecting') return status;
    // The room's state on its way: from the peer furthest along.
    let receiving: Receiving | undefined;
    for (const [peer, progress] of this.#receiving) {
      if (peer.destroyed === true) continue;
      if (receiving === undefined || progress.received / progress.total > receiving.received / receiving.total) receiving = progress;
    }
    return receiving === undefined ? status : { ...status, receiving };
  }

  readonly #update = (): void => {
    if (this.#destroyed) return;
    const next = this.#computeStatus();
    const prev = this.#status;
    // A keeper held back while a peer answered is asked once that peer has gone quiet (this runs every CONNECTING_POLL_MS meanwhile).
    this.#keeper?.ask();
    if (next.state === 'connecting') {
      this.#poll ??= setInterval(this.#update, CONNECTING_POLL_MS);
    } else if (this.#poll !== undefined) {
      clearInterval(this.#poll);
      this.#poll = undefined;
    }
    if (
      next.state === prev.state &&
      next.peers === prev.peers &&
      next.saved === prev.saved &&
      next.sendFailures === prev.sendFailures &&
      next.keeper === prev.keeper &&
      next.unsaved === prev.unsaved &&
      next.keeperRefusal === prev.keeperRefusal &&
      next.receiving === prev.receiving
    ) {
      return;
    }
    this.#status = Object.freeze(next);
    this.emit('status', [this.#status]);
  };

  /** Disconnects and tears everything down: provider, persistence, listeners, the doc. */
  override destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    if (this.#poll !== undefined) clearInterval(this.#poll);
    this.#poll = undefined;
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    const pending: Promise<unknown>[] = [];
    const provider = this.#provider;
    if (provider) {
      provider.off('peers', this.#onPeers);
      provider.off('synced', this.#update);
      provider.off('status', this.#update);
      // destroy() alone leaves the shared signaling sockets reconnecting forever; disconnect() closes
      // them when no other provider uses them.
      provider.disconnect();
      provider.destroy();
      this.#relay?.destroy();
      this.#relay = null;
      // y-webrtc forgets the topic once the key promise settles (its destroy() is queued on it first).
      pending.push(Promise.resolve(provider.key).then(() => undefined, () => undefined));
    }
    if (this.#persistence) pending.push(this.#persistence.destroy().catch(() => undefined));
    this.#keeper?.destroy();
    this.#keeper = null;
    this.#provider = null;
    this.#persistence = null;
    const done: Promise<void> = Promise.all(pending).then(() => {
      if (closing.get(this.topic) === done) closing.delete(this.topic);
    });
    closing.set(this.topic, done);
    const keeperStatus = this.options.keeper ? { keeper: 'offline' as const, unsaved: this.#keeperStatus.unsaved } : { keeper: 'none' as const, unsaved: 0 };
    this.#status = Object.freeze({ state: 'offline', peers: 0, saved: this.#status.saved, ...keeperStatus });
    this.#resolveLoaded();
    this.doc.destroy();
    super.destroy();
  }
}
