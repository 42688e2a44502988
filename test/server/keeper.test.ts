/**
 * The keeper in this process: storage before confirmation, password rooms,
 * limits, origins, room patterns, and a corpus of bad input.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { keeperToken } from '../../src/keeper/token.js';
import { tokenHash } from '../../src/server/keeper.js';
import { TestClient, maskedFrame, RawWebSocket, withTimeout } from './helpers.js';
import { KeeperClient, startLocalKeeper, until, type LocalKeeper } from './keeper-helpers.js';

let roomCounter = 0;
const freshRoom = (prefix = 'room') => `${prefix}-${process.pid}-${++roomCounter}`;

/** A Hocuspocus message: room name, type, then body. */
function message(room: string, type: number, body: (encoder: encoding.Encoder) => void = () => {}): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, room);
  encoding.writeVarUint(encoder, type);
  body(encoder);
  return encoding.toUint8Array(encoder);
}
const auth = (room: string, token = '') => message(room, 2, (e) => (encoding.writeVarUint(e, 0), encoding.writeVarString(e, token)));
const syncUpdate = (room: string, update: Uint8Array, step = 2) => message(room, 0, (e) => (encoding.writeVarUint(e, step), encoding.writeVarUint8Array(e, update)));

/** A raw `ws` client of /sync that records what it receives. */
async function rawSync(url: string, options?: ConstructorParameters<typeof WebSocket>[2]) {
  const ws = new WebSocket(url, options);
  const received: Buffer[] = [];
  ws.on('message', (data) => received.push(data as Buffer));
  ws.on('error', () => {});
  const closed = once(ws, 'close').then(([code]) => code as number);
  await withTimeout(once(ws, 'open'), 'raw open');
  return { ws, received, closed };
}

function entryUpdate(key: string, value: unknown): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('poll:test').set(key, value);
  return Y.encodeStateAsUpdate(doc);
}

describe('keeper token', () => {
  test('is base64url, 43 characters, and depends on both the room and the password', async () => {
    const token = await keeperToken('eastside', 'correct horse');
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(await keeperToken('eastside', 'correct horse'), token);
    assert.notEqual(await keeperToken('westside', 'correct horse'), token);
    assert.notEqual(await keeperToken('eastside', 'correct horsf'), token);
    assert.match(tokenHash(token), /^[A-Za-z0-9_-]{43}$/);
  });
});

