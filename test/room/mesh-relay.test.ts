// The mesh relay's in-band message and author test (src/room/mesh-relay.ts), in Node. The relaying
// itself runs over real WebRTC in test/p2p/relay.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { Awareness, applyAwarenessUpdate } from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import { writeSyncStep1 } from 'y-protocols/sync';
import { until } from '../helpers/until.js';
import { decodeLinks, encodeLinks, MeshRelay, soleAuthor, stateVectorOfStep1, type RelayRoom } from '../../src/room/mesh-relay.js';

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

  it("a peer's sync step 1 names what it holds; anything else names nothing", () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('k', 1);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    writeSyncStep1(encoder, doc);
    const step1 = encoding.toUint8Array(encoder);
    assert.deepEqual(stateVectorOfStep1(step1), Y.encodeStateVector(doc));
    for (let cut = 0; cut < step1.length; cut++) assert.equal(stateVectorOfStep1(step1.subarray(0, cut)), null, `cut at ${cut}`);
    assert.equal(stateVectorOfStep1(Uint8Array.of(0, 0, 3, 0xff, 0xff, 0xff)), null, 'not a state vector');
    assert.equal(stateVectorOfStep1(Uint8Array.of(0, 1, 0)), null, 'a sync step 2');
    assert.equal(stateVectorOfStep1(encodeLinks(1, [])), null);
    assert.equal(stateVectorOfStep1('text'), null);
  });

  it('a large update from elsewhere than a peer (the keeper) goes to each peer as what it lacks, by what it said it holds', async () => {
    const sent = new Map<string, Uint8Array[]>();
    const conn = (id: string) => ({ connected: true, remotePeerId: id, peer: { send: (data: Uint8Array) => void (sent.get(id) ?? sent.set(id, []).get(id)!).push(data) } });
    const doc = new Y.Doc();
    const room: RelayRoom = {
      doc,
      webrtcConns: new Map([['has-it', conn('has-it')], ['said-nothing', conn('said-nothing')], ['holds-nothing', conn('holds-nothing')]]),
      bcConns: new Set(),
      bcconnected: false,
      provider: {},
      _docUpdateHandler: () => undefined,
    };
    const relay = new MeshRelay(room, () => null);
    // The room as the keeper holds it: 200 entries of 1 kB.
    const whole = new Y.Doc();
    for (let i = 0; i < 200; i++) whole.getMap('m').set(`k${i}`, 'x'.repeat(1000));
    const state = Y.encodeStateAsUpdate(whole);
    whole.getMap('m').delete('k0'); // and one deletion after: every peer gets that
    const step1 = (holder: Y.Doc) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      writeSyncStep1(encoder, holder);
      return encoding.toUint8Array(encoder);
    };
    const full = new Y.Doc();
    Y.applyUpdate(full, state);
    relay.read(room.webrtcConns.get('has-it')!.peer, step1(full));
    relay.read(room.webrtcConns.get('holds-nothing')!.peer, step1(new Y.Doc()));
    sent.clear(); // the links messages
    const update = Y.encodeStateAsUpdate(whole);
    assert.ok(update.length > 64 * 1024);
    Y.applyUpdate(doc, update, 'keeper');
    await until(() => sent.has('has-it') && sent.has('holds-nothing'), 5000, 'the diffs sent');
    const bytes = (id: string) => sent.get(id)!.reduce((n, m) => n + m.length, 0);
    assert.ok(bytes('has-it') < 1000, `to a peer that has the room: ${bytes('has-it')} bytes`);
    assert.ok(bytes('said-nothing') > update.length, 'to a peer that said nothing: all of it');
    assert.ok(bytes('holds-nothing') > update.length, 'to a peer that holds nothing: all of it');
    // What each got brings it to the same state.
    for (const [id, holder] of [['has-it', full], ['holds-nothing', new Y.Doc()]] as const) {
      for (const message of sent.get(id)!) {
        const decoder = decoding.createDecoder(message);
        decoding.readVarUint(decoder);
        decoding.readVarUint(decoder);
        Y.applyUpdate(holder, decoding.readVarUint8Array(decoder));
      }
      assert.deepEqual(holder.getMap('m').toJSON(), whole.getMap('m').toJSON(), id);
    }
    relay.destroy();
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
