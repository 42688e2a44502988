/**
 * Who is reading a widget now, from the room's awareness (y-protocols), which any peer can fill
 * with anything. So presence counts and names only readers whose awareness state carries a signed
 * entry of type `presence` for this widget and room, stamped within {@link PRESENCE_FRESH_MS} of
 * this device's clock, whose signature verifies (entries.ts): a copied state goes stale, a forged
 * one fails, and a made-up or unsigned one is neither counted nor named. Readers are counted once
 * per author key, at most {@link MAX_COUNTED_READERS} of them (then `capped`). This visitor is
 * counted too, signing or not (its own state is what it set itself).
 *
 * Hostile peers can deliver any number of states, so the checks are bounded and ordered:
 * - a verdict is bound to the exact signed content (version, type, scope, room, author, alg, ts,
 *   name and signature: a state with any other field is refused unchecked), never to a signature
 *   alone, so a valid signature copied with another author or name names nobody;
 * - each client's state keeps its verdict while it is unchanged (a flood never makes an honest
 *   state be checked again), and verdicts are remembered by content, so a state sent again is not
 *   checked again;
 * - at most {@link CHECKS_PER_WINDOW} signatures are checked every {@link CHECK_WINDOW_MS}; the
 *   rest wait for the next window, in a deterministic order an attacker cannot aim at: first the
 *   new states of clients already proven (a reader's refresh), then states of authors not yet
 *   counted from clients with no failed check, then the rest; within each, by a hash of the
 *   client id keyed with this device's own random salt;
 * - while a proven reader's new state waits for its check, or fails it (a forgery under its client
 *   id), the reader's last proven presence still names them until it goes stale.
 *
 * The awareness field is `gather:<scope>`: `true` for a visitor who cannot sign, else the signed
 * entry `{ v, type: 'presence', scope, room, author, alg, ts, name, sig }`.
 */
import { roomTag, signEntry } from '../identity/entries.js';
import { MAX_DISPLAY_NAME } from '../identity/display-name.js';
import type { Signer } from '../identity/types.js';
import { verifyEntry } from '../identity/verification.js';
import { isBoundedString, isRecord, plainEqual } from '../plain.js';

/** What presence reads of a y-protocols `Awareness`. */
export interface AwarenessLike {
  readonly clientID: number;
  getStates(): Map<number, Record<string, unknown>>;
  getLocalState(): Record<string, unknown> | null;
  setLocalStateField(field: string, value: unknown): void;
  on(event: 'change', listener: () => void): void;
  off(event: 'change', listener: () => void): void;
}

/** A reader who proved who they are. */
export interface PresentPerson {
  readonly author: string;
  readonly name: string;
}

export interface PresenceView {
  /**
   * Readers counted: this visitor, and every other author whose fresh signed presence verified
   * (once per author), at most {@link MAX_COUNTED_READERS}.
   */
  readonly count: number;
  /** Readers whose signed presence verified, by author key (this visitor included when signing). */
  readonly people: readonly PresentPerson[];
  /** More readers may be here than `count` says: the count reached {@link MAX_COUNTED_READERS} ("50+ reading now"). */
  readonly capped: boolean;
}

/** How old (or how far ahead) a signed presence may be and still count. */
export const PRESENCE_FRESH_MS = 60_000;
/** How often this visitor signs their presence again. */
export const PRESENCE_REFRESH_MS = 20_000;
/** Most readers counted (and named); past it the view says `capped`. */
export const MAX_COUNTED_READERS = 50;
/** Signatures checked per window at most (a peer's flood of forged states costs this much work, no more). */
export const CHECKS_PER_WINDOW = 50;
/** The window of {@link CHECKS_PER_WINDOW}, in milliseconds (200 checks a second). */
export const CHECK_WINDOW_MS = 250;
/** Entry type of a signed presence. */
export const PRESENCE_TYPE = 'presence';

