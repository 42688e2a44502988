import { ContextRoot, createContext } from '@lit/context';
import type { Signer } from '../../src/identity/types.js';
import type { RoomOptions, RoomSource } from '../../src/room/types.js';

/** What an enclosing `<gather-room>` hands to the widgets inside it. Every field is optional. */
export interface RoomContextValue {
  readonly room?: string;
  readonly options: Partial<RoomOptions>;
  /** Where rooms come from: WebRTC by default; linked in-memory rooms in tests and stories. */
  readonly source?: RoomSource;
  /** The identity that signs this visitor's entries; the device's own key by default. */
  readonly signer?: Promise<Signer>;
}

export const roomContext = createContext<RoomContextValue>(Symbol('gather-room'));

let rooted = false;

/**
 * Lets widgets that upgrade before their `<gather-room>` find it once it does: context requests
 * made meanwhile wait at the document's root and are answered when the provider appears. Once per
 * page, whichever module gets here first (the elements may load in any order).
 */
export function attachContextRoot(): void {
  if (rooted || typeof document === 'undefined') return;
  rooted = true;
  new ContextRoot().attach(document.documentElement);
}

attachContextRoot();
