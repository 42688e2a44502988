/**
 * Signed, immutable entries: canonical encoding, signing, verification (with a bounded cache),
 * and the small validation helpers every model reuses.
 *
 * An entry is plain JSON `{ v, type, scope, author, alg, ts, ...body, sig }`; `sig` signs the
 * UTF-8 bytes of the canonical encoding of every other field.
 */
import { fromBase64url, toBase64url } from './base64url.js';
import { GatherError } from './errors.js';
import { SIGNATURE_ALGORITHMS, type EntryHeader, type SignatureAlgorithm, type SignedEntry, type Signer } from './types.js';

/** The entry format version this code writes and reads. */
export const ENTRY_VERSION = 1;
/** Largest canonical encoding (whole entry, `sig` included) a valid entry may have, in bytes. */
export const MAX_ENTRY_BYTES = 4096;
/** Longest `type` an entry may name. */
export const MAX_TYPE_LENGTH = 64;
/** Longest `scope` (root map name, `poll:<name>`) an entry may name. */
export const MAX_SCOPE_LENGTH = 256;
/** Longest id (option id, slot id, post id) models accept. */
export const MAX_ID_LENGTH = 64;
/** Deepest nesting canonical encoding accepts. */
export const MAX_DEPTH = 16;

/** Raw public key length per algorithm: Ed25519 32 bytes, P-256 uncompressed point 65 bytes (0x04‖x‖y). */
export const PUBLIC_KEY_BYTES: Readonly<Record<SignatureAlgorithm, number>> = Object.freeze({
  Ed25519: 32,
  'ECDSA-P256': 65,
});
/** Signature length: Ed25519 64 bytes; ECDSA P-256 r‖s (IEEE P1363, what WebCrypto produces) 64 bytes. */
export const SIGNATURE_BYTES = 64;

const headerFields = ['v', 'type', 'scope', 'author', 'alg', 'ts', 'sig'] as const;

/* ---------------------------------------------------------------- algorithms */

/** WebCrypto parameters to generate a key pair for `alg`. */
export const keyGenParams = (alg: SignatureAlgorithm): AlgorithmIdentifier | EcKeyGenParams =>
  alg === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };

/** WebCrypto parameters to import a raw public key for `alg`. */
export const keyImportParams = (alg: SignatureAlgorithm): AlgorithmIdentifier | EcKeyImportParams =>
  alg === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };

/** WebCrypto parameters to sign or verify with `alg`. */
export const signParams = (alg: SignatureAlgorithm): AlgorithmIdentifier | EcdsaParams =>
  alg === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };

/** Whether `value` names a known signature algorithm. */
export const isSignatureAlgorithm = (value: unknown): value is SignatureAlgorithm =>
  typeof value === 'string' && (SIGNATURE_ALGORITHMS as readonly string[]).includes(value);

/**
 * Decodes `author` as a raw public key for `alg`, checking its length (and the 0x04 prefix of an
 * uncompressed P-256 point). Null when it is not one.
 */
export const decodePublicKey = (alg: SignatureAlgorithm, author: string): Uint8Array<ArrayBuffer> | null => {
  const bytes = fromBase64url(author);
  if (bytes === null || bytes.length !== PUBLIC_KEY_BYTES[alg]) return null;
  if (alg === 'ECDSA-P256' && bytes[0] !== 0x04) return null;
  return bytes;
};

/* ---------------------------------------------------------------- canonical encoding */

const isPlainObject = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

const encodeValue = (value: unknown, depth: number): string => {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new GatherError('invalid-entry', 'Non-finite numbers cannot be encoded');
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) throw new GatherError('invalid-entry', 'Value is nested too deeply');
      if (Array.isArray(value)) {
        const parts: string[] = [];
        for (let i = 0; i < value.length; i++) {
          if (!(i in value) || value[i] === undefined) throw new GatherError('invalid-entry', 'Arrays cannot hold undefined');
          parts.push(encodeValue(value[i], depth + 1));
        }
        return '[' + parts.join(',') + ']';
      }
      if (!isPlainObject(value)) throw new GatherError('invalid-entry', 'Only plain objects can be encoded');
      const record = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const field = record[key];
        if (field === undefined) continue;
        parts.push(JSON.stringify(key) + ':' + encodeValue(field, depth + 1));
      }
      return '{' + parts.join(',') + '}';
    }
    default:
      throw new GatherError('invalid-entry', `Values of type ${typeof value} cannot be encoded`);
  }
};

/**
 * Deterministic JSON: object keys sorted (by UTF-16 code unit) at every level, `undefined`
 * object fields left out, no whitespace. Throws a {@link GatherError} (`invalid-entry`) on
 * non-finite numbers, `undefined` in arrays, non-plain objects, bigint/function/symbol values,
 * and nesting deeper than {@link MAX_DEPTH}.
 */
