/**
 * Which remote peers a room lets y-webrtc connect to, so that strangers cannot crowd honest
 * peers out.
 *
 * y-webrtc (10.3.0) opens a connection for every `announce` while it holds fewer than `maxConns`
 * (20 to 34), for every signal addressed to it from a peer it has no connection with (with no
 * limit at all), and keeps each until its peer closes, which a peer that never answers never
 * does. Anyone who knows a room's name can publish on its topic: 40 fake announces fill every
 * visitor's slots for good, and 600 fake offers open 600 connections in one visitor. So, for each
 * room (the signaling guard asks before y-webrtc reads a message):
 *
 * - a connection that has not opened within {@link CONNECT_TIMEOUT_MS} is given up (its slot
 *   returns), and that peer id is not admitted again for {@link GIVE_UP_COOL_DOWN_MS}; one that
 *   has found a network path to its peer (which a stranger cannot fake cheaply) gets twice as long.
 *   Its announce or offer refused meanwhile is handed to y-webrtc again when the cool-down ends
 *   (as a waiting newcomer's is, below): y-webrtc announces only when a connection of its own
 *   closes, so two peers whose connection timed out on both sides (a loaded machine) each refused
 *   the other's announce and never tried again;
 * - a peer we hold no connection with is admitted only into a free slot: offers count against
 *   `maxConns` as announces do. When every slot is taken, the newcomer takes the slot of a
 *   connection that has not opened after {@link EVICTABLE_AFTER_MS}: the one that got least far
 *   (no answer, then no network path), oldest first. Open connections are never given up, so the
 *   room keeps its honest peers, and a slot a stranger holds is free for a newcomer within seconds.
 *   A newcomer turned away because every slot was too young is let in (its message handed to
 *   y-webrtc again) as soon as one is old enough: the last {@link MAX_WAITING} turned away wait;
 * - each remote peer id may offer at most {@link OFFERS_PER_MINUTE} times a minute (each offer
 *   restarts a connection that is being made);
 * - a candidate from a peer with no connection (nothing an honest peer sends) is dropped: y-webrtc
 *   would open a connection that can never work.
 *
 * @module
 */

/** A connection that has not opened within this long is closed, and its slot freed. */
export const CONNECT_TIMEOUT_MS = 8000;
/** A connection that has not opened within this long gives its slot to a newcomer when all are taken. */
export const EVICTABLE_AFTER_MS = 2000;
/** Offers one remote peer id may make in a minute. */
export const OFFERS_PER_MINUTE = 5;
/** A peer id whose connection timed out is not admitted again for this long (short: an honest peer on a slow machine may time out once). */
export const GIVE_UP_COOL_DOWN_MS = 5_000;
/** Newcomers turned away from a full room that are let in once a slot can be freed (the newest). */
export const MAX_WAITING = 4;
/** y-webrtc's smallest `maxConns` (its default is 20 plus up to 14 at random). */
const DEFAULT_MAX_CONNS = 20;
/** Peer ids remembered per room (offer counts, cool-downs, recent admissions); beyond, the oldest go. */
const MAX_REMEMBERED = 1024;
const SWEEP_MS = 500;

/** What y-webrtc is about to do with a message from a remote peer. */
export type SignalKind = 'announce' | 'offer' | 'answer' | 'candidate';

/** The parts of y-webrtc's WebrtcConn admission reads. */
interface ConnLike {
  readonly connected: boolean;
  readonly peer?: unknown;
  destroy(): void;
}

/** The parts of y-webrtc's Room admission reads: its connections by remote peer id, and its provider's `maxConns`. */
export interface AdmissionRoom {
  readonly webrtcConns: Map<string, unknown>;
  readonly provider?: unknown;
}

export interface AdmissionOptions {
  /** Milliseconds, monotonic (tests pass their own clock). */
  readonly now?: () => number;
  /** Sweeps for timed-out connections by itself (tests call `sweep()` instead). Default true. */
  readonly timer?: boolean;
}

const isConn = (value: unknown): value is ConnLike =>
  typeof value === 'object' && value !== null && typeof (value as ConnLike).destroy === 'function';

/**
 * How far a connection has got (the native peer's `progress`: 0 nothing from the other side, 1 its
 * description, 2 a network path, 3 open); 0 for a peer that does not say.
 */
