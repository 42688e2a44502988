// Size: gzipped dist/gather.js with the chunks it imports statically (what a page without a keeper
// loads, each file gzipped as served) against Lit + Yjs + y-webrtc + y-indexeddb bundled bare, with
// the same rollup plugins, in the same run; and the keeper's chunk, loaded only when a page names a keeper.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import commonjs from '@rollup/plugin-commonjs';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup, type Plugin } from 'rollup';

const BARE_ENTRY = `
export { LitElement, html, css } from 'lit';
export * from 'yjs';
export { WebrtcProvider } from 'y-webrtc';
export { IndexeddbPersistence } from 'y-indexeddb';
`;

const virtualEntry: Plugin = {
  name: 'bare-entry',
  resolveId: (id) => (id === 'bare-entry' ? id : null),
  load: (id) => (id === 'bare-entry' ? BARE_ENTRY : null),
};

async function bundleBare(): Promise<string> {
  const bundle = await rollup({
    input: 'bare-entry',
    plugins: [virtualEntry, resolve({ browser: true }), commonjs(), terser({ format: { comments: false } })],
    onwarn: () => {},
  });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  return output[0].code;
}

const gzipBytes = (code: string | Buffer) => gzipSync(code, { level: 9 }).length;

export interface SizeResult {
  readonly name: 'size';
  /** gather.js and the chunks it imports statically, each gzipped. */
  readonly gatherGzipBytes: number;
  /** The keeper's client (dist/chunks/keeper-link-*.js), gzipped: only pages that name a keeper load it. */
  readonly keeperChunkGzipBytes: number;
  readonly baselineGzipBytes: number;
  readonly gatherBytes: number;
  readonly baselineBytes: number;
  readonly ratio: number;
}

/** `file` and every file it imports statically (`from"./chunks/…"`, `import"./…"`), transitively. */
async function staticGraph(file: string, seen = new Map<string, Buffer>()): Promise<Map<string, Buffer>> {
  if (seen.has(file)) return seen;
  const code = await readFile(file);
  seen.set(file, code);
  for (const [, spec] of code.toString('utf8').matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    await staticGraph(path.resolve(path.dirname(file), spec!), seen);
  }
  return seen;
}

export async function measureSize(distFile: string): Promise<SizeResult> {
  const [graph, bare] = await Promise.all([staticGraph(distFile), bundleBare()]);
  const files = [...graph.values()];
  const gatherGzipBytes = files.reduce((sum, code) => sum + gzipBytes(code), 0);
  const chunks = path.join(path.dirname(distFile), 'chunks');
  const keeperChunk = (await readdir(chunks).catch(() => [])).find((name) => /^keeper-link-.*\.js$/.test(name));
  const keeperChunkGzipBytes = keeperChunk ? gzipBytes(await readFile(path.join(chunks, keeperChunk))) : 0;
  const baselineGzipBytes = gzipBytes(bare);
  return {
    name: 'size',
    gatherGzipBytes,
    keeperChunkGzipBytes,
    baselineGzipBytes,
    gatherBytes: files.reduce((sum, code) => sum + code.length, 0),
    baselineBytes: Buffer.byteLength(bare),
    ratio: gatherGzipBytes / baselineGzipBytes,
  };
}
