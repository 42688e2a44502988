/**
 * Linked in-memory rooms for tests and stories: no network, no signaling, no IndexedDB.
 *
 * Rooms with the same name in different sources of one {@link MemoryNetwork} are linked. With
 * `delivery: 'immediate'` updates reach the other rooms synchronously; with `'manual'` they wait
 * in one queue per (from, to) pair until {@link MemoryNetwork.deliverRandom} or
 * {@link MemoryNetwork.flushAll} hands them over, in an order drawn from a seeded PRNG (like Yjs's
 * TestConnector).
 */
import * as Y from 'yjs';
import { ObservableV2 } from 'lib0/observable';
import * as prng from 'lib0/prng';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { guardAwareness } from './awareness-guard.js';
import { onlyListeners, passReceivedUpdates } from './received-updates.js';
import type { KeeperRefusal, KeeperState, Receiving, Room, RoomEvents, RoomOptions, RoomSource, RoomStatus } from './types.js';

/** The origin of a stored copy being loaded ({@link MemoryRoom.loadStored}). */
const STORED = Symbol('stored copy');

/** How a {@link MemoryNetwork} moves updates between linked rooms. */
export type MemoryDelivery = 'immediate' | 'manual';

/** Options of a {@link MemoryNetwork}. */
export interface MemoryNetworkOptions {
  /** `immediate` (default): synchronous, for component tests and stories. `manual`: queued. */
  readonly delivery?: MemoryDelivery;
  /** Seed of the PRNG that picks which queued update {@link MemoryNetwork.deliverRandom} delivers. */
  readonly seed?: number;
}

/** One room of a {@link MemorySource}: a Y.Doc linked to its namesakes in the network's other sources. */
export class MemoryRoom extends ObservableV2<RoomEvents> implements Room {
  readonly name: string;
  readonly doc: Y.Doc;
  readonly source: MemorySource;
  readonly options: RoomOptions;
  /** Reference count: acquires minus releases. */
  refs = 0;
  private currentStatus: RoomStatus = Object.freeze({ state: 'offline', peers: 0, saved: false, keeper: 'none', unsaved: 0 });
  private ownAwareness: Awareness | undefined;
  /** What {@link simulateKeeper} set: no keeper unless a test or story says otherwise. */
  private keeperStatus: { readonly keeper: KeeperState; readonly unsaved: number; readonly keeperRefusal?: KeeperRefusal } = { keeper: 'none', unsaved: 0 };
  /** What {@link simulateReceiving} set: the room's state on its way (null: not, or come). */
  private receivingStatus: Receiving | null = null;

