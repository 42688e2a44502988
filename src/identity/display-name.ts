/**
 * The name this visitor goes by (a signup, a comment), remembered on this device and shared by
 * every widget of every page of this site: set once, editable anywhere. Kept in localStorage;
 * where there is none (some private modes), for as long as the page is open.
 */

/** localStorage key of the display name. */
export const DISPLAY_NAME_KEY = 'gather-display-name';
/** Longest display name, in UTF-16 code units. */
export const MAX_DISPLAY_NAME = 80;

let fallback = '';
const listeners = new Set<(name: string) => void>();

const storage = (): Storage | null => {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // a sandboxed frame or blocked storage throws on access
  }
};

/** A display name as people type it: trimmed, inner runs of white space as one space, bounded. */
export const cleanDisplayName = (name: string): string => name.replace(/\s+/g, ' ').trim().slice(0, MAX_DISPLAY_NAME);

/** The remembered display name ('' when none). */
export function getDisplayName(): string {
  const stored = storage();
  if (stored === null) return fallback;
  try {
    return stored.getItem(DISPLAY_NAME_KEY) ?? '';
  } catch {
    return fallback;
  }
}

/** Remembers `name` (cleaned) on this device and tells every widget of the page. */
export function setDisplayName(name: string): string {
  const clean = cleanDisplayName(name);
  fallback = clean;
  try {
    storage()?.setItem(DISPLAY_NAME_KEY, clean);
  } catch {
    // Quota or blocked storage: kept for this page only.
  }
  for (const listener of listeners) listener(clean);
  return clean;
}

/**
 * Calls `listener` when the display name changes, in this page or (through the `storage` event)
 * in another tab; returns the unsubscribe function.
 */
export function onDisplayNameChange(listener: (name: string) => void): () => void {
  const fromOtherTab = (event: StorageEvent): void => {
    if (event.key === DISPLAY_NAME_KEY) listener(event.newValue ?? '');
  };
  listeners.add(listener);
  if (typeof window !== 'undefined') window.addEventListener('storage', fromOtherTab);
  return () => {
    listeners.delete(listener);
    if (typeof window !== 'undefined') window.removeEventListener('storage', fromOtherTab);
  };
}