const progressOf = (conn: ConnLike): number => {
  const progress = (conn.peer as { progress?: unknown } | null | undefined)?.progress;
  return typeof progress === 'number' ? progress : 0;
};

/** Deletes the oldest entries of `map` (insertion order) beyond `max`. */
const trim = <K, V>(map: Map<K, V>, max: number): void => {
  for (const key of map.keys()) {
    if (map.size <= max) return;
    map.delete(key);
  }
};

/** The admission rules of one room (see the module's comment). */
export class PeerAdmission {
  readonly #room: () => AdmissionRoom | null;
  readonly #now: () => number;
  readonly #timer: boolean;
  /** When each connection was first seen. */
  readonly #since = new WeakMap<object, number>();
  /** Peer id → start of its current minute and the offers it made in it. */
  readonly #offers = new Map<string, { start: number; count: number }>();
  /** Peer id → until when it is not admitted. */
  readonly #coolDown = new Map<string, number>();
  /** Peer id → when it was last admitted (y-webrtc opens a password room's connection only after decrypting). */
  readonly #admitted = new Map<string, number>();
  /**
   * Newcomers turned away for want of a slot or during their cool-down, oldest first, with how to
   * hand their message over again, from when (`at`: the refusal, or the end of the cool-down).
   */
  readonly #waiting: { readonly from: string; readonly at: number; readonly retry: () => void }[] = [];
  #sweeper: ReturnType<typeof setInterval> | undefined;
  #destroyed = false;
  /** Connections given up or evicted so far (for tests and diagnostics). */
  givenUp = 0;
  /** Messages refused so far (for tests and diagnostics). */
  refused = 0;

  constructor(room: () => AdmissionRoom | null, { now = () => performance.now(), timer = true }: AdmissionOptions = {}) {
    this.#room = room;
    this.#now = now;
    this.#timer = timer;
  }

  /**
   * Whether y-webrtc may act on a `kind` message from remote peer `from` (a message addressed to
   * this room's peer, or an announce). Admitting a new peer into a full room evicts a connection
   * that has not opened, synchronously, so that y-webrtc finds the slot free. A newcomer turned away
   * for want of a slot may be let in later: then `retry` is called (to hand its message over again).
   */
  admit(from: string, kind: SignalKind, retry?: () => void): boolean {
    const room = this.#room();
    if (this.#destroyed || room === null) return true;
    const ok = this.#decide(room, from, kind, retry);
    if (!ok) this.refused++;
    return ok;
  }

  #decide(room: AdmissionRoom, from: string, kind: SignalKind, retry: (() => void) | undefined): boolean {
    const now = this.#now();
    if (kind === 'offer' && !this.#countOffer(from, now)) return false;
    const conns = room.webrtcConns;
    if (conns.has(from)) return true;
    if (kind === 'answer') return false;
    const admittedAt = this.#admitted.get(from);
    const recent = admittedAt !== undefined && now - admittedAt < CONNECT_TIMEOUT_MS;
    // A candidate that overtook its offer in a password room (decrypted after it): the offer was admitted.
    if (kind === 'candidate') return recent;
    if (recent) return true;
    const until = this.#coolDown.get(from);
    if (until !== undefined) {
      if (until > now) {
        if (retry !== undefined) this.#wait(from, until, retry);
        return false;
      }
      this.#coolDown.delete(from);
    }
    if (conns.size >= this.#maxConns(room) && !this.#evict(conns, now)) {
      if (retry !== undefined) this.#wait(from, now, retry);
      return false;
    }
    this.#admitted.delete(from);
    this.#admitted.set(from, now);
    trim(this.#admitted, MAX_REMEMBERED);
    this.#startSweeping();
    return true;
  }

  #maxConns(room: AdmissionRoom): number {
    const maxConns = (room.provider as { maxConns?: unknown } | null | undefined)?.maxConns;
    return typeof maxConns === 'number' && maxConns > 0 ? maxConns : DEFAULT_MAX_CONNS;
  }

  /** Counts one offer from `from`; false past the minute's allowance. */
  #countOffer(from: string, now: number): boolean {
    let entry = this.#offers.get(from);
    if (entry === undefined || now - entry.start >= 60_000) {
      this.#offers.delete(from);
      entry = { start: now, count: 0 };
      this.#offers.set(from, entry);
      trim(this.#offers, MAX_REMEMBERED);
    }
    return ++entry.count <= OFFERS_PER_MINUTE;
  }

  /** How long `conn` (to `id`) has existed: since its admission, or since it was first seen. */
  #age(id: string, conn: ConnLike, now: number): number {
    let since = this.#since.get(conn);
    if (since === undefined) {
      since = this.#admitted.get(id) ?? now;
      this.#since.set(conn, since);
    }
    return now - since;
  }