describe('keeper', () => {
  let k: LocalKeeper;
  before(async () => {
    k = await startLocalKeeper({ handshakeTimeoutMs: 1500 }, { signaling: { handshakeTimeoutMs: 1500 } });
  });
  after(async () => {
    await k.close();
  });

  test('an update is on disk when the provider sees it confirmed; the room unloads and compacts when its clients leave', async () => {
    const room = freshRoom();
    const a = new KeeperClient(k.syncUrl, room);
    const b = new KeeperClient(k.syncUrl, room);
    await Promise.all([a.waitSynced(), b.waitSynced()]);
    for (let i = 0; i < 5; i++) a.map.set(`k${i}`, i);
    assert.ok(a.provider.unsyncedChanges > 0, 'unconfirmed right after the change');
    await a.waitStored();
    const stored = await k.store.doc(room);
    assert.deepEqual(stored.getMap('poll:test').toJSON(), { k0: 0, k1: 1, k2: 2, k3: 3, k4: 4 });
    stored.destroy();
    await until(() => b.map.get('k4') === 4, 'the other client sees it');
    assert.equal(k.keeper.roomCount >= 1, true);
    a.destroy();
    b.destroy();
    await until(() => k.logs.some((l) => l.event === 'room-unloaded' && l.room === room), 'unloaded');
    assert.equal((await k.store.load(room)).updates.length, 1, 'compacted into one update');
  });

  test('password room: the token opens it; no token, a wrong token, or a token for an open room is refused and receives nothing', async () => {
    const room = freshRoom('pw');
    const token = await keeperToken(room, 'correct horse');
    const owner = new KeeperClient(k.syncUrl, room, { token });
    await owner.waitSynced();
    owner.map.set('secret', 'the plan');
    await owner.waitStored();
    assert.equal((await k.store.record(room))?.tokenHash, tokenHash(token));

    for (const wrong of ['', await keeperToken(room, 'wrong'), 'x'.repeat(43)]) {
      const raw = await rawSync(k.syncUrl);
      raw.ws.send(auth(room, wrong));
      raw.ws.send(syncUpdate(room, new Uint8Array([0]), 0)); // sync step 1: "send me everything"
      raw.ws.send(syncUpdate(room, entryUpdate('intruder', 1)));
      await until(() => raw.received.length > 0, 'permission denied');
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Exactly one message: Auth (2) / PermissionDenied (0), and no document content.
      assert.equal(raw.received.length, 1, `only the refusal (${JSON.stringify(wrong)})`);
      const decoder = new Uint8Array(raw.received[0]!);
      assert.ok(!Buffer.from(decoder).includes('the plan'));
      assert.match(Buffer.from(decoder).toString('latin1'), /permission-denied/);
      raw.ws.close();
    }
    const stranger = new KeeperClient(k.syncUrl, room);
    await until(() => stranger.failures.length > 0, 'provider without token refused');
    assert.equal(stranger.map.size, 0);
    stranger.destroy();
    const stored = await k.store.doc(room);
    assert.equal(stored.getMap('poll:test').get('intruder'), undefined, 'nothing from the refused clients stored');
    stored.destroy();

    const openRoom = freshRoom('open');
    const first = new KeeperClient(k.syncUrl, openRoom);
    await first.waitSynced();
    const withToken = new KeeperClient(k.syncUrl, openRoom, { token });
    await until(() => withToken.failures.length > 0, 'a token for an open room is refused');
    assert.ok(k.logs.some((l) => l.event === 'refused' && l.reason === 'token' && l.room === room));
    withToken.destroy();
    first.destroy();
    owner.destroy();
  });

  test('a new visitor of a large room is told its size before the room is sent; a client holding some of it, or a visitor of a small room, is not', async () => {
    const large = freshRoom('large');
    const writer = new KeeperClient(k.syncUrl, large);
    await writer.waitSynced();
    writer.doc.getMap('notes').set('long', 'x'.repeat(100_000));
    await writer.waitStored();
    const size = Y.encodeStateAsUpdate(writer.doc).length;
    /** A client of `room` (holding `state` first, if given): the keeper's hints and when its state came, in order. */
    const visit = async (room: string, state?: Uint8Array) => {
      const client = new KeeperClient(k.syncUrl, room);
      if (state) Y.applyUpdate(client.doc, state); // before its socket opens: its sync step 1 names it
      const seen: string[] = [];
      client.provider.on('stateless', ({ payload }: { payload: string }) => seen.push(payload));
      client.provider.on('synced', () => seen.push('synced'));
      await client.waitSynced();
      client.destroy();
      return seen;
    };
    const newcomer = await visit(large);
    assert.equal(newcomer.length, 2, JSON.stringify(newcomer));
    assert.equal(newcomer[1], 'synced');
    const hint = JSON.parse(newcomer[0]!) as { gather: string; bytes: number };
    assert.equal(hint.gather, 'expect');
    assert.ok(hint.bytes >= size && hint.bytes < 2 * size, `announced ${hint.bytes} bytes for a ${size}-byte room`);
    assert.deepEqual(await visit(large, Y.encodeStateAsUpdate(writer.doc)), ['synced'], 'a client that holds the room');
    writer.destroy();
    const small = freshRoom('small');
    const note = new KeeperClient(k.syncUrl, small);
    await note.waitSynced();
    note.doc.getMap('notes').set('short', 'hello');
    await note.waitStored();
    note.destroy();
    assert.deepEqual(await visit(small), ['synced'], 'a visitor of a small room');
  });

  test('a document over max-doc-bytes is refused: connection closed 4413, update not stored, one log line', async () => {
    const small = await startLocalKeeper({ maxDocBytes: 4000 });
    try {
      const room = freshRoom('big');
      const client = new KeeperClient(small.syncUrl, room, { delay: 500 });
      await client.waitSynced();
      client.map.set('a', 'x'.repeat(1000));
      await client.waitStored();
      client.map.set('b', 'y'.repeat(5000));
      await until(() => client.closes.includes(4413), 'closed with 4413');
      assert.ok(small.logs.some((l) => l.event === 'limit' && l.limit === 'doc-bytes' && l.room === room));
      const stored = await small.store.doc(room);
      assert.deepEqual(Object.keys(stored.getMap('poll:test').toJSON()), ['a']);
      stored.destroy();
      client.destroy();
    } finally {
      await small.close();
    }
  });

  test('max message size, message rate, rooms in memory and room patterns are enforced and logged', async () => {
    const limited = await startLocalKeeper({ maxMessageBytes: 2048, maxMessagesPerSecond: 5, maxRooms: 2, rooms: ['east-*', 'ok?'] });
    try {
      // message size: closed by ws with 1009
      const big = await rawSync(limited.syncUrl);
      big.ws.send(new Uint8Array(4096));
      assert.equal(await withTimeout(big.closed, 'closed 1009'), 1009);
      // rate: 5/s, bursts of 50
      const flood = await rawSync(limited.syncUrl);
      for (let i = 0; i < 80; i++) flood.ws.send(message('east-1', 3));
      assert.equal(await withTimeout(flood.closed, 'closed 4429'), 4429);
      // room patterns
      const refusedRoom = new KeeperClient(limited.syncUrl, 'west-1');
      await until(() => refusedRoom.failures.includes('room-not-allowed'), 'west-1 refused');
      refusedRoom.destroy();
      // rooms in memory: two open, the third refused
      const a = new KeeperClient(limited.syncUrl, 'east-a');
      const b = new KeeperClient(limited.syncUrl, 'ok1');
      await Promise.all([a.waitSynced(), b.waitSynced()]);
      const c = new KeeperClient(limited.syncUrl, 'east-c');
      await until(() => c.failures.includes('too-many-rooms'), 'third room refused');
      for (const client of [a, b, c]) client.destroy();
      const limits = limited.logs.filter((l) => l.event === 'limit').map((l) => l.limit);
      assert.deepEqual(new Set(limits), new Set(['message-bytes', 'message-rate', 'rooms']));
      assert.ok(limited.logs.some((l) => l.event === 'refused' && l.reason === 'room-not-allowed' && l.room === 'west-1'));
      const metrics = await limited.metrics.registry.metrics();
      for (const reason of ['message-bytes', 'message-rate', 'rooms', 'room-not-allowed']) {
        assert.match(metrics, new RegExp(`gather_rejected_total\\{reason="${reason}"\\} 1`), reason);
      }
    } finally {
      await limited.close();
    }
  });

  test('connections that open no room (/sync) or topic (/signal) are closed after the handshake timeout', async () => {
    const idle = await rawSync(k.syncUrl);
    const signal = await TestClient.open(k.running.signalingUrl);
    assert.equal(await withTimeout(idle.closed, 'sync closed', 4000), 4408);
    assert.equal((await withTimeout(signal.closed, 'signal closed', 4000)).code, 1008);
    assert.ok(k.logs.some((l) => l.event === 'limit' && l.limit === 'handshake-timeout' && l.endpoint === '/sync'));
    assert.ok(k.logs.some((l) => l.event === 'limit' && l.limit === 'handshake-timeout' && l.endpoint === '/signal'));
  });
});

