// When this visitor last looked at a thread, kept on this device (localStorage) per room and
// thread, for "new since your last visit". Where there is no storage: nothing is marked.

const PREFIX = 'gather-thread-seen:';

const storage = (): Storage | null => {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // a sandboxed frame or blocked storage throws on access
  }
};

const keyOf = (room: string, name: string): string => `${PREFIX}${JSON.stringify([room, name])}`;

/** The time (ms) this visitor last looked at thread `name` of `room`, or null on a first visit. */
export function lastVisit(room: string, name: string): number | null {
  try {
    const value = Number(storage()?.getItem(keyOf(room, name)) ?? NaN);
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

/** Remembers that this visitor has seen thread `name` of `room` up to `at`. */
export function rememberVisit(room: string, name: string, at: number = Date.now()): void {
  try {
    storage()?.setItem(keyOf(room, name), String(Math.floor(at)));
  } catch {
    // Quota or blocked storage: the next visit marks nothing.
  }
}