export const canonicalEncode = (value: unknown): string => encodeValue(value, 0);

const textEncoder = new TextEncoder();

/** The UTF-8 bytes of {@link canonicalEncode}. Throws like it. */
export const canonicalBytes = (value: unknown): Uint8Array<ArrayBuffer> => textEncoder.encode(canonicalEncode(value));

/* ---------------------------------------------------------------- field helpers */

/** A string of at most `maxLength` UTF-16 code units (and, unless `allowEmpty`, at least one). */
export const isBoundedString = (value: unknown, maxLength: number, allowEmpty = false): value is string =>
  typeof value === 'string' && value.length <= maxLength && (allowEmpty || value.length > 0);

/** An array of at most `maxItems` non-empty strings of at most `maxLength` code units each. */
export const isBoundedStringList = (value: unknown, maxItems: number, maxLength: number): value is readonly string[] => {
  if (!Array.isArray(value) || value.length > maxItems) return false;
  for (let i = 0; i < value.length; i++) if (!isBoundedString(value[i], maxLength)) return false;
  return true;
};

/** A plain (JSON) object: not null, not an array, prototype Object.prototype or null. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && isPlainObject(value);

/**
 * Cheap synchronous shape check of an entry's header (no cryptography, no size check): `v` is 1,
 * `type`/`scope` bounded strings, `alg` known, `ts` finite, `author` a key of the right length
 * for `alg`, `sig` decodes to {@link SIGNATURE_BYTES} bytes. Never throws.
 */
export const isEntryHeader = (value: unknown): value is EntryHeader & { readonly sig: string } => {
  try {
    if (!isRecord(value)) return false;
    const { v, type, scope, author, alg, ts, sig } = value;
    if (v !== ENTRY_VERSION) return false;
    if (!isBoundedString(type, MAX_TYPE_LENGTH) || !isBoundedString(scope, MAX_SCOPE_LENGTH)) return false;
    if (!isSignatureAlgorithm(alg)) return false;
    if (typeof ts !== 'number' || !Number.isFinite(ts)) return false;
    if (typeof author !== 'string' || decodePublicKey(alg, author) === null) return false;
    if (typeof sig !== 'string') return false;
    const sigBytes = fromBase64url(sig);
    return sigBytes !== null && sigBytes.length === SIGNATURE_BYTES;
  } catch {
    return false;
  }
};

/** The fields `sig` covers: a shallow copy of `entry` without `sig`. */
export const unsignedPart = (entry: Record<string, unknown>): Record<string, unknown> => {
  const { sig: _sig, ...rest } = entry;
  return rest;
};

/* ---------------------------------------------------------------- signing */

/** What a caller hands to {@link signEntry}: the kind (`type`), the widget (`scope`) and the body. */
export type EntryDraft<Body extends object> = { readonly type: string; readonly scope: string } & Body;

/**
 * Signs an entry. The header (`v`, `author`, `alg`, `ts`) is filled in from `signer` and `ts`;
 * any header fields in `draft` are overwritten. Throws a {@link GatherError} when the draft cannot
 * be encoded (`invalid-entry`) or the signed entry would exceed {@link MAX_ENTRY_BYTES}
 * (`entry-too-large`).
 */
export const signEntry = async <Body extends object>(
  signer: Signer,
  draft: EntryDraft<Body>,
  ts: number = Date.now(),
): Promise<SignedEntry<Body>> => {
  const { type, scope } = draft;
  if (!isBoundedString(type, MAX_TYPE_LENGTH)) throw new GatherError('invalid-entry', `Entry type must be 1–${MAX_TYPE_LENGTH} characters`);
  if (!isBoundedString(scope, MAX_SCOPE_LENGTH)) throw new GatherError('invalid-entry', `Entry scope must be 1–${MAX_SCOPE_LENGTH} characters`);
  if (!Number.isFinite(ts)) throw new GatherError('invalid-entry', 'Entry timestamp must be finite');
  const unsigned: Record<string, unknown> = { ...draft, v: ENTRY_VERSION, author: signer.publicKey, alg: signer.alg, ts };
  delete unsigned['sig'];
  const data = canonicalBytes(unsigned);
  const sig = toBase64url(await signer.sign(data));
  const entry = { ...unsigned, sig } as unknown as SignedEntry<Body>;
  const size = canonicalBytes(entry).length;
  if (size > MAX_ENTRY_BYTES) throw new GatherError('entry-too-large', `Entry is ${size} bytes; at most ${MAX_ENTRY_BYTES} are allowed`);
  return entry;
};

/* ---------------------------------------------------------------- verification */