describe('admission on every upgrade', () => {
  test('origins: a listed origin and a request without Origin pass, others get 403 at /sync and /signal', async () => {
    const k = await startLocalKeeper({}, { origins: ['https://eastside.example'] });
    try {
      const good = await rawSync(k.syncUrl, { origin: 'https://eastside.example' });
      good.ws.close();
      const noOrigin = await TestClient.open(k.running.signalingUrl);
      await noOrigin.assertPongFirst();
      await noOrigin.close();
      for (const url of [k.syncUrl, k.running.signalingUrl]) {
        const ws = new WebSocket(url, { origin: 'https://evil.example' });
        ws.on('error', () => {});
        const [, response] = (await withTimeout(once(ws, 'unexpected-response'), 'refused')) as [unknown, { statusCode: number }];
        assert.equal(response.statusCode, 403, url);
        ws.terminate();
      }
      assert.equal(k.logs.filter((l) => l.event === 'refused' && l.reason === 'origin').length, 2);
    } finally {
      await k.close();
    }
  });

  test('connections per address are capped across /sync and /signal (and TCP), with a log line', async () => {
    const k = await startLocalKeeper({}, { maxConnectionsPerAddress: 3 });
    try {
      const sync = await Promise.all([rawSync(k.syncUrl), rawSync(k.syncUrl)]);
      const signal = await TestClient.open(k.running.signalingUrl);
      const ws = new WebSocket(k.running.signalingUrl);
      ws.on('error', () => {});
      await withTimeout(new Promise((resolve) => ws.on('close', resolve)), 'fourth connection dropped');
      assert.ok(k.logs.some((l) => l.event === 'limit' && l.limit === 'connections-per-address'));
      for (const s of sync) s.ws.close();
      await signal.close();
      await Promise.all(sync.map((s) => s.closed));
      await until(() => k.running.signaling.connectionCount === 0 && k.keeper.connectionCount === 0, 'all closed');
      // The server sees the TCP connections close a moment after the clients do.
      let again: TestClient | undefined;
      for (let attempt = 0; !again && attempt < 20; attempt++) {
        again = await TestClient.open(k.running.signalingUrl).catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          return undefined;
        });
      }
      assert.ok(again, 'a slot frees when a connection closes');
      await again.assertPongFirst();
      await again.close();
    } finally {
      await k.close();
    }
  });
});

