/**
 * Loads the sync stack (sync-stack.ts) once per page, with `import()`: the elements paint before
 * it has come, and attach their room and model when it has. {@link syncStack} is the loaded module
 * (null until then), for code that runs on every render and must not wait.
 */
type SyncStack = typeof import('./sync-stack.js');

let loaded: SyncStack | null = null;
let loading: Promise<SyncStack> | null = null;

/** The sync stack, once loaded; null before. */
export const syncStack = (): SyncStack | null => loaded;

let told = false;

/** Says in the console (once a page) that some of the widgets' code could not be loaded, with what to do; rethrows. */
function tell(error: unknown): never {
  if (!told) console.error('gather: the code that connects the widgets to their room could not be loaded. Serve the whole dist/ folder (dist/chunks/ too) from where gather.js is.', error);
  told = true;
  throw error;
}

/** Loads the sync stack (once; again after a failure), resolving with it. A failure is said in the console. */
export function loadSyncStack(): Promise<SyncStack> {
  loading ??= import('./sync-stack.js').then(
    (module) => (loaded = module),
    (error: unknown) => {
      loading = null;
      return tell(error);
    },
  );
  return loading;
}

/**
 * A module loaded once with `import()`, its value kept for synchronous use once it has come (a
 * widget's model class: the poll's is in a chunk of its own, fetched alongside the sync stack).
 * A failure is said in the console (once a page); the next load tries again.
 */
export function lazyModule<T>(importer: () => Promise<T>): { readonly value: T | null; load(): Promise<T> } {
  let value: T | null = null;
  let pending: Promise<T> | null = null;
  return {
    get value() {
      return value;
    },
    load() {
      pending ??= importer().then(
        (module) => (value = module),
        (error: unknown) => {
          pending = null;
          return tell(error);
        },
      );
      return pending;
    },
  };
}
