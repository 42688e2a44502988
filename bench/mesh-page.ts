// Runs in the stock page of bench/mesh.ts: bare Yjs over stock y-webrtc (simple-peer, not aliased),
// through the same signaling server as Gather's page, with no widget. `set`/`arrival` carry a bare
// value; `setSigned`/`signedArrival` carry it with what the design asks of every vote and nothing
// more: signed with Ed25519 by the sender (WebCrypto), verified on arrival (each sender's key
// imported once), then written into the page (one text node): the floor of a signed vote's path.
import * as Y from 'yjs';
import { WebrtcProvider } from 'y-webrtc';

const params = new URLSearchParams(location.search);
const doc = new Y.Doc();
const provider = new WebrtcProvider(params.get('room')!, doc, {
  signaling: [`ws://${location.host}/signal`],
  maxConns: 32,
  peerOpts: { config: { iceServers: [] } },
});
const map = doc.getMap<string>('votes');
const signed = doc.getMap<{ value: string; sig: Uint8Array<ArrayBuffer>; key: Uint8Array<ArrayBuffer> }>('signed');
const now = () => performance.timeOrigin + performance.now();

const ED25519 = { name: 'Ed25519' } as const;
const pair = crypto.subtle.generateKey(ED25519, false, ['sign', 'verify']) as Promise<CryptoKeyPair>;
const ownKey = pair.then(async ({ publicKey }) => new Uint8Array(await crypto.subtle.exportKey('raw', publicKey)));
const keys = new Map<string, Promise<CryptoKey>>();
const keyOf = (raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> => {
  const id = raw.join();
  let key = keys.get(id);
  if (key === undefined) keys.set(id, (key = crypto.subtle.importKey('raw', raw, ED25519, false, ['verify'])));
  return key;
};
const text = document.body.appendChild(document.createElement('output'));

(window as unknown as { mesh: unknown }).mesh = {
  /** Peers this page has a data channel open with. */
  peers: () => [...provider.room!.webrtcConns.values()].filter((conn) => conn.connected).length,
  /** Sets `key` and returns when (epoch ms) it was set. */
  set(key: string, value: string): number {
    const t0 = now();
    map.set(key, value);
    return t0;
  },
  /** Resolves with when (epoch ms) `key` became `value` here. */
  arrival: (key: string, value: string): Promise<number> =>
    new Promise((resolve) => {
      if (map.get(key) === value) return resolve(now());
      const observer = () => {
        if (map.get(key) !== value) return;
        map.unobserve(observer);
        resolve(now());
      };
      map.observe(observer);
    }),
  /** Signs `value` and sets it under `key`; resolves with when (epoch ms) it began. */
  async setSigned(key: string, value: string): Promise<number> {
    const [{ privateKey }, raw] = await Promise.all([pair, ownKey]);
    const t0 = now();
    const sig = new Uint8Array(await crypto.subtle.sign(ED25519, privateKey, new TextEncoder().encode(value)));
    signed.set(key, { value, sig, key: raw });
    return t0;
  },
  /** Resolves with when (epoch ms) a signed `value` under `key` was verified here and written into the page. */
  signedArrival: (key: string, value: string): Promise<number> =>
    new Promise((resolve) => {
      const observer = async () => {
        const entry = signed.get(key);
        if (entry?.value !== value) return;
        signed.unobserve(observer);
        const ok = await crypto.subtle.verify(ED25519, await keyOf(entry.key), entry.sig, new TextEncoder().encode(entry.value));
        if (!ok) throw new Error('a signed value did not verify');
        text.textContent = entry.value;
        resolve(now());
      };
      signed.observe(observer);
    }),
};