  private readonly stopPassing: () => void;

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this.source.network) return;
    this.source.network.broadcast(this, update);
  };

  constructor(source: MemorySource, name: string, options: RoomOptions) {
    super();
    this.source = source;
    this.name = name;
    this.options = options;
    this.doc = new Y.Doc();
    this.doc.on('update', this.onUpdate);
    // As a WebRTC room does: a linked room's update is handed on as it came, not encoded again by Yjs;
    // a stored copy loaded while no linked room is there to be sent it is not encoded at all.
    const unneeded = (transaction: Y.Transaction): boolean =>
      transaction.origin === STORED && source.network.linked(this).length === 0 && onlyListeners(this.doc, (listener) => listener === this.onUpdate);
    this.stopPassing = passReceivedUpdates(this.doc, (origin) => origin === source.network, () => source.network.applying, unneeded);
  }

  /**
   * Applies `update` as a WebRTC room loads this browser's stored copy of the room (y-indexeddb's
   * one transaction): for benchmarks and tests of a returning page. Linked rooms are sent it, as
   * connected peers would be.
   */
  loadStored(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, STORED);
  }

  get status(): RoomStatus {
    return this.currentStatus;
  }

  /**
   * The room's awareness, made on first use (its timer then runs until the room is destroyed) and
   * linked, immediately, to the awareness of the linked rooms that made one.
   */
  get awareness(): Awareness {
    if (this.ownAwareness === undefined) {
      const awareness = new Awareness(this.doc);
      this.ownAwareness = awareness;
      // A peer's forged update of this room's own state is undone (awareness-guard.ts); gone with the awareness.
      guardAwareness(awareness);
      awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        if (origin === this.source.network) return;
        const update = encodeAwarenessUpdate(awareness, [...added, ...updated, ...removed]);
        for (const other of this.source.network.linked(this)) other.receiveAwareness(update);
      });
      for (const other of this.source.network.linked(this)) other.exchangeAwareness(this);
    }
    return this.ownAwareness;
  }

  /** Applies a linked room's awareness update (if this room has an awareness). */
  receiveAwareness(update: Uint8Array): void {
    if (this.ownAwareness !== undefined) applyAwarenessUpdate(this.ownAwareness, update, this.source.network);
  }

  /**
   * A link with `other` came up: each side states its own state again, with a newer clock (the
   * other side may have marked it gone), as y-webrtc does when a peer connects.
   */
  exchangeAwareness(other: MemoryRoom): void {
    if (this.ownAwareness === undefined || other.ownAwareness === undefined) return;
    for (const awareness of [this.ownAwareness, other.ownAwareness]) {
      const state = awareness.getLocalState();
      if (state !== null) awareness.setLocalState(state);
    }
  }

  /** Forgets the awareness states `other` holds for its own client (the link went down). */
  dropAwareness(other: MemoryRoom): void {
    if (this.ownAwareness !== undefined && other.ownAwareness !== undefined) {
      removeAwarenessStates(this.ownAwareness, [other.ownAwareness.clientID], this.source.network);
    }
  }

  /** Nothing is stored: resolves at once. */
  whenLoaded(): Promise<void> {
    return Promise.resolve();
  }

  /** Recomputes the status from the network and emits `status` when it changed. */
  updateStatus(): void {
    const peers = this.source.network.linked(this).length;
    const next: RoomStatus = !this.source.connected
      ? { state: 'offline', peers: 0, saved: false, ...this.keeperStatus }
      : this.receivingStatus !== null
        ? { state: 'connecting', peers, saved: false, ...this.keeperStatus, receiving: this.receivingStatus }
        : { state: 'online', peers, saved: false, ...this.keeperStatus };
    const prev = this.currentStatus;
    if (
      next.state === prev.state &&
      next.peers === prev.peers &&
      next.keeper === prev.keeper &&
      next.unsaved === prev.unsaved &&
      next.keeperRefusal === prev.keeperRefusal &&
      next.receiving === prev.receiving
    ) {
      return;
    }
    this.currentStatus = Object.freeze(next);
    this.emit('status', [this.currentStatus]);
  }

  /**
   * Makes the room report a keeper link in this state (nothing is synced: in-memory rooms have no
   * keeper). For tests and stories of what the status line says; `{ keeper: 'none', unsaved: 0 }`
   * goes back to no keeper.
   */
  simulateKeeper(status: { readonly keeper: KeeperState; readonly unsaved?: number; readonly keeperRefusal?: KeeperRefusal }): void {
    const { keeper, unsaved = 0, keeperRefusal } = status;
    this.keeperStatus = keeperRefusal !== undefined ? { keeper, unsaved, keeperRefusal } : { keeper, unsaved };
    this.updateStatus();
  }

  /**
   * Makes the room report its state as arriving from a peer, `received` of `total` bytes so far
   * (`connecting` meanwhile), as a WebRTC room does while a large room's state comes; `null`: it
   * has come. For tests and stories of what the widgets show; nothing is received.
   */
  simulateReceiving(progress: Receiving | null): void {
    this.receivingStatus = progress === null ? null : Object.freeze({ received: progress.received, total: progress.total });
    this.updateStatus();
  }

  override destroy(): void {
    this.doc.off('update', this.onUpdate);
    this.stopPassing();
    this.doc.destroy();
    super.destroy();
  }
}

/** A {@link RoomSource} whose rooms live in a {@link MemoryNetwork}: think of it as one browser tab. */
export class MemorySource implements RoomSource {
  readonly network: MemoryNetwork;
  /** Whether this source takes part in the network (see {@link MemoryNetwork.disconnect}). */
  connected = true;
  /** Rooms by name. */
  readonly rooms = new Map<string, MemoryRoom>();

  constructor(network: MemoryNetwork) {
    this.network = network;
  }

  /** The room called `name`, created (and synced with its linked rooms) on first acquire. */
  acquire(name: string, options: RoomOptions): MemoryRoom {
    let room = this.rooms.get(name);
    if (room === undefined) {
      room = new MemoryRoom(this, name, options);
      this.rooms.set(name, room);
      this.network.join(room);
    }
    room.refs++;
    return room;
  }

  /** Drops one reference; the last release destroys the room. */
  release(room: Room): void {
    const own = this.rooms.get(room.name);
    if (own !== room || own.refs <= 0) return;
    own.refs--;
    if (own.refs > 0) return;
    this.rooms.delete(own.name);
    this.network.leave(own);
    own.destroy();
  }

  /** Releases every room. */
  destroy(): void {
    for (const room of [...this.rooms.values()]) {
      room.refs = 1;
      this.release(room);
    }
  }
}

/** In-memory network linking the rooms of its sources. */
export class MemoryNetwork {
  readonly delivery: MemoryDelivery;
  readonly prng: prng.PRNG;
  private readonly sources = new Set<MemorySource>();
  /** Queued updates per (from, to) pair (manual delivery). */
  private readonly queues = new Map<MemoryRoom, Map<MemoryRoom, Uint8Array[]>>();
  /** The update being applied to a room from a linked one at this moment, or null. */
  applying: Uint8Array | null = null;

