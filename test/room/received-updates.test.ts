import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { readSyncMessage, writeSyncStep2, writeUpdate } from 'y-protocols/sync';
import { guardDocument } from '../../src/models/doc-guard.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../../src/room/options.js';
import { onlyListeners, passReceivedUpdates, syncMessageUpdates, updateOfSyncMessage } from '../../src/room/received-updates.js';

/** What y-webrtc's room is to the doc: the origin of what it applies from peers. */
const ROOM = { name: 'the peers' };

/** A y-webrtc sync message carrying `update` (as y-webrtc sends a doc's update). */
const updateMessage = (update: Uint8Array): Uint8Array => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
};

/** A page's doc with the module installed, its 'update' listener's calls, and a peer's message handed to it as y-webrtc does. */
function page() {
  const doc = new Y.Doc();
  guardDocument(doc);
  let delivering: unknown = null;
  const stop = passReceivedUpdates(doc, (origin) => origin === ROOM, syncMessageUpdates(() => delivering));
  const seen: { update: Uint8Array; origin: unknown }[] = [];
  doc.on('update', (update: Uint8Array, origin: unknown) => seen.push({ update, origin }));
  const deliver = (message: Uint8Array): void => {
    delivering = message;
    try {
      const decoder = decoding.createDecoder(message);
      decoding.readVarUint(decoder); // y-webrtc's message type
      readSyncMessage(decoder, encoding.createEncoder(), doc, ROOM);
    } finally {
      delivering = null;
    }
  };
  return { doc, seen, deliver, stop };
}

/** A peer's doc writing entries into the map `entries`. */
function peer(clientID: number) {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  return {
    doc,
    write(key: string, value: string): Uint8Array {
      doc.getMap('entries').set(key, value);
      return updates.at(-1)!;
    },
  };
}

/** Whether `update` is a view into `message`'s bytes (handed on as received, not encoded again). */
const isViewOf = (update: Uint8Array, message: Uint8Array): boolean => update.buffer === message.buffer && update.byteOffset > 0;

const entriesOf = (update: Uint8Array): Record<string, unknown> => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getMap('entries').toJSON();
};

describe("a peer's update handed on as it came", () => {
  it('reads the update of a sync message, and nothing else', () => {
    const update = peer(1).write('a', 'x');
    const message = updateMessage(update);
    assert.deepEqual(updateOfSyncMessage(message), update);
    assert.equal(updateOfSyncMessage(new Uint8Array([...message, 0])), null, 'bytes after the update');
    assert.equal(updateOfSyncMessage(message.subarray(0, message.length - 1)), null, 'truncated');
    assert.equal(updateOfSyncMessage(new Uint8Array([1, 0])), null, 'an awareness message');
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, 0);
    encoding.writeVarUint(step1, 0);
    encoding.writeVarUint8Array(step1, Y.encodeStateVector(new Y.Doc()));
    assert.equal(updateOfSyncMessage(encoding.toUint8Array(step1)), null, 'a sync step 1 carries no update');
    assert.equal(updateOfSyncMessage('text'), null);
  });

  it("gives the listeners a peer's update as received, once, and local changes as Yjs encodes them", () => {
    const { doc, seen, deliver } = page();
    const message = updateMessage(peer(1).write('a', 'x'));
    deliver(message);
    assert.equal(seen.length, 1);
    assert.ok(isViewOf(seen[0]!.update, message), 'the bytes the peer sent');
    assert.equal(seen[0]!.origin, ROOM);
    assert.deepEqual(doc.getMap('entries').toJSON(), { a: 'x' });

    doc.getMap('entries').set('b', 'mine');
    assert.equal(seen.length, 2);
    assert.ok(!isViewOf(seen[1]!.update, message));
    assert.deepEqual(entriesOf(seen[1]!.update), { b: 'mine' }, "this page's own change, encoded by Yjs");
  });

  it('a whole state (sync step 2) is handed on as received too', () => {
    const { doc, seen, deliver } = page();
    const other = peer(1);
    for (let i = 0; i < 50; i++) other.write(`k${i}`, `v${i}`);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    writeSyncStep2(encoder, other.doc);
    const message = encoding.toUint8Array(encoder);
    deliver(message);
    assert.equal(seen.length, 1);
    assert.ok(isViewOf(seen[0]!.update, message));
    assert.equal(doc.getMap('entries').size, 50);
  });

  it('what changes nothing reaches no listener (a relay does not echo)', () => {
    const { seen, deliver } = page();
    const update = peer(1).write('a', 'x');
    deliver(updateMessage(update));
    deliver(updateMessage(update));
    assert.equal(seen.length, 1);
  });

  it('content waiting for a missing update is encoded by Yjs once it can be integrated, all of it', () => {
    const { doc, seen, deliver } = page();
    const other = peer(1);
    const first = other.write('a', 'x');
    const second = other.write('b', 'y'); // needs the first
    deliver(updateMessage(second));
    assert.equal(seen.length, 0, 'nothing integrated yet');
    const message = updateMessage(first);
    deliver(message);
    assert.equal(seen.length, 1);
    assert.ok(!isViewOf(seen[0]!.update, message), 'not the first update alone');
    assert.deepEqual(entriesOf(seen[0]!.update), { a: 'x', b: 'y' });
    assert.deepEqual(doc.getMap('entries').toJSON(), { a: 'x', b: 'y' });
  });

  it('a message that also deletes items this page does not have is encoded by Yjs (the deletion is not handed on)', () => {
    const { doc, seen, deliver } = page();
    const other = peer(2);
    Y.applyUpdate(other.doc, peer(1).write('a', 'x')); // an entry this page never got
    let update!: Uint8Array;
    other.doc.once('update', (u: Uint8Array) => (update = u));
    other.doc.transact(() => {
      other.doc.getMap('entries').delete('a');
      other.doc.getMap('entries').set('b', 'y');
    });
    assert.equal(Y.decodeUpdate(update).ds.clients.size, 1, 'the message deletes an item of client 1');
    const message = updateMessage(update);
    deliver(message);
    assert.deepEqual(doc.getMap('entries').toJSON(), { b: 'y' });
    assert.equal(seen.length, 1);
    assert.ok(!isViewOf(seen[0]!.update, message));
    assert.equal(Y.decodeUpdate(seen[0]!.update).ds.clients.size, 0, 'no deletion of items this page lacks');
  });

  it('what other origins apply, and messages with bytes after their update, are encoded by Yjs', () => {
    const { doc, seen, deliver } = page();
    Y.applyUpdate(doc, peer(1).write('a', 'x'), 'indexeddb');
    const trailing = new Uint8Array([...updateMessage(peer(2).write('b', 'y')), 7]);
    deliver(trailing);
    assert.equal(seen.length, 2);
    assert.ok(!isViewOf(seen[1]!.update, trailing));
    assert.deepEqual(entriesOf(seen[1]!.update), { b: 'y' });
  });

  it('a listener may add and remove listeners as usual; stopping leaves Yjs as it was', () => {
    const { doc, seen, deliver, stop } = page();
    const later: Uint8Array[] = [];
    let once = 0;
    doc.on('update', function addAnother() {
      once++;
      doc.off('update', addAnother);
      doc.on('update', (next: Uint8Array) => later.push(next));
    });
    deliver(updateMessage(peer(1).write('a', 'x')));
    deliver(updateMessage(peer(2).write('b', 'y')));
    assert.equal(seen.length, 2);
    assert.equal(once, 1, 'removed itself');
    assert.equal(later.length, 1, 'the listener it added heard the next update');
    stop();
    const message = updateMessage(peer(3).write('c', 'z'));
    deliver(message);
    assert.equal(seen.length, 3);
    assert.equal(later.length, 2);
    assert.ok(!isViewOf(seen[2]!.update, message), 'encoded by Yjs once stopped');
  });
});

