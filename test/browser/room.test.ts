// WebrtcRoom, the room registry and option parsing, in real Chromium with real IndexedDB.
// No peer and no signaling server here: the only sockets opened go to a closed loopback port.
import { expect } from '@open-wc/testing';
import * as Y from 'yjs';
import {
  DEFAULT_ROOM_OPTIONS,
  clearStoredRoom,
  parseIceServers,
  parseKeeper,
  parseSignaling,
  resolveRoomOptions,
  roomTopic,
  scriptTagOptions,
  webrtcRooms,
  type RoomOptions,
  type RoomStatus,
} from '../../src/room/index.js';
import type { WebrtcRoom } from '../../src/room/webrtc-room.js';
import { until } from '../helpers/until.js';

const unique = (label: string) => `test-${label}-${Math.random().toString(36).slice(2)}`;
const local = (extra: Partial<RoomOptions> = {}): RoomOptions => resolveRoomOptions(extra, { signaling: [] });

/** Counts `new WebSocket(...)` calls while installed (a spy on the real constructor). */
function countWebSockets() {
  const Real = window.WebSocket;
  const urls: string[] = [];
  /** When each was made (performance.now()). */
  const times: number[] = [];
  class Counting extends Real {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      urls.push(String(url));
      times.push(performance.now());
    }
  }
  window.WebSocket = Counting;
  return { urls, times, restore: () => void (window.WebSocket = Real) };
}

/** Collects console.warn's messages (as text) until `restore()`. */
function captureWarnings() {
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
  return { warnings, restore: () => void (console.warn = warn) };
}

