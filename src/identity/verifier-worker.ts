/**
 * Starting the verifier pool's workers (verifier-pool.ts). Apart from the pool's own code, a chunk
 * of its own in the embed, so that a page that learns a large first sync is coming
 * ({@link VerificationCache.warm}) starts the workers at once rather than once that chunk has come:
 * a worker takes ~20 ms to boot on an idle page, and over 100 ms on a busy one (it needs turns of
 * the page's main thread: measured in Chromium, two workers started before 100 ms of the page's
 * work evaluated their script only once it was done; and a message posted to a worker before its
 * script has run waits for one more turn of the page, which hands it on).
 *
 * The worker's code is a file of its own (verifier.worker.js), found beside this module: in the
 * embed, dist/chunks/verifier-worker-<hash>.js, a file `script-src 'self'` (or `worker-src`) allows
 * where Gather is served from the page's origin (from another: {@link workerURL}), made a
 * TrustedScriptURL by the `gather` policy where the page requires Trusted Types (no blob:, no eval).
 * Where workers cannot start (a CSP refusing them, no workers in Node), there are none and the
 * caller checks on the page.
 */
import { trustedScriptURL } from '../trusted-types.js';

/** Fewer jobs than this are checked on the page: a worker's round trip is not worth it for one live vote. */
export const POOL_MIN_JOBS = 64;

/** Workers in a pool: one per core beside the page's (at most 4, at least 1). */
export const verifierPoolSize = (): number => {
  const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2;
  return Math.max(1, Math.min(4, cores));
};

/** Workers started before the pool took them: `failed` once one of them could not run (a CSP refusing them, their file missing). */
export interface StartedWorkers {
  readonly workers: readonly Worker[];
  readonly failed: boolean;
}

/** A Blob of a few lines that loads the worker's file from another origin (see {@link workerURL}): one per page. */
let loader: string | null = null;

/**
 * The source of {@link loader}: `importScripts(file)`. The Blob worker has the page's CSP, so where
 * that requires Trusted Types the URL goes through a `gather` policy of the worker's own.
 */
const loaderSource = (file: string): string => `const url = ${JSON.stringify(file)};
let script = url;
try {
  if (self.trustedTypes) script = trustedTypes.createPolicy('gather', { createScriptURL: () => url }).createScriptURL('');
} catch {}
importScripts(script);
`;

/**
 * The URL to start a verifier worker from: the worker's file, beside this module (the embed's
 * build points this at its chunk: rollup.config.js, `workerFiles`). A worker's script must have the
 * page's origin: where Gather is served from another (a CDN), or a bundler inlined the file (a
 * `data:` URL: Vite does so with small files), a Blob worker imports the file (a page with a CSP
 * then needs `worker-src blob:` for it, else there are no workers).
 */
const workerURL = (): string => {
  const file = new URL('./verifier.worker.js', import.meta.url);
  if (typeof location === 'undefined' || file.origin === location.origin) return file.href;
  loader ??= URL.createObjectURL(new Blob([loaderSource(file.href)], { type: 'text/javascript' }));
  return loader;
};

/**
 * Starts `count` verifier workers now. Null where workers cannot run here; throws if one cannot
 * be started (those started are stopped).
 */
export const startVerifierWorkers = (count = verifierPoolSize()): StartedWorkers | null => {
  if (typeof Worker === 'undefined') return null;
  const workers: Worker[] = [];
  const started = { workers, failed: false };
  try {
    const url = trustedScriptURL(workerURL());
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
