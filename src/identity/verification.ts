/**
 * Verifying signed entries: once, uncached ({@link verifyEntry}), or through a
 * {@link VerificationCache} that models share: verdicts kept in memory and on this device,
 * imported keys kept, large batches checked in workers.
 *
 * An entry is encoded at most once per check (entries.ts builds the signed bytes; a stored
 * compact entry needs no encoding at all), and known by its id: the SHA-256 of its signed bytes
 * followed by its 64-byte signature. The signed bytes name the version, the widget, the room, the
 * author and every field, so the id names the whole entry and the verdict is a fact about it:
 * a good verdict for one entry can never let a different entry with the same signature pass.
 */
import { digest as sha256 } from 'lib0/hash/sha256';
import { keyImportParams, signParams } from './algorithms.js';
import { toBase64url } from './base64url.js';
import { prepareEntry, type PreparedEntry } from './entries.js';
import type { SignatureAlgorithm } from './types.js';
import { openVerdictStore, type VerdictStore } from './verdict-store.js';
import { POOL_MIN_JOBS, VerifierPool } from './verifier-pool.js';

const importPublicKey = async (alg: SignatureAlgorithm, key: Uint8Array<ArrayBuffer>): Promise<CryptoKey | null> => {
  try {
    return await globalThis.crypto.subtle.importKey('raw', key, keyImportParams(alg), false, ['verify']);
  } catch {
    return null;
  }
};

const checkSignature = async (prepared: PreparedEntry, key: CryptoKey | null): Promise<boolean> => {
  if (key === null) return false;
  try {
    return await globalThis.crypto.subtle.verify(signParams(prepared.alg), key, prepared.sig, prepared.data);
  } catch {
    return false;
  }
};

/** The id of a prepared entry: base64url SHA-256 of its signed bytes ‖ signature. */
export const entryId = (prepared: PreparedEntry): string => {
  const whole = new Uint8Array(prepared.data.length + prepared.sig.length);
  whole.set(prepared.data);
  whole.set(prepared.sig, prepared.data.length);
  return toBase64url(sha256(whole));
};

/**
 * Whether `entry` is a well-formed signed entry object (v1, or v2's object form, see entries.ts)
 * whose signature verifies: header shape, size limit, the raw key imports, the signature checks.
 * Never throws; anything else resolves to false. Uncached: models use a {@link VerificationCache}.
 */
export const verifyEntry = async (entry: unknown): Promise<boolean> => {
  const prepared = prepareEntry(entry);
  if (prepared === null) return false;
  return checkSignature(prepared, await importPublicKey(prepared.alg, prepared.key));
};

/** Options of a {@link VerificationCache}. */
export interface VerificationCacheOptions {
  /** Verdicts kept in memory; the oldest are forgotten first. */
  readonly maxEntries?: number;
  /** Imported public keys kept. */
  readonly maxKeys?: number;
  /**
   * Keep good verdicts on this device (IndexedDB, verdict-store.ts), so a returning visitor does
   * not verify again: `true` (the default) where IndexedDB exists, `false`, or a store of one's own.
   */
  readonly persist?: boolean | VerdictStore | null;
  /** Check large batches in Web Workers where the page allows them (the default). */
  readonly workers?: boolean;
}

const remember = <K, V>(map: Map<K, V>, key: K, value: V, max: number): void => {
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as K);
};

/**
 * Verifies entries, remembering verdicts (bounded, oldest first out; good ones also on this
 * device) and imported keys. Share one per page between models.
 */
export class VerificationCache {
  private readonly verdicts = new Map<string, Promise<boolean>>();
  private readonly keys = new Map<string, Promise<CryptoKey | null>>();
  private readonly maxEntries: number;
  private readonly maxKeys: number;
  private readonly store: VerdictStore | null;
  private readonly ownsStore: boolean;
  private readonly pool: VerifierPool | null;
  private checked = 0;

  constructor({ maxEntries = 20_000, maxKeys = 20_000, persist = true, workers = true }: VerificationCacheOptions = {}) {
    this.maxEntries = Math.max(1, maxEntries);
    this.maxKeys = Math.max(1, maxKeys);
    this.ownsStore = persist === true;
    this.store = persist === true ? openVerdictStore() : persist === false ? null : persist;
    this.pool = workers ? VerifierPool.create() : null;
  }

  /** Verdicts currently remembered in memory. */
  get size(): number {
    return this.verdicts.size;
  }

  /** Signatures actually checked (not answered from memory or the device's store): for tests and benchmarks. */
  get signaturesChecked(): number {
    return this.checked;
  }

  /** The device's verdict store, if any. */
  get verdictStore(): VerdictStore | null {
    return this.store;
  }

  /** Like {@link verifyEntry}, remembered. Never throws. */
  async verify(entry: unknown): Promise<boolean> {
    const prepared = prepareEntry(entry);
    if (prepared === null) return false;
    return this.verifyPrepared(prepared);
  }

  /** Verifies an entry prepared by entries.ts, remembered. Never throws. */
  async verifyPrepared(prepared: PreparedEntry): Promise<boolean> {
    return (await this.verifyBatch([prepared]))[0]!;
  }

  /**
   * Verifies many prepared entries: answers from memory and from the device's store first, then
   * checks the rest together (in workers when there are many). One verdict per entry, in order.
   * Never rejects.
   */
  async verifyBatch(batch: readonly PreparedEntry[]): Promise<boolean[]> {
    if (this.store !== null) await this.store.ready;
    const out: Promise<boolean>[] = new Array(batch.length);
    const fresh: number[] = [];
    const ids: string[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      let id: string;
      try {
        id = entryId(batch[i]!);
      } catch {
        out[i] = Promise.resolve(false);
        continue;
      }
      ids[i] = id;
      const known = this.verdicts.get(id);
      if (known !== undefined) out[i] = known;
      else if (this.store?.has(id)) {
        out[i] = Promise.resolve(true);
        remember(this.verdicts, id, out[i]!, this.maxEntries);
      } else fresh.push(i);
    }
    if (fresh.length > 0) {
      const checking = this.check(fresh.map((i) => batch[i]!));
      fresh.forEach((i, j) => {
        const id = ids[i]!;
        const verdict = checking.then((results) => results[j] === true);
        remember(this.verdicts, id, verdict, this.maxEntries);
        out[i] = verdict;
        void verdict.then((ok) => {
          if (ok) this.store?.add(id);
        });
      });
    }
    return Promise.all(out);
  }

  private async check(jobs: readonly PreparedEntry[]): Promise<boolean[]> {
    this.checked += jobs.length;
    if (this.pool?.usable && jobs.length >= POOL_MIN_JOBS) {
      try {
        return await this.pool.verify(jobs);
      } catch {
        // No workers here after all (CSP, a failed worker): check on the page.
      }
    }
    return Promise.all(jobs.map(async (job) => checkSignature(job, await this.importKey(job))));
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

  /** Forgets what is in memory (the device's store keeps its verdicts). */
  clear(): void {
    this.verdicts.clear();
    this.keys.clear();
  }

  destroy(): void {
    this.clear();
    this.pool?.destroy();
    if (this.ownsStore) this.store?.close();
  }
}
