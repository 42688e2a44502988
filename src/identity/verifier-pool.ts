/**
 * Signature checks in Web Workers. A page's WebCrypto calls run one at a time (measured in
 * Chromium: 10,000 Ed25519 checks take the same ~600 ms whether awaited one by one or all at
 * once), while each worker checks on its own thread: a long first sync is checked on every core
 * and the page stays free for input. The worker is a few lines in a file of its own
 * (verifier.worker.js, started by verifier-worker.ts: a file the page's CSP allows as it allows
 * Gather's scripts); where the page refuses it, or there are no workers (Node), there is no pool and
 * the caller checks on the page itself.
 *
 * A batch is cut into small chunks on one queue that the workers, and the page when it is idle,
 * take from as they finish (a share per worker left the page idle ~100 ms at the end of a first
 * sync while the slower worker finished). Chunks travel packed into one buffer each (see {@link packJobs}):
 * structured-cloning three small typed arrays per job cost the page more than reading the entries
 * (measured: ~170 ms of `postMessage` for 10,000 ballots, on the thread the workers share cores with).
 * That buffer is copied to the worker, not transferred: the first ArrayBuffer a page detaches (a
 * transfer does) invalidates V8's page-wide protector against detached buffers, and V8 throws away
 * every optimized function that reads typed arrays (Yjs's and lib0's decoders, the entry readers;
 * --trace-deopt: "dependent property cell changed"), so the next update after a first sync (the
 * first live ballot) decoded unoptimized and recompiled them. A chunk is ~10 KB: copying it is
 * nothing beside its checks.
 */
import { yieldTask } from '../yield-task.js';
import type { PreparedEntry } from './entries.js';
import { sha256Pair } from './sha256.js';
import { POOL_MIN_JOBS, startVerifierWorkers, verifierPoolSize, type StartedWorkers } from './verifier-worker.js';

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

/**
 * Jobs per chunk of the shared queue: small enough that no one is left holding a long last share
 * while the others sit idle (a chunk on the page is ~2-4 ms of checks), large enough that a message
 * per chunk costs little.
 */
export const POOL_CHUNK = 48;
/**
 * Chunks a worker holds at once: the page hands a worker its next chunk as it reads an answer,
 * which waits while the page reads the room, so a worker holds a few (measured: with two, workers
 * sat idle waiting for the page).
 */
const IN_FLIGHT = 4;
/** A pool with no work for this long lets its workers go. */
const IDLE_MS = 10_000;

/**
 * The page's turn to help: a task after the page's own (a background task where the page has a
 * scheduler, so reading the room, input and rendering go first; else a task of its own).
 */
const idleTurn = (): Promise<void> => {
  const scheduler = (globalThis as { scheduler?: { postTask?: (task: () => void, options: { priority: string }) => Promise<void> } }).scheduler;
  if (typeof scheduler?.postTask === 'function') return scheduler.postTask(() => undefined, { priority: 'background' });
  return yieldTask();
};

/** A verdict-by-job checker on the page, to help with the queue when the page is idle. */
export type PageCheck = (jobs: readonly PreparedEntry[]) => Promise<boolean[]>;

/** One call of {@link VerifierPool.verify}: its verdicts as they come back. */
interface Call {
  readonly out: boolean[];
  /** With {@link VerifierPool.verifyAndHash}: each job's id (32 bytes), as they come back. */
  readonly ids: Uint8Array | null;
  left: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** A chunk of a call's jobs, from `start`. */
interface Chunk {
  readonly call: Call;
  readonly start: number;
  readonly jobs: readonly PreparedEntry[];
}

/**
 * Workers that check signatures; see the module comment. Every batch is cut into small chunks on
 * one queue: each worker takes the next chunk as it answers one, and the page (given a
 * {@link PageCheck}) takes one whenever it gets its turn, so all finish together.
 */
export class VerifierPool {
  private workers: Worker[] = [];
  /** Chunks sent to each worker and not answered, by message id. */
  private readonly sent = new Map<number, Chunk>();
  private readonly busy = new Map<Worker, number>();
  private readonly queue: Chunk[] = [];
  private readonly calls = new Set<Call>();
  private nextId = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private broken = false;
  private pageHelping = false;
  /** Workers that have answered since they started (until all have, the pool is {@link booting}). */
  private readonly answered = new Set<Worker>();

