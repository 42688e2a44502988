// Size: gzipped dist/gather.js against Lit + Yjs + y-webrtc + y-indexeddb bundled bare, with the same
// rollup plugins, in the same run.
import { readFile } from 'node:fs/promises';
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
  readonly gatherGzipBytes: number;
  readonly baselineGzipBytes: number;
  readonly gatherBytes: number;
  readonly baselineBytes: number;
  readonly ratio: number;
}

export async function measureSize(distFile: string): Promise<SizeResult> {
  const [gather, bare] = await Promise.all([readFile(distFile), bundleBare()]);
  const gatherGzipBytes = gzipBytes(gather);
  const baselineGzipBytes = gzipBytes(bare);
  return {
    name: 'size',
    gatherGzipBytes,
    baselineGzipBytes,
    gatherBytes: gather.length,
    baselineBytes: Buffer.byteLength(bare),
    ratio: gatherGzipBytes / baselineGzipBytes,
  };
}
