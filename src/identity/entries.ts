/**
 * The signed entry format — the one place it is defined (docs/entries.md says the same in prose).
 *
 * An entry, as models see it and as `export()` hands it over, is a plain object
 *
 *     { v, type, scope, room?, author, alg, ts, ...body, sig }
 *
 *   v       format version: 2 (what this code writes), or 1 (older entries, still read and counted)
 *   type    what the entry is (`ballot`, `close`, …): 1–64 characters
 *   scope   the widget: its root map's name (`poll:<name>`)
 *   room    v2 only: the room's tag ({@link roomTag}), absent for a document that belongs to no room
 *   author  base64url raw public key: Ed25519 32 bytes, ECDSA P-256 65 bytes (0x04‖x‖y)
 *   alg     'Ed25519' | 'ECDSA-P256'
 *   ts      milliseconds since the epoch on the author's clock (v2: an integer, 0 … 2^53−1)
 *   body    the kind's own fields (any names but the ones above)
 *   sig     base64url of the 64-byte signature (Ed25519, or P-256 r‖s over SHA-256)
 *
 * ## v2, compact (written since the peer-transport work)
 *
 * The signature covers this byte string, which is built by signer and verifier and never stored:
 *
 *     "gather/entry/2\n"     15 ASCII bytes: no v1 message (JSON, `{…`) starts so
 *     var   scope            LEB128 length ‖ UTF-8
 *     var   room             LEB128 length ‖ room tag: 0 bytes (no room) or 16
 *     u8    alg              1 Ed25519, 2 ECDSA-P256
 *     var   author           LEB128 length ‖ raw public key
 *     var   type             LEB128 length ‖ UTF-8
 *     uvar  ts               LEB128
 *     body                   deterministic CBOR map (binary.ts)
 *
 * A model stores the entry in its `Y.Map` as a `Uint8Array`, under one of the author's own keys
 * (`<kind>:<author>` or `<kind>:<author>:<id>`, see models/entry-key.ts):
 *
 *     u8    header           0x02, plus 0x10 when `type` is the key's kind (left out), plus 0x20
 *                            when the body's field names are the model's usual ones (left out)
 *     uvar  ts               LEB128, shortest form
 *     [var  type]            only without 0x10, and then never equal to the key's kind
 *     body                   with 0x20: the values alone, in map-key order (the names come from
 *                            the model, `BodyFields`); else the deterministic CBOR map
 *     sig   64 bytes
 *
 * A single-choice ballot `{ choices: ['tue'] }` is thus 0x32, 6 bytes of time, `81 63 't' 'u' 'e'`
 * and the signature: 76 bytes, plus the key `ballot:<author>` and Yjs's own per-item bytes —
 * about 155 bytes of document for the demo's poll (bench/entry-size.ts), against 307 in v1.
 *
 * What is not stored comes from where the entry sits, and is signed all the same: `author` from
 * the map key (and `alg` from the key's length: 32 bytes Ed25519, 65 P-256), `scope` from the
 * map's name, `room` from the room the model belongs to, `type` from the key's kind when left out.
 * So an entry copied under another author's key, into another widget or into another room fails
 * its signature. Every field has one spelling (a stored form that could be shorter is refused),
 * so the object form and the stored form convert both ways exactly. An entry is at most
 * {@link MAX_ENTRY_BYTES} bytes, counted as stored with its type and field names written out.
 *
 * The object form of a v2 entry (`export()`, or {@link signEntry}'s result) verifies on its own
 * with `verifyEntry` (verification.ts): it carries the room tag, so a verifier needs no room name.
 *
 * ## v1, JSON (read only)
 *
 * The object itself is stored in the `Y.Map`; `sig` signs the UTF-8 of the canonical JSON
 * (canonical.ts) of every other field, and the canonical JSON of the whole entry is at most
 * {@link MAX_ENTRY_BYTES}. v1 names no room: a v1 entry still counts in any room.
 */
