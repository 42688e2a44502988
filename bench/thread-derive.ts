// Node, CPU only: the thread model's derive over n comments, and again with one more comment.
//   node --import tsx bench/thread-derive.ts [comments] [runs]   (no browser; not part of npm run bench)
import * as Y from 'yjs';
import { states } from './thread.js';
import { ThreadModel } from '../src/models/thread.js';

const n = Number(process.argv[2] ?? 2000);
const runs = Number(process.argv[3] ?? 20);
const { state, extra } = await states(n);
const times: { first: number; one: number }[] = [];
for (let i = 0; i < runs; i++) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const model = new ThreadModel(doc, 'rent-strike', { topic: '' }, null, { room: 'bench-thread', heal: false });
  const t0 = performance.now();
  await model.settled();
  const t1 = performance.now();
  const store = (model as unknown as { store: { refresh(o: string): void } }).store;
  const r0 = performance.now();
  store.refresh('remote');
  const r1 = performance.now();
  Y.applyUpdate(doc, extra[0]!);
  const t2 = performance.now();
  await model.settled();
  const t3 = performance.now();
  if (model.view.comments.length !== n + 1) throw new Error('not shown');
  times.push({ first: t1 - t0, one: t3 - t2, refresh: r1 - r0 } as never);
  model.destroy();
}
const med = (k: string) => { const v = times.map((t) => (t as never)[k] as number).sort((a, b) => a - b); return v[v.length >> 1]!.toFixed(2); };
console.log(`first pass ${med('first')} ms, derive again (all) ${med('refresh')} ms, one more ${med('one')} ms (median of ${runs})`);
