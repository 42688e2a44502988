/**
 * The keeper's relay of a room's updates (keeper.ts, relayUpdates): every other connection gets
 * each update; the connection it came from does not get it back, unless the room integrated
 * content that was waiting along with it (then the sender needs it too).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { withTimeout } from './helpers.js';
import { KeeperClient, startLocalKeeper, until, type LocalKeeper } from './keeper-helpers.js';

let roomCounter = 0;
const freshRoom = () => `relay-${process.pid}-${++roomCounter}`;

function message(room: string, type: number, body: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, room);
  encoding.writeVarUint(encoder, type);
  body(encoder);
  return encoding.toUint8Array(encoder);
}
const auth = (room: string) => message(room, 2, (e) => (encoding.writeVarUint(e, 0), encoding.writeVarString(e, '')));
const syncUpdate = (room: string, update: Uint8Array) => message(room, 0, (e) => (encoding.writeVarUint(e, 2), encoding.writeVarUint8Array(e, update)));

/** A raw client of /sync, in one room, that applies the updates it receives to a doc of its own. */
async function rawClient(url: string, room: string) {
  const ws = new WebSocket(url);
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  let authenticated = false;
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === 2) authenticated = true;
    if (type !== 0) return;
    const step = decoding.readVarUint(decoder);
    if (step !== 1 && step !== 2) return;
    const update = decoding.readVarUint8Array(decoder);
    if (step === 2) updates.push(update);
    Y.applyUpdate(doc, update);
  });
  await withTimeout(once(ws, 'open'), 'raw open');
  ws.send(auth(room));
  await until(() => authenticated, 'authenticated');
  return { ws, doc, updates, send: (update: Uint8Array) => ws.send(syncUpdate(room, update)) };
}

describe('keeper relay', () => {
  let k: LocalKeeper;
  before(async () => {
    k = await startLocalKeeper();
  });
  after(async () => {
    await k.close();
  });

  test("an update reaches the room's other clients, not its sender again", async () => {
    const room = freshRoom();
    const sender = await rawClient(k.syncUrl, room);
    const reader = new KeeperClient(k.syncUrl, room);
    await reader.waitSynced();
    const source = new Y.Doc();
    source.getMap('poll:test').set('a', 1);
    sender.send(Y.encodeStateAsUpdate(source));
    await until(() => reader.map.get('a') === 1, 'the reader has it');
    reader.map.set('b', 2); // what the sender gets next: the reader's update, and not its own before it
    await until(() => sender.doc.getMap('poll:test').get('b') === 2, 'the sender has the reader’s update');
    assert.equal(sender.updates.length, 1, 'one update relayed to the sender: the reader’s');
    assert.deepEqual(sender.doc.getMap('poll:test').toJSON(), { b: 2 }, 'its own update was not sent back');
    sender.ws.close();
    reader.destroy();
  });

  test('content that waited in the room is sent to the client whose update let it in', async () => {
    const room = freshRoom();
    const first = await rawClient(k.syncUrl, room);
    const second = await rawClient(k.syncUrl, room);
    // One writer's two updates: the second builds on the first, so the room keeps it waiting until the first comes.
    const writer = new Y.Doc();
    const map = writer.getMap('poll:test');
    map.set('one', 1);
    const one = Y.encodeStateAsUpdate(writer);
    const vector = Y.encodeStateVector(writer);
    map.set('two', 2);
    const two = Y.encodeStateAsUpdate(writer, vector);
    first.send(two);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(second.updates.length, 0, 'nothing relayed while it waits');
    second.send(one);
    await until(() => first.doc.getMap('poll:test').get('two') === 2 && first.doc.getMap('poll:test').get('one') === 1, 'the first client has both');
    await until(() => second.doc.getMap('poll:test').get('two') === 2, 'the second client has what waited, though its own update let it in');
    assert.deepEqual(second.doc.getMap('poll:test').toJSON(), { one: 1, two: 2 });
    first.ws.close();
    second.ws.close();
  });
});