import { GatherError } from '../errors.js';
import { isBoundedString, isRecord } from '../plain.js';
import { decodePublicKey, isSignatureAlgorithm, PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './algorithms.js';
import { fromBase64url, toBase64url } from './base64url.js';
import { ByteReader, ByteWriter, cborFieldValue, cborMapHead, cborMapKey, decodeUtf8, readCborFieldValue, readCborMap, sortMapKeys, utf8, writeCborMap } from './binary.js';
import { canonicalBytes } from './canonical.js';
import { sha256Pair } from './sha256.js';
import type { EntryHeader, SignatureAlgorithm, SignedEntry, Signer } from './types.js';

/** The entry format version this code writes. */
export const ENTRY_VERSION = 2;
/** The JSON format before it, still read. */
export const LEGACY_ENTRY_VERSION = 1;
/** Largest entry, in bytes: v2 stored form (type written out), v1 canonical JSON with `sig`. */
export const MAX_ENTRY_BYTES = 4096;
/** Longest `type` an entry may name. */
export const MAX_TYPE_LENGTH = 64;
/** Longest `scope` (root map name, `poll:<name>`) an entry may name. */
export const MAX_SCOPE_LENGTH = 256;
/** Bytes of a room tag. */
export const ROOM_TAG_BYTES = 16;

/** Header field names, for models that want to tell body fields from header fields. */
export const ENTRY_HEADER_FIELDS: readonly string[] = ['v', 'type', 'scope', 'room', 'author', 'alg', 'ts', 'sig'];
const HEADER = new Set(ENTRY_HEADER_FIELDS);

const DOMAIN = new TextEncoder().encode('gather/entry/2\n');
const ALG_CODES: Readonly<Record<SignatureAlgorithm, number>> = { Ed25519: 1, 'ECDSA-P256': 2 };
const STORED_VERSION = 0x02;
const STORED_TYPE_IMPLIED = 0x10;
const STORED_FIELDS_IMPLIED = 0x20;
/** Smallest stored entry: header, ts, an empty map, the signature. */
const MIN_STORED_BYTES = 1 + 1 + 1 + SIGNATURE_BYTES;

const roomTags = new Map<string, string>();

/**
 * The tag a room's entries sign: base64url of the first {@link ROOM_TAG_BYTES} bytes of
 * SHA-256("gather/room\n" ‖ UTF-8 name). Short, and it does not reveal the room's name (which, in
 * an open room, is what lets anyone join) in an export. Remembered per name: widgets ask for
 * their room's password (kept by tag) on every render.
 */
export const roomTag = (name: string): string => {
  let tag = roomTags.get(name);
  if (tag === undefined) {
    tag = toBase64url(sha256Pair(utf8('gather/room\n'), utf8(name)).subarray(0, ROOM_TAG_BYTES));
    if (roomTags.size >= 256) roomTags.clear();
    roomTags.set(name, tag);
  }
  return tag;
};

const isRoomTag = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  const bytes = fromBase64url(value);
  return bytes !== null && bytes.length === ROOM_TAG_BYTES;
};

const isTimestamp = (ts: unknown, version: number): ts is number =>
  typeof ts === 'number' && (version === 1 ? Number.isFinite(ts) : Number.isSafeInteger(ts) && ts >= 0);

/** The algorithm of a raw public key, by its length (and the 0x04 of an uncompressed P-256 point). */
const algOfKey = (key: Uint8Array): SignatureAlgorithm | null => {
  if (key.length === PUBLIC_KEY_BYTES.Ed25519) return 'Ed25519';
  if (key.length === PUBLIC_KEY_BYTES['ECDSA-P256'] && key[0] === 0x04) return 'ECDSA-P256';
  return null;
};

/**
 * The raw key and algorithm of an author as a stored entry names them (base64url), decoded once per
 * author rather than once per entry (a room of 2,000 comments has a few dozen authors). Never
 * written to: every entry of the author shares the bytes. Bounded: emptied past 4,096 authors.
 */
