/**
 * A widget's derived view kept on the device, bound to exactly what it was derived from, so that a
 * returning visitor whose room did not change is shown it at once (entry-model.ts decodes the room
 * afterwards, in idle slices, before anything needs it). docs/entries.md, "The kept view".
 *
 * A record holds the view (as JSON text), the map keys whose values did not count (usually none),
 * the newest signed time among the counted entries, and a SHA-256 digest over all of these, the
 * site (room tag and scope), the model's key (what else the view depends on: the page's
 * configuration, organizers, this visitor's key, whether the clock has closed the poll) and every
 * live key and value of the widget's map, in key order. A record stands only if the digest over
 * the document as it is now, the model's key now and the record's own fields is the one stored:
 * any change to the room (a ballot added, removed, replaced or replayed, a junk value), to the
 * configuration, to the clock's part, or to the record itself gives another digest, and the
 * model takes today's path. The record is this device's own earlier work, like its verdicts
 * (verdict-store.ts) and kept entries (kept-entries.ts): whoever can write this origin's
 * IndexedDB can write all three.
 *
 * Framework-free; knows nothing of any widget.
 */
import type * as Y from 'yjs';
import { sha256Pair } from '../identity/sha256.js';

/** The domain tag of a record's digest; a new version of the record is a new tag. */
const DIGEST_TAG = 'gather/kept-view/1\n';

/** A kept view, as stored (structured clone: IndexedDB). */
export interface KeptViewRecord {
  readonly v: 1;
  /** The view, as JSON (only views that JSON gives back exactly are kept). */
  readonly view: string;
  /** Live keys of the map whose values did not count (invalid, or not this kind's). */
  readonly invalid: readonly string[];
  /** The newest signed time among the counted entries: the record stands only while it is due. */
  readonly newest: number;
  /** SHA-256 over the tag, the site, the model's key, the fields above, and the map's live keys and values in key order. */
  readonly digest: Uint8Array;
  /**
   * The same over the map's keys and values in the order the document held them when kept, and
   * its first key: a document rebuilt from the same updates holds them in that order, and is then
   * digested without sorting its keys (either digest binds the same content).
   */
  readonly order?: Uint8Array;
  readonly first?: string;
}

/** The map's content as of a digest: its live keys in order, and their values. */
export interface MapContent {
  readonly keys: readonly string[];
  readonly values: readonly unknown[];
}

/** Whether `record` has a record's shape (it comes from storage: anything may be there). */
export const isKeptViewRecord = (record: unknown): record is KeptViewRecord => {
  if (typeof record !== 'object' || record === null) return false;
  const r = record as Partial<KeptViewRecord>;
  return (
    r.v === 1 &&
    typeof r.view === 'string' &&
    Array.isArray(r.invalid) &&
    r.invalid.every((key) => typeof key === 'string') &&
    typeof r.newest === 'number' &&
    r.digest instanceof Uint8Array &&
    r.digest.length === 32 &&
    (r.order === undefined || (r.order instanceof Uint8Array && r.order.length === 32)) &&
    (r.first === undefined || typeof r.first === 'string')
  );
};

/**
 * The live keys of `map`, in order, and their values; null if a value is neither bytes nor text
 * (a v1 entry object, a peer's junk of another type): such a room's view is not kept.
 */
export const mapContent = (map: Y.Map<unknown>, order: 'sorted' | 'held' = 'sorted'): MapContent | null => {
  const items = (map as unknown as { _map: Map<string, Item> })._map;
  const keys: string[] = [];
  const values: unknown[] = [];
  if (order === 'held') {
    for (const [key, item] of items) {
      if (item.deleted) continue;
      const value = valueOf(item);
      if (value === null) return null;
      keys.push(key);
      values.push(value);
    }
    return { keys, values };
  }
  for (const [key, item] of items) if (!item.deleted) keys.push(key);
  keys.sort();
  for (let i = 0; i < keys.length; i++) {
    const value = valueOf(items.get(keys[i]!)!);
    if (value === null) return null;
    values.push(value);
  }
  return { keys, values };
};

/** The first live key of `map` in the order it holds them (undefined for none). */
export const firstKey = (map: Y.Map<unknown>): string | undefined => {
  for (const [key, item] of (map as unknown as { _map: Map<string, Item> })._map) if (!item.deleted) return key;
  return undefined;
};

/** An item's own value (what `map.get` returns, without the array it builds per call), if bytes or text. */
const valueOf = (item: Item): Uint8Array | string | null => {
  const { content } = item;
  const value = content.content instanceof Uint8Array ? content.content : content.getContent()[content.getLength() - 1];
  return value instanceof Uint8Array || typeof value === 'string' ? value : null;
};

/** What {@link mapContent} reads of a Yjs item. */
interface Item {
  readonly deleted: boolean;
  readonly content: { readonly content?: unknown; getContent(): unknown[]; getLength(): number };
}

const encoder = new TextEncoder();

const putLength = (out: Uint8Array, o: number, n: number): void => {
  out[o] = n >>> 24;
  out[o + 1] = n >>> 16;
  out[o + 2] = n >>> 8;
  out[o + 3] = n;
};

const empty = new Uint8Array(0);

/**
 * The digest of a record: its fields, `site`, the model's `key` and the map's `content` (see the
 * module comment): the first as one JSON text with every key in order (one encoding: JSON gives
 * different texts for different lists), then each value typed and length-prefixed, so that
 * different inputs are different bytes.
 */
export const keptViewDigest = async (
  site: string,
  key: string,
  fields: Pick<KeptViewRecord, 'view' | 'invalid' | 'newest'>,
  content: MapContent,
): Promise<Uint8Array> => {
  const { keys, values } = content;
  const head = JSON.stringify([DIGEST_TAG, site, key, fields.view, fields.invalid, String(fields.newest), keys]);
  let size = 4 + head.length * 3;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    size += 5 + (value instanceof Uint8Array ? value.length : (value as string).length * 3);
  }
  const out = new Uint8Array(size);
  const { written } = encoder.encodeInto(head, out.subarray(4));
  putLength(out, 0, written);
  let o = 4 + written;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value instanceof Uint8Array) {
      out[o] = 1;
      putLength(out, o + 1, value.length);
      out.set(value, o + 5);
      o += 5 + value.length;
    } else {
      out[o] = 2;
      const text = encoder.encodeInto(value as string, out.subarray(o + 5)).written;
      putLength(out, o + 1, text);
      o += 5 + text;
    }
  }
  const bytes = out.subarray(0, o);
  const subtle = globalThis.crypto?.subtle;
  if (subtle !== undefined) {
    try {
      return new Uint8Array(await subtle.digest('SHA-256', bytes));
    } catch {
      // Below: the same hash.
    }
  }
  return sha256Pair(bytes, empty);
};

/** Whether two digests are the same bytes. */
export const sameDigest = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
};
