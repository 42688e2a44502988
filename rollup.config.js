// Builds dist/:
//   dist/gather.js      the embed (<script type="module" src=".../gather.js">): everything a page needs, minified;
//   dist/chunks/…       what it loads only when needed (the keeper's client, when a page names a keeper;
//                       the verifier's worker, verifier-worker-<hash>.js, for a first sync of 1,000 entries),
//                       hashed names, fetched relative to gather.js (so from its origin, with CORS)
//   dist/lib/…          ESM library for bundlers, one file per module, dependencies left as imports
//   dist/gather.js.gz, .br   the embed, its chunks and their maps precompressed, for `gather serve` (or nginx's gzip_static / brotli_static)
//   dist/server/…       `gather serve` for Node (cli.js) and the server as a library (index.js), one file per module
// Declarations for dist/lib and dist/server come from `tsc -p tsconfig.build.json` and
// `tsc -p tsconfig.server.json` (run after rollup by `npm run build`).
//
// TypeScript is transpiled by esbuild, not @rollup/plugin-typescript (which needs the TS JS API that
// TypeScript 7 no longer has). The elements use `static properties`, so there are no decorators to lower.
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
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

/**
 * lib0/logging.js imports lib0/dom.js for one helper; dom.js builds four DOM-node schemas at its top
 * level (`$.$custom(check)`: a new object holding `check`, nothing else), which kept all of
 * lib0/schema.js (~2 KB gzipped, unused here) in every page. Marked pure, they go when unused.
 */
const pureDomSchemas = () => ({
  name: 'pure-dom-schemas',
  transform: (code, id) => (/[\\/]node_modules[\\/]lib0[\\/]dom\.js$/.test(id) ? { code: code.replaceAll('= $.$custom(', '= /*#__PURE__*/ $.$custom('), map: null } : null),
});

/**
 * src/models/trust-source.ts hands widget models the room's trust map at once; the embed gets
 * trust-source.lazy.ts in its place, which fetches it (membership.ts, a chunk of its own) first,
 * so that pages naming no organizer never load it.
 */
const lazyTrust = () => ({
  name: 'lazy-trust',
  resolveId: (id, importer) =>
    importer !== undefined && /(^|[\\/])trust-source\.js$/.test(id) && path.resolve(path.dirname(importer), id.replace(/\.js$/, '.ts')) === fileURLToPath(new URL('./src/models/trust-source.ts', import.meta.url))
      ? fileURLToPath(new URL('./src/models/trust-source.lazy.ts', import.meta.url))
      : null,
});

