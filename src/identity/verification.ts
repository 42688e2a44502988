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
import { keyImportParams, signParams } from './algorithms.js';
import { toBase64url } from './base64url.js';
import { prepareEntry, type PreparedEntry } from './entries.js';
import { sha256Pair } from './sha256.js';
import type { SignatureAlgorithm } from './types.js';
import { openVerdictStore, type VerdictStore } from './verdict-store.js';
import type { VerifierPool } from './verifier-pool.js';
import { POOL_MIN_JOBS, startVerifierWorkers, type StartedWorkers } from './verifier-worker.js';
import { yieldTask } from '../yield-task.js';

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

/** Entries to verify from which {@link VerificationCache.warm} starts the workers. */
export const WARM_MIN_JOBS = 1000;

/**
 * The fewest bytes one signed entry takes in a message from a peer (its 64-byte signature, its
 * author's 32-byte key, its header and key in the document): a message's length over it bounds the
 * entries it may hold ({@link VerificationCache.expectBytes}).
 */
const MIN_ENTRY_BYTES = 100;

/** Verdicts reached in one batch from which the device's store writes them at once (not a live vote's). */
const FLUSH_MIN_JOBS = 64;

/**
 * Entries of a first sync that the page checks itself while the verifier's workers boot, the way it
 * checks a live entry (the id hashed on the page, the verdict looked up, WebCrypto on the page),
 * once per cache. Otherwise the page's own way of checking ran for the first time on the first live
 * entry after a large first sync (every batch of that sync went to the workers, or to the pool's
 * queue): that entry paid for compiling it and its first calls (~0.2-0.3 ms measured in the poll
 * bench's first ballot after 10,000 voters), and, on a page that had not used WebCrypto yet, for its
 * first key import (~0.4 ms in Chromium). Taken from the first batch of {@link BOOT_PAGE_JOBS} +
 * POOL_MIN_JOBS entries or more asked for while the workers boot: the workers take the rest at once.
 */
export const BOOT_PAGE_JOBS = 64;

/** Signatures checked on the page at a time (see {@link VerificationCache}'s check). */
const PAGE_CHUNK = 256;

/** The id of a prepared entry: base64url SHA-256 of its signed bytes ‖ signature. */
export const entryId = (prepared: PreparedEntry): string => toBase64url(sha256Pair(prepared.data, prepared.sig));

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

/** A verdict still being reached: entry `index` of the batch `batch` is checking. */
interface Checking {
  readonly batch: Promise<boolean[]>;
  readonly index: number;
}

/**
 * Verifies entries, remembering verdicts (bounded, oldest first out; good ones also on this
 * device) and imported keys. Share one per page between models.
 */
export class VerificationCache {
  /** Verdicts by entry id: reached, or being reached (then another batch asking waits for it). */
  private readonly verdicts = new Map<string, boolean | Checking>();
  /** Public keys by algorithm and author: being imported, or once imported the key itself. */
  private readonly keys = new Map<string, Promise<CryptoKey | null> | CryptoKey | null>();
  private readonly maxEntries: number;
  private readonly maxKeys: number;
  private readonly store: VerdictStore | null;
  private readonly ownsStore: boolean;
  /** Whether large batches may go to workers ({@link VerificationCacheOptions.workers}). */
  private readonly workers: boolean;
  /**
   * The workers, once a large first sync asked for them ({@link warm}): their code (verifier-pool.ts)
   * is a chunk of its own in the embed, fetched then, since most pages never sync 1,000 entries.
   */
  private pool: VerifierPool | null = null;
  /** The workers, started by {@link warm} while the pool's code comes; the pool takes them. */
  private early: StartedWorkers | null = null;
  private poolLoading: Promise<void> | null = null;
  /** Whether {@link poolLoading} has settled (the workers' code came, or could not). */
  private poolLoaded = false;
  private destroyed = false;
  private checked = 0;
  /** The last chunk of page checks asked for (they run one after another). Never rejects. */
  private pageTurn: Promise<unknown> = Promise.resolve();
  /** Chunks of page checks asked for and not done. */
  private pageChunks = 0;
  /** Whether the device's store has loaded: a batch then asks it at once, without waiting a turn. */
  private storeLoaded = false;
  /**
   * Whether the device's store held no verdict when it loaded (a new visitor's): then no verdict
   * is known but those this page reaches, and a first sync's batches are not looked up (see
   * {@link checkNew}).
   */
  private deviceNew = false;
  /** Whether the page has taken its share of a first sync while the workers booted ({@link BOOT_PAGE_JOBS}). */
  private bootShareTaken = false;

