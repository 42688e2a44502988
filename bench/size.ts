// Size, each file gzipped as served: the loader (dist/gather.js and what it imports statically: what
// a page with no widget loads), what a page with one poll in a <gather-room> loads (the loader, the
// room's and the poll's chunks, the core (the sync stack) and the poll's model, which the loader
// asks for at the same moment, and what they import), of which the bytes before the poll paints
// (the loader, the room's and the poll's chunks and what they import statically: the UI chunk;
// the poll shows its question, options and status from these, and attaches the sync stack when it
// has come), each element's own chunk, and the keeper's chunk (only for pages that name a
// keeper); against Lit + Yjs + y-webrtc + y-indexeddb bundled bare, with the same rollup plugins,
// in the same run.
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
  /**
   * A page with one poll: gather.js, the room's and the poll's chunks, the core (sync stack) and the
   * poll's model (asked for by gather.js alongside them), and what they import statically.
   */
  readonly gatherGzipBytes: number;
  /**
   * Of these, the bytes before the poll paints: gather.js, the room's and the poll's chunks and what
   * they import statically (the UI chunk), without the core and the poll's model.
   */
  readonly paintGzipBytes: number;
  /** {@link paintGzipBytes} against the bare bundle. */
  readonly paintRatio: number;
  /** gather.js and what it imports statically: what a page with no Gather tag loads. */
  readonly loaderGzipBytes: number;
  /** Each element's own chunk (chunks/gather-<element>-*.js), and the shared core. */
  readonly chunkGzipBytes: Readonly<Record<string, number>>;
  /** The keeper's client (dist/chunks/keeper-link-*.js), gzipped: only pages that name a keeper load it. */
  readonly keeperChunkGzipBytes: number;
  /** Chunks loaded only where a page needs them (`trust`, `verifier-pool`, `verifier-worker`: the workers' own file). */
  readonly onDemandGzipBytes: Readonly<Record<string, number>>;
  readonly baselineGzipBytes: number;
  /**
   * What the core chunk holds, gzipped bytes by package (`yjs`, `lit-html`, …), by folder of our
   * own code (`src/identity`, …), and our translations beyond English and Spanish apart (`locales`):
   * each part's minified bytes (from the chunk's source map) gzipped alone, scaled so the parts add
   * up to the chunk's gzipped size. Largest first.
   */
  readonly coreBreakdown: Readonly<Record<string, number>>;
  /** The same for the UI chunk (chunks/gather-ui-*.js). */
  readonly uiBreakdown: Readonly<Record<string, number>>;
  readonly gatherBytes: number;
  readonly baselineBytes: number;
  readonly ratio: number;
}

/** `file` and every file it imports statically (`from"./chunks/…"`, `import"./…"`), transitively. */
async function staticGraph(name: string, seen = new Map<string, Buffer>()): Promise<Map<string, Buffer>> {
  const file = path.resolve(name); // one key per file, however it was reached
  if (seen.has(file)) return seen;
  const code = await readFile(file);
  seen.set(file, code);
  for (const [, spec] of code.toString('utf8').matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    await staticGraph(path.resolve(path.dirname(file), spec!), seen);
  }
  return seen;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A source map's `mappings`: per generated line, its segments' [column, source index] (VLQ, fields 1 and 2). */
function segments(mappings: string): [number, number][][] {
  let source = 0;
  return mappings.split(';').map((line) => {
    let column = 0;
    const out: [number, number][] = [];
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = BASE64.indexOf(char);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0]!;
      if (fields.length > 1) source += fields[1]!;
      out.push([column, fields.length > 1 ? source : -1]);
    }
    return out;
  });
}