const authorKeys = new Map<string, { readonly key: Uint8Array<ArrayBuffer>; readonly alg: SignatureAlgorithm } | null>();
const authorKey = (author: string): { readonly key: Uint8Array<ArrayBuffer>; readonly alg: SignatureAlgorithm } | null => {
  let known = authorKeys.get(author);
  if (known === undefined) {
    const key = fromBase64url(author);
    const alg = key === null ? null : algOfKey(key);
    known = key === null || alg === null ? null : { key, alg };
    if (authorKeys.size >= 4096) authorKeys.clear();
    authorKeys.set(author, known);
  }
  return known;
};

/**
 * Cheap synchronous shape check of an entry object's header (no cryptography, no size check):
 * `v` 1 or 2, `type`/`scope` bounded strings, `alg` known, `ts` a number (v2: a non-negative safe
 * integer), `author` a key of the right length for `alg`, `sig` decodes to
 * {@link SIGNATURE_BYTES} bytes; v2: `room` absent or a room tag. Never throws.
 */
export const isEntryHeader = (value: unknown): value is EntryHeader & { readonly sig: string } => {
  try {
    if (!isRecord(value)) return false;
    const { v, type, scope, author, alg, ts, sig } = value;
    if (v !== ENTRY_VERSION && v !== LEGACY_ENTRY_VERSION) return false;
    if (!isBoundedString(type, MAX_TYPE_LENGTH) || !isBoundedString(scope, MAX_SCOPE_LENGTH)) return false;
    if (v === ENTRY_VERSION && value['room'] !== undefined && !isRoomTag(value['room'])) return false;
    if (!isSignatureAlgorithm(alg)) return false;
    if (!isTimestamp(ts, v)) return false;
    if (typeof author !== 'string' || decodePublicKey(alg, author) === null) return false;
    if (typeof sig !== 'string') return false;
    const sigBytes = fromBase64url(sig);
    return sigBytes !== null && sigBytes.length === SIGNATURE_BYTES;
  } catch {
    return false;
  }
};

/** The fields `sig` covers in a v1 entry: a shallow copy of `entry` without `sig`. */
export const unsignedPart = (entry: Record<string, unknown>): Record<string, unknown> => {
  const { sig: _sig, ...rest } = entry;
  return rest;
};

/** The body of an entry object: every field that is not a header field. */
const bodyOf = (entry: Record<string, unknown>): Record<string, unknown> => {
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(entry)) {
    if (!HEADER.has(key)) Object.defineProperty(body, key, { value: entry[key], enumerable: true, writable: true, configurable: true });
  }
  return body;
};

/* ------------------------------------------------------------------ signed bytes */

/** An entry that passed every synchronous check, with the bytes its signature check needs. */
export interface PreparedEntry {
  readonly alg: SignatureAlgorithm;
  /** base64url raw public key. */
  readonly author: string;
  /** The raw public key. */
  readonly key: Uint8Array<ArrayBuffer>;
  readonly sig: Uint8Array<ArrayBuffer>;
  /** The bytes `sig` signs. */
  readonly data: Uint8Array<ArrayBuffer>;
}

/** Where stored entries sit: a widget's map, in a room or in none. Build one per model with {@link entrySite}. */
export interface EntrySite {
  readonly scope: string;
  /** The room's tag, or undefined for a document of no room. */
  readonly room: string | undefined;
  /** The signed message's first bytes: domain, scope, room. */
  readonly prefix: Uint8Array;
}

/** The site of `scope` in the room tagged `room` (or in no room). Throws `invalid-entry` on a bad scope or tag. */
export const entrySite = (scope: string, room?: string): EntrySite => {
  if (!isBoundedString(scope, MAX_SCOPE_LENGTH)) throw new GatherError('invalid-entry', `Entry scope must be 1–${MAX_SCOPE_LENGTH} characters`);
  if (room !== undefined && !isRoomTag(room)) throw new GatherError('invalid-entry', 'A room tag is base64url of 16 bytes: use roomTag(name)');
  const w = new ByteWriter();
  w.bytes(DOMAIN);
  w.varBytes(utf8(scope));
  w.varBytes(room === undefined ? new Uint8Array(0) : fromBase64url(room)!);
  return { scope, room, prefix: w.finish() };
};

