/**
 * The one order every peer puts entries in, and the rule for entries stamped in the future.
 *
 * Entries carry their author's clock (`ts`), which no peer can check. Ties and races (two people
 * take the last place at once) are settled by signed time, then author key, then signature, so
 * every peer holding the same entries derives the same order. An entry stamped more than
 * {@link MAX_CLOCK_SKEW_MS} ahead of this device's clock waits until then: a wrong or hostile
 * clock cannot jump the queue by claiming the future, only wait for it.
 */
import type { EntryHeader } from '../identity/types.js';

/** How far ahead of this device's clock an entry's signed time may be and still count now. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Orders strings by UTF-16 code unit, the same in every locale. */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Orders entries by signed time, then author key, then signature (every peer agrees). */
export const compareEntries = (a: EntryHeader & { readonly sig: string }, b: EntryHeader & { readonly sig: string }): number =>
  a.ts - b.ts || compareStrings(a.author, b.author) || compareStrings(a.sig, b.sig);

/** `entries` in the shared order (a new array). */
export const sortEntries = <T extends EntryHeader & { readonly sig: string }>(entries: Iterable<T>): T[] => [...entries].sort(compareEntries);

/** Whether an entry stamped `ts` counts at `now` (this device's clock), or waits. */
export const isDue = (ts: number, now: number): boolean => ts <= now + MAX_CLOCK_SKEW_MS;

/** When (on this device's clock) an entry stamped `ts` starts to count. */
export const dueAt = (ts: number): number => ts - MAX_CLOCK_SKEW_MS;