  constructor({ maxEntries = 20_000, maxKeys = 20_000, persist = true, workers = true }: VerificationCacheOptions = {}) {
    this.maxEntries = Math.max(1, maxEntries);
    this.maxKeys = Math.max(1, maxKeys);
    this.ownsStore = persist === true;
    this.store = persist === true ? openVerdictStore() : persist === false ? null : persist;
    this.workers = workers;
    void this.store?.ready.then(
      () => {
        this.storeLoaded = true;
        this.deviceNew = this.store!.size === 0;
      },
      () => undefined,
    );
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

  /**
   * Gets ready for about `count` entries to verify soon: starts the workers for a large first sync
   * ({@link WARM_MIN_JOBS} or more). Batches go to the workers only while they run: booting them
   * (~20–150 ms) costs more than checking a few hundred entries on the page. The first time, the
   * workers start at once, in this call, and the pool's code (verifier-pool.ts, a chunk of its own
   * in the embed) is fetched meanwhile and takes them. Resolves once the workers are booting, or
   * known not to be available.
   */
  warm(count: number): Promise<void> {
    if (count < WARM_MIN_JOBS || !this.workers) return Promise.resolve();
    if (this.poolLoading === null) {
      try {
        this.early = startVerifierWorkers();
      } catch {
        this.early = null; // the pool tries again, and finds out for itself
      }
    }
    this.poolLoading ??= import('./verifier-pool.js').then(
      ({ VerifierPool }) => {
        this.poolLoaded = true;
        if (!this.destroyed) this.pool = VerifierPool.create(this.early);
        this.early = null;
      },
      () => {
        this.poolLoaded = true; // its code could not be loaded: the page checks every entry
        this.stopEarly();
      },
    );
    return this.poolLoading.then(() => {
      if (this.pool?.usable) this.pool.warm();
    });
  }

  /**
   * Gets ready for a message of `bytes` that has begun to arrive from a peer (a room's `receiving`):
   * one that may hold {@link WARM_MIN_JOBS} entries or more starts the workers now, so that they
   * boot while the rest of it comes (a 10,000-ballot room is 1.5 MB: hundreds of ms on a real
   * network) rather than once it is applied. Nothing in the message is trusted for this: a peer
   * that announces a large message and sends nothing more has started two idle workers, which stop
   * by themselves (verifier-pool.ts).
   */
  expectBytes(bytes: number): Promise<void> {
    return this.warm(Math.floor(bytes / MIN_ENTRY_BYTES));
  }

  /**
   * Whether workers started for a first sync ({@link warm}) are still booting (not all of them
   * have answered): they need turns of the page's main thread to start, so a model reading a room
   * meanwhile gives the page its turn often (entry-model.ts).
   */
  get workersBooting(): boolean {
    if (this.early !== null) return !this.early.failed;
    return this.pool?.usable === true && this.pool.booting;
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
    if (this.store !== null && !this.storeLoaded) await this.store.ready;
    // While the workers boot, the page checks the first entries of a batch large enough for the workers
    // to take the rest (BOOT_PAGE_JOBS, once); the rest is handed on at once.
    if (!this.bootShareTaken && batch.length >= BOOT_PAGE_JOBS + POOL_MIN_JOBS && this.workersBooting) {
      this.bootShareTaken = true;
      const rest = this.verifyBatch(batch.slice(BOOT_PAGE_JOBS));
      const first = await this.lookUpAndCheck(batch.slice(0, BOOT_PAGE_JOBS), true);
      return first.concat(await rest);
    }
    if (this.deviceNew && batch.length >= FLUSH_MIN_JOBS) {
      const verdicts = await this.checkNew(batch);
      if (verdicts !== null) return verdicts;
    }
    return this.lookUpAndCheck(batch, false);
  }

  /**
   * {@link verifyBatch}'s usual way: verdicts from memory and from the device's store, the rest
   * checked together ({@link check}; `onPage`: on the page, whatever the batch's size).
   */
  private async lookUpAndCheck(batch: readonly PreparedEntry[], onPage: boolean): Promise<boolean[]> {
    // Plain arrays and one promise per batch, not one per entry: a first sync is 10,000 entries.
    const out: boolean[] = new Array<boolean>(batch.length).fill(false);
    const waiting: [number, Checking][] = [];
    const fresh: number[] = [];
    const ids: string[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      let id: string;
      try {
        id = entryId(batch[i]!);
      } catch {
        continue;
      }
      ids[i] = id;
      const known = this.verdicts.get(id);
      if (known === true || known === false) out[i] = known;
      else if (known !== undefined) waiting.push([i, known]);
      else if (this.store?.has(id)) {
        out[i] = true;
        remember(this.verdicts, id, true, this.maxEntries);
      } else fresh.push(i);
    }
    if (fresh.length > 0) {
      const checking = this.check(fresh.map((i) => batch[i]!), onPage);
      const marks = fresh.map((i, index): Checking => {
        const mark = { batch: checking, index };
        remember(this.verdicts, ids[i]!, mark, this.maxEntries);
        return mark;
      });
      const results = await checking;
      fresh.forEach((i, j) => {
        const id = ids[i]!;
        const ok = results[j] === true;
        out[i] = ok;
        // Unless forgotten (or replaced) meanwhile, the mark becomes the verdict.
        if (this.verdicts.get(id) === marks[j]) this.verdicts.set(id, ok);
        if (ok) this.store?.add(id);
      });
      // A first sync's slice is written now (the store waits a while for more after a live vote):
      // a visitor who reloads or leaves as soon as the room is shown keeps what was checked (a
      // write begun as the page goes away may not land).
      if (fresh.length >= FLUSH_MIN_JOBS) void this.store?.flush();
    }
    for (const [i, { batch: other, index }] of waiting) out[i] = (await other)[index] === true;
    return out;
  }

  /**
   * A large batch on a device that knew no verdict when the page opened (a new visitor's first
   * sync): nothing to look up, so the entries go to the workers as they are, and the workers
   * make each id (SHA-256 of the signed bytes then the signature, with the engine's own hash) as
   * they check it; the verdicts are then remembered and kept on the device by those ids, as
   * {@link verifyBatch} does. The page hashes nothing (its SHA-256 is JavaScript, and slow and
   * allocating until the engine has optimized it: ~10-40 µs an entry for a first sync's first
   * slices). An entry this page checks twice (two widgets with the same entry) is checked twice.
   * Null where the workers are not running (the usual way then).
   */
  private async checkNew(batch: readonly PreparedEntry[]): Promise<boolean[] | null> {
    if (this.poolLoading !== null && !this.poolLoaded) await this.poolLoading;
    const pool = this.pool;
    if (pool === null || !pool.usable || !pool.running || batch.length < pool.minJobs) return null;
    let answer: { verdicts: boolean[]; ids: Uint8Array };
    try {
      answer = await pool.verifyAndHash(batch, this.checkOnPage);
    } catch {
      return null; // No workers after all: checked the usual way.
    }
    this.checked += batch.length;
    const { verdicts, ids } = answer;
    for (let i = 0; i < batch.length; i++) {
      const id = toBase64url(ids.subarray(i * 32, i * 32 + 32));
      const ok = verdicts[i] === true;
      // A verdict another batch is still reaching for the same entry keeps its place (it settles it).
      if (typeof this.verdicts.get(id) !== 'object') remember(this.verdicts, id, ok, this.maxEntries);
      if (ok) this.store?.add(id);
    }
    void this.store?.flush();
    return verdicts;
  }

  /** One verdict per job (`onPage`: checked on the page, not by the workers). Never rejects. */
  private async check(jobs: readonly PreparedEntry[], onPage: boolean): Promise<boolean[]> {
    this.checked += jobs.length;
    // Workers asked for whose code is still coming: a first sync's batches wait for them (the page
    // goes on reading the room meanwhile) rather than being checked on the page, but for its share.
    // (`onPage` is tested last, so that the page's share runs the same tests as a live entry.)
    if (this.poolLoading !== null && !this.poolLoaded && !onPage) await this.poolLoading;
    if (this.pool?.usable && this.pool.running && jobs.length >= this.pool.minJobs && !onPage) {
      try {
        // The workers take small chunks from one queue, the page one whenever it is idle.
        return await this.pool.verify(jobs, this.checkOnPage);
      } catch {
        // No workers here after all (CSP, a failed worker): check on the page.
      }
    }
    // On the page, one chunk at a time across every batch, with the page's turn between chunks:
    // Chromium checks an Ed25519 signature on the calling thread (~50 µs), and 10,000 answers
    // chained one after another (a first sync's slices, all at once) kept timers and the page's
    // own work waiting ~650 ms.
    // A lone small batch (a live vote) is checked at once, with no turn to wait for; a single entry
    // with nothing else being checked goes straight to the signature check.
    if (jobs.length === 1 && this.pageChunks === 0) return [await this.checkOne(jobs[0]!)];
    const out: boolean[] = [];
    for (let start = 0; start < jobs.length; start += PAGE_CHUNK) {
      const chunk = jobs.slice(start, start + PAGE_CHUNK);
      const after = start > 0 || this.pageChunks > 0 ? this.pageTurn.then(yieldTask) : this.pageTurn;
      this.pageChunks++;
      const turn = after.then(() => this.checkOnPage(chunk));
      this.pageTurn = turn.finally(() => this.pageChunks--);
      for (const verdict of await turn) out.push(verdict);
    }
    return out;
  }

  /** Checks `jobs` on the page, all at once. Never rejects. */
  private readonly checkOnPage = (jobs: readonly PreparedEntry[]): Promise<boolean[]> => Promise.all(jobs.map((job) => this.checkOne(job)));

  /** Checks one entry's signature on the page, with its author's key as soon as it is there. Never rejects. */
  private async checkOne(job: PreparedEntry): Promise<boolean> {
    const key = this.importKey(job);
    return checkSignature(job, key instanceof Promise ? await key : key);
  }

  /** The author's key: imported once (a promise the first time), then the key itself. */
  private importKey(prepared: PreparedEntry): Promise<CryptoKey | null> | CryptoKey | null {
    const id = prepared.alg + ':' + prepared.author;
    let key = this.keys.get(id);
    if (key === undefined) {
      const importing = importPublicKey(prepared.alg, prepared.key);
      remember(this.keys, id, importing, this.maxKeys);
      // Kept in its place (Map order, and so what is forgotten first, unchanged), unless forgotten meanwhile.
      void importing.then((imported) => {
        if (this.keys.get(id) === importing) this.keys.set(id, imported);
      });
      key = importing;
    }
    return key;
  }

  /** Forgets what is in memory (the device's store keeps its verdicts). */
  clear(): void {
    this.verdicts.clear();
    this.keys.clear();
  }

  /** Stops the workers started for a pool that will not take them. */
  private stopEarly(): void {
    for (const worker of this.early?.workers ?? []) worker.terminate();
    this.early = null;
  }

  destroy(): void {
    this.clear();
    this.destroyed = true;
    this.stopEarly();
    this.pool?.destroy();
    if (this.ownsStore) this.store?.close();
  }
}