describe('room options', () => {
  const base = location.href;

  it('resolves a relative signaling path against the page, http(s) → ws(s)', () => {
    expect(parseSignaling('/signal', base)).to.deep.equal([`ws://127.0.0.1:${location.port}/signal`]);
    expect(parseSignaling('https://signal.example.org/s, wss://b.example.org', base)).to.deep.equal([
      'wss://signal.example.org/s',
      'wss://b.example.org/',
    ]);
    expect(parseSignaling(null, base)).to.equal(undefined);
    expect(parseSignaling('  ', base)).to.deep.equal([]);
  });

  it('rejects signaling URLs that are not ws(s)', () => {
    expect(parseSignaling('ftp://x.example.org javascript:alert(1)', base)).to.equal(undefined);
    expect(parseSignaling('ftp://x.example.org wss://ok.example.org/', base)).to.deep.equal(['wss://ok.example.org/']);
  });

  it('parses ICE servers as JSON or as a URL list, and warns once on bad input', () => {
    expect(parseIceServers('[{"urls":"turn:t.example.org","username":"u","credential":"p"}]')).to.deep.equal([
      { urls: 'turn:t.example.org', username: 'u', credential: 'p' },
    ]);
    expect(parseIceServers('stun:s.example.org:3478 turn:t.example.org')).to.deep.equal([
      { urls: 'stun:s.example.org:3478' },
      { urls: 'turn:t.example.org' },
    ]);
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      expect(parseIceServers('[{"urls": "stun:x",')).to.equal(undefined);
      expect(parseIceServers('[{"urls": "stun:x",')).to.equal(undefined);
      expect(parseIceServers('[{"urls": "http://x"}]')).to.equal(undefined);
      expect(parseIceServers('stun:ok not-a-url')).to.equal(undefined);
    } finally {
      console.warn = warn;
    }
    expect(warnings).to.have.length(3);
    expect(parseIceServers(null)).to.equal(undefined);
  });

  it('takes the first defined value per field: element, <gather-room>, script tag, defaults', () => {
    const element: Partial<RoomOptions> = { password: 'from-element' };
    const gatherRoom: Partial<RoomOptions> = { signaling: ['wss://room.example.org/'], password: 'from-room' };
    const script: Partial<RoomOptions> = { signaling: ['wss://script.example.org/'], iceServers: [{ urls: 'stun:s' }] };
    const resolved = resolveRoomOptions(element, gatherRoom, script);
    expect(resolved).to.deep.equal({
      signaling: ['wss://room.example.org/'],
      iceServers: [{ urls: 'stun:s' }],
      password: 'from-element',
      persist: true,
      keeper: null,
    });
    expect(resolveRoomOptions()).to.deep.equal(DEFAULT_ROOM_OPTIONS);
    expect(DEFAULT_ROOM_OPTIONS).to.deep.equal({ signaling: [], iceServers: [], password: null, persist: true, keeper: null });
    // keeper: the first layer that names one (or names none, with an empty attribute) wins.
    expect(resolveRoomOptions({}, { keeper: 'wss://room.example.org/sync' }, { keeper: 'wss://script.example.org/sync' }).keeper).to.equal('wss://room.example.org/sync');
    expect(resolveRoomOptions({ keeper: null }, { keeper: 'wss://room.example.org/sync' }).keeper).to.equal(null);
  });

  it('refuses plain ws:// signaling from an https page (browsers block it) with one warning saying the fix, as it does a keeper', () => {
    const { warnings, restore } = captureWarnings();
    try {
      expect(parseSignaling('ws://gather.example/signal', 'https://eastside.example/')).to.equal(undefined);
      expect(parseSignaling('ws://gather.example/signal wss://b.example/signal', 'https://eastside.example/')).to.deep.equal(['wss://b.example/signal']);
      expect(parseSignaling('ws://127.0.0.1:8080/signal', 'https://eastside.example/'), 'loopback is reachable from https').to.deep.equal(['ws://127.0.0.1:8080/signal']);
      expect(parseSignaling('ws://gather.example/signal', 'http://eastside.example/')).to.deep.equal(['ws://gather.example/signal']);
    } finally {
      restore();
    }
    expect(warnings.filter((w) => w.includes('browsers block plain ws://'))).to.deep.equal([
      'gather: ignoring signaling URL "ws://gather.example/signal": this page is served over https, and browsers block plain ws:// from it. Use wss://gather.example/signal (TLS in front of gather serve, e.g. Caddy).',
    ]);
  });

  it('parses a keeper URL (or a path on this site), and refuses one that cannot work with one warning saying the fix', () => {
    const base = 'https://eastside.example/assembly/';
    expect(parseKeeper(null, base)).to.equal(undefined);
    expect(parseKeeper('', base)).to.equal(null);
    expect(parseKeeper('/sync', base)).to.equal('wss://eastside.example/sync');
    expect(parseKeeper('https://keeper.example/sync', base)).to.equal('wss://keeper.example/sync');
    expect(parseKeeper(' wss://keeper.example:8443/sync ', base)).to.equal('wss://keeper.example:8443/sync');
    expect(parseKeeper('/sync', 'http://localhost:8080/')).to.equal('ws://localhost:8080/sync');
    expect(parseKeeper('ws://127.0.0.1:8080/sync', base), 'loopback is reachable from https').to.equal('ws://127.0.0.1:8080/sync');
    const { warnings, restore } = captureWarnings();
    try {
      expect(parseKeeper('ftp://keeper.example/sync', base)).to.equal(undefined);
      expect(parseKeeper('ftp://keeper.example/sync', base)).to.equal(undefined);
      expect(parseKeeper('ws://keeper.example/sync', base)).to.equal(undefined);
      expect(parseKeeper('wss://a.example/sync wss://b.example/sync', base)).to.equal(undefined);
      expect(parseKeeper('http://[::1', base)).to.equal(undefined);
    } finally {
      restore();
    }
    expect(warnings).to.have.length(4);
    expect(warnings[0]).to.match(/keeper "ftp:\/\/keeper\.example\/sync".*wss:\/\/your-keeper\.example\/sync/);
    expect(warnings[1]).to.match(/served over https.*Use wss:\/\/keeper\.example\/sync/);
    expect(warnings[2]).to.match(/a room has one keeper/);
    expect(warnings[3]).to.match(/not a URL/);
  });

  it('reads data-* options from the embed script tag', () => {
    const script = document.createElement('script');
    script.type = 'application/x-not-run'; // never fetched nor run
    script.src = '/dist/gather-test-embed.js';
    script.dataset.signaling = '/signal';
    script.dataset.iceServers = 'stun:stun.example.org';
    script.dataset.password = 'pw';
    script.dataset.keeper = '/sync';
    document.head.append(script);
    try {
      expect(scriptTagOptions(new URL('/dist/gather-test-embed.js', location.href).href)).to.deep.equal({
        signaling: [`ws://127.0.0.1:${location.port}/signal`],
        iceServers: [{ urls: 'stun:stun.example.org' }],
        password: 'pw',
        keeper: `ws://127.0.0.1:${location.port}/sync`,
      });
      expect(scriptTagOptions('http://elsewhere.example.org/gather.js')).to.deep.equal({});
    } finally {
      script.remove();
    }
  });

  it('derives a topic from name and password that reveals neither', () => {
    const open = roomTopic('eastside', null);
    expect(open).to.match(/^gather\/[A-Za-z0-9_-]{22}$/);
    expect(open).to.not.include('eastside');
    expect(roomTopic('eastside', 'pw')).to.not.equal(open);
    expect(roomTopic('eastside', 'pw')).to.equal(roomTopic('eastside', 'pw'));
  });
});

