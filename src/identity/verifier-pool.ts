/**
 * Signature checks in Web Workers. A page's WebCrypto calls run one at a time (measured in
 * Chromium: 10,000 Ed25519 checks take the same ~600 ms whether awaited one by one or all at
 * once), while each worker checks on its own thread: a long first sync is checked on every core
 * and the page stays free for input. The worker is a few lines built from a string (a Blob URL),
 * so the embed stays one file; where the page's CSP forbids that, or there are no workers (Node),
 * there is no pool and the caller checks on the page itself.
 *
 * Jobs travel packed into one transferred buffer per worker and batch (see {@link packJobs}):
 * structured-cloning three small typed arrays per job cost the page more than reading the entries
 * (measured: ~170 ms of `postMessage` for 10,000 ballots, on the thread the workers share cores with).
 */
import type { PreparedEntry } from './entries.js';

const WORKER_SOURCE = `
const importParams = [null, { name: 'Ed25519' }, { name: 'ECDSA', namedCurve: 'P-256' }];
const verifyParams = [null, { name: 'Ed25519' }, { name: 'ECDSA', hash: 'SHA-256' }];
const keys = new Map();
const keyFor = (alg, raw) => {
  const id = alg + ':' + String.fromCharCode.apply(null, raw);
  let key = keys.get(id);
  if (key === undefined) {
    key = crypto.subtle.importKey('raw', raw, importParams[alg], false, ['verify']).catch(() => null);
    keys.set(id, key);
    if (keys.size > 4096) keys.delete(keys.keys().next().value);
  }
  return key;
};
const check = async (alg, raw, sig, data) => {
  try {
    const key = await keyFor(alg, raw);
    return key !== null && (await crypto.subtle.verify(verifyParams[alg], key, sig, data));
  } catch {
    return false;
  }
};
onmessage = async (event) => {
  const { id, count, bytes } = event.data;
  const results = new Uint8Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const checks = [];
  for (let i = 0, o = 0; i < count; i++) {
    const alg = bytes[o], keyLength = bytes[o + 1], sigLength = bytes[o + 2], dataLength = view.getUint32(o + 3, true);
    o += 7;
    const raw = bytes.subarray(o, (o += keyLength));
    const sig = bytes.subarray(o, (o += sigLength));
    const data = bytes.subarray(o, (o += dataLength));
    checks.push(importParams[alg] ? check(alg, raw, sig, data).then((ok) => { if (ok) results[i] = 1; }) : undefined);
  }
  await Promise.all(checks);
  postMessage({ id, results }, [results.buffer]);
};
`;

const ALG_CODES = { Ed25519: 1, 'ECDSA-P256': 2 } as const;

/**
 * Jobs as one buffer: per job, alg (1 Ed25519, 2 ECDSA-P256), key length, signature length (a
 * byte each), data length (u32, little-endian), then the key, the signature and the data.
 */
export const packJobs = (jobs: readonly PreparedEntry[]): Uint8Array<ArrayBuffer> => {
  let size = 0;
  for (const job of jobs) size += 7 + job.key.length + job.sig.length + job.data.length;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let o = 0;
  for (const job of jobs) {
    bytes[o] = ALG_CODES[job.alg] ?? 0;
    bytes[o + 1] = job.key.length;
    bytes[o + 2] = job.sig.length;
    view.setUint32(o + 3, job.data.length, true);
    o += 7;
    bytes.set(job.key, o);
    o += job.key.length;
    bytes.set(job.sig, o);
    o += job.sig.length;
    bytes.set(job.data, o);
    o += job.data.length;
  }
  return bytes;
};

/** Fewer jobs than this are checked on the page: a worker's round trip is not worth it for one live vote. */
export const POOL_MIN_JOBS = 64;
/** A pool with no work for this long lets its workers go. */
const IDLE_MS = 10_000;

interface Waiting {
  readonly resolve: (results: Uint8Array) => void;
  readonly reject: (error: unknown) => void;
}

/** Workers that check signatures; see the module comment. */
export class VerifierPool {
  private workers: Worker[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private url: string | null = null;
  private broken = false;

  private constructor(private readonly size: number) {}

  /** A pool of one worker per core (at most 4), or null where workers cannot run. */
  static create(): VerifierPool | null {
    if (typeof Worker === 'undefined' || typeof Blob === 'undefined' || typeof URL?.createObjectURL !== 'function') return null;
    const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2;
    return new VerifierPool(Math.max(1, Math.min(4, cores)));
  }

  /** Whether the workers are up (started by {@link warm} or a batch, and not idle long enough to stop). */
  get running(): boolean {
    return this.workers.length > 0;
  }

  /** Whether the pool failed once (CSP, a crashed worker): then the caller checks on the page. */
  get usable(): boolean {
    return !this.broken;
  }

  /**
   * Starts the workers ahead of a large batch known to be coming (a stored room is being read), so
   * that they boot while the page reads it; they stop again after a while without work.
   */
  warm(): void {
    if (this.broken || this.workers.length > 0) return;
    try {
      this.start();
    } catch {
      return; // The pool is unusable now: the caller checks on the page.
    }
    this.idleTimer = setTimeout(() => this.stop(), IDLE_MS);
    (this.idleTimer as { unref?: () => void }).unref?.();
  }

  /** One verdict per job. Rejects if a worker cannot be started or fails; the pool is then unusable. */
  async verify(jobs: readonly PreparedEntry[]): Promise<boolean[]> {
    if (this.broken) throw new Error('verifier pool unavailable');
    clearTimeout(this.idleTimer);
    this.start();
    const per = Math.ceil(jobs.length / this.workers.length);
    const parts = this.workers.map((worker, w) => {
      const slice = jobs.slice(w * per, (w + 1) * per);
      if (slice.length === 0) return Promise.resolve(new Uint8Array(0));
      const id = this.nextId++;
      const bytes = packJobs(slice);
      return new Promise<Uint8Array>((resolve, reject) => {
        this.waiting.set(id, { resolve, reject });
        worker.postMessage({ id, count: slice.length, bytes }, [bytes.buffer]);
      });
    });
    try {
      const results = await Promise.all(parts);
      const out: boolean[] = [];
      for (const part of results) for (const verdict of part) out.push(verdict === 1);
      return out;
    } finally {
      if (this.waiting.size === 0 && !this.broken) {
        this.idleTimer = setTimeout(() => this.stop(), IDLE_MS);
        (this.idleTimer as { unref?: () => void }).unref?.();
      }
    }
  }

  private start(): void {
    if (this.workers.length > 0) return;
    try {
      this.url ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
      for (let i = 0; i < this.size; i++) {
        const worker = new Worker(this.url);
        worker.onmessage = (event: MessageEvent<{ id: number; results: Uint8Array }>) => {
          const waiting = this.waiting.get(event.data.id);
          this.waiting.delete(event.data.id);
          waiting?.resolve(event.data.results);
        };
        worker.onerror = (event) => {
          event.preventDefault();
          this.fail(new Error(`verifier worker failed: ${event.message}`));
        };
        this.workers.push(worker);
      }
    } catch (error) {
      this.fail(error);
      throw error;
    }
  }

  private fail(error: unknown): void {
    this.broken = true;
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
    this.stop();
  }

  private stop(): void {
    clearTimeout(this.idleTimer);
    for (const worker of this.workers) worker.terminate();
    this.workers = [];
  }

  destroy(): void {
    this.fail(new Error('verifier pool destroyed'));
    if (this.url !== null) URL.revokeObjectURL(this.url);
    this.url = null;
  }
}
