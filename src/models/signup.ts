/**
 * The signup sheet model: slots with places, filled fairly across peers.
 *
 * Entries in the root map `signup:<name>`:
 * - `signup:<author>:<slot>` — `{ slot, name, note, since? }`: on the slot, under the display
 *   name and note they signed; or `{ slot, left: true }`: withdrawn. `since` keeps an author's
 *   place when they sign again while on the slot (a new note): it is their earlier place's time.
 * - `slot:<author>:<id>` — on an `open` sheet, a slot a visitor adds: `{ id, label, capacity?,
 *   start?, end?, location? }`, or `{ id, removed: true }` once its author takes it away. Its name
 *   is `<id>@<the start of the author's key>`, so nobody can add a slot that takes another's place.
 * - Organizers (the page's `organizer` keys, the kit's one mechanism): `close:<org>:<slot>`
 *   `{ slot, closed }` (the latest by any organizer decides), `remove:<org>:<who>:<slot>`
 *   `{ slot, who }` (who's signup as signed until then no longer counts; they may sign up
 *   again, at the end of the queue), `removeslot:<org>:<slot>` `{ slot }` (a visitor's slot gone).
 *
 * Every peer puts a slot's signups in the same order (signed time — `since` when it holds —
 * then author key, then signature), confirms the first `capacity` and waitlists the rest. After a
 * close, entries signed after it (in that order) do not count. An entry stamped more than five
 * minutes in this device's future waits until then (order.ts).
 */
import type * as Y from 'yjs';
import { GatherError } from '../errors.js';
import { plainEqual } from '../plain.js';
import { cleanDisplayName, MAX_DISPLAY_NAME } from '../identity/display-name.js';
import { toBase64url } from '../identity/base64url.js';
import type { SignedEntry, Signer } from '../identity/types.js';
import { isBoundedString } from '../plain.js';
import { parseDateTime } from './date-time.js';
import { entryKey, MAX_ID_LENGTH } from './entry-key.js';
import { compareEntries, sortEntries } from './order.js';
import { SignedEntryModel, type SignedEntryModelOptions } from './signed-entry-model.js';
import type { NewSlot, SignupConfig, SignupExport, SignupPerson, SignupSlotConfig, SignupSlotView, SignupStanding, SignupView } from './signup.types.js';

export type * from './signup.types.js';

/** Entry types. */
export const SIGNUP_TYPE = 'signup';
export const SLOT_TYPE = 'slot';
export const CLOSE_TYPE = 'close';
export const REMOVE_TYPE = 'remove';
export const REMOVE_SLOT_TYPE = 'removeslot';

/** Longest note, in UTF-16 code units. */
export const MAX_NOTE_LENGTH = 200;
/** Longest slot label and location. */
export const MAX_LABEL_LENGTH = 120;
/** Most places a slot may have. */
export const MAX_CAPACITY = 10_000;
/** Slots one author may add to an open sheet (removing one frees its place; an organizer's removal does not). */
export const MAX_SLOTS_PER_AUTHOR = 5;
/** Visitors' slots a sheet shows at most (the first in the shared order). */
export const MAX_VISITOR_SLOTS = 100;
/** Slots a page may declare (the first ones count). */
export const MAX_PAGE_SLOTS = 200;
/** Longest id of a visitor's slot. */
export const MAX_SLOT_ID_LENGTH = 32;
/** Characters of the author's key in a visitor's slot name (72 bits: nobody can aim at another's). */
const SLOT_AUTHOR_CHARS = 12;
/** Longest author key (base64url of a 65-byte P-256 key is 87 characters). */
const MAX_AUTHOR_LENGTH = 128;

/** The usual body of a signup: stored without its field names (entries.ts). */
export const SIGNUP_FIELDS: readonly string[] = Object.freeze(['name', 'note', 'slot']);

type JoinBody = { readonly slot: string; readonly name: string; readonly note: string; readonly since?: number };
type LeaveBody = { readonly slot: string; readonly left: true };
type SlotBody = { readonly id: string; readonly label: string; readonly capacity?: number; readonly start?: string; readonly end?: string; readonly location?: string };
type RemovedSlotBody = { readonly id: string; readonly removed: true };
type CloseBody = { readonly slot: string; readonly closed: boolean };
type RemoveBody = { readonly slot: string; readonly who: string };
type RemoveSlotBody = { readonly slot: string };

