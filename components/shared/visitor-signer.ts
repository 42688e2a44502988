import type { Signer } from '../../src/identity/types.js';
import { warnOnce } from '../../src/room/options.js';
import { loadSyncStack } from './sync-loader.js';

let signer: Promise<Signer> | undefined;
const listeners = new Set<() => void>();

/**
 * The identity that signs this visitor's entries: the organizer key this browser holds (restored
 * or made in a `<gather-organizer>` panel), else the device's own key, kept in IndexedDB; where
 * the browser keeps no IndexedDB (some private modes), a key for as long as this page is open, so
 * that the visitor can still take part. One per page, whatever the number of widgets. Its code is
 * the sync stack's (loaded with `import()`: the widgets paint before it comes).
 */
export function visitorSigner(): Promise<Signer> {
  signer ??= (async () => {
    if (globalThis.isSecureContext === false) {
      // Told to the site owner once; visitors see one line saying they cannot take part (status.ts).
      warnOnce(
        `gather: this page (${location.origin}) is served over plain http, and browsers give its scripts no WebCrypto: visitors can read the widgets but cannot vote, sign up or post. ` +
          'Serve the page over https (http://localhost works while you try it out).',
      );
      throw new Error('gather: not a secure context');
    }
    const { createSigner, loadDeviceSigner, loadOrganizerKey } = await loadSyncStack();
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
