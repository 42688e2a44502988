// The page of the hostile-peer p2p test (bundled by ./index.ts). An honest visitor
// (?room=…&organizer=<public key>) gets a <gather-poll> in a <gather-room> synced through this
// site's /signal and its keeper at /sync. A hostile one (&hostile=1) gets no widget (a widget would
// heal its own document): it opens the same room raw, as the widgets do, and puts its attacks on
// `window.hostile` for the test to run one at a time against the honest visitors' entries.
import * as Y from 'yjs';
import '../../../components/index.js';
import { roomTag, signEntry } from '../../../src/identity/entries.js';
import { createSigner } from '../../../src/identity/keys.js';
import { keyAuthor } from '../../../src/models/entry-key.js';
import { pollScope } from '../../../src/models/poll.js';
import { webrtcRooms } from '../../../src/room/registry.js';
import type { Room } from '../../../src/room/types.js';

const query = new URLSearchParams(location.search);
const roomName = query.get('room') ?? 'hostile-p2p';
const organizer = query.get('organizer') ?? '';
/** The poll's name in the room, and its map. */
export const POLL = 'assembly';
const SCOPE = pollScope(POLL);

function honestPage(): void {
  const room = document.createElement('gather-room');
  room.setAttribute('room', roomName);
  room.setAttribute('signaling', '/signal');
  room.setAttribute('keeper', '/sync');
  const poll = document.createElement('gather-poll');
  poll.setAttribute('name', POLL);
  poll.setAttribute('question', 'Which evening works?');
  poll.setAttribute('results', 'always');
  if (organizer) poll.setAttribute('organizer', organizer);
  for (const [value, label] of [['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday']] as const) {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = label;
    poll.append(option);
  }
  room.append(poll);
  document.body.append(room);
}

/** What a hostile peer can do to the honest visitors' entries: each returns what it wrote (for the report). */
function hostilePage(): void {
  const ws = (path: string) => new URL(path, location.href).href.replace(/^http/, 'ws');
  // The options the widgets resolve to (persist aside: this page keeps nothing).
  const room: Room = webrtcRooms.acquire(roomName, { signaling: [ws('/signal')], iceServers: [], password: null, persist: false, keeper: ws('/sync') });
  const map = () => room.doc.getMap<unknown>(SCOPE);
  const signer = createSigner('Ed25519');
  /** Ballots seen so far, by key: the first seen of each is replay material. */
  const firstSeen = new Map<string, unknown>();
  const ballotsNow = () => [...map().keys()].filter((key) => key.startsWith('ballot:') && keyAuthor(key) !== null);
  /** The honest ballots' keys, once remembered (the flood adds ballot keys of made-up authors). */
  const honestBallots = () => (firstSeen.size > 0 ? [...firstSeen.keys()] : ballotsNow());
  const same = (a: unknown, b: unknown) => a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  const bytes = (n: number) => globalThis.crypto.getRandomValues(new Uint8Array(n));

  Object.assign(window, {
    hostile: {
      room,
      /** Peers connected over WebRTC, and the keys of the poll's map. */
      state: () => ({ peers: room.status.peers, keys: map().size, ballots: ballotsNow().length }),
      /** Keeps the ballots the room holds now (genuine, signed), to replay once their authors have voted again. */
      remember(): number {
        for (const key of ballotsNow()) if (!firstSeen.has(key)) firstSeen.set(key, map().get(key));
        return firstSeen.size;
      },
      /** How many remembered ballots the room now holds a different value for (their voters voted again). */
      changed: () => [...firstSeen].filter(([key, value]) => !same(map().get(key), value)).length,
      deleteBallots(): number {
        const keys = honestBallots();
        room.doc.transact(() => keys.forEach((key) => map().delete(key)));
        return keys.length;
      },
      /** Each ballot overwritten with something invalid: bit-flipped, truncated, junk of another type. */
      overwriteBallots(): number {
        const keys = honestBallots();
        room.doc.transact(() =>
          keys.forEach((key, i) => {
            const value = map().get(key);
            if (value instanceof Uint8Array && i % 3 === 0) {
              const flipped = value.slice();
              flipped[Math.floor(flipped.length / 2)]! ^= 0x10;
              map().set(key, flipped);
            } else if (value instanceof Uint8Array && i % 3 === 1) {
              map().set(key, value.slice(0, value.length - 5));
            } else {
              map().set(key, { v: 2, junk: true });
            }
          }),
        );
        return keys.length;
      },
      /**
       * Raw Yjs items under each honest ballot's own client id (the id of the item holding it):
       * junk written over the ballot by a copy of the document that claims to be that client.
       */
      rawItemsUnderHonestIds(): number {
        const keys = honestBallots();
        const clients = new Set<number>();
        const items = (map() as unknown as { _map: Map<string, { id: { client: number } }> })._map;
        for (const key of keys) clients.add(items.get(key)!.id.client);
        for (const client of clients) {
          const ghost = new Y.Doc();
          Y.applyUpdate(ghost, Y.encodeStateAsUpdate(room.doc));
          ghost.clientID = client;
          const before = Y.encodeStateVector(ghost);
          ghost.transact(() => keys.forEach((key) => ghost.getMap(SCOPE).set(key, new Uint8Array([2, 1, 2, 3]))));
          Y.applyUpdate(room.doc, Y.encodeStateAsUpdate(ghost, before));
          ghost.destroy();
        }
        return clients.size;
      },
      /** Puts back the first ballot seen under each key (an older genuine one, where its voter has voted again). */
      replay(): number {
        let older = 0;
        room.doc.transact(() => {
          for (const [key, value] of firstSeen) {
            if (!same(map().get(key), value)) older++;
            map().set(key, value);
          }
        });
        return older;
      },
      /** `count` junk keys: random bytes, objects, and ballot keys of made-up authors. */
      flood(count: number): number {
        room.doc.transact(() => {
          for (let i = 0; i < count; i++) {
            const key = i % 3 === 0 ? `ballot:${btoa(String.fromCharCode(...bytes(32))).replace(/[+/=]/g, 'A')}` : `junk:${i}`;
            map().set(key, i % 2 === 0 ? bytes(1 + (i % 64)) : { i, v: 2 });
          }
        });
        return count;
      },
      /** A string of `mb` MiB over the first honest ballot. */
      bigString(mb: number): number {
        const key = honestBallots()[0]!;
        map().set(key, 'x'.repeat(mb * 1024 * 1024));
        return mb;
      },
      /** A close in the organizer's name signed by this peer, junk over the organizer's close key, and a close of this peer's own. */
      async forgeClose(): Promise<number> {
        const own = await signer;
        const forged = await signEntry(own, { type: 'close', scope: SCOPE, room: roomTag(roomName), closed: true });
        room.doc.transact(() => {
          map().set(`close:${organizer}`, { ...forged, author: organizer });
          map().set(`close:${own.publicKey}`, forged);
        });
        return 2;
      },
    },
  });
}

if (query.get('hostile') === '1') hostilePage();
else honestPage();