/** Verdicts remembered by content, oldest forgotten first (a client's current state keeps its own). */
const MAX_VERDICTS = 4096;
/** The fields of a signed presence, and no others. */
const FIELDS = ['v', 'type', 'scope', 'room', 'author', 'alg', 'ts', 'name', 'sig'] as const;
/** base64url lengths of a raw public key (by algorithm) and of a signature. */
const authorLength = (alg: unknown): number => (alg === 'Ed25519' ? 43 : alg === 'ECDSA-P256' ? 87 : -1);
const SIG_LENGTH = 86;

export interface PresenceOptions {
  /** The widget's scope (`thread:<name>`). */
  readonly scope: string;
  /** The room's name: presences signed for another room do not count. */
  readonly room: string;
  /** Signs this visitor's presence; null: counted here, not by other peers. */
  readonly signer: Signer | null;
  /** The display name to sign with (read each time it signs). */
  readonly name?: () => string;
  readonly now?: () => number;
}

/** A signed presence that passed every check but the signature's. */
interface Claim {
  /** Everything the signature covers, and the author key: what a verdict is bound to. */
  readonly key: string;
  readonly author: string;
  readonly name: string;
  readonly ts: number;
  readonly entry: Record<string, unknown>;
}

/** What this device knows of one awareness client. */
interface Client {
  /** The presence value last seen in its state, its claim, and that claim's verdict (undefined: not checked yet). */
  value: unknown;
  claim: Claim | null;
  verdict: boolean | undefined;
  /** Its last claim that verified. */
  proven: Claim | null;
  /** A claim of it failed its check. */
  failed: boolean;
  /** When it first proved a presence (order of arrival: earlier readers keep their place under the cap). */
  since: number;
}