  constructor({ delivery = 'immediate', seed = 0 }: MemoryNetworkOptions = {}) {
    this.delivery = delivery;
    this.prng = prng.create(seed);
  }

  /** A new source (a tab) on this network, connected. */
  source(): MemorySource {
    const source = new MemorySource(this);
    this.sources.add(source);
    return source;
  }

  /** Connected rooms of other sources with the same name as `room` (none when `room`'s source is disconnected). */
  linked(room: MemoryRoom): MemoryRoom[] {
    if (!room.source.connected) return [];
    const out: MemoryRoom[] = [];
    for (const source of this.sources) {
      if (source === room.source || !source.connected) continue;
      const other = source.rooms.get(room.name);
      if (other !== undefined) out.push(other);
    }
    return out;
  }

  /** Sends `update` from `from` to every linked room. Called by rooms on local updates. */
  broadcast(from: MemoryRoom, update: Uint8Array): void {
    for (const to of this.linked(from)) this.send(from, to, update);
  }

  /** Updates waiting for delivery (manual mode). */
  get pending(): number {
    let n = 0;
    for (const byTarget of this.queues.values()) for (const queue of byTarget.values()) n += queue.length;
    return n;
  }

  /**
   * Delivers the oldest queued update of one (from, to) pair chosen at random. Returns false when
   * nothing was queued.
   */
  deliverRandom(): boolean {
    const pairs: [MemoryRoom, MemoryRoom, Uint8Array[]][] = [];
    for (const [from, byTarget] of this.queues) {
      for (const [to, queue] of byTarget) if (queue.length > 0) pairs.push([from, to, queue]);
    }
    if (pairs.length === 0) return false;
    const [, to, queue] = prng.oneOf(this.prng, pairs);
    this.apply(to, queue.shift()!);
    return true;
  }

  /** Delivers until no update is queued. */
  flushAll(): void {
    while (this.deliverRandom()) {
      /* keep delivering */
    }
  }

  /** Takes `source` off the network: its queued updates in both directions are dropped, its rooms go offline. */
  disconnect(source: MemorySource): void {
    if (!source.connected) return;
    for (const room of source.rooms.values()) {
      this.queues.delete(room);
      for (const byTarget of this.queues.values()) byTarget.delete(room);
    }
    for (const room of source.rooms.values()) {
      for (const other of this.linked(room)) {
        other.dropAwareness(room);
        room.dropAwareness(other);
      }
    }
    source.connected = false;
    this.updateStatuses();
  }

  /** Puts `source` back: each of its rooms exchanges what the other side lacks (state vectors) with its linked rooms. */
  reconnect(source: MemorySource): void {
    if (source.connected) return;
    source.connected = true;
    for (const room of source.rooms.values()) this.sync(room);
    this.updateStatuses();
  }

  /** Disconnects every source. */
  disconnectAll(): void {
    for (const source of this.sources) this.disconnect(source);
  }

  /** Reconnects every source. */
  reconnectAll(): void {
    for (const source of this.sources) this.reconnect(source);
  }

  /** Called by a source when it creates a room. */
  join(room: MemoryRoom): void {
    this.sync(room);
    this.updateStatuses();
  }

  /** Called by a source before it destroys a room. */
  leave(room: MemoryRoom): void {
    for (const other of this.linked(room)) other.dropAwareness(room);
    this.queues.delete(room);
    for (const byTarget of this.queues.values()) byTarget.delete(room);
    room.source.rooms.delete(room.name);
    this.updateStatuses();
  }

  destroy(): void {
    for (const source of this.sources) source.destroy();
    this.sources.clear();
    this.queues.clear();
  }

  private sync(room: MemoryRoom): void {
    for (const other of this.linked(room)) {
      room.exchangeAwareness(other);
      this.send(room, other, Y.encodeStateAsUpdate(room.doc, Y.encodeStateVector(other.doc)));
      this.send(other, room, Y.encodeStateAsUpdate(other.doc, Y.encodeStateVector(room.doc)));
    }
  }

  private send(from: MemoryRoom, to: MemoryRoom, update: Uint8Array): void {
    if (this.delivery === 'immediate') {
      this.apply(to, update);
      return;
    }
    let byTarget = this.queues.get(from);
    if (byTarget === undefined) this.queues.set(from, (byTarget = new Map()));
    let queue = byTarget.get(to);
    if (queue === undefined) byTarget.set(to, (queue = []));
    queue.push(update);
  }

  /** Applies `update` to `to` as a linked room's update arrives (benches play a peer with it). */
  receive(to: MemoryRoom, update: Uint8Array): void {
    this.apply(to, update);
  }

  private apply(to: MemoryRoom, update: Uint8Array): void {
    const outer = this.applying;
    this.applying = update;
    try {
      Y.applyUpdate(to.doc, update, this);
    } finally {
      this.applying = outer;
    }
  }

  private updateStatuses(): void {
    for (const source of this.sources) for (const room of source.rooms.values()) room.updateStatus();
  }
}
