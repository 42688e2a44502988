/**
 * A peer's update handed on as it came, instead of encoded again by Yjs.
 *
 * After each transaction with an 'update' listener, Yjs 13.6 encodes the transaction's changes
 * (`writeUpdateMessageFromTransaction`): several passes over every client of the document (the
 * state vectors before and after, compared and sorted), about 1.3 ms per update at 10,000 clients
 * — more than half of applying a peer's one-ballot update — and tens of ms for a large first sync.
 * Every provider listens ('update' is how y-webrtc relays, y-indexeddb stores, the keeper's link
 * sends), so every page paid it, for bytes it had just received.
 *
 * For a transaction that applied exactly one peer's sync message (its origin the peer's room, the
 * message y-protocols' sync step 2 or update and nothing else), this module hands the 'update'
 * listeners the bytes the peer sent, and keeps Yjs from encoding them: its 'update' listeners are
 * set aside from just before Yjs looks for them until the transaction's cleanup is over (Yjs emits
 * only 'subdocs' meanwhile; a listener added then is kept, one removed then is not). What
 * listeners get is the same update as Yjs would have made, or a superset of it (content the page
 * already had: applying it again changes nothing, and the store merges it away). Yjs encodes as
 * before when the two could differ in substance:
 *
 * - structs were waiting for missing ones before or after the transaction (`pendingStructs`: the
 *   transaction may integrate waiting content the message does not hold, or the message holds
 *   content not integrated), or deletions waiting for their items (`pendingDs`: dropped by
 *   doc-guard.ts, and never to be passed on);
 * - the transaction changed nothing (Yjs then emits nothing either: a relay does not echo);
 * - anything else: local changes, the keeper's, BroadcastChannel messages, a message with bytes
 *   after its update, a second transaction within one message.
 *
 * And a transaction whose update no listener needs (`unneeded`: the room loading this browser's
 * stored copy while no peer, tab or keeper is there to be sent it, its only other listener the
 * store, which has it) is not encoded at all: its listeners are set aside in the same way, and none
 * is called. Yjs would otherwise encode the whole stored state once more as the page opens (a
 * 10,000-entry room: about 8 ms of 27 in Node).
 *
 * Knows nothing of any widget.
 * @module
 */
import type * as Y from 'yjs';
import * as decoding from 'lib0/decoding';

type UpdateListener = (update: Uint8Array, origin: unknown, doc: Y.Doc, transaction: Y.Transaction) => void;

/** lib0's Observable keeps each event's listeners in a Set under its name. */
type Listeners = Map<string, Set<UpdateListener>>;

interface PendingStore {
  readonly pendingStructs: unknown;
  readonly pendingDs: unknown;
}

/** y-protocols' message types: a y-webrtc message starts with 0 (sync); its sync step 2 is 1, an update 2. */
const MESSAGE_SYNC = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/** The update a y-webrtc sync message carries (a view of its bytes), or null if it is not exactly one. */
export function updateOfSyncMessage(message: unknown): Uint8Array | null {
  if (!(message instanceof Uint8Array) || message[0] !== MESSAGE_SYNC) return null;
  try {
    const decoder = decoding.createDecoder(message);
    decoding.readVarUint(decoder);
    const kind = decoding.readVarUint(decoder);
    if (kind !== SYNC_STEP_2 && kind !== SYNC_UPDATE) return null;
    const update = decoding.readVarUint8Array(decoder);
    return decoding.hasContent(decoder) ? null : update;
  } catch {
    return null; // truncated: y-protocols fails on it as well
  }
}

/** Whether the transaction changed the document (what Yjs checks before it emits 'update'). */
function changedDocument(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true;
  const { beforeState, afterState } = transaction;
  if (afterState.size !== beforeState.size) return true;
  for (const [client, clock] of afterState) if (beforeState.get(client) !== clock) return true;
  return false;
}

const waiting = (doc: Y.Doc): boolean => {
  const store = doc.store as unknown as PendingStore;
  return store.pendingStructs !== null || store.pendingDs !== null;
};