describe('a stored copy loaded while nobody needs its update', () => {
  /** A state of `n` entries, as this browser's store would hold it. */
  const stored = (n: number): Uint8Array => {
    const doc = new Y.Doc();
    for (let i = 0; i < n; i++) doc.getMap('entries').set(`k${i}`, i);
    return Y.encodeStateAsUpdate(doc);
  };

  it('is not encoded: no listener is called, and later changes reach them as before', () => {
    const room = new MemoryNetwork().source().acquire('r', DEFAULT_ROOM_OPTIONS);
    const encodedFor: unknown[] = [];
    room.doc.on('afterTransactionCleanup', (transaction: Y.Transaction) => {
      // Yjs encodes a transaction's update for its listeners only while it has some, right after this event.
      if ((room.doc as unknown as { _observers: Map<string, unknown> })._observers.has('update')) encodedFor.push(transaction.origin);
    });
    room.loadStored(stored(20));
    assert.equal(room.doc.getMap('entries').size, 20);
    assert.deepEqual(encodedFor, [], 'the load is not encoded');
    room.doc.getMap('entries').set('mine', 1);
    assert.deepEqual(encodedFor, [null], 'a local change is');
  });

  it('is encoded when some listener may need it: a linked room, or a listener the room does not know', () => {
    const network = new MemoryNetwork();
    const room = network.source().acquire('r', DEFAULT_ROOM_OPTIONS);
    const linked = network.source().acquire('r', DEFAULT_ROOM_OPTIONS);
    room.loadStored(stored(5));
    assert.equal(linked.doc.getMap('entries').size, 5, 'sent to the linked room');

    const alone = new MemoryNetwork().source().acquire('r', DEFAULT_ROOM_OPTIONS);
    const heard: Uint8Array[] = [];
    alone.doc.on('update', (update: Uint8Array) => heard.push(update));
    alone.loadStored(stored(5));
    assert.equal(heard.length, 1, "the other listener heard the load's update");
    assert.deepEqual(entriesOf(heard[0]!), Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, i])));
  });

  it('onlyListeners: every update listener is a known one (none is)', () => {
    const doc = new Y.Doc();
    const known = () => {};
    assert.ok(onlyListeners(doc, () => false), 'no listeners');
    doc.on('update', known);
    assert.ok(onlyListeners(doc, (listener) => listener === known));
    doc.on('update', () => {});
    assert.ok(!onlyListeners(doc, (listener) => listener === known));
  });
});
