// npm run bench: every benchmark as a ratio against its baseline measured in the same run.
// Writes bench/results/<name>.json. Run it inside the private network namespace (npm run bench does).
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { measureAidBoard } from './aid-board.js';
import { measureKeeper } from './keeper.js';
import { measureLatency } from './latency.js';
import { measureSize } from './size.js';
import { measureEntrySize } from './entry-size.js';
import { measureVisitor } from './visitor.js';
import { measureSignup } from './signup.js';
import { measureThread } from './thread.js';
import { measurePoll } from './poll.js';
import { measureMesh } from './mesh.js';
import { measureTrust } from './trust.js';
import { measureTti } from './tti.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = new URL('./results/', import.meta.url);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value: number) => `${value.toFixed(2)} ms`;

async function record(result: { name: string }): Promise<void> {
  await mkdir(resultsDir, { recursive: true });
  const stamped = { ...result, date: new Date().toISOString(), node: process.version };
  await writeFile(new URL(`${result.name}.json`, resultsDir), `${JSON.stringify(stamped, null, 2)}\n`);
}

const size = await measureSize(`${root}/dist/gather.js`);
await record(size);
console.log(
  `size     a page with one poll loads ${kib(size.gatherGzipBytes)} gzipped vs bare Lit+Yjs+y-webrtc+y-indexeddb ${kib(size.baselineGzipBytes)}: ratio ${size.ratio.toFixed(2)}; ` +
    `before the poll paints ${kib(size.paintGzipBytes)}: ratio ${size.paintRatio.toFixed(2)}; ` +
    `the loader ${kib(size.loaderGzipBytes)}; chunks: ${Object.entries(size.chunkGzipBytes).map(([name, bytes]) => `${name} ${kib(bytes)}`).join(', ')}; keeper ${kib(size.keeperChunkGzipBytes)}; on demand: ${Object.entries(size.onDemandGzipBytes).map(([name, bytes]) => `${name} ${kib(bytes)}`).join(', ')}`,
);
console.log(`size     the core: ${Object.entries(size.coreBreakdown).map(([part, bytes]) => `${part} ${kib(bytes)}`).join(', ')}`);
console.log(`size     the UI: ${Object.entries(size.uiBreakdown).map(([part, bytes]) => `${part} ${kib(bytes)}`).join(', ')}`);

const tti = await measureTti();
await record(tti);
console.log(
  `tti      navigation to an interactive poll (Slow-3G-like, ${tti.cpuSlowdown}x CPU, gather serve): median ${ms(tti.pollMedianMs)} (${kib(tti.pollBytes)} received) ` +
    `vs a bare Lit element ${ms(tti.bareMedianMs)} (${kib(tti.bareBytes)}): ratio ${tti.ratio.toFixed(2)}, ${tti.runs} runs each; ` +
    `first paint ${ms(tti.pollPaintMedianMs)} vs ${ms(tti.barePaintMedianMs)}: ratio ${tti.paintRatio.toFixed(2)}; the poll's model attached (a vote saved at once) ${ms(tti.pollAttachedMedianMs)}`,
);

const latency = await measureLatency(root);
await record(latency);
console.log(
  `latency  vote rendered in the other context: median ${ms(latency.voteMedianMs)}, p95 ${ms(latency.voteP95Ms)} ` +
    `vs raw RTCDataChannel message: median ${ms(latency.rawMedianMs)}, p95 ${ms(latency.rawP95Ms)}: ` +
    `ratio ${latency.medianRatio.toFixed(1)} (median), ${latency.p95Ratio.toFixed(1)} (p95), ${latency.samples} samples`,
);

const mesh = await measureMesh(root);
await record(mesh);
console.log(
  `mesh     one vote on the others' screens vs stock y-webrtc's bare update arrival, and its signed value verified and written: ` +
    mesh.sizes
      .map((s) => `${s.peers} peers ${ms(s.gatherMedianMs)} vs ${ms(s.stockMedianMs)} (ratio ${s.ratio.toFixed(1)}), signed ${ms(s.signedMedianMs)} (ratio ${s.signedRatio.toFixed(1)})`)
      .join('; '),
);

const poll = await measurePoll();
await record(poll);
console.log(
  `poll     ${poll.voters} voters: the whole state to the rendered result ${ms(poll.fullMedianMs)} vs apply + one check per ballot ${ms(poll.baselineMedianMs)}: ratio ${poll.fullRatio.toFixed(2)} (target 1.5); ` +
    `one more ballot ${ms(poll.oneMedianMs)} vs ${ms(poll.oneBaselineMs)}: ratio ${poll.oneRatio.toFixed(0)} (target 50; Yjs alone's first transaction after the state ${ms(poll.yjsAloneFirstMedianMs)}); ` +
    `the ballots after it, one at a time ${ms(poll.nextMedianMs)}: ratio ${poll.nextRatio.toFixed(0)} (Yjs alone applying them with a provider's update listener ${ms(poll.yjsAloneMedianMs)})`,
);

