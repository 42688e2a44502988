/**
 * Verifying signed entries: once, uncached ({@link verifyEntry}), or through a bounded cache of
 * verdicts and imported keys ({@link VerificationCache}) that models share.
 */
import { decodePublicKey, keyImportParams, signParams } from './algorithms.js';
import { fromBase64url, toBase64url } from './base64url.js';
import { canonicalBytes } from './canonical.js';
import { isEntryHeader, MAX_ENTRY_BYTES, unsignedPart } from './entries.js';
import type { SignatureAlgorithm } from './types.js';

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