export type SignupEntry =
  | SignedEntry<JoinBody>
  | SignedEntry<LeaveBody>
  | SignedEntry<SlotBody>
  | SignedEntry<RemovedSlotBody>
  | SignedEntry<CloseBody>
  | SignedEntry<RemoveBody>
  | SignedEntry<RemoveSlotBody>;
type JoinEntry = SignedEntry<JoinBody>;
type SlotEntry = SignedEntry<SlotBody>;

/** Root map name of the sheet called `name`. */
export const signupScope = (name: string): string => `signup:${name}`;

/** Map key of `author`'s signup on `slot`. */
export const signupKey = (author: string, slot: string): string => entryKey(SIGNUP_TYPE, author, slot);

/** The name of the slot `author` added with `id`. */
export const visitorSlotName = (id: string, author: string): string => `${id}@${author.slice(0, SLOT_AUTHOR_CHARS)}`;

const SLOT_ID = /^[A-Za-z0-9_-]+$/;
const isSlotName = (value: unknown): value is string => isBoundedString(value, MAX_ID_LENGTH) && value.trim() === value;
const isLabel = (value: unknown): value is string => isBoundedString(value, MAX_LABEL_LENGTH) && value.trim().length > 0;
const isCapacity = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= MAX_CAPACITY;
const isDisplayName = (value: unknown): value is string => isBoundedString(value, MAX_DISPLAY_NAME) && value.trim().length > 0;
const isNote = (value: unknown): value is string => isBoundedString(value, MAX_NOTE_LENGTH, true);
const HEADER = ['v', 'type', 'scope', 'room', 'author', 'alg', 'ts', 'sig'];
/** Whether `entry` has no fields but the header's and `fields`. */
const only = (entry: SignedEntry, ...fields: string[]): boolean => {
  for (const key in entry) if (!HEADER.includes(key) && !fields.includes(key)) return false;
  return true;
};
const optional = <T>(value: unknown, check: (v: unknown) => v is T): boolean => value === undefined || check(value);
const isDate = (value: unknown): value is string => parseDateTime(value) !== null;

/** Accepts a header-valid entry of this sheet stored under the key its body names; null otherwise. */
export const parseSignupEntry = (key: string, entry: SignedEntry): SignupEntry | null => {
  const e = entry as Record<string, unknown> & SignedEntry;
  switch (entry.type) {
    case SIGNUP_TYPE: {
      if (!isSlotName(e['slot']) || key !== signupKey(entry.author, e['slot'])) return null;
      if (e['left'] === true) return only(entry, 'slot', 'left') ? (entry as unknown as SignupEntry) : null;
      if (!isDisplayName(e['name']) || !isNote(e['note']) || !only(entry, 'slot', 'name', 'note', 'since')) return null;
      const since = e['since'];
      if (since !== undefined && !(Number.isSafeInteger(since) && (since as number) >= 0 && (since as number) <= entry.ts)) return null;
      return entry as unknown as SignupEntry;
    }
    case SLOT_TYPE: {
      const id = e['id'];
      if (!isBoundedString(id, MAX_SLOT_ID_LENGTH) || !SLOT_ID.test(id) || key !== entryKey(SLOT_TYPE, entry.author, id)) return null;
      if (e['removed'] === true) return only(entry, 'id', 'removed') ? (entry as unknown as SignupEntry) : null;
      const ok =
        isLabel(e['label']) &&
        optional(e['capacity'], isCapacity) &&
        optional(e['start'], isDate) &&
        optional(e['end'], isDate) &&
        optional(e['location'], isLabel) &&
        only(entry, 'id', 'label', 'capacity', 'start', 'end', 'location');
      return ok ? (entry as unknown as SignupEntry) : null;
    }
    case CLOSE_TYPE:
      return isSlotName(e['slot']) && typeof e['closed'] === 'boolean' && key === entryKey(CLOSE_TYPE, entry.author, e['slot']) && only(entry, 'slot', 'closed')
        ? (entry as unknown as SignupEntry)
        : null;
    case REMOVE_TYPE:
      return isSlotName(e['slot']) && isBoundedString(e['who'], MAX_AUTHOR_LENGTH) && key === entryKey(REMOVE_TYPE, entry.author, `${e['who']}:${e['slot']}`) && only(entry, 'slot', 'who')
        ? (entry as unknown as SignupEntry)
        : null;
    case REMOVE_SLOT_TYPE:
      return isSlotName(e['slot']) && key === entryKey(REMOVE_SLOT_TYPE, entry.author, e['slot']) && only(entry, 'slot') ? (entry as unknown as SignupEntry) : null;
    default:
      return null;
  }
};