const entrySize = await measureEntrySize();
await record(entrySize);
console.log(`entries  ${entrySize.bytesPerBallot[entrySize.chosen]!.toFixed(1)} B per ballot (${entrySize.ballots} ballots) vs bare Yjs vote ${entrySize.bytesPerBallot['bare Yjs vote (baseline)']!.toFixed(1)} B: ratio ${entrySize.ratio.toFixed(1)}`);

const visitor = await measureVisitor();
await record(visitor);
console.log(
  `visitor  ${visitor.ballots} ballots to tally: new ${ms(visitor.newMedianMs)}, returning ${ms(visitor.returningMedianMs)} vs bare Yjs votes ${ms(visitor.bareMedianMs)} ` +
    `(ratio ${visitor.newRatio.toFixed(1)}, ${visitor.returningRatio.toFixed(1)}), vs bare Yjs on the same state ${ms(visitor.bareSameStateMedianMs)} ` +
    `(ratio ${visitor.newRatioSameState.toFixed(1)}, ${visitor.returningRatioSameState.toFixed(1)})`,
);

const keeper = await measureKeeper();
await record(keeper);
console.log(
  `keeper   one update among ${keeper.clients} clients in ${keeper.rooms} rooms: p50 ${ms(keeper.latency.keeperP50Ms)}, p99 ${ms(keeper.latency.keeperP99Ms)} ` +
    `vs stock @y/websocket-server p50 ${ms(keeper.latency.stockP50Ms)}, p99 ${ms(keeper.latency.stockP99Ms)}: ratio ${keeper.latency.p50Ratio.toFixed(2)} (p50), ${keeper.latency.p99Ratio.toFixed(2)} (p99); ` +
    `stock Hocuspocus p50 ${ms(keeper.latency.hocuspocusP50Ms)}; the servers' own relay time p50 keeper ${ms(keeper.latency.relay.keeperP50Ms)}, ` +
    `stock @y/websocket-server ${ms(keeper.latency.relay.stockP50Ms)}, stock Hocuspocus ${ms(keeper.latency.relay.hocuspocusP50Ms)}`,
);
console.log(
  `keeper   memory per idle room ${keeper.idleRoom.keeperBytes.toFixed(0)} B vs stock ${keeper.idleRoom.stockBytes.toFixed(0)} B: ratio ${keeper.idleRoom.ratio.toFixed(2)}; ` +
    `a new client syncs ${keeper.sync.ballots} ballots (${kib(keeper.sync.stateBytes)}) in ${ms(keeper.sync.keeperColdMs)} from disk, ${ms(keeper.sync.keeperWarmMs)} from memory ` +
    `vs bare Yjs applying the state ${ms(keeper.sync.bareYjsMs)}: ratio ${keeper.sync.coldRatio.toFixed(1)} (cold), ${keeper.sync.warmRatio.toFixed(1)} (warm)`,
);
const aid = await measureAidBoard();
await record(aid);
for (const kind of ['render', 'filter'] as const) {
  const at = (n: string) => `${n} posts ${ms(aid[kind][n]!.boardMedianMs)} vs bare repeat ${ms(aid[kind][n]!.bareMedianMs)} (ratio ${aid[kind][n]!.ratio.toFixed(2)})`;
  console.log(`aid      ${kind}: ${at('1000')}; ${at('10000')}`);
}
const signup = await measureSignup();
await record(signup);
console.log(
  `signup   ${signup.slots} slots, ${signup.signups} signups rendered from the stored state: new visitor ${ms(signup.coldMedianMs)}, returning ${ms(signup.returningMedianMs)} ` +
    `vs bare Yjs + one signature check per entry ${ms(signup.bareMedianMs)}: ratio ${signup.coldRatio.toFixed(2)}, ${signup.returningRatio.toFixed(2)} (target ${signup.target})`,
);
const thread = await measureThread();
await record(thread);
console.log(
  `thread   ${thread.comments} comments, all shown ${ms(thread.threadAllMs)} (render ${ms(thread.threadAllRenderMs)}), as opened (${thread.shownAtFirst} shown) ${ms(thread.threadMs)} ` +
    `vs bare Lit list ${ms(thread.bareMs)}: ratio ${thread.ratioAll.toFixed(2)} (all), ${thread.ratioAllRenderOnly.toFixed(2)} (render only), ${thread.ratioAsOpened.toFixed(2)} (as opened); ` +
    `one more comment ${ms(thread.threadOneMoreMs)} vs ${ms(thread.bareOneMoreMs)}: ratio ${thread.ratioOneMore.toFixed(1)}, ${thread.reRenderedComments} comment re-rendered`,
);
const trust = await measureTrust();
await record(trust);
console.log(
  `trust    ${trust.ballots} ballots, ${trust.members} members: members-only derive ${ms(trust.membersOnlyMedianMs)} vs the same poll open ${ms(trust.openMedianMs)}: ratio ${trust.membersOnlyRatio.toFixed(2)}; ` +
    `organizers and members from ${trust.members} admissions ${ms(trust.trustMedianMs)} vs sorting them ${ms(trust.sortMedianMs)}: ratio ${trust.trustRatio.toFixed(1)}`,
);
process.exit(0); // provider sockets of the baselines may hold timers