  private constructor(
    private readonly size: number,
    /** Workers started before this pool's code came ({@link startVerifierWorkers}), taken at its first start. */
    private early: StartedWorkers | null,
  ) {}

  /**
   * A pool of one worker per core (at most 4), or null where workers cannot run. With `early`,
   * the workers already started for it (as many as it holds).
   */
  static create(early: StartedWorkers | null = null): VerifierPool | null {
    if (typeof Worker === 'undefined') {
      for (const worker of early?.workers ?? []) worker.terminate();
      return null;
    }
    return new VerifierPool(early?.workers.length || verifierPoolSize(), early);
  }

  /** Whether the workers are up (started by {@link warm} or a batch, and not idle long enough to stop). */
  get running(): boolean {
    return this.workers.length > 0;
  }

  /**
   * Whether the workers are starting: some have not answered yet. A worker needs turns of the
   * page's main thread to boot (see verifier-worker.ts), and its first message waits for one more.
   */
  get booting(): boolean {
    return this.workers.length > 0 && this.answered.size < this.workers.length;
  }

  /** Batches smaller than this are checked on the page ({@link POOL_MIN_JOBS}). */
  readonly minJobs = POOL_MIN_JOBS;

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
    this.idleLater();
  }

  /**
   * One verdict per job, in order. With `page`, the page takes chunks from the queue too, one per
   * turn of its own (a task between chunks). Rejects if a worker cannot be started or fails; the
   * pool is then unusable.
   */
  verify(jobs: readonly PreparedEntry[], page?: PageCheck): Promise<boolean[]> {
    return this.run(jobs, page, false).then((call) => call.out);
  }

  /**
   * Like {@link verify}, and each job's id as well: the SHA-256 of its data then its signature
   * (verification.ts's `entryId`, before base64url), 32 bytes a job in `ids`, made by the workers
   * with the engine's own SHA-256 (by the page for the chunks it takes).
   */
  async verifyAndHash(jobs: readonly PreparedEntry[], page?: PageCheck): Promise<{ verdicts: boolean[]; ids: Uint8Array }> {
    const call = await this.run(jobs, page, true);
    return { verdicts: call.out, ids: call.ids! };
  }

