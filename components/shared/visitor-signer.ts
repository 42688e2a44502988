import { createSigner, loadDeviceSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';

let signer: Promise<Signer> | undefined;

/**
 * The identity that signs this visitor's entries: the device's own key, kept in IndexedDB; where
 * the browser keeps no IndexedDB (some private modes), a key for as long as this page is open, so
 * that the visitor can still take part. One per page, whatever the number of widgets.
 */
export function visitorSigner(): Promise<Signer> {
  signer ??= loadDeviceSigner().catch((error: unknown) => {
    console.warn('gather: this browser keeps no device key, so votes from this page cannot be changed after it closes.', error);
    return createSigner();
  });
  return signer;
}
