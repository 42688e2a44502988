// What members-only costs, in Node: a poll of 10,000 ballots, 5,000 of them by members admitted
// through one invite (the room's trust map holds 5,000 admissions).
//   (a) deriving the members-only poll's view, against the same poll open to everyone (the
//       baseline: the same derive without the members filter), in the same process;
//   (b) deriving the room's organizers and members from the 5,000 admissions, against sorting
//       the same entries in the shared order (the least any derive of "the first N" must do).
//   node --import tsx bench/trust.ts [ballots] [runs]
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { createCapability, signClaimProof } from '../src/identity/capability.js';
import { roomTag, signCompactEntry } from '../src/identity/entries.js';
import { createSigner } from '../src/identity/keys.js';
import { entryKey } from '../src/models/entry-key.js';
import { MEMBER_TYPE, MembershipModel, TRUST_SCOPE } from '../src/models/membership.js';
import { sortEntries } from '../src/models/order.js';
import { BALLOT_FIELDS, PollModel, pollScope } from '../src/models/poll.js';
import { quantile } from './stats.js';

const ROOM = 'eastside-tenants';
const POLL = 'strike';
const config = { question: 'Strike?', options: [{ id: 'yes', label: 'Yes' }, { id: 'no', label: 'No' }], results: 'always' as const };

export interface TrustBenchResult {
  readonly name: 'trust';
  readonly ballots: number;
  readonly members: number;
  readonly runs: number;
  readonly membersOnlyMedianMs: number;
  readonly openMedianMs: number;
  /** (a): members-only derive against the open derive of the same ballots. */
  readonly membersOnlyRatio: number;
  readonly trustMedianMs: number;
  readonly sortMedianMs: number;
  /** (b): the trust derive against sorting its entries. */
  readonly trustRatio: number;
}

async function fixture(ballots: number) {
  const doc = new Y.Doc();
  const tag = roomTag(ROOM);
  const root = await createSigner('Ed25519');
  const invite = await createCapability(root, { room: ROOM, max: ballots, now: 1_000 });
  const poll = doc.getMap(pollScope(POLL));
  const trust = doc.getMap(TRUST_SCOPE);
  const members = Math.floor(ballots / 2);
  for (let i = 0; i < ballots; i++) {
    const signer = await createSigner('Ed25519');
    const ts = 10_000 + i;
    const ballot = await signCompactEntry(signer, { type: 'ballot', scope: pollScope(POLL), room: tag, ballot: i % 3 === 0 ? 'no' : 'yes' }, ts, 'ballot', (t) => (t === 'ballot' ? BALLOT_FIELDS : undefined));
    poll.set(entryKey('ballot', signer.publicKey), ballot.stored);
    if (i < members) {
      const proof = await signClaimProof(invite, signer, ts);
      const member = await signCompactEntry(signer, { type: MEMBER_TYPE, scope: TRUST_SCOPE, room: tag, invite: invite.token, proof }, ts, MEMBER_TYPE);
      trust.set(entryKey(MEMBER_TYPE, signer.publicKey), member.stored);
    }
  }
  return { doc, root, members };
}

const time = (fn: () => void): number => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};

export async function measureTrust(ballots = 10_000, runs = 15): Promise<TrustBenchResult> {
  const { doc, root, members } = await fixture(ballots);
  const options = { organizers: [root.publicKey], room: ROOM };
  const open = new PollModel(doc, POLL, config, null, options);
  const only = new PollModel(doc, POLL, config, null, { ...options, membersOnly: true });
  const trust = new MembershipModel(doc, null, { roots: [root.publicKey], room: ROOM });
  await Promise.all([open.settled(), only.settled(), trust.settled()]);
  if (only.view.total !== members || open.view.total !== ballots) throw new Error(`counted ${only.view.total} members of ${members}, ${open.view.total} of ${ballots}`);
  // A derive, as a change of configuration runs it (refresh is protected: the bench reaches in).
  const derive = (model: PollModel) => () => (model as unknown as { refresh(): void }).refresh();
  const trustDerive = () => (trust as unknown as { store: { refresh(origin: string): void } }).store.refresh('config');
  const entries = [...(trust as unknown as { store: { entries: ReadonlyMap<string, never> } }).store.entries.values()];
  const samples = { only: [] as number[], open: [] as number[], trust: [] as number[], sort: [] as number[] };
  for (let r = 0; r <= runs; r++) {
    const round = { only: time(derive(only)), open: time(derive(open)), trust: time(trustDerive), sort: time(() => sortEntries(entries)) };
    if (r === 0) continue; // warm-up
    for (const key of Object.keys(samples) as (keyof typeof samples)[]) samples[key].push(round[key]);
  }
  for (const m of [open, only, trust]) m.destroy();
  const median = (xs: number[]) => quantile(xs, 0.5);
  return {
    name: 'trust',
    ballots,
    members,
    runs,
    membersOnlyMedianMs: median(samples.only),
    openMedianMs: median(samples.open),
    membersOnlyRatio: median(samples.only) / median(samples.open),
    trustMedianMs: median(samples.trust),
    sortMedianMs: median(samples.sort),
    trustRatio: median(samples.trust) / median(samples.sort),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [ballots, runs] = process.argv.slice(2).map(Number);
  console.log(JSON.stringify(await measureTrust(ballots || undefined, runs || undefined), null, 2));
}