/** Which part of the core a source file counts in (see {@link SizeResult.coreBreakdown}). */
function partOf(source: string): string {
  const npm = source.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (npm) return npm[1]!;
  if (/\.(ar|fr)\.ts$|[\/]i18n[\/](ar|fr|es)\.ts$/.test(source)) return 'locales (ar, fr; es in i18n)';
  const file = source.replace(/^(\.\.\/)+/, '');
  return file.match(/^((?:src|components)\/[^/]+)\//)?.[1] ?? file.replace(/\/[^/]+$/, '');
}

/** {@link SizeResult.coreBreakdown} of one minified chunk and its source map. */
function breakdown(code: string, map: { sources: string[]; mappings: string }): Record<string, number> {
  const lines = code.split('\n');
  const parts = new Map<string, string[]>();
  segments(map.mappings).forEach((line, l) => {
    const text = lines[l] ?? '';
    line.forEach(([column, source], i) => {
      const part = source < 0 ? '(generated)' : partOf(map.sources[source]!);
      let list = parts.get(part);
      if (list === undefined) parts.set(part, (list = []));
      list.push(text.slice(column, i + 1 < line.length ? line[i + 1]![0] : text.length));
    });
  });
  const alone = [...parts].map(([part, texts]) => [part, gzipBytes(texts.join(''))] as const);
  const scale = gzipBytes(code) / alone.reduce((sum, [, bytes]) => sum + bytes, 0);
  return Object.fromEntries(alone.sort((a, b) => b[1] - a[1]).map(([part, bytes]) => [part, Math.round(bytes * scale)]));
}

export async function measureSize(distFile: string): Promise<SizeResult> {
  const chunks = path.join(path.dirname(distFile), 'chunks');
  const names = await readdir(chunks).catch(() => [] as string[]);
  const chunk = (element: string) => names.find((name) => new RegExp(`^gather-${element}-[0-9a-f]+\\.js$`).test(name));
  const [loader, bare] = await Promise.all([staticGraph(distFile), bundleBare()]);
  // A page with one poll: the loader, then the room's and the poll's chunks with what they import
  // (what the poll paints from), then the core and the poll's model, asked for at the same moment.
  const page = new Map(loader);
  for (const element of ['room', 'poll']) {
    const name = chunk(element);
    if (name !== undefined) await staticGraph(path.join(chunks, name), page);
  }
  const paint = [...page.values()];
  for (const element of ['core', 'poll-model']) {
    const name = chunk(element);
    if (name !== undefined) await staticGraph(path.join(chunks, name), page);
  }
  const files = [...page.values()];
  const paintGzipBytes = paint.reduce((sum, code) => sum + gzipBytes(code), 0);
  const gatherGzipBytes = files.reduce((sum, code) => sum + gzipBytes(code), 0);
  const loaderGzipBytes = [...loader.values()].reduce((sum, code) => sum + gzipBytes(code), 0);
  const chunkGzipBytes: Record<string, number> = {};
  for (const element of ['ui', 'core', 'room', 'poll', 'poll-model', 'signup', 'aid-board', 'thread', 'organizer']) {
    const name = chunk(element);
    if (name !== undefined) chunkGzipBytes[element] = gzipBytes(await readFile(path.join(chunks, name)));
  }
  const core = chunk('core');
  const coreBreakdown = core === undefined ? {} : breakdown(await readFile(path.join(chunks, core), 'utf8'), JSON.parse(await readFile(path.join(chunks, `${core}.map`), 'utf8')));
  const ui = chunk('ui');
  const uiBreakdown = ui === undefined ? {} : breakdown(await readFile(path.join(chunks, ui), 'utf8'), JSON.parse(await readFile(path.join(chunks, `${ui}.map`), 'utf8')));
  const keeperChunk = names.find((name) => /^keeper-link-.*\.js$/.test(name));
  const keeperChunkGzipBytes = keeperChunk ? gzipBytes(await readFile(path.join(chunks, keeperChunk))) : 0;
  // Loaded only where needed: the trust map (organizers named, or an invite link), the verifier workers (a first sync of 1,000+ entries).
  const onDemand = {
    trust: chunk('trust'),
    'verifier-pool': names.find((name) => /^verifier-pool-[0-9a-f]+\.js$/.test(name)),
    'verifier-worker': names.find((name) => /^verifier-worker-[0-9a-f]+\.js$/.test(name)),
  };
  const onDemandGzipBytes: Record<string, number> = {};
  for (const [what, name] of Object.entries(onDemand)) if (name !== undefined) onDemandGzipBytes[what] = gzipBytes(await readFile(path.join(chunks, name)));
  const baselineGzipBytes = gzipBytes(bare);
  return {
    name: 'size',
    gatherGzipBytes,
    paintGzipBytes,
    paintRatio: paintGzipBytes / gzipBytes(bare),
    loaderGzipBytes,
    chunkGzipBytes,
    keeperChunkGzipBytes,
    onDemandGzipBytes,
    baselineGzipBytes,
    coreBreakdown,
    uiBreakdown,
    gatherBytes: files.reduce((sum, code) => sum + code.length, 0),
    baselineBytes: Buffer.byteLength(bare),
    ratio: gatherGzipBytes / baselineGzipBytes,
  };
}
