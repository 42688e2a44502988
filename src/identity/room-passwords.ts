/**
 * Room passwords this device holds: set by an organizer's panel, or brought by an invite link
 * (`#invite=…&password=…`), and remembered so that the link can leave the address bar. Kept in
 * localStorage by room tag (not by name: an open room's name is what lets anyone in); where
 * there is none (blocked site data), for as long as the page is open.
 *
 * Whoever can read this browser's site data can read them: a password keeps strangers and the
 * signaling server out, not someone holding this device.
 */
import { roomTag } from './entries.js';

/** localStorage key of the remembered passwords (`{ <room tag>: <password> }`). */
export const ROOM_PASSWORDS_KEY = 'gather-room-passwords';
/** Rooms remembered at most (the oldest are forgotten first). */
const MAX_ROOMS = 64;
/** Longest password remembered. */
const MAX_PASSWORD = 256;

const memory = new Map<string, string>();
const listeners = new Set<() => void>();

const storage = (): Storage | null => {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // blocked site data throws on access
  }
};

/**
 * What localStorage held, parsed: read once, then again only after this page wrote it or another
 * tab did (its `storage` event). Every widget render asks for its room's password, and a
 * localStorage read and parse each time was ~0.1-0.3 ms of a render.
 */
let stored: Map<string, string> | null = null;
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === null || event.key === ROOM_PASSWORDS_KEY) stored = null;
  });
}

const readAll = (): Map<string, string> => {
  stored ??= readStored();
  const out = new Map(memory);
  for (const [tag, password] of stored) out.set(tag, password);
  return out;
};

const readStored = (): Map<string, string> => {
  const out = new Map<string, string>();
  try {
    const text = storage()?.getItem(ROOM_PASSWORDS_KEY);
    const parsed: unknown = text ? JSON.parse(text) : null;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      for (const [tag, password] of Object.entries(parsed)) {
        if (typeof password === 'string' && password.length > 0 && password.length <= MAX_PASSWORD) out.set(tag, password);
      }
    }
  } catch {
    /* unreadable: what the page holds */
  }
  return out;
};

/** The password this device holds for the room `name`, or null. */
export function roomPassword(name: string): string | null {
  const tag = roomTag(name);
  return memory.get(tag) ?? (stored ??= readStored()).get(tag) ?? null;
}

/** Remembers `password` for the room `name` on this device (null forgets it), and tells the page's widgets. */
export function rememberRoomPassword(name: string, password: string | null): void {
  const tag = roomTag(name);
  const all = readAll();
  all.delete(tag);
  memory.delete(tag);
  if (password !== null && password.length > 0 && password.length <= MAX_PASSWORD) {
    all.set(tag, password);
    memory.set(tag, password);
  }
  while (all.size > MAX_ROOMS) all.delete(all.keys().next().value!);
  try {
    storage()?.setItem(ROOM_PASSWORDS_KEY, JSON.stringify(Object.fromEntries(all)));
  } catch {
    /* quota or blocked: kept for this page only */
  }
  stored = null;
  for (const listener of [...listeners]) listener();
}

/** Calls `listener` when a room password is remembered or forgotten in this page; returns the unsubscribe function. */
export function onRoomPasswordChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