/** Bytes of a LEB128 number. */
const uvarLength = (n: number): number => {
  let length = 1;
  while (n > 0x7f) {
    n = Math.floor(n / 0x80);
    length++;
  }
  return length;
};

/** The v2 signed message: the site's prefix, then alg, author, type, then `ts` and body bytes as stored. */
const signedMessage = (site: EntrySite, alg: SignatureAlgorithm, key: Uint8Array, typeBytes: Uint8Array, ts: Uint8Array, ...body: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const keyLength = uvarLength(key.length);
  const typeLength = uvarLength(typeBytes.length);
  let bodyLength = 0;
  for (const part of body) bodyLength += part.length;
  const out = new Uint8Array(site.prefix.length + 1 + keyLength + key.length + typeLength + typeBytes.length + ts.length + bodyLength);
  let o = 0;
  const put = (bytes: Uint8Array) => {
    out.set(bytes, o);
    o += bytes.length;
  };
  put(site.prefix);
  out[o++] = ALG_CODES[alg];
  // Keys (32, 65) and types (≤ 64 characters, ≤ 256 UTF-8 bytes) have short lengths.
  for (let n = key.length; ; n = Math.floor(n / 0x80)) {
    out[o++] = n > 0x7f ? (n % 0x80) | 0x80 : n;
    if (n <= 0x7f) break;
  }
  put(key);
  for (let n = typeBytes.length; ; n = Math.floor(n / 0x80)) {
    out[o++] = n > 0x7f ? (n % 0x80) | 0x80 : n;
    if (n <= 0x7f) break;
  }
  put(typeBytes);
  put(ts);
  for (const part of body) put(part);
  return out;
};

/** Field names of a kind's usual body (see {@link BodyFields}): their key encodings, in map order. */
interface FieldLayout {
  readonly names: readonly string[];
  readonly keys: readonly Uint8Array[];
  readonly head: Uint8Array;
}

const layouts = new Map<string, FieldLayout>();
/** Layouts by the very list a model hands over (a kind's constant): no key to build per entry read. */
const layoutsByList = new WeakMap<readonly string[], FieldLayout>();
const fieldLayout = (fields: readonly string[]): FieldLayout => {
  let layout = layoutsByList.get(fields);
  if (layout !== undefined) return layout;
  const id = fields.length === 1 ? fields[0]! : fields.join('\u0000');
  layout = layouts.get(id);
  if (layout === undefined) {
    const names = sortMapKeys([...new Set(fields)]);
    layout = { names, keys: names.map(cborMapKey), head: cborMapHead(names.length) };
    if (layouts.size > 256) layouts.clear();
    layouts.set(id, layout);
  }
  // Only a frozen list: one that may change later must not keep the layout of its first contents.
  if (Object.isFrozen(fields)) layoutsByList.set(fields, layout);
  return layout;
};

/** Whether `body`'s defined fields are exactly the layout's. */
const fitsLayout = (body: Record<string, unknown>, layout: FieldLayout): boolean => {
  let count = 0;
  for (const key of Object.keys(body)) {
    if (body[key] === undefined) continue;
    if (!layout.names.includes(key)) return false;
    count++;
  }
  return count === layout.names.length;
};

/**
 * The parts of a v2 entry object as bytes: `body` is the signed (map) form; `stored` the stored
 * form, which leaves the field names out when they are exactly `fields`. Throws `invalid-entry` on
 * what cannot be encoded.
 */
