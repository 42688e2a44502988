// Runs in the stock page of bench/mesh.ts: bare Yjs over stock y-webrtc (simple-peer, not aliased),
// through the same signaling server as Gather's page, with no widget and no signatures.
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

(window as unknown as { mesh: unknown }).mesh = {
  /** Peers this page has a data channel open with. */
  peers: () => [...provider.room!.webrtcConns.values()].filter((conn) => conn.connected).length,
  /** Sets `key` and returns when (epoch ms) it was set. */
  set(key: string, value: string): number {
    const t0 = performance.timeOrigin + performance.now();
    map.set(key, value);
    return t0;
  },
  /** Resolves with when (epoch ms) `key` became `value` here. */
  arrival: (key: string, value: string): Promise<number> =>
    new Promise((resolve) => {
      if (map.get(key) === value) return resolve(performance.timeOrigin + performance.now());
      const observer = () => {
        if (map.get(key) !== value) return;
        map.unobserve(observer);
        resolve(performance.timeOrigin + performance.now());
      };
      map.observe(observer);
    }),
};
