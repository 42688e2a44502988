/**
 * The verifier pool's workers (verifier-pool.ts): their few lines of code, and starting them. Apart
 * from the pool's own code, a chunk of its own in the embed, so that a page that learns a large
 * first sync is coming ({@link VerificationCache.warm}) starts the workers at once rather than once
 * that chunk has come: a worker takes ~20 ms to boot on an idle page, and over 100 ms on a busy one
 * (it needs turns of the page's main thread: measured in Chromium, two workers started before 100 ms
 * of the page's work evaluated their script only once it was done; and a message posted to a worker
 * before its script has run waits for one more turn of the page, which hands it on).
 *
 * The worker is built from a string (a Blob URL), so the embed stays one file; where the page's CSP
 * forbids that, or there are no workers (Node), there are none and the caller checks on the page.
 */

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
const digest = async (sig, data, digests, at) => {
  const joined = new Uint8Array(data.length + sig.length);
  joined.set(data);
  joined.set(sig, data.length);
  digests.set(new Uint8Array(await crypto.subtle.digest('SHA-256', joined)), at);
};
onmessage = async (event) => {
  const { id, count, bytes, hash } = event.data;
  const results = new Uint8Array(count);
  // Asked for: each job's id too (SHA-256 of its data then its signature), 32 bytes a job.
  let digests = hash ? new Uint8Array(count * 32) : null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const checks = [];
  const hashes = [];
  for (let i = 0, o = 0; i < count; i++) {
    const alg = bytes[o], keyLength = bytes[o + 1], sigLength = bytes[o + 2], dataLength = view.getUint32(o + 3, true);
    o += 7;
    const raw = bytes.subarray(o, (o += keyLength));
    const sig = bytes.subarray(o, (o += sigLength));
    const data = bytes.subarray(o, (o += dataLength));
    checks.push(importParams[alg] ? check(alg, raw, sig, data).then((ok) => { if (ok) results[i] = 1; }) : undefined);
    if (digests !== null) hashes.push(digest(sig, data, digests, i * 32));
  }
  await Promise.all(checks);
  // Ids that could not be made are made by the page.
  if (digests !== null && !(await Promise.all(hashes).then(() => true, () => false))) digests = null;
  postMessage({ id, results, digests }, digests === null ? [results.buffer] : [results.buffer, digests.buffer]);
};
`;

/** Fewer jobs than this are checked on the page: a worker's round trip is not worth it for one live vote. */
export const POOL_MIN_JOBS = 64;

/** Workers in a pool: one per core beside the page's (at most 4, at least 1). */
export const verifierPoolSize = (): number => {
  const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2;
  return Math.max(1, Math.min(4, cores));
};

/** Workers started before the pool took them: `failed` once one of them could not run (a CSP refusing Blob workers). */
export interface StartedWorkers {
  readonly workers: readonly Worker[];
  readonly failed: boolean;
}

/** The Blob URL of {@link WORKER_SOURCE}: one per page, kept while it lives (a kilobyte). */
let url: string | null = null;

/**
 * Starts `count` verifier workers now. Null where workers cannot run here; throws if one cannot
 * be started (those started are stopped).
 */
export const startVerifierWorkers = (count = verifierPoolSize()): StartedWorkers | null => {
  if (typeof Worker === 'undefined' || typeof Blob === 'undefined' || typeof URL?.createObjectURL !== 'function') return null;
  const workers: Worker[] = [];
  const started = { workers, failed: false };
  try {
    url ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    for (let i = 0; i < count; i++) {
      const worker = new Worker(url);
      // Until a pool takes it (it sets its own handler): a worker that cannot run is remembered.
      worker.onerror = (event) => {
        event.preventDefault();
        started.failed = true;
      };
      workers.push(worker);
    }
  } catch (error) {
    for (const worker of workers) worker.terminate();
    throw error;
  }
  return started;
};