/**
 * A copy of the page's configuration the model can keep: slots with a valid name and label (the
 * first of a name wins, at most {@link MAX_PAGE_SLOTS}), capacities, dates and places checked.
 */
export const normalizeSignupConfig = (config: SignupConfig): SignupConfig => {
  const seen = new Set<string>();
  const slots: SignupSlotConfig[] = [];
  for (const slot of config.slots) {
    if (slots.length >= MAX_PAGE_SLOTS) break;
    const name = typeof slot.name === 'string' ? slot.name.trim() : '';
    const label = typeof slot.label === 'string' ? slot.label.trim().slice(0, MAX_LABEL_LENGTH) : '';
    if (!isSlotName(name) || !label || seen.has(name)) continue;
    seen.add(name);
    slots.push(
      Object.freeze({
        name,
        label,
        capacity: isCapacity(slot.capacity) ? slot.capacity : null,
        start: isDate(slot.start) ? slot.start : null,
        end: isDate(slot.end) ? slot.end : null,
        location: typeof slot.location === 'string' && slot.location.trim() ? slot.location.trim().slice(0, MAX_LABEL_LENGTH) : null,
      }),
    );
  }
  return Object.freeze({ title: String(config.title ?? ''), slots: Object.freeze(slots), open: config.open === true, showNames: config.showNames !== false });
};

/** When a slot is over: its end, else its start; null when it names neither. */
export const slotOverAt = (slot: Pick<SignupSlotConfig, 'start' | 'end'>): number | null => {
  const at = parseDateTime(slot.end) ?? parseDateTime(slot.start);
  return at === null ? null : at.ms;
};

/** A slot's signups in the shared order, and what decided it. */
interface SlotRoster {
  readonly config: SignupSlotConfig;
  /** Defined when a visitor added the slot. */
  readonly entry?: SlotEntry;
  readonly closedBy: SignedEntry<CloseBody> | null;
  readonly ordered: readonly JoinEntry[];
}

/** The place in the queue a signup holds: its `since` when that holds, else its signed time. */
const placeOf = (entry: JoinEntry, removedAt: SignedEntry<RemoveBody> | undefined): number =>
  entry.since !== undefined && (removedAt === undefined || entry.since > removedAt.ts) ? entry.since : entry.ts;

/** Everything the view is derived from, settled by the rules in the module comment. */
export interface SignupRoster {
  readonly slots: readonly SlotRoster[];
  /** The organizers' entries and visitor slots that count, for the export. */
  readonly rules: readonly SignupEntry[];
}

/**
 * Settles who is on which slot: pure, so every peer with the same entries and configuration
 * derives the same roster. `isOrganizer` names the page's organizers.
 */