const encodeParts = (type: string, ts: number, record: Record<string, unknown>, fields?: readonly string[]) => {
  const typeBytes = utf8(type);
  const tsWriter = new ByteWriter();
  tsWriter.uvar(ts);
  const tsBytes = tsWriter.finish();
  const layout = fields === undefined || fields.length === 0 ? null : fieldLayout(fields);
  let bodyBytes: Uint8Array<ArrayBuffer>;
  let storedBody: Uint8Array<ArrayBuffer> | null = null;
  if (layout !== null && fitsLayout(record, layout)) {
    const values = layout.names.map((name) => cborFieldValue(record[name]));
    const body = new ByteWriter();
    const stored = new ByteWriter();
    body.bytes(cborMapHead(values.length));
    values.forEach((value, i) => {
      body.bytes(layout.keys[i]!);
      body.bytes(value);
      stored.bytes(value);
    });
    bodyBytes = body.finish();
    storedBody = stored.finish();
  } else {
    const body = new ByteWriter();
    writeCborMap(body, record);
    bodyBytes = body.finish();
  }
  // The size with the type and field names written out, so it does not depend on the key.
  const size = 1 + tsBytes.length + uvarLength(typeBytes.length) + typeBytes.length + bodyBytes.length + SIGNATURE_BYTES;
  return { typeBytes, tsBytes, bodyBytes, storedBody, size };
};

const storedForm = (parts: ReturnType<typeof encodeParts>, implied: boolean, sig: Uint8Array): Uint8Array<ArrayBuffer> => {
  const w = new ByteWriter();
  w.byte(STORED_VERSION | (implied ? STORED_TYPE_IMPLIED : 0) | (parts.storedBody === null ? 0 : STORED_FIELDS_IMPLIED));
  w.bytes(parts.tsBytes);
  if (!implied) w.varBytes(parts.typeBytes);
  w.bytes(parts.storedBody ?? parts.bodyBytes);
  w.bytes(sig);
  return w.finish();
};

/**
 * The body fields a kind's entries usually carry (a ballot: `['choices']`), by type: a stored
 * entry whose body has exactly these fields leaves their names out (they are signed all the same).
 * A model names them; the identity layer knows no kind's words.
 */
export type BodyFields = (type: string) => readonly string[] | undefined;

/* ------------------------------------------------------------------ signing */

/**
 * What a caller hands to {@link signEntry}: the kind (`type`), the widget (`scope`), the room's
 * tag (`room`, from {@link roomTag}; leave it out for a document of no room) and the body.
 */
export type EntryDraft<Body extends object> = { readonly type: string; readonly scope: string; readonly room?: string | undefined } & Body;

/** A signed entry in both its forms: the object, and the bytes a model stores under a key of `kind`. */
export interface SignedCompactEntry<Body extends object> {
  readonly entry: SignedEntry<Body>;
  readonly stored: Uint8Array<ArrayBuffer>;
}

/**
 * Signs a v2 entry and returns its object form and its stored form for a key of `kind` (the
 * part of the map key before the first `:`), leaving out the field names `fields` gives for its
 * type when the body has exactly those. See {@link signEntry}.
 */
export const signCompactEntry = async <Body extends object>(
  signer: Signer,
  draft: EntryDraft<Body>,
  ts: number,
  kind: string,
  fields?: BodyFields,
): Promise<SignedCompactEntry<Body>> => {
  const { type, scope, room } = draft;
  if (!isBoundedString(type, MAX_TYPE_LENGTH)) throw new GatherError('invalid-entry', `Entry type must be 1–${MAX_TYPE_LENGTH} characters`);
  if (!isTimestamp(ts, ENTRY_VERSION)) throw new GatherError('invalid-entry', 'Entry timestamp must be a whole number of milliseconds, 0 or more');
  const site = entrySite(scope, room);
  const key = decodePublicKey(signer.alg, signer.publicKey);
  if (key === null) throw new GatherError('invalid-entry', 'The signer\'s public key does not fit its algorithm');
  const body = bodyOf(draft as Record<string, unknown>);
  const parts = encodeParts(type, ts, body, fields?.(type));
  if (parts.size > MAX_ENTRY_BYTES) throw new GatherError('entry-too-large', `Entry is ${parts.size} bytes; at most ${MAX_ENTRY_BYTES} are allowed`);
  const sig = await signer.sign(signedMessage(site, signer.alg, key, parts.typeBytes, parts.tsBytes, parts.bodyBytes));
  const header = { v: ENTRY_VERSION, type, scope, ...(room === undefined ? {} : { room }), author: signer.publicKey, alg: signer.alg, ts };
  const entry = { ...header, ...body, sig: toBase64url(sig) } as unknown as SignedEntry<Body>;
  return { entry, stored: storedForm(parts, type === kind, sig) };
};