  private run(jobs: readonly PreparedEntry[], page: PageCheck | undefined, hash: boolean): Promise<Call> {
    if (this.broken) return Promise.reject(new Error('verifier pool unavailable'));
    clearTimeout(this.idleTimer);
    try {
      this.start();
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<Call>((resolve, reject) => {
      const call: Call = { out: new Array<boolean>(jobs.length).fill(false), ids: hash ? new Uint8Array(jobs.length * 32) : null, left: jobs.length, resolve: () => resolve(call), reject };
      if (jobs.length === 0) return resolve(call);
      this.calls.add(call);
      for (let start = 0; start < jobs.length; start += POOL_CHUNK) this.queue.push({ call, start, jobs: jobs.slice(start, start + POOL_CHUNK) });
      this.dispatch();
      if (page !== undefined) void this.help(page);
    });
  }

  /** Sends queued chunks to workers holding fewer than {@link IN_FLIGHT}. */
  private dispatch(): void {
    for (let round = 0; round < IN_FLIGHT; round++) {
      for (const worker of this.workers) {
        if (this.queue.length === 0) return;
        if ((this.busy.get(worker) ?? 0) > round) continue;
        this.send(worker, this.queue.shift()!);
      }
    }
  }

  private send(worker: Worker, chunk: Chunk): void {
    const id = this.nextId++;
    const bytes = packJobs(chunk.jobs);
    this.sent.set(id, chunk);
    this.busy.set(worker, (this.busy.get(worker) ?? 0) + 1);
    // Copied, not transferred (see the module comment: no buffer of the page is ever detached).
    worker.postMessage({ id, count: chunk.jobs.length, bytes, hash: chunk.call.ids !== null });
  }

  /** The page's share: a chunk from the queue per turn of its own, while there are any. */
  private async help(page: PageCheck): Promise<void> {
    if (this.pageHelping) return;
    this.pageHelping = true;
    try {
      while (!this.broken) {
        await idleTurn();
        const chunk = this.queue.pop();
        if (chunk === undefined) break;
        let verdicts: boolean[];
        try {
          verdicts = await page(chunk.jobs);
        } catch {
          verdicts = [];
        }
        this.answer(chunk, (i) => verdicts[i] === true);
      }
    } finally {
      this.pageHelping = false;
    }
  }

  /** Records a chunk's verdicts (and ids: a worker's `digests`, else made here); settles its call once every chunk is in. */
  private answer(chunk: Chunk, ok: (i: number) => boolean, digests?: Uint8Array | null): void {
    const { call, start, jobs } = chunk;
    if (!this.calls.has(call)) return;
    for (let i = 0; i < jobs.length; i++) call.out[start + i] = ok(i);
    if (call.ids !== null) {
      if (digests != null && digests.length === jobs.length * 32) call.ids.set(digests, start * 32);
      else for (let i = 0; i < jobs.length; i++) call.ids.set(sha256Pair(jobs[i]!.data, jobs[i]!.sig), (start + i) * 32);
    }
    call.left -= jobs.length;
    if (call.left > 0) return;
    this.calls.delete(call);
    call.resolve();
    if (this.calls.size === 0 && !this.broken) this.idleLater();
  }

  private idleLater(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), IDLE_MS);
    (this.idleTimer as { unref?: () => void }).unref?.();
  }

  private start(): void {
    if (this.workers.length > 0) return;
    const early = this.early;
    this.early = null;
    try {
      if (early?.failed) throw new Error('verifier worker failed');
      const started = early ?? startVerifierWorkers(this.size);
      if (started === null) throw new Error('no workers here');
      for (const worker of started.workers) {
        worker.onmessage = (event: MessageEvent<{ id: number; results: Uint8Array; digests?: Uint8Array | null }>) => {
          this.answered.add(worker);
          const chunk = this.sent.get(event.data.id);
          this.sent.delete(event.data.id);
          this.busy.set(worker, Math.max(0, (this.busy.get(worker) ?? 1) - 1));
          if (this.queue.length > 0) this.send(worker, this.queue.shift()!);
          if (chunk !== undefined) this.answer(chunk, (i) => event.data.results[i] === 1, event.data.digests);
        };
        worker.onerror = (event) => {
          event.preventDefault();
          this.fail(new Error(`verifier worker failed: ${event.message}`));
        };
        this.workers.push(worker);
      }
    } catch (error) {
      for (const worker of early?.workers ?? []) if (!this.workers.includes(worker)) worker.terminate();
      this.fail(error);
      throw error;
    }
  }

  private fail(error: unknown): void {
    this.broken = true;
    for (const call of this.calls) call.reject(error);
    this.calls.clear();
    this.sent.clear();
    this.queue.length = 0;
    this.stop();
  }

  private stop(): void {
    clearTimeout(this.idleTimer);
    for (const worker of this.workers) worker.terminate();
    this.workers = [];
    this.busy.clear();
    this.answered.clear();
  }

  destroy(): void {
    for (const worker of this.early?.workers ?? []) worker.terminate();
    this.early = null;
    this.fail(new Error('verifier pool destroyed'));
  }
}