export function settleRoster(config: SignupConfig, entries: ReadonlyMap<string, SignupEntry>, isOrganizer: (author: string) => boolean): SignupRoster {
  const closes = new Map<string, SignedEntry<CloseBody>>();
  const removals = new Map<string, SignedEntry<RemoveBody>>();
  const removedSlots = new Set<string>();
  const rules: SignupEntry[] = [];
  const bySlot = new Map<string, JoinEntry[]>();
  const slotEntries: SlotEntry[] = [];
  const slotsByAuthor = new Map<string, number>();
  for (const entry of sortEntries(entries.values())) {
    const e = entry as Record<string, unknown> & SignupEntry;
    switch (entry.type) {
      case SIGNUP_TYPE:
        if (e['left'] !== true) {
          const list = bySlot.get(e['slot'] as string);
          if (list) list.push(entry as JoinEntry);
          else bySlot.set(e['slot'] as string, [entry as JoinEntry]);
        }
        break;
      case SLOT_TYPE:
        if (config.open && e['removed'] !== true) slotEntries.push(entry as SlotEntry);
        break;
      case CLOSE_TYPE:
        if (isOrganizer(entry.author)) {
          closes.set(e['slot'] as string, entry as SignedEntry<CloseBody>);
          rules.push(entry);
        }
        break;
      case REMOVE_TYPE:
        if (isOrganizer(entry.author)) {
          removals.set(`${e['who'] as string}\n${e['slot'] as string}`, entry as SignedEntry<RemoveBody>);
          rules.push(entry);
        }
        break;
      case REMOVE_SLOT_TYPE:
        if (isOrganizer(entry.author)) {
          removedSlots.add(e['slot'] as string);
          rules.push(entry);
        }
        break;
    }
  }
  const slots: { config: SignupSlotConfig; entry?: SlotEntry }[] = config.slots.map((slot) => ({ config: slot }));
  const names = new Set(config.slots.map((slot) => slot.name));
  let visitorSlots = 0;
  for (const entry of slotEntries) {
    if (visitorSlots >= MAX_VISITOR_SLOTS) break;
    const added = slotsByAuthor.get(entry.author) ?? 0;
    if (added >= MAX_SLOTS_PER_AUTHOR) continue;
    slotsByAuthor.set(entry.author, added + 1);
    const name = visitorSlotName(entry.id, entry.author);
    if (names.has(name) || removedSlots.has(name)) continue;
    names.add(name);
    visitorSlots++;
    rules.push(entry);
    slots.push({
      entry,
      config: { name, label: entry.label.trim(), capacity: entry.capacity ?? null, start: entry.start ?? null, end: entry.end ?? null, location: entry.location?.trim() ?? null },
    });
  }
  return {
    rules,
    slots: slots.map(({ config: slot, entry }) => {
      const close = closes.get(slot.name);
      const closedBy = close?.closed ? close : null;
      const removal = (signup: JoinEntry) => (removals.size === 0 ? undefined : removals.get(`${signup.author}\n${slot.name}`));
      // Already in the shared order by signed time; `since` (a kept place) may move one earlier.
      const places = (bySlot.get(slot.name) ?? [])
        .filter((signup) => {
          const removed = removal(signup);
          return (removed === undefined || compareEntries(signup, removed) > 0) && (closedBy === null || compareEntries(signup, closedBy) < 0);
        })
        .map((signup) => ({ signup, place: placeOf(signup, removal(signup)) }));
      places.sort((a, b) => a.place - b.place || compareEntries(a.signup, b.signup));
      return { config: slot, closedBy, ordered: places.map((p) => p.signup), ...(entry ? { entry } : {}) };
    }),
  };
}

const person = (entry: JoinEntry, names: boolean): SignupPerson => (names ? { author: entry.author, name: entry.name, note: entry.note } : { author: entry.author });

/** The view of a settled roster for the viewer `me` at `now` (when slots are over). */
export function signupView(config: SignupConfig, roster: SignupRoster, me: string | null, now: number, names = config.showNames !== false): SignupView {
  const mine: Record<string, SignupStanding> = {};
  const slots = roster.slots.map(({ config: slot, closedBy, ordered }): SignupSlotView => {
    const capacity = slot.capacity;
    const confirmed = capacity === null ? ordered : ordered.slice(0, capacity);
    const waitlist = capacity === null ? [] : ordered.slice(capacity);
    const overAt = slotOverAt(slot);
    if (me !== null) {
      const i = confirmed.findIndex((e) => e.author === me);
      const j = i >= 0 ? -1 : waitlist.findIndex((e) => e.author === me);
      if (i >= 0) mine[slot.name] = { state: 'confirmed', position: i + 1 };
      else if (j >= 0) mine[slot.name] = { state: 'waitlisted', position: j + 1 };
    }
    return {
      ...slot,
      closed: closedBy !== null || (overAt !== null && now > overAt),
      confirmed: confirmed.map((e) => person(e, names)),
      waitlist: waitlist.map((e) => person(e, names)),
      left: capacity === null ? null : Math.max(0, capacity - confirmed.length),
    };
  });
  return { title: config.title, slots, mine };
}

/** Longest a timer may wait (setTimeout's limit). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Cleans what a visitor types as their name; null when it is empty or too long. */
const displayName = (name: unknown): string | null => {
  if (typeof name !== 'string') return null;
  const collapsed = name.replace(/\s+/g, ' ').trim();
  return collapsed.length === 0 || collapsed.length > MAX_DISPLAY_NAME ? null : cleanDisplayName(collapsed);
};

const randomId = (): string => toBase64url(crypto.getRandomValues(new Uint8Array(6)));