/**
 * What `message` carries when it is a y-webrtc sync message with an update (see
 * {@link updateOfSyncMessage}): the same update object for as long as the message is the same.
 */
export function syncMessageUpdates(message: () => unknown): () => Uint8Array | null {
  let last: unknown = null;
  let update: Uint8Array | null = null;
  return () => {
    const now = message();
    if (now !== last) [last, update] = [now, updateOfSyncMessage(now)];
    return update;
  };
}

/**
 * Hands `doc`'s 'update' listeners a peer's update as received (see the module comment).
 * @param fromPeers Whether a transaction's origin is the provider applying peers' updates.
 * @param received The update the provider is applying from a peer at this moment (one object per
 *   update received), or null.
 * @param unneeded Whether no 'update' listener needs a transaction's update (checked, after the
 *   transaction, for those not handed a peer's update; see {@link onlyListeners}).
 * @returns What stops it.
 */
export function passReceivedUpdates(
  doc: Y.Doc,
  fromPeers: (origin: unknown) => boolean,
  received: () => Uint8Array | null,
  unneeded: (transaction: Y.Transaction) => boolean = () => false,
): () => void {
  const listeners = (doc as unknown as { _observers: Listeners })._observers;
  /** The transactions that apply a peer's message, with the update the message carries. */
  const candidates = new WeakMap<Y.Transaction, Uint8Array>();
  /** The updates a transaction has been matched with (one each). */
  const matched = new WeakSet<Uint8Array>();
  /** The 'update' listeners, while set aside. */
  let setAside: Set<UpdateListener> | null = null;

  const restore = (): void => {
    if (setAside === null) return;
    const added = listeners.get('update'); // listeners added meanwhile
    if (added !== undefined) for (const listener of added) setAside.add(listener);
    listeners.set('update', setAside);
    setAside = null;
  };

  const beforeTransaction = (transaction: Y.Transaction): void => {
    restore();
    if (!fromPeers(transaction.origin) || waiting(doc)) return;
    const update = received();
    if (update === null || matched.has(update)) return;
    matched.add(update);
    candidates.set(transaction, update);
  };

  // After integration, before doc-guard.ts drops deletions waiting for their items (on 'afterTransaction').
  const beforeObserverCalls = (transaction: Y.Transaction): void => {
    restore();
    if (waiting(doc)) candidates.delete(transaction);
  };

  // Emitted just before Yjs looks for 'update' listeners.
  const afterTransactionCleanup = (transaction: Y.Transaction): void => {
    const update = candidates.get(transaction);
    const current = listeners.get('update');
    if (update === undefined) {
      if (current !== undefined && unneeded(transaction)) {
        setAside = current;
        listeners.delete('update');
      }
      return;
    }
    candidates.delete(transaction);
    if (current === undefined) return;
    if (changedDocument(transaction)) {
      // Called before they are set aside, so that one may add or remove listeners as usual.
      for (const listener of [...current]) {
        try {
          listener(update, transaction.origin, doc, transaction);
        } catch (error) {
          // Reported as lib0 would let it propagate, but without leaving the listeners set aside.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    } // else Yjs would emit nothing either: a relay does not echo
    setAside = listeners.get('update') ?? null;
    listeners.delete('update');
  };

  doc.on('beforeTransaction', beforeTransaction);
  doc.on('beforeObserverCalls', beforeObserverCalls);
  doc.on('afterTransactionCleanup', afterTransactionCleanup);
  doc.on('afterAllTransactions', restore);
  return () => {
    restore();
    doc.off('beforeTransaction', beforeTransaction);
    doc.off('beforeObserverCalls', beforeObserverCalls);
    doc.off('afterTransactionCleanup', afterTransactionCleanup);
    doc.off('afterAllTransactions', restore);
  };
}

/** Whether every 'update' listener `doc` has now is one `known` accepts. */
export function onlyListeners(doc: Y.Doc, known: (listener: UpdateListener) => boolean): boolean {
  const current = (doc as unknown as { _observers: Listeners })._observers.get('update');
  if (current !== undefined) for (const listener of current) if (!known(listener)) return false;
  return true;
}
