/**
 * The byte-level pieces of the compact entry format (entries.ts): LEB128 unsigned integers,
 * length-prefixed UTF-8, and a deterministic CBOR (RFC 8949) encoding of plain values.
 *
 * Deterministic CBOR, as Gather writes and accepts it (any CBOR decoder reads it):
 * - integers that are safe (|n| ≤ 2^53 − 1) as major type 0 / 1, in the shortest form (−0 is 0);
 *   every other finite number as a float64 (0xfb); NaN and ±Infinity cannot be encoded;
 * - strings as text (major 3), well-formed UTF-16 only (no lone surrogates);
 * - arrays (major 4); plain objects as maps (major 5) with text keys, sorted by their encoded
 *   bytes (shorter first, then bytewise: RFC 8949 §4.2.1), `undefined` fields left out;
 * - false 0xf4, true 0xf5, null 0xf6. Nothing else (no byte strings, tags, indefinite lengths,
 *   float16/32, undefined).
 * Decoding is strict: exactly one byte string decodes to a given value, so a decoded value
 * re-encodes to the bytes it came from. Decoders return null, never throw, on anything else.
 */
import { GatherError } from '../errors.js';
import { isPlainObject } from '../plain.js';
import { MAX_DEPTH } from './canonical.js';

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A string without lone surrogates: UTF-8 can say it exactly. */
export const isWellFormed = (text: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

/** UTF-8 of `text`; throws `invalid-entry` on a lone surrogate (UTF-8 would change it). */
export const utf8 = (text: string): Uint8Array => {
  if (!isWellFormed(text)) throw new GatherError('invalid-entry', 'Strings must be well-formed UTF-16 (no lone surrogates)');
  return textEncoder.encode(text);
};

/** A growable byte buffer. */
export class ByteWriter {
  private buffer = new Uint8Array(128);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + n));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  bytes(value: Uint8Array): void {
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  /** LEB128 of a non-negative safe integer. */
  uvar(value: number): void {
    while (value > 0x7f) {
      this.byte((value % 0x80) | 0x80);
      value = Math.floor(value / 0x80);
    }
    this.byte(value);
  }

  /** LEB128 length, then the bytes. */
  varBytes(value: Uint8Array): void {
    this.uvar(value.length);
    this.bytes(value);
  }

  /** The bytes written (a copy). */
  finish(): Uint8Array<ArrayBuffer> {
    return this.buffer.slice(0, this.length);
  }
}

/** Reads what {@link ByteWriter} writes. Every read returns null (or -1) past the end or on a non-canonical form. */
export class ByteReader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  /** A shortest-form LEB128 safe integer, or -1. */
  uvar(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) return -1;
      const b = this.bytes[this.pos++]!;
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        // A final zero byte after the first is a longer spelling of a shorter number.
        if (b === 0 && i > 0) return -1;
        return Number.isSafeInteger(result) ? result : -1;
      }
      scale *= 0x80;
    }
    return -1;
  }

  /** The next byte, or -1 at the end (no view made: a CBOR head is read per value). */
  byte(): number {
    return this.pos < this.end ? this.bytes[this.pos++]! : -1;
  }

  /** `n` bytes (a view), or null. */
  take(n: number): Uint8Array | null {
    if (n < 0 || this.pos + n > this.end) return null;
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

}

/** Strict UTF-8 decoding; null for invalid bytes. */
export const decodeUtf8 = (bytes: Uint8Array): string | null => {
  // Short ASCII (option ids, types, field names) without TextDecoder's per-call cost.
  if (bytes.length <= 32) {
    let ascii = true;
    for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7f) ascii = false;
    if (ascii) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  }
  try {
    return textDecoder.decode(bytes);
  } catch {
    return null;
  }
};

/* ------------------------------------------------------------ deterministic CBOR */

const writeHead = (w: ByteWriter, major: number, n: number): void => {
  const m = major << 5;
  if (n < 24) w.byte(m | n);
  else if (n < 0x100) {
    w.byte(m | 24);
    w.byte(n);
  } else if (n < 0x10000) {
    w.byte(m | 25);
    w.byte(n >>> 8);
    w.byte(n & 0xff);
  } else if (n < 0x100000000) {
    w.byte(m | 26);
    for (let shift = 24; shift >= 0; shift -= 8) w.byte((n >>> shift) & 0xff);
  } else {
    w.byte(m | 27);
    const high = Math.floor(n / 0x100000000);
    const low = n >>> 0;
    for (let shift = 24; shift >= 0; shift -= 8) w.byte((high >>> shift) & 0xff);
    for (let shift = 24; shift >= 0; shift -= 8) w.byte((low >>> shift) & 0xff);
  }
};