  /** Keeps a newcomer turned away, to be let in from `at` on (one entry per peer, the newest {@link MAX_WAITING}). */
  #wait(from: string, at: number, retry: () => void): void {
    const index = this.#waiting.findIndex((entry) => entry.from === from);
    if (index >= 0) this.#waiting.splice(index, 1);
    this.#waiting.push({ from, at, retry });
    if (this.#waiting.length > MAX_WAITING) this.#waiting.shift();
    this.#startSweeping();
  }

  /** The connection that gives up its slot to a newcomer: not open after {@link EVICTABLE_AFTER_MS}, got least far, oldest. */
  #victim(conns: Map<string, unknown>, now: number): { id: string; conn: ConnLike } | undefined {
    let victim: { id: string; conn: ConnLike; progress: number; age: number } | undefined;
    for (const [id, conn] of conns) {
      if (!isConn(conn) || conn.connected) continue;
      const age = this.#age(id, conn, now);
      if (age < EVICTABLE_AFTER_MS) continue;
      const progress = progressOf(conn);
      if (victim === undefined || progress < victim.progress || (progress === victim.progress && age > victim.age)) victim = { id, conn, progress, age };
    }
    return victim;
  }

  /** Frees one slot (see {@link #victim}): removed from y-webrtc's map at once (its close comes a moment later). */
  #evict(conns: Map<string, unknown>, now: number): boolean {
    const victim = this.#victim(conns, now);
    if (victim === undefined) return false;
    conns.delete(victim.id);
    this.#admitted.delete(victim.id);
    this.givenUp++;
    victim.conn.destroy();
    return true;
  }

  /**
   * Gives up every connection that has not opened within {@link CONNECT_TIMEOUT_MS}, then lets in
   * waiting newcomers (the newest first) while a slot is free or can be freed. Whether anything is
   * left to watch (a connection opening, a newcomer waiting).
   */
  sweep(): boolean {
    const room = this.#room();
    if (this.#destroyed || room === null) return false;
    const now = this.#now();
    let opening = false;
    for (const [id, conn] of [...room.webrtcConns]) {
      if (!isConn(conn) || conn.connected) continue;
      if (this.#age(id, conn, now) < (progressOf(conn) >= 2 ? 2 * CONNECT_TIMEOUT_MS : CONNECT_TIMEOUT_MS)) {
        opening = true;
        continue;
      }
      this.#admitted.delete(id);
      this.#coolDown.delete(id);
      this.#coolDown.set(id, now + GIVE_UP_COOL_DOWN_MS);
      trim(this.#coolDown, MAX_REMEMBERED);
      this.givenUp++;
      conn.destroy();
    }
    const conns = room.webrtcConns;
    const maxConns = this.#maxConns(room);
    for (let i = this.#waiting.length - 1; i >= 0; i--) {
      const entry = this.#waiting[i]!;
      if (now - entry.at >= CONNECT_TIMEOUT_MS || conns.has(entry.from)) {
        this.#waiting.splice(i, 1);
      } else if (entry.at <= now && (conns.size < maxConns || this.#victim(conns, now) !== undefined)) {
        this.#waiting.splice(i, 1);
        try {
          entry.retry();
        } catch (error) {
          // y-webrtc's, not ours to swallow; the other newcomers still get their turn.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    }
    // A password room's connection appears only once y-webrtc has decrypted its message: keep watching for it.
    return opening || this.#waiting.length > 0 || [...this.#admitted.values()].some((at) => now - at < CONNECT_TIMEOUT_MS);
  }

  #startSweeping(): void {
    if (!this.#timer || this.#sweeper !== undefined) return;
    this.#sweeper = setInterval(() => {
      if (this.sweep()) return;
      clearInterval(this.#sweeper);
      this.#sweeper = undefined;
    }, SWEEP_MS);
  }

  destroy(): void {
    this.#destroyed = true;
    this.#waiting.length = 0;
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }
}