/**
 * A signup sheet over `doc`. The page is the authority for title and slots (`config`,
 * changeable with {@link setConfig}); the doc holds signups, visitors' slots and organizers'
 * entries. Without a signer the model is read-only.
 */
export class SignupModel extends SignedEntryModel<SignupEntry, SignupView> {
  private config: SignupConfig;
  private readonly clock: () => number;
  private overTimer: ReturnType<typeof setTimeout> | undefined;
  private overTimerAt = Infinity;
  private lastRoster: SignupRoster | undefined;

  constructor(doc: Y.Doc, name: string, config: SignupConfig, signer: Signer | null, options: SignedEntryModelOptions = {}) {
    super(doc, signupScope(name), signer, options);
    this.clock = options.now ?? Date.now;
    this.config = normalizeSignupConfig(config);
  }

  protected parse(key: string, entry: SignedEntry): SignupEntry | null {
    return parseSignupEntry(key, entry);
  }

  protected override bodyFields(type: string): readonly string[] | undefined {
    return type === SIGNUP_TYPE ? SIGNUP_FIELDS : undefined;
  }

  protected derive(entries: ReadonlyMap<string, SignupEntry>): SignupView {
    const now = this.clock();
    this.lastRoster = settleRoster(this.config, entries, (author) => this.isOrganizer(author));
    const view = signupView(this.config, this.lastRoster, this.signer?.publicKey ?? null, now);
    this.scheduleOver(view, now);
    return view;
  }

  /** The roster the view was last derived from (every derive settles it again). */
  private roster(): SignupRoster {
    if (this.lastRoster === undefined) void this.view;
    return this.lastRoster!;
  }

  /** Derives again when the next open slot is over (it closes then). */
  private scheduleOver(view: SignupView, now: number): void {
    let next = Infinity;
    for (const slot of view.slots) {
      const at = slotOverAt(slot);
      if (at !== null && at >= now) next = Math.min(next, at);
    }
    if (next === this.overTimerAt) return;
    clearTimeout(this.overTimer);
    this.overTimerAt = next;
    if (next === Infinity) return;
    this.overTimer = setTimeout(() => {
      this.overTimerAt = Infinity;
      this.refresh();
    }, Math.min(next - now + 1, MAX_TIMER_MS));
    (this.overTimer as { unref?: () => void }).unref?.();
  }

  override destroy(): void {
    clearTimeout(this.overTimer);
    super.destroy();
  }

  /** The page's configuration, as the model keeps it. */
  get signupConfig(): SignupConfig {
    return this.config;
  }

  /** Replaces the page's title and slots and derives the view again (no change event: the page made it). */
  setConfig(config: SignupConfig): void {
    const next = normalizeSignupConfig(config);
    // The sheet hands its configuration over on every render: derive again only when it changed.
    if (plainEqual(next, this.config)) return;
    this.config = next;
    this.refresh();
  }

  private slot(name: string): SignupSlotView {
    const slot = this.view.slots.find((s) => s.name === name);
    if (slot === undefined) throw new GatherError('unknown-slot', `This sheet has no slot ${JSON.stringify(name)}`);
    return slot;
  }

  /** This visitor's signup on `slot` as stored (counted or not), or undefined. */
  private ownSignup(slot: string, author: string): SignupEntry | undefined {
    return this.store.entries.get(signupKey(author, slot));
  }

  /**
   * Signs this visitor up for `slotName` under `name` (their display name) with an optional
   * note. Signing again while on the slot changes name and note and keeps the place. Resolves
   * once the signup is written and the view derived (then `view.mine[slotName]` says confirmed or
   * waitlisted). Rejects with a {@link GatherError}: `unknown-slot`, `closed`, `invalid-name`
   * (empty or over {@link MAX_DISPLAY_NAME} characters, or a note over {@link MAX_NOTE_LENGTH}),
   * `no-signer`, `destroyed`.
   */
  async join(slotName: string, { name, note = '' }: { name: string; note?: string }): Promise<void> {
    const signer = this.requireSigner();
    await this.settled(); // decide on everything this peer has seen
    const slot = this.slot(slotName);
    if (slot.closed) throw new GatherError('closed', `The slot ${JSON.stringify(slotName)} is closed`);
    const clean = displayName(name);
    if (clean === null) throw new GatherError('invalid-name', `A name is 1–${MAX_DISPLAY_NAME} characters`);
    const cleanNote = typeof note === 'string' ? note.trim() : '';
    if (cleanNote.length > MAX_NOTE_LENGTH) throw new GatherError('invalid-name', `A note is at most ${MAX_NOTE_LENGTH} characters`);
    const standing = this.view.mine[slotName];
    const current = this.ownSignup(slotName, signer.publicKey) as JoinEntry | undefined;
    let body: JoinBody = { slot: slotName, name: clean, note: cleanNote };
    if (standing !== undefined && current !== undefined) {
      if (current.name === clean && current.note === cleanNote) return;
      body = { ...body, since: current.since ?? current.ts };
    }
    await this.write(signupKey(signer.publicKey, slotName), SIGNUP_TYPE, body);
  }