const compareBytes = (a: Uint8Array, b: Uint8Array): number => {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
};

const writeValue = (w: ByteWriter, value: unknown, depth: number): void => {
  switch (typeof value) {
    case 'string': {
      const bytes = utf8(value);
      writeHead(w, 3, bytes.length);
      w.bytes(bytes);
      return;
    }
    case 'boolean':
      w.byte(value ? 0xf5 : 0xf4);
      return;
    case 'number': {
      if (!Number.isFinite(value)) throw new GatherError('invalid-entry', 'Non-finite numbers cannot be encoded');
      if (Number.isSafeInteger(value)) {
        if (value >= 0) writeHead(w, 0, value);
        else writeHead(w, 1, -1 - value);
        return;
      }
      w.byte(0xfb);
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, value);
      w.bytes(new Uint8Array(view.buffer));
      return;
    }
    case 'object': {
      if (value === null) {
        w.byte(0xf6);
        return;
      }
      if (depth >= MAX_DEPTH) throw new GatherError('invalid-entry', 'Value is nested too deeply');
      if (Array.isArray(value)) {
        writeHead(w, 4, value.length);
        for (let i = 0; i < value.length; i++) {
          if (!(i in value) || value[i] === undefined) throw new GatherError('invalid-entry', 'Arrays cannot hold undefined');
          writeValue(w, value[i], depth + 1);
        }
        return;
      }
      if (!isPlainObject(value)) throw new GatherError('invalid-entry', 'Only plain objects can be encoded');
      writeMap(w, value as Record<string, unknown>, depth);
      return;
    }
    default:
      throw new GatherError('invalid-entry', `Values of type ${typeof value} cannot be encoded`);
  }
};

const writeMap = (w: ByteWriter, record: Record<string, unknown>, depth: number): void => {
  const fields: [Uint8Array, unknown][] = [];
  for (const key of Object.keys(record)) {
    const field = record[key];
    if (field !== undefined) fields.push([utf8(key), field]);
  }
  fields.sort((a, b) => compareBytes(a[0], b[0]));
  writeHead(w, 5, fields.length);
  for (const [key, field] of fields) {
    writeHead(w, 3, key.length);
    w.bytes(key);
    writeValue(w, field, depth + 1);
  }
};

/** Writes `record` (a plain object) as a deterministic CBOR map. Throws `invalid-entry` like canonicalEncode. */
export const writeCborMap = (w: ByteWriter, record: Record<string, unknown>): void => {
  if (typeof record !== 'object' || record === null || Array.isArray(record) || !isPlainObject(record)) {
    throw new GatherError('invalid-entry', 'An entry body must be a plain object');
  }
  writeMap(w, record, 0);
};

/** Sorts map keys as deterministic CBOR orders them: by encoded bytes (shorter first, then bytewise). */
export const sortMapKeys = (names: readonly string[]): string[] =>
  names
    .map((name) => [utf8(name), name] as const)
    .sort((a, b) => compareBytes(a[0], b[0]))
    .map(([, name]) => name);

/** The encoded head of a map of `n` pairs. */
export const cborMapHead = (n: number): Uint8Array<ArrayBuffer> => {
  const w = new ByteWriter();
  writeHead(w, 5, n);
  return w.finish();
};

/** The encoding of `name` as a map key (a text string). */
export const cborMapKey = (name: string): Uint8Array<ArrayBuffer> => {
  const bytes = utf8(name);
  const w = new ByteWriter();
  writeHead(w, 3, bytes.length);
  w.bytes(bytes);
  return w.finish();
};

/** Deterministic CBOR of a map's value (nesting counted from inside a map). Throws `invalid-entry` like canonicalEncode. */
export const cborFieldValue = (value: unknown): Uint8Array<ArrayBuffer> => {
  const w = new ByteWriter();
  writeValue(w, value, 1);
  return w.finish();
};