/** An entry that passed every synchronous check, with the bytes cryptography needs. */
interface PreparedEntry {
  readonly alg: SignatureAlgorithm;
  readonly author: string;
  readonly key: Uint8Array<ArrayBuffer>;
  readonly sig: Uint8Array<ArrayBuffer>;
  /** Canonical bytes of the fields `sig` covers. */
  readonly data: Uint8Array<ArrayBuffer>;
  /** Canonical bytes of the whole entry (what the cache is keyed by). */
  readonly whole: Uint8Array<ArrayBuffer>;
}

const prepareEntry = (entry: unknown): PreparedEntry | null => {
  try {
    if (!isEntryHeader(entry)) return null;
    const whole = canonicalBytes(entry);
    if (whole.length > MAX_ENTRY_BYTES) return null;
    const key = decodePublicKey(entry.alg, entry.author);
    const sig = fromBase64url(entry.sig);
    if (key === null || sig === null) return null;
    const data = canonicalBytes(unsignedPart(entry as unknown as Record<string, unknown>));
    return { alg: entry.alg, author: entry.author, key, sig, data, whole };
  } catch {
    return null;
  }
};

const importPublicKey = async (alg: SignatureAlgorithm, key: Uint8Array<ArrayBuffer>): Promise<CryptoKey | null> => {
  try {
    return await globalThis.crypto.subtle.importKey('raw', key, keyImportParams(alg), false, ['verify']);
  } catch {
    return null;
  }
};

const verifyPrepared = async (prepared: PreparedEntry, key: CryptoKey | null): Promise<boolean> => {
  if (key === null) return false;
  try {
    return await globalThis.crypto.subtle.verify(signParams(prepared.alg), key, prepared.sig, prepared.data);
  } catch {
    return false;
  }
};

/**
 * Whether `entry` is a well-formed signed entry whose signature verifies: header shape (see
 * {@link isEntryHeader}), canonical size at most {@link MAX_ENTRY_BYTES}, the raw key imports,
 * the signature checks. Never throws; anything else resolves to false. Uncached: models use a
 * {@link VerificationCache}.
 */
export const verifyEntry = async (entry: unknown): Promise<boolean> => {
  const prepared = prepareEntry(entry);
  if (prepared === null) return false;
  return verifyPrepared(prepared, await importPublicKey(prepared.alg, prepared.key));
};

/** Options of a {@link VerificationCache}. */
export interface VerificationCacheOptions {
  /** Verdicts kept; the oldest are forgotten first. */
  readonly maxEntries?: number;
  /** Imported public keys kept. */
  readonly maxKeys?: number;
}

const remember = <K, V>(map: Map<K, V>, key: K, value: V, max: number): void => {
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as K);
};

/**
 * Verifies entries, remembering verdicts (bounded, oldest first out) and imported keys.
 *
 * Verdicts are keyed by the SHA-256 of the entry's whole canonical encoding, `sig` included — not
 * by `sig` alone: a cached `true` for a signature can never make a different entry carrying the
 * same signature pass. Share one cache per page (or per room) between models.
 */
export class VerificationCache {
  private readonly verdicts = new Map<string, Promise<boolean>>();
  private readonly keys = new Map<string, Promise<CryptoKey | null>>();
  private readonly maxEntries: number;
  private readonly maxKeys: number;

  constructor({ maxEntries = 10_000, maxKeys = 1_000 }: VerificationCacheOptions = {}) {
    this.maxEntries = Math.max(1, maxEntries);
    this.maxKeys = Math.max(1, maxKeys);
  }

  /** Verdicts currently remembered. */
  get size(): number {
    return this.verdicts.size;
  }

  /** Like {@link verifyEntry}, remembered. Never throws. */
  async verify(entry: unknown): Promise<boolean> {
    const prepared = prepareEntry(entry);
    if (prepared === null) return false;
    let id: string;
    try {
      id = toBase64url(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', prepared.whole)));
    } catch {
      return false;
    }
    const known = this.verdicts.get(id);
    if (known !== undefined) return known;
    const verdict = this.importKey(prepared).then((key) => verifyPrepared(prepared, key));
    remember(this.verdicts, id, verdict, this.maxEntries);
    return verdict;
  }

  private importKey(prepared: PreparedEntry): Promise<CryptoKey | null> {
    const id = prepared.alg + ':' + prepared.author;
    let key = this.keys.get(id);
    if (key === undefined) {
      key = importPublicKey(prepared.alg, prepared.key);
      remember(this.keys, id, key, this.maxKeys);
    }
    return key;
  }

  /** Forgets everything. */
  clear(): void {
    this.verdicts.clear();
    this.keys.clear();
  }

  destroy(): void {
    this.clear();
  }
}

/** Header field names, for models that want to tell body fields from header fields. */
export const ENTRY_HEADER_FIELDS: readonly string[] = headerFields;