/**
 * Signs an entry (format v2) and returns its object form. The header (`v`, `author`, `alg`, `ts`)
 * is filled in from `signer` and `ts`; any header fields in `draft` besides `type`, `scope` and
 * `room` are overwritten. Throws a {@link GatherError} when the draft cannot be encoded
 * (`invalid-entry`: a bad type, scope or room tag, a timestamp that is not a whole non-negative
 * number, a non-finite number or non-plain value in the body) or the entry would exceed
 * {@link MAX_ENTRY_BYTES} (`entry-too-large`).
 */
export const signEntry = async <Body extends object>(
  signer: Signer,
  draft: EntryDraft<Body>,
  ts: number = Date.now(),
): Promise<SignedEntry<Body>> => (await signCompactEntry(signer, draft, ts, '')).entry;

/**
 * The stored form of a v2 entry object, for a key of `kind` (and a model's `fields`): what a model puts in its map. Throws
 * `invalid-entry` for anything but a well-formed v2 entry object (signature not checked).
 */
export const storeEntry = (entry: SignedEntry<object>, kind: string, fields?: BodyFields): Uint8Array<ArrayBuffer> => {
  const record = entry as unknown as Record<string, unknown>;
  if (!isEntryHeader(record) || record['v'] !== ENTRY_VERSION) throw new GatherError('invalid-entry', 'Only v2 entry objects have a stored form');
  const parts = encodeParts(entry.type, entry.ts, bodyOf(record), fields?.(entry.type));
  return storedForm(parts, entry.type === kind, fromBase64url(entry.sig)!);
};

/* ------------------------------------------------------------------ reading */

const kinds = new Map<string, Uint8Array>();
/** The UTF-8 of a key's kind, kept: a model reads thousands of entries of one kind. */
const kindBytes = (kind: string): Uint8Array => {
  let bytes = kinds.get(kind);
  if (bytes === undefined) {
    bytes = utf8(kind);
    if (kinds.size > 256) kinds.clear();
    kinds.set(kind, bytes);
  }
  return bytes;
};

/**
 * Prepares an entry object (v1, or v2's object form) for its signature check: every synchronous
 * check, and the signed bytes, encoded once. Null for anything that is not a well-formed entry
 * within the size limit. Never throws.
 */
export const prepareEntry = (value: unknown): PreparedEntry | null => {
  try {
    if (!isEntryHeader(value)) return null;
    const record = value as unknown as Record<string, unknown>;
    const key = decodePublicKey(value.alg, value.author)!;
    const sig = fromBase64url(value.sig)!;
    if (value.v === LEGACY_ENTRY_VERSION) {
      const data = canonicalBytes(unsignedPart(record));
      // The whole entry's canonical JSON is this plus `,"sig":"…"` (86 base64url characters).
      if (data.length + 95 > MAX_ENTRY_BYTES) return null;
      return { alg: value.alg, author: value.author, key, sig, data };
    }
    if (algOfKey(key) !== value.alg) return null;
    const parts = encodeParts(value.type, value.ts, bodyOf(record));
    if (parts.size > MAX_ENTRY_BYTES) return null;
    const site = entrySite(value.scope, value.room);
    return { alg: value.alg, author: value.author, key, sig, data: signedMessage(site, value.alg, key, parts.typeBytes, parts.tsBytes, parts.bodyBytes) };
  } catch {
    return null;
  }
};

/**
 * Adds `name` as an own data property: by assignment (objects stay in V8's fast form, no descriptor
 * is made per field of thousands of entries), but `__proto__` by definition, so that a field never
 * changes an entry's prototype.
 */
const setField = (target: Record<string, unknown>, name: string, value: unknown): void => {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
};

/**
 * A stored v2 entry read back: its object form and what its signature check needs (the signed
 * bytes are built when first asked for: an entry this device already knows needs none).
 */
export interface ReadEntry {
  readonly entry: SignedEntry;
  readonly prepared: PreparedEntry;
}