/** `new URL('./x.worker.js', import.meta.url)`: a worker's file beside the module that starts it. */
const WORKER_URL = /new URL\((['"])(\.\/[\w-]+\.worker\.js)\1, import\.meta\.url\)/g;
/** A worker's own file (src/identity/verifier.worker.js): an entry of its own in the embed, see workerFiles. */
const WORKER_FILE = /\.worker\.js$/;

/**
 * A worker's code is a file beside the module that starts it, named by
 * `new URL('./x.worker.js', import.meta.url)` (src/identity/verifier-worker.ts): the form the test
 * runner, Vite (Storybook) and bundlers given dist/lib understand. In the embed that file is a chunk
 * of its own, chunks/x-worker-<hash>.js (minified, precompressed, cached for good by `gather serve`),
 * and the URL names it relative to the chunk that asks, so dist/ may be served from any folder.
 * The worker's chunk is fetched only when a worker is started.
 */
const workerFiles = () => ({
  name: 'worker-files',
  transform(code, id) {
    if (!code.includes('.worker.js')) return null;
    const replaced = code.replace(WORKER_URL, (_, _quote, file) => {
      const ref = this.emitFile({ type: 'chunk', id: path.resolve(path.dirname(id), file), name: path.basename(file, '.worker.js') + '-worker' });
      return `new URL(import.meta.ROLLUP_FILE_URL_${ref})`;
    });
    // The URL's line stays where it was: the source map needs no change (rollup: a null map).
    return replaced === code ? null : { code: replaced, map: null };
  },
});

/** Empties dist/chunks before the embed is written: chunk names change with their contents. */
const cleanChunks = () => ({
  name: 'clean-chunks',
  async generateBundle(options) {
    await rm(path.join(options.dir, 'chunks'), { recursive: true, force: true });
  },
});

/**
 * Fails the build if the UI side (see UI_ROOTS) holds any of the sync stack, or if a chunk of it
 * imports a chunk holding anything else statically: the poll would then wait for the core to paint.
 */
const uiWithoutSyncStack = () => ({
  name: 'ui-without-sync-stack',
  buildStart() {
    uiModules = null; // found again for each build (rollup -w)
  },
  generateBundle(_options, bundle) {
    if (uiModules === null) return;
    const held = [...uiModules].filter((id) => SYNC_ONLY.some((pattern) => pattern.test(id)));
    if (held.length > 0) {
      const names = held.map((id) => path.relative(process.cwd(), id));
      this.error(`the UI side imports the sync stack statically (use import(), as components/shared/sync-loader.ts does): ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}`);
    }
    const chunks = Object.values(bundle).filter((chunk) => chunk.type === 'chunk');
    const ui = new Set(chunks.filter((chunk) => chunk.moduleIds.length > 0 && chunk.moduleIds.every((id) => uiModules.has(id))).map((chunk) => chunk.fileName));
    for (const chunk of chunks) {
      if (!ui.has(chunk.fileName)) continue;
      const other = chunk.imports.filter((name) => bundle[name]?.type === 'chunk' && !ui.has(name));
      if (other.length > 0) this.error(`${chunk.fileName} (UI) imports ${other.join(', ')} statically: the widget would wait for it to paint`);
    }
    if (![...ui].some((name) => /gather-ui-/.test(name))) this.error('no chunks/gather-ui-*.js: check UI_ROOTS in rollup.config.js');
  },
});

/**
 * Fails the build if a chunk imports gather.js. A page may load gather.js under another URL
 * (`gather.js?ver=6.4`, as WordPress writes it): a chunk importing `../gather.js` would then run a
 * second copy of everything, with a second Yjs. So chunks share code through chunks/gather-ui-*.js
 * and chunks/gather-core-*.js.
 */
const chunksNeverImportTheEntry = () => ({
  name: 'chunks-never-import-the-entry',
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk' || chunk.isEntry) continue;
      const entries = [...chunk.imports, ...chunk.dynamicImports].filter((name) => bundle[name]?.type === 'chunk' && bundle[name].isEntry);
      if (entries.length > 0) this.error(`${chunk.fileName} imports ${entries.join(', ')}: list its shared modules in the embed's manualChunks (rollup.config.js)`);
    }
  },
});

/**
 * Modules kept in gather.js itself, in this order: embed-options.ts reads `import.meta.url` (which
 * must be gather.js's own URL, to find its script tag) and sets the page's options before
 * components/index.ts and each widget's define.ts define the elements (the classes are in their chunks);
 * embed-translation.ts is registerTranslation() for script-tag pages (it fetches the registry from the UI chunk).
 */
const ENTRY_MODULES = [/[\\/]components[\\/](embed(-options|-translation)?|pre-upgrade)\.ts$/];
/**
 * The page's options and how they are read: in the UI chunk (gather.js imports nothing, and leaves the
 * URL of its script tag on the page for them: components/embed-options.ts).
 */
const OPTIONS_MODULES = [/[\\/]components[\\/]shared[\\/]page-options\.ts$/, /[\\/]src[\\/]room[\\/](script-)?options\.ts$/];
/** Each element's own code, a chunk per element, loaded by gather.js when the page has the tag. */
const ELEMENT_CHUNKS = {
  room: [/[\\/]components[\\/]room[\\/]/],
  poll: [/[\\/]components[\\/]poll[\\/]/],
  signup: [/[\\/]components[\\/]signup[\\/]/, /[\\/]src[\\/]models[\\/](signup|ics|date-time)/],
  'aid-board': [/[\\/]components[\\/]aid-board[\\/]/, /[\\/]src[\\/]models[\\/]aid-board/],
  thread: [/[\\/]components[\\/]thread[\\/]/, /[\\/]src[\\/]models[\\/](thread|presence)/],
  organizer: [/[\\/]components[\\/]organizer[\\/]/],
};
/**
 * Widgets' models that their element imports with `import()` (they need the sync stack; the element
 * paints first): a chunk each, asked for by the loader alongside the element's code and the core.
 */
const MODEL_CHUNKS = {
  'poll-model': [/[\\/]src[\\/]models[\\/]poll\.ts$/],
  'thread-model': [/[\\/]components[\\/]thread[\\/]model\.ts$/, /[\\/]src[\\/]models[\\/](thread|presence)\.ts$/],
  'aid-board-model': [/[\\/]components[\\/]aid-board[\\/]model\.ts$/, /[\\/]src[\\/]models[\\/]aid-board(-entries)?\.ts$/],
};
/**
 * The UI side: what these modules import statically (Lit, the widgets' base and its rendering, the
 * poll's element and strings, the poll's derive over no entries, `<gather-room>`). It is
 * chunks/gather-ui-*.js (and the poll's and the room's own chunks), which never import the core
 * (the sync stack: Yjs, y-webrtc, IndexedDB, src/room, src/identity, the models): a poll paints
 * before the core has come.
 * Checked by uiWithoutSyncStack below.
 */
const UI_ROOTS = [/[\\/]components[\\/](poll|room|aid-board|thread)[\\/]define\.ts$/, /[\\/]components[\\/]shared[\\/]define\.ts$/];
/** What the UI side must not hold (src/room/options.ts reads attributes and options: no Yjs, no network). */
const SYNC_ONLY = [/[\\/]node_modules[\\/](yjs|y-webrtc|y-indexeddb|y-protocols|lib0)[\\/]/, /[\\/]src[\\/]identity[\\/](?!display-name\.ts$)/, /[\\/]src[\\/]room[\\/](?!(script-)?options\.ts$)/, /[\\/]components[\\/]shared[\\/]sync-stack\.ts$/];
/** The UI side's module ids, found once per build from UI_ROOTS (static imports only). */
let uiModules = null;
function uiSide(getModuleIds, getModuleInfo) {
  if (uiModules !== null) return uiModules;
  uiModules = new Set();
  const stack = [...getModuleIds()].filter((id) => UI_ROOTS.some((pattern) => pattern.test(id)));
  while (stack.length > 0) {
    const id = stack.pop();
    if (uiModules.has(id)) continue;
    uiModules.add(id);
    stack.push(...(getModuleInfo(id)?.importedIds ?? []));
  }
  return uiModules;
}

/**
 * The elements whose code needs module `id` (its element by ELEMENT_CHUNKS, else those of every
 * module importing it): a module only one element needs (the organizer's backup, the aid board's
 * encryption) goes in that element's chunk, not in the core every page loads. 'core' for modules
 * the entry or the keeper's client import.
 */
function elementsNeeding(id, getModuleInfo, seen = new Set()) {
  const owners = new Set();
  // A model's chunk first: the aid board's model (src/models/aid-board.ts) is not its element's.
  for (const [name, patterns] of Object.entries({ ...MODEL_CHUNKS, ...ELEMENT_CHUNKS })) if (patterns.some((pattern) => pattern.test(id))) return new Set([name]);
  if ([...ENTRY_MODULES, ...KEEPER_ONLY, ...ON_DEMAND, ...TRUST_CHUNK, ...OPTIONS_MODULES].some((pattern) => pattern.test(id))) return new Set(['core']);
  if (seen.has(id)) return owners; // an import cycle: its other importers decide
  seen.add(id);
  const info = getModuleInfo(id);
  for (const importer of [...(info?.importers ?? []), ...(info?.dynamicImporters ?? [])]) {
    for (const owner of elementsNeeding(importer, getModuleInfo, seen)) owners.add(owner);
  }
  return owners.size === 0 ? new Set(['core']) : owners;
}
/** The elements whose code imports model chunk `name` (its own element's included; another model's importer counts as its element). */
function modelUsers(name, getModuleIds, getModuleInfo) {
  const users = new Set();
  for (const id of getModuleIds()) {
    if (!MODEL_CHUNKS[name].some((pattern) => pattern.test(id))) continue;
    const info = getModuleInfo(id);
    for (const importer of [...(info?.importers ?? []), ...(info?.dynamicImporters ?? [])]) {
      for (const owner of elementsNeeding(importer, getModuleInfo)) if (owner !== name) users.add(owner.replace(/-model$/, ''));
    }
  }
  return users;
}
/**
 * A language's strings (components/poll/strings.ar.ts, src/i18n/ar.ts, …), loaded the first time a
 * widget on the page is in that language: a chunk per language and element (gather-ar-poll), the
 * shared status and trust strings in gather-ar-core.
 */
const LANGUAGE_MODULE = /(?:[\\/]src[\\/]i18n[\\/]|\.)(es|fr|ar)\.ts$/;
/** Modules only the keeper's client needs (its chunk): everything else a page loads is the UI, the core or an element's. */
const KEEPER_ONLY = [/[\/]src[\/]room[\/]keeper-link\.ts$/, /[\/]src[\/]keeper[\/]/, /[\/]node_modules[\/]@hocuspocus[\/]/, /[\/]node_modules[\/]@lifeomic[\/]/];
/**
 * Modules the core imports only with `import()`, each a chunk of its own fetched when a page needs
 * it: the verifier pool (a first sync of 1,000 entries or more; its workers' own file is another: workerFiles).
 */
const ON_DEMAND = [/[\/]src[\/]identity[\/]verifier-pool\.ts$/];
/**
 * The room's trust map and invites, chunks/gather-trust-*.js: fetched for widgets naming organizers
 * and for invite links (trust-source.lazy.ts, page-invite.ts; the loader asks early), imported by
 * the organizer's panel.
 */
const TRUST_CHUNK = [/[\/]src[\/]models[\/]membership\.ts$/, /[\/]src[\/]identity[\/]capability\.ts$/];

/**
 * (a) The embed: Lit's production build (no "development" condition), the native peer in
 * simple-peer's place. dist/gather.js is what a page names: it reads its own script tag and imports
 * chunks/gather-ui-*.js (Lit, the base, what the widgets paint with) and chunks/gather-core-*.js
 * (the sync stack), each element's chunk and the poll's model (hashed, so cached for good). What is imported
 * lazily (`import()`) is a chunk of its own: the keeper's client (src/room/keeper-link.ts with
 * @hocuspocus/provider), fetched only by pages that name a keeper. Chunks load relative to
 * gather.js, so from its origin (`gather serve` sends /dist/ with CORS).
 */
const embed = {
  input: { gather: 'components/embed.ts' },
  // gather.js keeps exactly its exports (the elements, setPageOptions, …); what chunks share is in the UI chunk and the core.
  preserveEntrySignatures: 'strict',
  // lib0/schema.js only for what is used of it (nothing: see pureDomSchemas).
  treeshake: { moduleSideEffects: (id) => !/[\\/]node_modules[\\/]lib0[\\/]schema\.js$/.test(id) },
  output: {
    dir: 'dist',
    format: 'es',
    sourcemap: true,
    // A worker's file (workerFiles) is an entry of rollup's, named as the chunks are.
    entryFileNames: (chunk) => (chunk.facadeModuleId !== null && WORKER_FILE.test(chunk.facadeModuleId) ? 'chunks/[name]-[hash:12].js' : '[name].js'),
    // Hex, 12 characters: a name `gather serve` recognises as hashed (a digit and a letter, no `-`;
    // src/server/static.ts HASHED_NAME) and so caches for a year, nearly always.
    hashCharacters: 'hex',
    chunkFileNames: 'chunks/[name]-[hash:12].js',
    manualChunks(id, { getModuleIds, getModuleInfo }) {
      if (WORKER_FILE.test(id) || [...ENTRY_MODULES, ...KEEPER_ONLY, ...ON_DEMAND].some((pattern) => pattern.test(id))) return undefined;
      if (TRUST_CHUNK.some((pattern) => pattern.test(id))) return 'gather-trust';
      const language = id.match(LANGUAGE_MODULE)?.[1];
      const found = elementsNeeding(id, getModuleInfo);
      if (language !== undefined) return `gather-${language}-${found.size === 1 && !found.has('core') ? [...found][0] : 'core'}`;
      const ui = uiSide(getModuleIds, getModuleInfo).has(id);
      // The UI side's modules go with their element (the poll's tally, which its model uses too), never in a model's
      // chunk; one that a model shared with other elements needs (the poll's, whose consent counting the thread's
      // proposals use) goes to gather-ui, so a page with those elements alone does not load the poll's element.
      const owners = ui ? new Set([...found].flatMap((owner) => (owner.endsWith('-model') ? [...modelUsers(owner, getModuleIds, getModuleInfo)] : [owner]))) : found;
      if (owners.size === 1 && !owners.has('core')) return `gather-${[...owners][0]}`;
      return ui ? 'gather-ui' : 'gather-core';
    },
  },
  plugins: [
    cleanChunks(),
    chunksNeverImportTheEntry(),
    uiWithoutSyncStack(),
    workerFiles(),
    nativePeer(),
    lazyTrust(),
    pureDomSchemas(),
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
  // The verifier's worker too: a file beside src/identity/verifier-worker.js, which names it with
  // `new URL('./verifier.worker.js', import.meta.url)` (Vite and webpack 5 copy it from there: README, From npm).
  input: { 'src/index': 'src/index.ts', 'components/index': 'components/index.ts', 'src/identity/verifier.worker': 'src/identity/verifier.worker.js' },
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
