/**
 * Limits against vandalism, applied by every peer to the entries a widget's view is derived from.
 *
 * Signed entries stop people from writing as someone else, not from writing a lot as themselves.
 * So each author (each device key) gets at most {@link EntryLimits.entriesPerAuthor} entries and
 * {@link EntryLimits.bytesPerAuthor} bytes in one widget, and the whole widget at most
 * {@link EntryLimits.bytes}: past that, every author gets an equal share (max-min fair: authors
 * under the share keep everything, the others are cut to it). What is cut is always an author's
 * newest entries in the shared order (order.ts), so an author's first words stay and every peer
 * holding the same entries cuts the same ones. Authors the page trusts (its organizers) are not
 * limited. Pure: no Yjs, no clock.
 */
import type { SignedEntry } from '../identity/types.js';
import { compareEntries } from './order.js';

/** The limits of one widget. */
export interface EntryLimits {
  /** Entries one author may have in the widget. */
  readonly entriesPerAuthor: number;
  /** Bytes (stored entry plus its key) one author may have in the widget. */
  readonly bytesPerAuthor: number;
  /** Bytes of the whole widget past which authors are held to an equal share. */
  readonly bytes: number;
}

/**
 * Defaults: room for a prolific commenter (1,000 comments) and for 10,000-ballot polls (a ballot is
 * about 80 bytes stored); far below what locks newcomers out (the keeper's 16 MiB room).
 */
export const DEFAULT_ENTRY_LIMITS: EntryLimits = Object.freeze({
  entriesPerAuthor: 1000,
  bytesPerAuthor: 512 * 1024,
  bytes: 8 * 1024 * 1024,
});

/** What {@link applyEntryLimits} left out. */
export interface LimitReport {
  /** Entries left out. */
  readonly entries: number;
  /** Authors with entries left out. */
  readonly authors: number;
}

export const NOTHING_LIMITED: LimitReport = Object.freeze({ entries: 0, authors: 0 });

interface AuthorTotal<T> {
  readonly author: string;
  readonly keys: string[];
  count: number;
  bytes: number;
  sorted?: [string, T][];
}

/** The author's entries in the shared order (sorted once). */
const inOrder = <T extends SignedEntry<object>>(total: AuthorTotal<T>, entries: ReadonlyMap<string, T>): [string, T][] =>
  (total.sorted ??= total.keys.map((key) => [key, entries.get(key)!] as [string, T]).sort(([, a], [, b]) => compareEntries(a, b)));

/**
 * The entries within `limits`, and what was left out. Returns `entries` itself when nothing is
 * (the common case costs one pass). `sizeOf(key)` is the stored size of the entry under `key`.
 */
export const applyEntryLimits = <T extends SignedEntry<object>>(
  entries: ReadonlyMap<string, T>,
  sizeOf: (key: string) => number,
  limits: EntryLimits,
  unlimited: (author: string) => boolean = () => false,
): { readonly entries: ReadonlyMap<string, T>; readonly report: LimitReport } => {
  const authors = new Map<string, AuthorTotal<T>>();
  let total = 0;
  let trusted = 0;
  for (const [key, entry] of entries) {
    const size = sizeOf(key);
    total += size;
    if (unlimited(entry.author)) {
      trusted += size;
      continue;
    }
    let sum = authors.get(entry.author);
    if (sum === undefined) authors.set(entry.author, (sum = { author: entry.author, keys: [], count: 0, bytes: 0 }));
    sum.keys.push(key);
    sum.count++;
    sum.bytes += size;
  }
  const out = new Set<string>();
  const cut = (sum: AuthorTotal<T>, maxCount: number, maxBytes: number): void => {
    let count = 0;
    let bytes = 0;
    for (const [key] of inOrder(sum, entries)) {
      if (out.has(key)) continue;
      const size = sizeOf(key);
      if (count < maxCount && bytes + size <= maxBytes) {
        count++;
        bytes += size;
      } else {
        out.add(key);
      }
    }
    total -= sum.bytes - bytes;
    sum.count = count;
    sum.bytes = bytes;
  };
  // Each author's own caps.
  for (const sum of authors.values()) {
    if (sum.count > limits.entriesPerAuthor || sum.bytes > limits.bytesPerAuthor) cut(sum, limits.entriesPerAuthor, limits.bytesPerAuthor);
  }
  // The widget's: an equal share of what the trusted authors leave, smallest authors first.
  if (total > limits.bytes && authors.size > 0) {
    const sums = [...authors.values()].sort((a, b) => a.bytes - b.bytes || (a.author < b.author ? -1 : 1));
    let room = Math.max(0, limits.bytes - trusted);
    for (let i = 0; i < sums.length; i++) {
      const share = Math.floor(room / (sums.length - i));
      const sum = sums[i]!;
      if (sum.bytes <= share) {
        room -= sum.bytes;
        continue;
      }
      for (let j = i; j < sums.length; j++) cut(sums[j]!, Infinity, share);
      break;
    }
  }
  if (out.size === 0) return { entries, report: NOTHING_LIMITED };
  const kept = new Map<string, T>();
  for (const [key, entry] of entries) if (!out.has(key)) kept.set(key, entry);
  const cutAuthors = new Set<string>();
  for (const key of out) cutAuthors.add(entries.get(key)!.author);
  return { entries: kept, report: Object.freeze({ entries: out.size, authors: cutAuthors.size }) };
};
