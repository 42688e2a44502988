// Where one broadcast's time goes: bench/keeper.ts's broadcast (one update among 200 clients in 100
// rooms, clients in this process) with more rounds, CPU-profiled (node:inspector) while the updates
// are sent (PROFILE_DIR=dir: also written there as <server>.cpuprofile), for the keeper and for stock @y/websocket-server (and stock Hocuspocus), each summed by
// function, self and total.
//
//   [WARM=1] sh bin/netns node --import tsx bench/keeper-profile.ts [rounds=20] [keeper|stock|hocuspocus ...]
// WARM=1: after a first broadcast (its own clients, same rooms) on the same server.
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { ProfileSums } from './cpu-profile.js';
import { broadcastLatency, hocuspocusServer, keeperServer, stockServer, type Server } from './keeper.js';
import { quantile } from './stats.js';

const rounds = Number(process.argv[2] ?? 20);
const which = process.argv.slice(3);
const servers: Record<string, () => Promise<Server>> = { stock: stockServer, hocuspocus: hocuspocusServer, keeper: keeperServer };

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 25 });

for (const [name, make] of Object.entries(servers)) {
  if (which.length > 0 && !which.includes(name)) continue;
  const server = await make();
  if (process.env.WARM) await broadcastLatency(server); // a first broadcast on the same server, not profiled
  const sums = new ProfileSums();
  const { samples, relay } = await broadcastLatency(server, rounds, {
    start: () => session.post('Profiler.start'),
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      sums.add(profile as never);
      if (process.env.PROFILE_DIR) await writeFile(`${process.env.PROFILE_DIR}/${name}.cpuprofile`, JSON.stringify(profile));
    },
  });
  await server.close();
  console.log(
    `\n=== ${name}: ${samples.length} updates, p50 ${quantile(samples, 0.5).toFixed(3)} ms, p99 ${quantile(samples, 0.99).toFixed(3)} ms; ` +
      `relay p50 ${quantile(relay, 0.5).toFixed(3)} ms; CPU per update ${(sums.busy / samples.length).toFixed(1)} µs`,
  );
  sums.print(samples.length / 1000, 45, 70); // per 1000 updates: "ms" per 1000 = µs per update
}
process.exit(0);
