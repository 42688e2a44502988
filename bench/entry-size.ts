// Document bytes per ballot: n single-choice ballots, each cast by its own visitor (its own Yjs
// client), merged into one document; Y.encodeStateAsUpdate(doc).length / n, for the entry format
// as written today and for the other layouts it was chosen against, beside a bare Yjs vote
// (`map.set(clientKey, 'tue')`) in the same run. Node only (no browser needed).
//   node --import tsx bench/entry-size.ts [n]
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { toBase64url, fromBase64url } from '../src/identity/base64url.js';
import { canonicalBytes } from '../src/identity/canonical.js';
import { roomTag, signCompactEntry } from '../src/identity/entries.js';
import { createSigner } from '../src/identity/keys.js';
import type { Signer } from '../src/identity/types.js';
import { BALLOT_FIELDS, ballotKey, pollScope } from '../src/models/poll.js';

/** The demo page's poll. */
const POLL = 'assembly-day';
const ROOM = 'eastside-tenants';
const CHOICES = ['tue', 'thu'];
/** What PollModel writes: type from the key, field names from the model, author and room not stored. */
const CHOSEN = 'v2 binary (chosen: also the field names left out)';

export interface EntrySizeResult {
  readonly name: 'entry-size';
  readonly ballots: number;
  readonly poll: string;
  /** Bytes per ballot of each layout, by name. */
  readonly bytesPerBallot: Readonly<Record<string, number>>;
  /** The layout written today. */
  readonly chosen: string;
  readonly ratio: number;
}

/** One visitor's ballot as a Yjs update of its own client, merged into `target`. */
const cast = (target: Y.Doc, key: string, value: unknown): void => {
  const doc = new Y.Doc();
  doc.getMap(pollScope(POLL)).set(key, value);
  Y.applyUpdate(target, Y.encodeStateAsUpdate(doc));
  doc.destroy();
};

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

export async function measureEntrySize(n = 1000): Promise<EntrySizeResult> {
  const signers: Signer[] = [];
  for (let i = 0; i < n; i++) signers.push(await createSigner('Ed25519'));
  const scope = pollScope(POLL);
  const room = roomTag(ROOM);
  const layouts: Record<string, (signer: Signer, i: number) => Promise<[string, unknown]>> = {
    'bare Yjs vote (baseline)': async (_s, i) => [String(1e9 + i), CHOICES[i % 2]],
    'v1 JSON (before)': async (signer, i) => {
      const fields = { v: 1, type: 'ballot', scope, author: signer.publicKey, alg: signer.alg, ts: Date.now(), choices: [CHOICES[i % 2]] };
      return [ballotKey(signer.publicKey), { ...fields, sig: toBase64url(await signer.sign(canonicalBytes(fields))) }];
    },
    'v2 object form as a Y.Map value (JSON, room tag)': async (signer, i) => {
      const { entry } = await signCompactEntry(signer, { type: 'ballot', scope, room, ballot: CHOICES[i % 2] }, Date.now(), 'ballot');
      return [ballotKey(signer.publicKey), entry];
    },
    'v2 binary, author also in the value (raw)': async (signer, i) => {
      const { stored } = await signCompactEntry(signer, { type: 'ballot', scope, room, ballot: CHOICES[i % 2] }, Date.now(), 'ballot');
      return [ballotKey(signer.publicKey), concat(stored, fromBase64url(signer.publicKey)!)];
    },
    'v2 binary, room tag stored too': async (signer, i) => {
      const { stored } = await signCompactEntry(signer, { type: 'ballot', scope, room, ballot: CHOICES[i % 2] }, Date.now(), 'ballot');
      return [ballotKey(signer.publicKey), concat(stored, fromBase64url(room)!)];
    },
    'v2 binary, body as JSON text': async (signer, i) => {
      const { stored } = await signCompactEntry(signer, { type: 'ballot', scope, room, ballot: CHOICES[i % 2] }, Date.now(), 'ballot');
      // Same layout with the CBOR body (14 bytes here) swapped for its JSON text.
      const json = new TextEncoder().encode(JSON.stringify({ ballot: CHOICES[i % 2] }));
      return [ballotKey(signer.publicKey), concat(stored.subarray(0, 7), json, stored.subarray(stored.length - 64))];
    },
    'v2 binary, type written out': async (signer, i) => {
      const { stored } = await signCompactEntry(signer, { type: 'ballot', scope, room, ballot: CHOICES[i % 2] }, Date.now(), 'other');
      return [ballotKey(signer.publicKey), stored];
    },
    'v2 binary, shorter key kind (b:<author>)': async (signer, i) => {
      const { stored } = await signCompactEntry(signer, { type: 'ballot', scope, room, ballot: CHOICES[i % 2] }, Date.now(), 'b');
      return [`b:${signer.publicKey}`, stored];
    },
    'v2 binary, field names written (type from the key, author and room not stored)': async (signer, i) => {
      const { stored } = await signCompactEntry(signer, { type: 'ballot', scope, room, ballot: CHOICES[i % 2] }, Date.now(), 'ballot');
      return [ballotKey(signer.publicKey), stored];
    },
    [CHOSEN]: async (signer, i) => {
      const { stored } = await signCompactEntry(signer, { type: 'ballot', scope, room, ballot: CHOICES[i % 2] }, Date.now(), 'ballot', () => BALLOT_FIELDS);
      return [ballotKey(signer.publicKey), stored];
    },
  };
  const bytesPerBallot: Record<string, number> = {};
  for (const [name, make] of Object.entries(layouts)) {
    const doc = new Y.Doc();
    for (let i = 0; i < n; i++) cast(doc, ...(await make(signers[i]!, i)));
    bytesPerBallot[name] = Y.encodeStateAsUpdate(doc).length / n;
    doc.destroy();
  }
  return { name: 'entry-size', ballots: n, poll: POLL, bytesPerBallot, chosen: CHOSEN, ratio: bytesPerBallot[CHOSEN]! / bytesPerBallot['bare Yjs vote (baseline)']! };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await measureEntrySize(Number(process.argv[2] ?? 1000));
  for (const [name, bytes] of Object.entries(result.bytesPerBallot)) console.log(`${bytes.toFixed(1).padStart(7)} B/ballot  ${name}`);
}
