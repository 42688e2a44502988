/**
 * Guards a Gather document against two Yjs-level tricks that signed entries cannot see, found by
 * feeding peers 2,000 mutated updates (test/models/hostile.test.ts):
 *
 * - **Deletions in advance.** Yjs keeps the part of a delete set that names items it does not have
 *   yet (`store.pendingDs`) and applies it when they arrive. A hostile update naming clocks a peer
 *   has not written yet thus deletes everything that peer writes next, on arrival, everywhere —
 *   write-backs included. A Gather document holds only maps of entries, where no honest peer
 *   deletes (a change is a newer entry; a map overwrite deletes the old value when the new one is
 *   integrated, whatever the delete set says), so deletions waiting for items are dropped.
 * - **Items under this peer's own future clocks.** Items claiming this peer's client id at clocks
 *   it has not reached wait in `store.pendingStructs`, and would be taken for this peer's own next
 *   items (which would then be dropped as duplicates). No honest peer can hold them, so this peer
 *   takes a fresh client id before it next writes (as Yjs itself does when it sees its id in use).
 *
 * Knows nothing of any widget.
 */
import * as Y from 'yjs';

interface PendingStore {
  pendingDs: Uint8Array | null;
  pendingStructs: { missing: Map<number, number>; update: Uint8Array } | null;
}

const guarded = new WeakSet<Y.Doc>();

let dropped = 0;

/** How many times (in all documents) deletions waiting for items were dropped. */
export const pendingDeletesDropped = (): number => dropped;

const dropPendingDeletes = (transaction: Y.Transaction): void => {
  const store = transaction.doc.store as unknown as PendingStore;
  if (store.pendingDs === null) return;
  store.pendingDs = null;
  dropped++;
};

/** Starts guarding `doc` (once per document; idempotent). */
export const guardDocument = (doc: Y.Doc): void => {
  if (guarded.has(doc)) return;
  guarded.add(doc);
  dropPendingDeletes({ doc } as Y.Transaction);
  doc.on('afterTransaction', dropPendingDeletes);
};

/** A random 32-bit client id, as Yjs makes them. */
const freshClientId = (): number => globalThis.crypto.getRandomValues(new Uint32Array(1))[0]!;

/**
 * Before this peer writes: takes a fresh client id if items claiming its current one at clocks it
 * has not written are waiting in the document. Returns whether it did.
 */
export const ensureOwnClientId = (doc: Y.Doc): boolean => {
  const pending = (doc.store as unknown as PendingStore).pendingStructs;
  if (pending === null) return false;
  let claimed = false;
  try {
    const { structs } = Y.decodeUpdateV2(pending.update);
    claimed = structs.some((struct) => struct.id.client === doc.clientID);
  } catch {
    claimed = false;
  }
  if (!claimed) return false;
  doc.clientID = freshClientId();
  return true;
};