/** Reads one value as {@link cborFieldValue} writes it; null when there is none. */
export const readCborFieldValue = (r: ByteReader): { readonly value: unknown } | null => {
  const value = readValue(r, 1);
  return value === INVALID ? null : { value };
};

/** Deterministic CBOR of a plain value. Throws `invalid-entry` like canonicalEncode. */
export const cborEncode = (value: unknown): Uint8Array<ArrayBuffer> => {
  const w = new ByteWriter();
  writeValue(w, value, 0);
  return w.finish();
};

const INVALID = Symbol('invalid');

/** Reads a shortest-form head's argument, or -1. */
const readArgument = (r: ByteReader, info: number): number => {
  if (info < 24) return info;
  const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
  if (size === 0 || r.pos + size > r.end) return -1;
  let n = 0;
  for (let i = 0; i < size; i++) n = n * 256 + r.bytes[r.pos++]!;
  const min = info === 24 ? 24 : info === 25 ? 0x100 : info === 26 ? 0x10000 : 0x100000000;
  return n >= min && Number.isSafeInteger(n) ? n : -1;
};

const readValue = (r: ByteReader, depth: number): unknown => {
  const head = r.byte();
  if (head < 0) return INVALID;
  const major = head >> 5;
  const info = head & 0x1f;
  switch (major) {
    case 0: {
      const n = readArgument(r, info);
      return n < 0 ? INVALID : n;
    }
    case 1: {
      const n = readArgument(r, info);
      return n < 0 || n >= Number.MAX_SAFE_INTEGER ? INVALID : -1 - n;
    }
    case 3: {
      const n = readArgument(r, info);
      const raw = n < 0 ? null : r.take(n);
      const text = raw === null ? null : decodeUtf8(raw);
      return text === null ? INVALID : text;
    }
    case 4: {
      const n = readArgument(r, info);
      if (n < 0 || n > r.end - r.pos || depth >= MAX_DEPTH) return INVALID;
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const item = readValue(r, depth + 1);
        if (item === INVALID) return INVALID;
        out.push(item);
      }
      return out;
    }
    case 5:
      return depth >= MAX_DEPTH ? INVALID : readMapBody(r, readArgument(r, info), depth);
    case 7:
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22) return null;
      if (info === 27) {
        const raw = r.take(8);
        if (raw === null) return INVALID;
        const value = new DataView(raw.buffer, raw.byteOffset, 8).getFloat64(0);
        // A safe integer (−0 included) has its integer form; NaN and infinities have none.
        return Number.isFinite(value) && !Number.isSafeInteger(value) ? value : INVALID;
      }
      return INVALID;
    default:
      return INVALID;
  }
};

const readMapBody = (r: ByteReader, n: number, depth: number): Record<string, unknown> | typeof INVALID => {
  if (n < 0 || n * 2 > r.end - r.pos) return INVALID;
  const out: Record<string, unknown> = {};
  let previous: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const start = r.pos;
    const head = r.byte();
    if (head < 0 || head >> 5 !== 3) return INVALID;
    const length = readArgument(r, head & 0x1f);
    const raw = length < 0 ? null : r.take(length);
    if (raw === null) return INVALID;
    const encodedKey = r.bytes.subarray(start, r.pos);
    if (previous !== null && compareBytes(previous, encodedKey) >= 0) return INVALID;
    previous = encodedKey;
    const key = decodeUtf8(raw);
    if (key === null) return INVALID;
    const value = readValue(r, depth + 1);
    if (value === INVALID) return INVALID;
    // An own data property even for "__proto__": a key never changes the object's prototype. Any
    // other key by assignment (the same property, without a descriptor made per key).
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
};

/** Reads one deterministic CBOR map (a plain object) at the reader's position, or null. */
export const readCborMap = (r: ByteReader): Record<string, unknown> | null => {
  const head = r.byte();
  if (head < 0 || head >> 5 !== 5) return null;
  const result = readMapBody(r, readArgument(r, head & 0x1f), 0);
  return result === INVALID ? null : result;
};

/** Decodes exactly one deterministic CBOR value filling `bytes`; `undefined` when it is not one. */
export const cborDecode = (bytes: Uint8Array): unknown => {
  const r = new ByteReader(bytes);
  const value = readValue(r, 0);
  return value === INVALID || r.pos !== bytes.length ? undefined : value;
};