/** 32-bit mix of a client id with a salt (murmur3's finalizer). */
const mix = (id: number, salt: number): number => {
  let h = (id ^ salt) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

/**
 * This visitor's presence on a widget, and everyone's, over the room's awareness. Lives from
 * construction to {@link destroy}.
 */
export class Presence {
  private readonly awareness: AwarenessLike;
  private readonly options: PresenceOptions;
  private readonly field: string;
  private readonly tag: string;
  private readonly now: () => number;
  private readonly salt = (Math.random() * 2 ** 32) >>> 0;
  /** Verdicts by claim key (bounded). */
  private readonly verdicts = new Map<string, boolean>();
  private readonly clients = new Map<number, Client>();
  private readonly listeners = new Set<(view: PresenceView) => void>();
  private current: PresenceView = Object.freeze({ count: 0, people: Object.freeze([]), capped: false });
  /** What this visitor last put in its own state, and the person it names (null: unsigned). */
  private announced: unknown = undefined;
  private self: PresentPerson | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;
  private running: Promise<void> | null = null;
  private dirty = false;
  private windowStart = -Infinity;
  private spent = 0;
  private arrivals = 0;
  private checked = 0;

  private readonly onChange = (): void => void this.recount();

  constructor(awareness: AwarenessLike, options: PresenceOptions) {
    this.awareness = awareness;
    this.options = options;
    this.field = `gather:${options.scope}`;
    this.tag = roomTag(options.room);
    this.now = options.now ?? Date.now;
    awareness.on('change', this.onChange);
    void this.announce();
    this.timer = setInterval(() => void this.announce(), PRESENCE_REFRESH_MS);
    (this.timer as { unref?: () => void }).unref?.();
  }

  get view(): PresenceView {
    return this.current;
  }

  /** Signatures this instance has checked (for tests and benches: the work a flood cost). */
  get checks(): number {
    return this.checked;
  }

  /** Calls `listener` when the count or the named readers change; returns the unsubscribe function. */
  subscribe(listener: (view: PresenceView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Says (again, freshly signed) that this visitor is here. */
  async announce(): Promise<void> {
    const { signer, scope, name } = this.options;
    let value: unknown = true;
    let self: PresentPerson | null = null;
    if (signer !== null) {
      try {
        const entry = await signEntry(signer, { type: PRESENCE_TYPE, scope, room: this.tag, name: (name?.() ?? '').slice(0, MAX_DISPLAY_NAME) }, Math.floor(this.now()));
        value = entry;
        self = { author: entry.author, name: entry.name };
      } catch {
        value = true;
      }
    }
    if (this.destroyed || this.awareness.getLocalState() === null) return;
    this.announced = value;
    this.self = self;
    this.awareness.setLocalStateField(this.field, value);
    await this.recount();
  }

  /**
   * Counts the readers from the states the awareness holds now, checking what signatures this
   * window allows (the rest are checked in later windows, and counted then). Resolves once the
   * view reflects the states as they were when called.
   */
  recount(): Promise<void> {
    this.dirty = true;
    this.running ??= (async () => {
      try {
        while (this.dirty && !this.destroyed) {
          this.dirty = false;
          await this.pass();
        }
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** The claim `value` makes, if it is a well-formed signed presence for this widget and room (not checked, nor its age). */
  private claimOf(value: unknown): Claim | null {
    if (!isRecord(value)) return null;
    const keys = Object.keys(value);
    if (keys.length !== FIELDS.length || !FIELDS.every((f) => Object.hasOwn(value, f))) return null;
    const { v, type, scope, room, author, alg, ts, name, sig } = value;
    if (v !== 2 || type !== PRESENCE_TYPE || scope !== this.options.scope || room !== this.tag) return null;
    if (typeof author !== 'string' || author.length !== authorLength(alg) || typeof sig !== 'string' || sig.length !== SIG_LENGTH) return null;
    if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts < 0 || !isBoundedString(name, MAX_DISPLAY_NAME, true)) return null;
    return { key: JSON.stringify([v, type, scope, room, author, alg, ts, name, sig]), author, name, ts, entry: value };
  }

  private fresh(claim: Claim | null, now: number): claim is Claim {
    return claim !== null && Math.abs(now - claim.ts) <= PRESENCE_FRESH_MS;
  }

  /** Checks left in this window. */
  private budget(): number {
    const t = Date.now();
    if (t - this.windowStart >= CHECK_WINDOW_MS) {
      this.windowStart = t;
      this.spent = 0;
    }
    return CHECKS_PER_WINDOW - this.spent;
  }

  private async pass(): Promise<void> {
    const now = this.now();
    const ownId = this.awareness.clientID;
    let anonymousSelf = false;
    let self: PresentPerson | null = null;
    const present = new Map<number, Client>();
    for (const [id, state] of this.awareness.getStates()) {
      const value = isRecord(state) ? state[this.field] : undefined;
      if (value === undefined || value === null || value === false) continue;
      if (id === ownId && value === this.announced) {
        // This visitor's own state, as it set it: no check needed.
        if (this.self === null) anonymousSelf = true;
        else self = this.self;
        continue;
      }
      let client = this.clients.get(id);
      if (client === undefined) {
        client = { value: undefined, claim: null, verdict: undefined, proven: null, failed: false, since: Infinity };
        this.clients.set(id, client);
      }
      if (client.value !== value) {
        client.value = value;
        client.claim = this.claimOf(value);
        client.verdict = client.claim === null ? false : this.verdicts.get(client.claim.key);
        if (client.verdict === true) this.prove(client);
      }
      present.set(id, client);
    }
    // Clients gone (or no longer reading) are forgotten; their verdicts stay remembered by content.
    for (const id of this.clients.keys()) if (!present.has(id)) this.clients.delete(id);

    // Who is counted before any check, and which states wait for one.
    const counted = new Set<string>();
    if (self !== null) counted.add(self.author);
    for (const client of present.values()) {
      const shown = this.shown(client, now);
      if (shown !== null) counted.add(shown.author);
    }
    const waiting: { id: number; client: Client; tier: number; rank: number }[] = [];
    for (const [id, client] of present) {
      const claim = client.claim;
      if (client.verdict !== undefined || !this.fresh(claim, now)) continue;
      const tier = client.proven?.author === claim.author ? 0 : !client.failed && !counted.has(claim.author) ? 1 : 2;
      // At the cap, a new author could not be counted: not worth a check.
      if (tier === 1 && counted.size + (anonymousSelf ? 1 : 0) >= MAX_COUNTED_READERS) continue;
      waiting.push({ id, client, tier, rank: mix(id, this.salt) });
    }
    if (waiting.length > 0) {
      waiting.sort((a, b) => a.tier - b.tier || a.rank - b.rank || a.id - b.id);
      const budget = this.budget();
      const byKey = new Map<string, Client[]>();
      for (const { client } of waiting) {
        const key = client.claim!.key;
        const same = byKey.get(key);
        if (same !== undefined) same.push(client);
        else if (byKey.size < budget) byKey.set(key, [client]);
      }
      this.spent += byKey.size;
      this.checked += byKey.size;
      const verdicts = await Promise.all([...byKey.values()].map((clients) => verifyEntry(clients[0]!.claim!.entry)));
      [...byKey].forEach(([key, clients], i) => {
        const good = verdicts[i]!;
        this.verdicts.set(key, good);
        while (this.verdicts.size > MAX_VERDICTS) this.verdicts.delete(this.verdicts.keys().next().value!);
        for (const client of clients) {
          if (client.claim?.key !== key) continue;
          client.verdict = good;
          if (good) this.prove(client);
          else client.failed = true;
        }
      });
      // States left waiting are checked in the next window.
      if (waiting.some(({ client }) => client.verdict === undefined)) this.later();
      if (this.destroyed) return;
    }

    // The readers: one per author (its latest proven name), earlier readers first under the cap.
    const readers = new Map<string, { person: PresentPerson; ts: number; since: number }>();
    for (const client of present.values()) {
      const shown = this.shown(client, this.now());
      if (shown === null) continue;
      const known = readers.get(shown.author);
      if (known === undefined || shown.ts > known.ts) readers.set(shown.author, { person: { author: shown.author, name: shown.name }, ts: shown.ts, since: Math.min(client.since, known?.since ?? Infinity) });
      else known.since = Math.min(known.since, client.since);
    }
    if (self !== null) readers.set(self.author, { person: self, ts: Infinity, since: -Infinity });
    const room = MAX_COUNTED_READERS - (anonymousSelf ? 1 : 0);
    const ordered = [...readers.values()].sort((a, b) => a.since - b.since || (a.person.author < b.person.author ? -1 : a.person.author > b.person.author ? 1 : 0));
    const people = ordered.slice(0, room).map((r) => r.person).sort((a, b) => (a.author < b.author ? -1 : a.author > b.author ? 1 : 0));
    const count = people.length + (anonymousSelf ? 1 : 0);
    const skipped = [...present.values()].some((c) => c.verdict === undefined && this.fresh(c.claim, now));
    const capped = ordered.length > room || (count >= MAX_COUNTED_READERS && skipped);
    const view = Object.freeze({ count, people: Object.freeze(people), capped });
    if (plainEqual(view, this.current)) return;
    this.current = view;
    for (const listener of [...this.listeners]) listener(view);
  }

  private prove(client: Client): void {
    client.proven = client.claim;
    if (client.since === Infinity) client.since = ++this.arrivals;
  }

  /** The presence a client is named by: its current claim if it verified, else its last proven one, while fresh. */
  private shown(client: Client, now: number): Claim | null {
    if (client.verdict === true && this.fresh(client.claim, now)) return client.claim;
    return this.fresh(client.proven, now) ? client.proven : null;
  }

  /** Counts again when the next window opens. */
  private later(): void {
    if (this.retry !== undefined || this.destroyed) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.recount();
    }, Math.max(0, this.windowStart + CHECK_WINDOW_MS - Date.now()));
    (this.retry as { unref?: () => void }).unref?.();
  }

  /** Stops saying this visitor is here. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearInterval(this.timer);
    clearTimeout(this.retry);
    this.awareness.off('change', this.onChange);
    if (this.awareness.getLocalState() !== null) this.awareness.setLocalStateField(this.field, null);
    this.listeners.clear();
  }
}
