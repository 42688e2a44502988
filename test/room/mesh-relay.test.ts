// The mesh relay's in-band message and author test (src/room/mesh-relay.ts), in Node. The relaying
// itself runs over real WebRTC in test/p2p/relay.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { Awareness, applyAwarenessUpdate } from 'y-protocols/awareness';
import { decodeLinks, encodeLinks, soleAuthor } from '../../src/room/mesh-relay.js';

describe('mesh relay', () => {
  it('a links message reads back, and anything else is not one', () => {
    const message = encodeLinks(123456789, ['peer-a', 'peer-b']);
    assert.deepEqual(decodeLinks(message), { clientID: 123456789, peers: new Set(['peer-a', 'peer-b']) });
    assert.deepEqual(decodeLinks(encodeLinks(1, [])), { clientID: 1, peers: new Set() });
    for (let cut = 0; cut < message.length; cut++) assert.equal(decodeLinks(message.subarray(0, cut)), null, `cut at ${cut}`);
    const other = message.slice();
    other[5] ^= 1; // a letter of the magic
    assert.equal(decodeLinks(other), null);
    assert.equal(decodeLinks(encodeLinks(1, Array.from({ length: 257 }, (_, i) => `p${i}`))), null, 'too many peers');
    assert.equal(decodeLinks(Uint8Array.of(0, 2, 0)), null, 'a sync message');
    assert.equal(decodeLinks('text'), null);
  });

  it('is, to any y-webrtc, an awareness message with no states: applied as a no-op, nothing emitted', () => {
    const awareness = new Awareness(new Y.Doc());
    const before = JSON.stringify([...awareness.getStates()]);
    const events: string[] = [];
    awareness.on('change', () => events.push('change'));
    awareness.on('update', () => events.push('update'));
    const decoder = decoding.createDecoder(encodeLinks(42, ['peer-a']));
    assert.equal(decoding.readVarUint(decoder), 1, "y-webrtc's messageAwareness");
    applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), 'peer');
    assert.deepEqual(events, []);
    assert.equal(JSON.stringify([...awareness.getStates()]), before);
    awareness.destroy();
  });

  it("an update's sole author: one client's items and deletions, else none", () => {
    const doc = new Y.Doc();
    const authors: (number | null)[] = [];
    doc.on('update', (update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => authors.push(soleAuthor(update, transaction)));
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getMap('m').set('k', 1);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(a));
    a.getMap('m').set('k', 2); // an item and the deletion of a's earlier one
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(a, Y.encodeStateVector(doc)));
    b.getMap('m').set('j', 1);
    a.getMap('m').set('x', 1);
    Y.applyUpdate(doc, Y.mergeUpdates([Y.encodeStateAsUpdate(b), Y.encodeStateAsUpdate(a, Y.encodeStateVector(doc))])); // two clients' items
    a.getMap('m').set('big', 'x'.repeat(20_000));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(a, Y.encodeStateVector(doc))); // one client's, but too big to read: relayed as y-webrtc does
    assert.deepEqual(authors, [a.clientID, a.clientID, null, null]);
    assert.equal(soleAuthor(new Uint8Array(0), undefined), null);
  });
});