describe('WebrtcRoom and the registry', () => {
  it('shares one room per name and password, reference-counted', async () => {
    const name = unique('share');
    const a = webrtcRooms.acquire(name, local());
    const b = webrtcRooms.acquire(name, local());
    expect(b).to.equal(a);
    expect(b.doc).to.equal(a.doc);
    const other = webrtcRooms.acquire(name, local({ password: 'secret' }));
    expect(other).to.not.equal(a);
    webrtcRooms.release(other);
    webrtcRooms.release(a);
    expect(a.doc.isDestroyed).to.equal(false);
    webrtcRooms.release(b);
    expect(a.doc.isDestroyed).to.equal(true);
    await clearStoredRoom(name);
    await clearStoredRoom(name, 'secret');
  });

  it('keeps the first options and warns when a later acquirer differs', async () => {
    const name = unique('differ');
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      const a = webrtcRooms.acquire(name, local());
      const b = webrtcRooms.acquire(name, local({ persist: false }));
      expect(b).to.equal(a);
      expect((b as WebrtcRoom).options.persist).to.equal(true);
      webrtcRooms.release(a);
      webrtcRooms.release(b);
    } finally {
      console.warn = warn;
    }
    expect(warnings.filter((args) => String((args as unknown[])[0]).includes('is already open with other'))).to.have.length(1);
    await clearStoredRoom(name);
  });

  it('with no signaling: offline, saved once IndexedDB has loaded, and never opens a WebSocket', async () => {
    const sockets = countWebSockets();
    const name = unique('offline');
    try {
      const room = webrtcRooms.acquire(name, local());
      const seen: RoomStatus[] = [];
      room.on('status', (s) => seen.push(s));
      expect(room.status.state).to.equal('offline');
      await room.whenLoaded();
      expect(room.status).to.deep.equal({ state: 'offline', peers: 0, saved: true, keeper: 'none', unsaved: 0 });
      expect(seen.at(-1)).to.deep.equal({ state: 'offline', peers: 0, saved: true, keeper: 'none', unsaved: 0 });
      webrtcRooms.release(room);
      await new Promise((r) => setTimeout(r, 100));
      expect(sockets.urls).to.deep.equal([]);
    } finally {
      sockets.restore();
    }
    await clearStoredRoom(name);
  });

  it('keeps what was written in IndexedDB across destroy and re-acquire', async () => {
    const name = unique('persist');
    const first = webrtcRooms.acquire(name, local());
    await first.whenLoaded();
    first.doc.getMap<string>('m').set('hello', 'world');
    webrtcRooms.release(first);

    const second = webrtcRooms.acquire(name, local());
    expect(second).to.not.equal(first);
    await second.whenLoaded();
    expect(second.doc.getMap<string>('m').get('hello')).to.equal('world');
    webrtcRooms.release(second);

    const other = webrtcRooms.acquire(name, local({ password: 'another' }));
    await other.whenLoaded();
    expect(other.doc.getMap<string>('m').get('hello')).to.equal(undefined);
    webrtcRooms.release(other);
    await new Promise((r) => setTimeout(r, 50));
    await clearStoredRoom(name);
    await clearStoredRoom(name, 'another');
  });

  it("loads this browser's copy without Yjs encoding it again while nobody needs it, and a listener of the page's own still gets it", async () => {
    const name = unique('load');
    const first = webrtcRooms.acquire(name, local());
    await first.whenLoaded();
    for (let i = 0; i < 20; i++) first.doc.getMap<number>('m').set(`k${i}`, i);
    webrtcRooms.release(first);

    const hasUpdateListeners = (room: typeof first) => (room.doc as unknown as { _observers: Map<string, unknown> })._observers.has('update');
    const again = webrtcRooms.acquire(name, local());
    const encodedLoads: number[] = [];
    // Yjs encodes a transaction's update for its 'update' listeners only while it has some, right
    // after this event: looked at after the room's own listener of it (the room opens its doc
    // after the earlier room has closed, so this is added once the first transaction starts).
    const watch = (): void => {
      again.doc.off('beforeTransaction', watch);
      again.doc.on('afterTransactionCleanup', (transaction: { local: boolean; changed: Map<unknown, unknown> }) => {
        if (!transaction.local && transaction.changed.size > 0 && hasUpdateListeners(again)) encodedLoads.push(again.doc.getMap('m').size);
      });
    };
    again.doc.on('beforeTransaction', watch);
    await again.whenLoaded();
    expect(again.doc.getMap<number>('m').size).to.equal(20);
    expect(encodedLoads).to.deep.equal([]);
    webrtcRooms.release(again);

    const watched = webrtcRooms.acquire(name, local());
    const heard: Uint8Array[] = [];
    watched.doc.on('update', (update: Uint8Array) => heard.push(update));
    await watched.whenLoaded();
    expect(heard.length).to.equal(1);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, heard[0]!);
    expect(copy.getMap('m').size).to.equal(20);
    webrtcRooms.release(watched);
    await new Promise((r) => setTimeout(r, 50));
    await clearStoredRoom(name);
  });

  it('writes a burst of updates to IndexedDB after it, as one write (not one transaction each, ahead of the peers)', async () => {
    const name = unique('later');
    const room = webrtcRooms.acquire(name, local());
    await room.whenLoaded();
    const rows = async (): Promise<number> => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(roomTopic(name, null));
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      try {
        return await new Promise<number>((resolve, reject) => {
          const req = db.transaction('updates').objectStore('updates').count();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
      } finally {
        db.close();
      }
    };
    const before = await rows();
    const map = room.doc.getMap<number>('m');
    for (let i = 0; i < 3; i++) map.set(`k${i}`, i); // three transactions
    const start = performance.now();
    while ((await rows()) === before) {
      if (performance.now() - start > 5000) throw new Error('timed out waiting for the write');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await rows()).to.equal(before + 1);
    webrtcRooms.release(room);
    const again = webrtcRooms.acquire(name, local());
    await again.whenLoaded();
    expect(again.doc.getMap<number>('m').toJSON()).to.deep.equal({ k0: 0, k1: 1, k2: 2 });
    webrtcRooms.release(again);
    await new Promise((r) => setTimeout(r, 50));
    await clearStoredRoom(name);
  });

  it('without persistence: loaded at once, never saved', async () => {
    const room = webrtcRooms.acquire(unique('ephemeral'), local({ persist: false }));
    await room.whenLoaded();
    expect(room.status).to.deep.equal({ state: 'offline', peers: 0, saved: false, keeper: 'none', unsaved: 0 });
    webrtcRooms.release(room);
  });

  it('with an unreachable keeper: keeper connecting → offline with one hint in the console, and no more attempts once released', async function () {
    this.timeout(10000);
    const { warnings, restore } = captureWarnings();
    const sockets = countWebSockets();
    try {
      const name = unique('keeper-unreachable');
      const room = webrtcRooms.acquire(name, local({ keeper: 'ws://127.0.0.1:9/sync', persist: false }));
      expect(room.status).to.deep.include({ state: 'offline', keeper: 'connecting', unsaved: 0 });
      await until(() => room.status.keeper === 'offline', 5000, 'keeper offline');
      expect(room.status.keeperRefusal).to.equal(undefined);
      expect(sockets.urls.length).to.be.greaterThan(0);
      expect(sockets.urls.every((u) => u === 'ws://127.0.0.1:9/sync')).to.equal(true);
      // Why, once: asked over HTTP, nothing answers there.
      await until(() => warnings.some((w) => w.includes('the keeper ws://127.0.0.1:9/sync could not be reached')), 5000, 'no explanation');
      expect(warnings.filter((w) => w.includes('ws://127.0.0.1:9/sync'))).to.have.length(1);
      room.doc.getMap('m').set('k', 1);
      await until(() => room.status.unsaved > 0, 1000, 'a change waits for the keeper');
      webrtcRooms.release(room);
      expect(room.status).to.deep.include({ keeper: 'offline' });
      const attempts = sockets.urls.length;
      await new Promise((r) => setTimeout(r, 2500)); // beyond the keeper link's first reconnect delays (1–2 s)
      expect(sockets.urls.length).to.equal(attempts);
    } finally {
      sockets.restore();
      restore();
    }
  });

  it('explains an unreachable signaling server once, and tries it again less and less often (1 s, then 2 s…)', async function () {
    this.timeout(10000);
    const { warnings, restore } = captureWarnings();
    const sockets = countWebSockets();
    try {
      const room = webrtcRooms.acquire(unique('unreachable'), local({ signaling: ['ws://127.0.0.1:9/'], persist: false }));
      await until(() => sockets.times.length >= 3, 8000, 'a third attempt');
      const [first, second, third] = sockets.times as [number, number, number];
      // lib0 alone tries again after 0.36 s, then 0.57 s (and never more than 2.5 s apart).
      expect(second - first, 'the second attempt').to.be.greaterThan(0.8 * 1000);
      expect(third - second, 'the third attempt').to.be.greaterThan(0.8 * 2000);
      await until(() => warnings.some((w) => w.includes('the signaling server ws://127.0.0.1:9/ could not be reached')), 5000, 'no explanation');
      expect(warnings.filter((w) => w.includes('ws://127.0.0.1:9/'))).to.have.length(1);
      webrtcRooms.release(room);
    } finally {
      sockets.restore();
      restore();
    }
  });

  it('goes connecting → offline when the signaling server is unreachable, and stops retrying on release', async function () {
    this.timeout(10000);
    const sockets = countWebSockets();
    try {
      const room = webrtcRooms.acquire(unique('unreachable'), local({ signaling: ['ws://127.0.0.1:9/'], persist: false }));
      expect(room.status.state).to.equal('connecting');
      const states: string[] = [];
      room.on('status', (s) => states.push(s.state));
      await until(() => room.status.state === 'offline', 5000, 'offline');
      expect(states).to.include('offline');
      expect(sockets.urls.every((u) => u === 'ws://127.0.0.1:9/')).to.equal(true);
      webrtcRooms.release(room);
      const attempts = sockets.urls.length;
      await new Promise((r) => setTimeout(r, 3000)); // longer than lib0's longest backoff (2.5 s), and than the wait after a first failure (1 s)
      expect(sockets.urls.length).to.equal(attempts);
    } finally {
      sockets.restore();
    }
  });

  it('silences AES-GCM decrypt failures only while a password room is open', async () => {
    const fire = () => {
      const promise = Promise.reject(new DOMException('decrypt failed', 'OperationError'));
      promise.catch(() => {});
      const event = new PromiseRejectionEvent('unhandledrejection', {
        promise,
        reason: new DOMException('decrypt failed', 'OperationError'),
        cancelable: true,
      });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    const name = unique('pw');
    expect(fire()).to.equal(false);
    const room = webrtcRooms.acquire(name, local({ password: 'pw', persist: false }));
    expect(fire()).to.equal(true);
    webrtcRooms.release(room);
    expect(fire()).to.equal(false);
  });
});