describe('bad input against /sync and /signal', () => {
  test('the process stays up, memory stays bounded, and an honest client connected throughout keeps working', async () => {
    const k = await startLocalKeeper({ maxMessageBytes: 64 * 1024, handshakeTimeoutMs: 2000 }, { signaling: { maxMessageBytes: 8 * 1024 } });
    try {
      const room = freshRoom('honest');
      const honest = new KeeperClient(k.syncUrl, room);
      const peer = new KeeperClient(k.syncUrl, room);
      await Promise.all([honest.waitSynced(), peer.waitSynced()]);
      let round = 0;
      const checkHonest = async () => {
        honest.map.set(`n${++round}`, round);
        await honest.waitStored(`stored round ${round}`);
        await until(() => peer.map.get(`n${round}`) === round, `peer sees round ${round}`);
      };
      const heapBefore = process.memoryUsage().heapUsed;

      // A valid update to bit-flip, with a deletion so the delete set is not empty.
      const source = new Y.Doc();
      for (let i = 0; i < 20; i++) source.getMap('poll:test').set(`k${i}`, { v: 1, author: 'a'.repeat(43), n: i });
      source.getMap('poll:test').delete('k3');
      const valid = Y.encodeStateAsUpdate(source);
      let seed = 42;
      const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);

      const syncCorpus: (Uint8Array | string)[] = [
        'not binary',
        '{"type":"subscribe"}',
        new Uint8Array([]),
        new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        new Uint8Array([5, 0x61, 0x62]), // a room name longer than the message
        message(room, 99),
        message(room, 5, (e) => encoding.writeVarString(e, 'stateless')),
        message(room, 6, (e) => encoding.writeVarString(e, 'broadcast to everyone')),
        message(room, 8, (e) => encoding.writeVarUint(e, 1)),
        message('x'.repeat(300), 2),
        message(room, 1, (e) => encoding.writeVarUint8Array(e, new Uint8Array([1, 1, 1, 3, 0x7b, 0x7b, 0x7b]))), // awareness with bad JSON
        syncUpdate(room, new Uint8Array([1, 2, 3]), 7),
        syncUpdate(room, new Uint8Array([0xff, 0xff]), 2),
        syncUpdate(room, valid.slice(0, valid.length >> 1), 2),
        new Uint8Array(70 * 1024), // oversized
      ];
      for (let i = 0; i < 150; i++) {
        const flipped = Uint8Array.from(valid);
        for (let f = 0; f < 3; f++) flipped[Math.floor(random() * flipped.length)]! ^= 1 << Math.floor(random() * 8);
        syncCorpus.push(syncUpdate(room, flipped, i % 2 === 0 ? 2 : 1));
      }
      // Each bad message on a connection of its own that first authenticates for the room (as an honest client would).
      for (let i = 0; i < syncCorpus.length; i += 10) {
        await Promise.all(
          syncCorpus.slice(i, i + 10).map(async (input) => {
            const raw = await rawSync(k.syncUrl);
            raw.ws.send(auth(room));
            raw.ws.send(syncUpdate(room, new Uint8Array([0]), 0));
            raw.ws.send(input);
            // A bit-flipped update that still decodes is applied like any other: no close to wait for.
            const timer = setTimeout(() => raw.ws.terminate(), 300);
            await raw.closed;
            clearTimeout(timer);
          }),
        );
        await checkHonest();
      }

      // Invalid frames, by hand.
      for (const frame of [maskedFrame(0xc2, Buffer.from([1, 2])), maskedFrame(0x8f, Buffer.alloc(0)), Buffer.from([0x82, 0x05, 1, 2, 3, 4, 5])]) {
        const raw = await RawWebSocket.open(k.running.port, '/sync');
        raw.write(frame);
        await raw.closeCode();
      }

      // Signaling: non-JSON, wrong types, binary, oversized.
      for (const input of ['nope', '[]', '{"type":5}', '{"type":"subscribe","topics":"x"}', '{"type":"publish","topic":7}', Buffer.from([1, 2]), 'x'.repeat(9000)]) {
        const client = await TestClient.open(k.running.signalingUrl);
        client.ws.send(input);
        await withTimeout(client.closed, 'signaling closes a bad client');
      }

      // A bounded flood of connections that never open a room (closed by the handshake timeout).
      const flood = await Promise.all(Array.from({ length: 40 }, () => rawSync(k.syncUrl)));
      await checkHonest();
      await Promise.all(flood.map((f) => withTimeout(f.closed, 'flood closed', 5000)));

      await checkHonest();
      const stored = await k.store.doc(room);
      assert.equal(stored.getMap('poll:test').get(`n${round}`), round, 'the honest client is stored');
      stored.destroy();
      global.gc?.();
      const growth = process.memoryUsage().heapUsed - heapBefore;
      assert.ok(growth < 64 * 1024 * 1024, `heap grew by ${growth} bytes`);
      assert.ok(k.logs.filter((l) => l.event === 'refused' || l.event === 'limit').length > 0);
      assert.equal(honest.closes.length, 0, 'the honest client was never disconnected');
      honest.destroy();
      peer.destroy();
    } finally {
      await k.close();
    }
  });
});
