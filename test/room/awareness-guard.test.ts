// A page's own awareness state stays its own (src/room/awareness-guard.ts): a peer's forged update
// of it, with a higher clock, is undone at once and the page's state reaches every peer again;
// forging in a loop gets a bounded number of answers a second; a state the page removed is not
// brought back. Over linked in-memory rooms (the guard is on in MemoryRoom and WebrtcRoom alike).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as encoding from 'lib0/encoding';
import { Awareness, applyAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { guardAwareness } from '../../src/room/awareness-guard.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import type { RoomOptions } from '../../src/room/types.js';

const ROOM_OPTIONS: RoomOptions = { signaling: [], iceServers: [], password: null, persist: false };

/** An awareness update (as any peer can send one) saying that `clientID` is at `clock` with `state`. */
function forged(clientID: number, clock: number, state: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientID);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encoding.toUint8Array(encoder);
}

/** Polls `check` until it holds; fails after `ms`. */
async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test("a forged update of a room's own state is undone at once, and every peer holds the real one again", () => {
  const network = new MemoryNetwork();
  try {
    const [a, b, mallory] = [network.source(), network.source(), network.source()].map((s) => s.acquire('r', ROOM_OPTIONS));
    a!.awareness.setLocalState({ name: 'Ana' });
    b!.awareness.setLocalState({ name: 'Bo' });
    const id = a!.awareness.clientID;
    assert.deepEqual(b!.awareness.getStates().get(id), { name: 'Ana' });
    const clock = a!.awareness.meta.get(id)!.clock;
    // Relayed through Mallory's room, as any awareness update is.
    applyAwarenessUpdate(mallory!.awareness, forged(id, clock + 100, { name: 'Mallory' }), 'mallory');
    assert.deepEqual(a!.awareness.getLocalState(), { name: 'Ana' }, "Ana's page keeps its own state");
    assert.ok(a!.awareness.meta.get(id)!.clock > clock + 100, 'with a clock past the forged one');
    for (const room of [b!, mallory!]) assert.deepEqual(room.awareness.getStates().get(id), { name: 'Ana' }, 'and every peer takes it back');
    // A state the page sets itself is the one kept from then on.
    a!.awareness.setLocalState({ name: 'Ana B.' });
    applyAwarenessUpdate(mallory!.awareness, forged(id, a!.awareness.meta.get(id)!.clock + 1, { name: 'Ana' }), 'mallory');
    assert.deepEqual(b!.awareness.getStates().get(id), { name: 'Ana B.' });
  } finally {
    network.destroy();
  }
});

test('forging in a loop: at most ten answers a second, and the real state is back once the second is over', async () => {
  const awareness = new Awareness(new Y.Doc());
  const stop = guardAwareness(awareness);
  try {
    awareness.setLocalState({ name: 'Ana' });
    let sent = 0;
    awareness.on('update', (_: unknown, origin: unknown) => {
      if (origin === 'local') sent++;
    });
    const id = awareness.clientID;
    for (let i = 0; i < 50; i++) applyAwarenessUpdate(awareness, forged(id, awareness.meta.get(id)!.clock + 1, { name: `forged ${i}` }), 'mallory');
    assert.ok(sent <= 10, `${sent} states sent back for 50 forgeries`);
    await until(() => (awareness.getLocalState() as { name?: string } | null)?.name === 'Ana', 2000, 'the real state back after the burst');
    assert.ok(sent <= 11);
  } finally {
    stop();
    awareness.destroy();
  }
});

test('a state the page removed is not brought back; a remote removal stays refused (y-protocols) and is not undone twice', () => {
  const awareness = new Awareness(new Y.Doc());
  const stop = guardAwareness(awareness);
  try {
    const id = awareness.clientID;
    awareness.setLocalState({ name: 'Ana' });
    let sent = 0;
    awareness.on('update', (_: unknown, origin: unknown) => {
      if (origin === 'local') sent++;
    });
    applyAwarenessUpdate(awareness, forged(id, awareness.meta.get(id)!.clock + 1, null), 'mallory');
    assert.deepEqual(awareness.getLocalState(), { name: 'Ana' }, 'y-protocols keeps the local state');
    assert.equal(sent, 0, 'nothing for the guard to do');
    awareness.setLocalState(null);
    applyAwarenessUpdate(awareness, forged(id, awareness.meta.get(id)!.clock + 1, { name: 'Mallory' }), 'mallory');
    assert.deepEqual(awareness.getLocalState(), { name: 'Mallory' }, 'the page left: nothing of its own to keep');
    assert.equal(sent, 1, 'only its own removal');
  } finally {
    stop();
    awareness.destroy();
  }
});
