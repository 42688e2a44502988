import { createSigner, loadDeviceSigner } from '../../src/identity/keys.js';
import { loadOrganizerKey } from '../../src/identity/organizer-store.js';
import type { Signer } from '../../src/identity/types.js';

let signer: Promise<Signer> | undefined;
const listeners = new Set<() => void>();

/**
 * The identity that signs this visitor's entries: the organizer key this browser holds (restored
 * or made in a `<gather-organizer>` panel), else the device's own key, kept in IndexedDB; where
 * the browser keeps no IndexedDB (some private modes), a key for as long as this page is open, so
 * that the visitor can still take part. One per page, whatever the number of widgets.
 */
export function visitorSigner(): Promise<Signer> {
  signer ??= (async () => {
    const organizer = await loadOrganizerKey();
    if (organizer !== null) return organizer.signer;
    return loadDeviceSigner().catch((error: unknown) => {
      console.warn('gather: this browser keeps no device key, so votes from this page cannot be changed after it closes.', error);
      return createSigner();
    });
  })();
  return signer;
}

/** Looks the visitor's identity up again (an organizer key was restored or forgotten) and tells the page's widgets. */
export function refreshVisitorSigner(): void {
  signer = undefined;
  for (const listener of [...listeners]) listener();
}

/** Calls `listener` when the visitor's identity changes ({@link refreshVisitorSigner}); returns the unsubscribe function. */
export function onVisitorSignerChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