  /**
   * Withdraws this visitor from `slotName` (a signed withdrawal): the first on the waitlist moves
   * up, on every peer. Resolves at once when they are not on it. Rejects like {@link join}
   * (`unknown-slot`, `closed`, `no-signer`, `destroyed`).
   */
  async leave(slotName: string): Promise<void> {
    const signer = this.requireSigner();
    await this.settled();
    const slot = this.slot(slotName);
    if (slot.closed) throw new GatherError('closed', `The slot ${JSON.stringify(slotName)} is closed`);
    const current = this.ownSignup(slotName, signer.publicKey);
    if (current === undefined || (current as unknown as Record<string, unknown>)['left'] === true) return;
    await this.write<LeaveBody>(signupKey(signer.publicKey, slotName), SIGNUP_TYPE, { slot: slotName, left: true });
  }

  /** Closes (or, with false, reopens) a slot as an organizer. Rejects with `not-organizer`, `unknown-slot`. */
  async close(slotName: string, closed = true): Promise<void> {
    const signer = this.requireSigner();
    this.slot(slotName);
    await this.writeAsOrganizer<CloseBody>(entryKey(CLOSE_TYPE, signer.publicKey, slotName), CLOSE_TYPE, { slot: slotName, closed });
  }

  /**
   * Removes `author`'s signup from `slotName` as an organizer: what they signed until now no
   * longer counts (they may sign up again, at the end of the queue). Rejects with
   * `not-organizer`, `unknown-slot`.
   */
  async removeSignup(slotName: string, author: string): Promise<void> {
    const signer = this.requireSigner();
    this.slot(slotName);
    if (!isBoundedString(author, MAX_AUTHOR_LENGTH)) throw new GatherError('invalid-entry', 'Not a participant\'s key');
    await this.writeAsOrganizer<RemoveBody>(entryKey(REMOVE_TYPE, signer.publicKey, `${author}:${slotName}`), REMOVE_TYPE, { slot: slotName, who: author });
  }

  /** Slots this visitor may still add to an open sheet (0 on a sheet that is not open). */
  get slotsLeftToAdd(): number {
    if (!this.config.open || this.signer === null) return 0;
    const me = this.signer.publicKey;
    let added = 0;
    for (const entry of this.store.entries.values()) {
      if (entry.type === SLOT_TYPE && entry.author === me && (entry as unknown as Record<string, unknown>)['removed'] !== true) added++;
    }
    return Math.max(0, MAX_SLOTS_PER_AUTHOR - added);
  }

  /**
   * Adds a slot to an open sheet, signed by this visitor; resolves with its name. Rejects with
   * `closed` when the sheet is not open or this visitor has added {@link MAX_SLOTS_PER_AUTHOR},
   * `invalid-entry` for a label or place over {@link MAX_LABEL_LENGTH} characters (or empty), a
   * capacity that is not 1–{@link MAX_CAPACITY}, or dates that are not ISO 8601.
   */
  async addSlot({ label, capacity = null, start = null, end = null, location = null }: NewSlot): Promise<string> {
    const signer = this.requireSigner();
    if (!this.config.open) throw new GatherError('closed', 'This sheet does not take new slots (it is not open)');
    if (this.slotsLeftToAdd === 0) throw new GatherError('closed', `Each visitor adds at most ${MAX_SLOTS_PER_AUTHOR} slots`);
    const body: Record<string, unknown> = { id: randomId(), label: typeof label === 'string' ? label.trim() : label };
    if (!isLabel(body['label'])) throw new GatherError('invalid-entry', `A slot's label is 1–${MAX_LABEL_LENGTH} characters`);
    if (capacity !== null) {
      if (!isCapacity(capacity)) throw new GatherError('invalid-entry', `A slot has 1–${MAX_CAPACITY} places, or no limit`);
      body['capacity'] = capacity;
    }
    for (const [field, value] of [['start', start], ['end', end]] as const) {
      if (value === null || value === '') continue;
      if (!isDate(value)) throw new GatherError('invalid-entry', `${field} is an ISO 8601 date-time`);
      body[field] = value;
    }
    if (location !== null && location.trim() !== '') {
      if (!isLabel(location.trim())) throw new GatherError('invalid-entry', `A place is at most ${MAX_LABEL_LENGTH} characters`);
      body['location'] = location.trim();
    }
    await this.write(entryKey(SLOT_TYPE, signer.publicKey, body['id'] as string), SLOT_TYPE, body);
    return visitorSlotName(body['id'] as string, signer.publicKey);
  }

