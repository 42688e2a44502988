// What the profilers (bench/*-profile.ts) share: Chromium's sampling CPU profiles (CDP
// `Profiler.stop`) summed by function, self and total, over runs, and a timeline per 10 ms of the
// innermost frame of interest on each sample's stack.

/** A CDP Profiler.Profile, as much of it as is read here. */
interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly children?: readonly number[]; readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number } }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
}

type Frame = CpuProfile['nodes'][number];

const IDLE = new Set(['(idle)', '(program)', '(root)']);

const label = (node: Frame): string =>
  `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber + 1}`;

/** Sums of sampled time (µs) by function over the profiles added. */
export class ProfileSums {
  readonly self = new Map<string, number>();
  readonly total = new Map<string, number>();
  /** Busy time sampled (µs), idle and program time left out. */
  busy = 0;

  /**
   * Adds `profile`'s samples. With `interesting`, also prints its timeline: per 10 ms, the time of
   * the innermost frame whose function name matches on each sample's stack ('(other)' if none).
   */
  add(profile: CpuProfile, interesting?: RegExp): void {
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const buckets = new Map<number, Map<string, number>>();
    let at = profile.startTime;
    profile.samples.forEach((id, i) => {
      const d = profile.timeDeltas[i] ?? 0;
      at += d;
      const node = byId.get(id)!;
      if (IDLE.has(node.callFrame.functionName)) return;
      this.busy += d;
      this.self.set(label(node), (this.self.get(label(node)) ?? 0) + d);
      const seen = new Set<string>();
      let of: string | undefined;
      for (let k: number | undefined = id; k !== undefined; k = parent.get(k)) {
        const frame = byId.get(k)!;
        if (of === undefined && interesting?.test(frame.callFrame.functionName)) of = frame.callFrame.functionName;
        const l = label(frame);
        if (seen.has(l)) continue;
        seen.add(l);
        this.total.set(l, (this.total.get(l) ?? 0) + d);
      }
      if (interesting === undefined) return;
      const bucket = Math.floor((at - profile.startTime) / 10_000);
      let row = buckets.get(bucket);
      if (row === undefined) buckets.set(bucket, (row = new Map()));
      row.set(of ?? '(other)', (row.get(of ?? '(other)') ?? 0) + d);
    });
    for (const [bucket, row] of [...buckets].sort((a, b) => a[0] - b[0]))
      console.log(`${String(bucket * 10).padStart(5)} ms  ${[...row].sort((a, b) => b[1] - a[1]).map(([l, us]) => `${l} ${(us / 1000).toFixed(1)}`).join(', ')}`);
  }

  /** Prints the busy time, the `selfRows` functions with the most self time and the `totalRows` with the most total, per run. */
  print(runs: number, selfRows = 30, totalRows = 50): void {
    const top = (m: Map<string, number>, k: number) =>
      [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([l, us]) => `${(us / 1000 / runs).toFixed(1).padStart(8)} ms  ${l}`).join('\n');
    console.log(`per run, busy sampled ${(this.busy / 1000 / runs).toFixed(1)} ms\n--- self\n${top(this.self, selfRows)}\n--- total\n${top(this.total, totalRows)}`);
  }
}
