/**
 * The sync stack as the widgets' base (gather-widget.ts) and `<gather-room>` use it: rooms (Yjs,
 * y-webrtc, IndexedDB), this visitor's identity, the shared model machinery, the room's trust map
 * and invites. The elements' own code (Lit, the base's rendering, each element and its strings)
 * never imports it statically: they paint first, and take it with `import()` (loadSyncStack) when
 * it arrives. In the embed it is chunks/gather-core-*.js, which the loader asks for at the same
 * moment as an element's code (components/embed.ts), not after it.
 */
import { checkStorage } from '../../src/identity/storage-check.js';
import { VerificationCache } from '../../src/identity/verification.js';
import { defaultKeptStore } from '../../src/models/kept-entries.js';
import { webrtcRooms as pageRooms } from '../../src/room/registry.js';
import type { Room, RoomSource } from '../../src/room/types.js';

export { createSigner, loadDeviceSigner } from '../../src/identity/keys.js';
export { loadOrganizerKey } from '../../src/identity/organizer-store.js';
export { onRoomPasswordChange } from '../../src/identity/room-passwords.js';
export { checkStorage, storageVerdict } from '../../src/identity/storage-check.js';
export { parseOrganizers, SignedEntryModel } from '../../src/models/signed-entry-model.js';
export { loadTrust, trustLoaded } from '../../src/models/trust-source.js';
export { MembershipController } from './membership-controller.js';
export { browserRoomOptions, pageInvite, readPageInvite } from './page-invite.js';

/** One verdict cache for every widget of the page: a rebuilt model does not verify again. */
export const pageCache = new VerificationCache();

const readying = new WeakSet<Room>();

/**
 * The page's WebRTC rooms (registry.ts), each of which gets the page's verifier ready as a large
 * message from a peer begins to arrive (a new visitor's first sync of a large room): its workers
 * boot while the rest of the message comes, not once it has been applied.
 */
export const webrtcRooms: RoomSource = {
  acquire(name, options) {
    const room = pageRooms.acquire(name, options);
    if (!readying.has(room)) {
      readying.add(room);
      room.on('receiving', (_received, total) => void pageCache.expectBytes(total));
    }
    return room;
  },
  release: (room) => pageRooms.release(room),
};

// What every widget's model waits for, started as the stack loads rather than as the first widget
// connects: whether this browser keeps anything (no room is opened before), and the device's memory
// of entries (a model's first pass reads it). Opening IndexedDB takes tens of ms in a fresh browser.
void checkStorage();
defaultKeptStore();