  /** Whether this visitor may remove the slot: one they added, or any visitor's slot as an organizer. */
  mayRemoveSlot(slotName: string): boolean {
    const roster = this.roster().slots.find((slot) => slot.config.name === slotName);
    if (roster?.entry === undefined || this.signer === null) return false;
    return roster.entry.author === this.signer.publicKey || this.signsAsOrganizer;
  }

  /**
   * Removes a visitor's slot: its author takes it away (a signed tombstone), an organizer removes
   * anyone's (a signed removal). A page's slots come from the page: `unknown-slot` for those, as
   * for a slot that does not exist; `not-organizer` for someone else's slot.
   */
  async removeSlot(slotName: string): Promise<void> {
    const signer = this.requireSigner();
    const roster = this.roster().slots.find((slot) => slot.config.name === slotName);
    if (roster?.entry === undefined) throw new GatherError('unknown-slot', `No visitor's slot ${JSON.stringify(slotName)} (a page's slots come from the page)`);
    if (roster.entry.author === signer.publicKey) {
      await this.write<RemovedSlotBody>(entryKey(SLOT_TYPE, signer.publicKey, roster.entry.id), SLOT_TYPE, { id: roster.entry.id, removed: true });
      return;
    }
    await this.writeAsOrganizer<RemoveSlotBody>(entryKey(REMOVE_SLOT_TYPE, signer.publicKey, slotName), REMOVE_SLOT_TYPE, { slot: slotName });
  }

  /**
   * The roster (names and notes always) and every signed entry behind it: the signups counted,
   * the visitors' slots shown, the organizers' closes and removals.
   */
  export(): SignupExport<SignupEntry> {
    const roster = this.roster();
    const view = signupView(this.config, roster, null, this.clock(), true);
    const entries = sortEntries([...roster.rules, ...roster.slots.flatMap((slot) => slot.ordered)]);
    return { config: this.config, title: this.config.title, slots: view.slots, entries };
  }

  /**
   * The roster as CSV (RFC 4180, CRLF), one row per person per slot, confirmed then waitlisted:
   * slot, label, start, end, location, state, position, name, note, signer key, signed time.
   * Cells a spreadsheet would run as a formula are prefixed with `'`.
   */
  exportCsv(): string {
    const { slots, entries } = this.export();
    const signedAt = new Map<string, number>();
    for (const entry of entries) if (entry.type === SIGNUP_TYPE) signedAt.set(`${entry.author}\n${(entry as JoinEntry).slot}`, entry.ts);
    const header = ['slot', 'label', 'start', 'end', 'location', 'state', 'position', 'name', 'note', 'signer', 'signed_at'];
    const rows: string[][] = [];
    for (const slot of slots) {
      const people: [string, SignupPerson[]][] = [['confirmed', [...slot.confirmed]], ['waitlisted', [...slot.waitlist]]];
      for (const [state, list] of people) {
        list.forEach((p, i) => {
          const ts = signedAt.get(`${p.author}\n${slot.name}`);
          rows.push([slot.name, slot.label, slot.start ?? '', slot.end ?? '', slot.location ?? '', state, String(i + 1), p.name ?? '', p.note ?? '', p.author, ts === undefined ? '' : new Date(ts).toISOString()]);
        });
      }
    }
    return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
  }
}

/** A CSV cell: quoted when it must be, and never a formula (`=`, `+`, `-`, `@`, tab, CR lead: prefixed with `'`). */
export const csvCell = (text: string): string => {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};
