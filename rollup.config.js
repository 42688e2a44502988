// Builds dist/:
//   dist/gather.js      the one-file embed (<script type="module" src=".../gather.js">): everything inlined, minified
//   dist/lib/…          ESM library for bundlers, one file per module, dependencies left as imports
//   dist/gather.js.gz, .br   the embed and its map precompressed, for `gather serve` (or nginx's gzip_static / brotli_static)
//   dist/server/…       `gather serve` for Node (cli.js) and the server as a library (index.js), one file per module
// Declarations for dist/lib and dist/server come from `tsc -p tsconfig.build.json` and
// `tsc -p tsconfig.server.json` (run after rollup by `npm run build`).
//
// TypeScript is transpiled by esbuild, not @rollup/plugin-typescript (which needs the TS JS API that
// TypeScript 7 no longer has). The elements use `static properties`, so there are no decorators to lower.
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import resolve from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import esbuild from 'rollup-plugin-esbuild';
import terser from '@rollup/plugin-terser';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const ts = (options = {}) => esbuild({ target: 'es2022', tsconfig: './tsconfig.json', ...options });

/** A bare import (`lit`, `yjs/dist/…`), as opposed to a relative or absolute path or a virtual module. */
const isBare = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0') && !/^[A-Za-z]:[\\/]/.test(id);

const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const packageName = (id) => (id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]);

/**
 * Writes `<file>.gz` and `<file>.br` beside every file of a bundle once it is on disk, at the highest
 * levels (done once per build, so the time is well spent). `gather serve` picks one by Accept-Encoding.
 */
const precompress = () => ({
  name: 'precompress',
  async writeBundle(options, bundle) {
    const dir = options.dir ?? path.dirname(options.file);
    const brotli = promisify(brotliCompress);
    const gz = promisify(gzip);
    await Promise.all(
      Object.keys(bundle).map(async (fileName) => {
        const file = path.join(dir, fileName);
        const source = await readFile(file);
        const [gzipped, brotlied] = await Promise.all([
          gz(source, { level: 9 }),
          brotli(source, {
            params: {
              [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
              [zlib.BROTLI_PARAM_SIZE_HINT]: source.length,
              [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
            },
          }),
        ]);
        await Promise.all([writeFile(`${file}.gz`, gzipped), writeFile(`${file}.br`, brotlied)]);
      }),
    );
  },
});

/**
 * y-webrtc imports `simple-peer/simplepeer.min.js` (26 KiB gzipped, with its own buffer/process/stream
 * shims); the embed gets src/room/peer/native-peer.ts in its place, on the browser's RTCPeerConnection
 * (chunked messages, backpressure, reported send failures). y-webrtc itself is unchanged.
 */
const nativePeer = () => ({
  name: 'native-peer',
  resolveId: (id) => (id === 'simple-peer/simplepeer.min.js' ? fileURLToPath(new URL('./src/room/peer/native-peer.ts', import.meta.url)) : null),
});

/** (a) The embed: Lit's production build (no "development" condition), the native peer in simple-peer's place. */
const embed = {
  input: 'components/embed.ts',
  output: {
    file: 'dist/gather.js',
    format: 'es',
    sourcemap: true,
    inlineDynamicImports: true, // one file, even if a module is imported lazily
  },
  plugins: [
    nativePeer(),
    resolve({ browser: true }),
    ts(),
    terser({ format: { comments: /@license|@preserve|^!/ } }), // keep the licence notices of Lit & co.
    precompress(),
  ],
};

/**
 * (b) The library: every bare import (lit, @lit/*, yjs, y-*, lib0, …) stays an import for the
 * consumer's bundler to resolve; our own modules keep their layout under dist/lib/{src,components}.
 */
const library = {
  input: { 'src/index': 'src/index.ts', 'components/index': 'components/index.ts' },
  external: isBare,
  output: {
    dir: 'dist/lib',
    format: 'es',
    sourcemap: true,
    preserveModules: true,
    preserveModulesRoot: '.',
    entryFileNames: '[name].js',
  },
  plugins: [ts()],
};

/**
 * (c) The server for Node: the CLI (`bin` gather) and the library (`gather-widgets/server`), one file
 * per module, so that dist/server/*.js sit beside the declarations tsc writes there. Node built-ins
 * and the package's own `dependencies` (ws, yjs, …) stay imports: they are installed with the
 * package, and a native dependency cannot be bundled anyway. The `#!/usr/bin/env node` line of
 * src/server/cli.ts is kept.
 */
const dependencies = new Set(Object.keys(pkg.dependencies ?? {}));
const server = {
  input: { cli: 'src/server/cli.ts', index: 'src/server/index.ts' },
  external: (id) => nodeBuiltins.has(id) || (isBare(id) && dependencies.has(packageName(id))),
  output: {
    dir: 'dist/server',
    format: 'es',
    sourcemap: true,
    preserveModules: true,
    preserveModulesRoot: 'src/server',
    entryFileNames: '[name].js',
  },
  plugins: [resolve({ preferBuiltins: true, exportConditions: ['node'] }), commonjs(), ts({ platform: 'node' })],
};

export default [embed, library, server];