/**
 * Reads a stored v2 entry (a `Uint8Array` from a model's map) under a key of `kind` owned by
 * `author`, in `site`, with the model's `fields`. Null for anything else: wrong type, bad header,
 * non-canonical encoding, reserved names in the body, over the size limit. No re-encoding: the
 * signed bytes are the site's, the key's and the stored slices. Never throws.
 */
export const readStoredEntry = (value: unknown, site: EntrySite, author: string, kind: string, fields?: BodyFields): ReadEntry | null => {
  try {
    if (!(value instanceof Uint8Array) || value.length < MIN_STORED_BYTES || value.length > MAX_ENTRY_BYTES) return null;
    const header = value[0]!;
    if ((header & ~(STORED_TYPE_IMPLIED | STORED_FIELDS_IMPLIED)) !== STORED_VERSION) return null;
    const known = authorKey(author);
    if (known === null) return null;
    const { key, alg } = known;
    const end = value.length - SIGNATURE_BYTES;
    const r = new ByteReader(value, 1, end);
    const ts = r.uvar();
    if (ts < 0) return null;
    const tsBytes = value.subarray(1, r.pos);
    let type: string;
    let typeBytes: Uint8Array;
    if (header & STORED_TYPE_IMPLIED) {
      if (!isBoundedString(kind, MAX_TYPE_LENGTH)) return null;
      type = kind;
      typeBytes = kindBytes(kind);
    } else {
      const length = r.uvar();
      const raw = length < 0 || length > MAX_TYPE_LENGTH * 4 ? null : r.take(length);
      const read = raw === null ? null : decodeUtf8(raw);
      // Written out only when it is not the key's kind: one stored form per entry.
      if (read === null || !isBoundedString(read, MAX_TYPE_LENGTH) || read === kind) return null;
      type = read;
      typeBytes = raw!;
    }
    const names = fields?.(type);
    const layout = names === undefined || names.length === 0 ? null : fieldLayout(names);
    let body: Record<string, unknown>;
    let bodyParts: Uint8Array[];
    if (header & STORED_FIELDS_IMPLIED) {
      if (layout === null) return null;
      // The signed body is the map: each key's encoding, then the value's stored bytes.
      body = {};
      bodyParts = [layout.head];
      for (let i = 0; i < layout.names.length; i++) {
        const start = r.pos;
        const field = readCborFieldValue(r);
        if (field === null) return null;
        setField(body, layout.names[i]!, field.value);
        bodyParts.push(layout.keys[i]!, value.subarray(start, r.pos));
      }
      if (r.pos !== end) return null;
    } else {
      const bodyStart = r.pos;
      const read = readCborMap(r);
      if (read === null || r.pos !== end) return null;
      // Fields that could have been left out must have been: one stored form per entry.
      if (layout !== null && fitsLayout(read, layout)) return null;
      body = read;
      bodyParts = [value.subarray(bodyStart, end)];
    }
    for (const name of Object.keys(body)) if (HEADER.has(name)) return null;
    let bodyLength = 0;
    for (const part of bodyParts) bodyLength += part.length;
    const size = 1 + tsBytes.length + uvarLength(typeBytes.length) + typeBytes.length + bodyLength + SIGNATURE_BYTES;
    if (size > MAX_ENTRY_BYTES) return null;
    // Field by field in the object form's order (no spreads: thousands are read per sync).
    const record: Record<string, unknown> = { v: ENTRY_VERSION, type, scope: site.scope };
    if (site.room !== undefined) record['room'] = site.room;
    record['author'] = author;
    record['alg'] = alg;
    record['ts'] = ts;
    for (const name of Object.keys(body)) setField(record, name, body[name]);
    record['sig'] = toBase64url(value.subarray(end));
    let prepared: PreparedEntry | undefined;
    return {
      entry: record as unknown as SignedEntry,
      get prepared(): PreparedEntry {
        return (prepared ??= { alg, author, key, sig: value.slice(end), data: signedMessage(site, alg, key, typeBytes, tsBytes, ...bodyParts) });
      },
    };
  } catch {
    return null;
  }
};
