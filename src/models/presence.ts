/**
 * Who is reading a widget now, from the room's awareness (y-protocols), which any peer can fill
 * with anything. So presence is a count of the awareness states that say they are here, and a
 * person is named only when their state carries a signed entry of type `presence` for this
 * widget and room, stamped within {@link PRESENCE_FRESH_MS} of this device's clock, whose
 * signature verifies (entries.ts): a copied state goes stale, a forged one fails.
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
  /** Awareness states that say they are reading this widget (this visitor included); unproven. */
  readonly count: number;
  /** Readers whose signed presence verified, by author key (this visitor included when signing). */
  readonly people: readonly PresentPerson[];
}

/** How old (or how far ahead) a signed presence may be and still name its author. */
export const PRESENCE_FRESH_MS = 60_000;
/** How often this visitor signs their presence again. */
export const PRESENCE_REFRESH_MS = 20_000;
/** Most states whose signatures are checked (the count includes the rest). */
export const MAX_CHECKED_STATES = 64;
/** Entry type of a signed presence. */
export const PRESENCE_TYPE = 'presence';

export interface PresenceOptions {
  /** The widget's scope (`thread:<name>`). */
  readonly scope: string;
  /** The room's name: presences signed for another room do not name anyone. */
  readonly room: string;
  /** Signs this visitor's presence; null: counted, never named. */
  readonly signer: Signer | null;
  /** The display name to sign with (read each time it signs). */
  readonly name?: () => string;
  readonly now?: () => number;
}

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
  private readonly verdicts = new Map<string, boolean>();
  private readonly listeners = new Set<(view: PresenceView) => void>();
  private current: PresenceView = Object.freeze({ count: 0, people: Object.freeze([]) });
  private timer: ReturnType<typeof setInterval> | undefined;
  private destroyed = false;
  private pass = 0;

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

  /** Calls `listener` when the count or the named readers change; returns the unsubscribe function. */
  subscribe(listener: (view: PresenceView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Says (again, freshly signed) that this visitor is here. */
  async announce(): Promise<void> {
    const { signer, scope, name } = this.options;
    let value: unknown = true;
    if (signer !== null) {
      try {
        value = await signEntry(signer, { type: PRESENCE_TYPE, scope, room: this.tag, name: (name?.() ?? '').slice(0, MAX_DISPLAY_NAME) }, Math.floor(this.now()));
      } catch {
        value = true;
      }
    }
    if (this.destroyed || this.awareness.getLocalState() === null) return;
    this.awareness.setLocalStateField(this.field, value);
    await this.recount();
  }

  /** Counts the states that say they are here and checks the signed ones. */
  async recount(): Promise<void> {
    const pass = ++this.pass;
    let count = 0;
    const checks: Promise<PresentPerson | null>[] = [];
    for (const state of this.awareness.getStates().values()) {
      const value = isRecord(state) ? state[this.field] : undefined;
      if (value === undefined || value === null || value === false) continue;
      count++;
      if (checks.length < MAX_CHECKED_STATES && isRecord(value)) checks.push(this.check(value));
    }
    const people = new Map<string, PresentPerson>();
    for (const person of await Promise.all(checks)) if (person !== null && !people.has(person.author)) people.set(person.author, person);
    if (this.destroyed || pass !== this.pass) return;
    const sorted = [...people.values()].sort((a, b) => (a.author < b.author ? -1 : a.author > b.author ? 1 : 0));
    const view = Object.freeze({ count, people: Object.freeze(sorted) });
    if (plainEqual(view, this.current)) return;
    this.current = view;
    for (const listener of [...this.listeners]) listener(view);
  }

  /** The person a signed presence names, if it is this widget's and room's, fresh, and verifies. */
  private async check(value: Record<string, unknown>): Promise<PresentPerson | null> {
    const { type, scope, room, ts, name, sig, author } = value;
    if (type !== PRESENCE_TYPE || scope !== this.options.scope || room !== this.tag || typeof author !== 'string' || typeof sig !== 'string') return null;
    if (typeof ts !== 'number' || Math.abs(this.now() - ts) > PRESENCE_FRESH_MS || !isBoundedString(name, MAX_DISPLAY_NAME, true)) return null;
    let good = this.verdicts.get(sig);
    if (good === undefined) {
      good = await verifyEntry(value);
      if (this.verdicts.size > 4 * MAX_CHECKED_STATES) this.verdicts.clear();
      this.verdicts.set(sig, good);
    }
    return good ? { author, name } : null;
  }

  /** Stops saying this visitor is here. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearInterval(this.timer);
    this.awareness.off('change', this.onChange);
    if (this.awareness.getLocalState() !== null) this.awareness.setLocalStateField(this.field, null);
    this.listeners.clear();
  }
}
