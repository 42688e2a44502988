#!/usr/bin/env node
/**
 * The `gather` command line:
 * - `gather serve`: the demo, the build, y-webrtc signaling at `/signal`, the
 *   keeper at `/sync` (rooms stored in `--data`), `/healthz` and `/metrics`,
 *   on one port; optionally a STUN responder on UDP.
 * - `gather export --room X`: one room as JSON on stdout.
 * - `gather import`: a room from JSON on stdin.
 * - `gather keygen`: a new organizer key; prints its public key, writes its backup file.
 *
 * Every flag has an environment variable (flags win); see {@link USAGE}.
 *
 * Runs as a command when it is the process's entry point: `src/server/cli.ts`
 * (tsx), the bundle `dist/server/cli.js`, or the npm `bin` link `gather` to
 * it. Imported, it only exports {@link run}.
 *
 * @module
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createKeeper, type Keeper } from './keeper.js';
import { splitList } from './limits.js';
import { createLog } from './log.js';
import { Metrics, directoryBytes } from './metrics.js';
import { KEYGEN_MIN_PASSPHRASE, makeOrganizerKeyFile, promptPassphrase, readFirstLine, writeNewFile } from './keygen.js';
import { exportRoom, importRoom, parseRoomFile } from './room-file.js';
import { startServer, type RunningServer } from './serve.js';
import { RoomStore, StoreLockedError } from './store.js';
import { startStun, type StunResponder } from './stun.js';

// Invariant: this file lives two folders below the project root, both as
// src/server/cli.ts and as the bundle dist/server/cli.js. Keep it so (or
// change this line) when moving either.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every flag: its environment variable, argument, default and meaning. The usage text is made from this. */
const FLAGS = {
  port: { env: 'PORT', arg: 'N', default: '8080', help: 'TCP port (0 picks a free one)' },
  host: { env: 'HOST', arg: 'H', default: '127.0.0.1', help: 'address to bind; 0.0.0.0 or :: to be reachable from the network' },
  data: { env: 'GATHER_DATA', arg: 'DIR', default: './data', help: 'data directory of the keeper (created if missing; one process at a time)' },
  rooms: { env: 'GATHER_ROOMS', arg: 'PATTERNS', default: 'any name', help: 'comma-separated glob patterns of the room names kept, e.g. "eastside-*"' },
  origins: { env: 'GATHER_ORIGINS', arg: 'LIST', default: 'any page', help: 'comma-separated page origins allowed to connect to /sync and /signal, e.g. https://eastside.example' },
  'max-doc-bytes': { env: 'GATHER_MAX_DOC_BYTES', arg: 'N', default: '16M', help: 'largest stored room (K, M, G suffixes)' },
  'max-message-bytes': { env: 'GATHER_MAX_MESSAGE_BYTES', arg: 'N', default: '4M', help: 'largest message at /sync (/signal: --signal-max-message-bytes)' },
  'max-messages-per-second': { env: 'GATHER_MAX_MESSAGES_PER_SECOND', arg: 'N', default: '50', help: 'messages per connection at /sync, averaged over 10 s' },
  'max-rooms': { env: 'GATHER_MAX_ROOMS', arg: 'N', default: '1000', help: 'rooms in memory at once (idle rooms are unloaded; they stay on disk)' },
  'max-connections-per-address': { env: 'GATHER_MAX_CONNECTIONS_PER_ADDRESS', arg: 'N', default: '50', help: 'WebSocket (and, without --trust-proxy, TCP) connections per client address' },
  'max-new-connections-per-address': { env: 'GATHER_MAX_NEW_CONNECTIONS_PER_ADDRESS', arg: 'N', default: '600', help: 'new WebSocket connections (/sync and /signal) per client address per minute' },
  'handshake-timeout': { env: 'GATHER_HANDSHAKE_TIMEOUT', arg: 'SECONDS', default: '10', help: 'close connections that open no room (/sync) or topic (/signal) by then' },
  'trust-proxy': { env: 'GATHER_TRUST_PROXY', arg: '', default: 'off', help: 'take client addresses from X-Forwarded-For (behind Caddy or nginx)' },
  'signal-max-connections': { env: 'GATHER_SIGNAL_MAX_CONNECTIONS', arg: 'N', default: '1000', help: 'connections to /signal at once (more get HTTP 503)' },
  'signal-max-message-bytes': { env: 'GATHER_SIGNAL_MAX_MESSAGE_BYTES', arg: 'N', default: '64K', help: 'largest message at /signal' },
  'signal-max-topics': { env: 'GATHER_SIGNAL_MAX_TOPICS', arg: 'N', default: '64', help: 'topics (rooms) one /signal connection may subscribe to' },
  'signal-max-topic-length': { env: 'GATHER_SIGNAL_MAX_TOPIC_LENGTH', arg: 'N', default: '256', help: 'longest topic name (and peer id) at /signal, in characters' },
  'signal-max-publishes-per-second': { env: 'GATHER_SIGNAL_MAX_PUBLISHES_PER_SECOND', arg: 'N', default: '50', help: 'publishes per /signal connection per second, on average' },
  'signal-publish-burst': { env: 'GATHER_SIGNAL_PUBLISH_BURST', arg: 'N', default: '250', help: 'publishes one /signal connection may make at once before that rate applies' },
  'signal-max-peer-ids': { env: 'GATHER_SIGNAL_MAX_PEER_IDS', arg: 'N', default: '8', help: 'peer ids one /signal connection may use on one topic' },
  'signal-peer-id-probe': { env: 'GATHER_SIGNAL_PEER_ID_PROBE', arg: 'SECONDS', default: '5', help: 'time the holder of a claimed peer id has to answer a ping' },
  'signal-ping-interval': { env: 'GATHER_SIGNAL_PING_INTERVAL', arg: 'SECONDS', default: '30', help: 'ping /signal connections this often; drop those silent for a whole interval' },
  'signal-max-buffered-bytes': { env: 'GATHER_SIGNAL_MAX_BUFFERED_BYTES', arg: 'N', default: '4M', help: 'drop a /signal reader with more than this waiting to be sent to it' },
  redis: { env: 'GATHER_REDIS', arg: 'URL', default: 'none', help: 'redis://host:port: share rooms and signaling with other gather processes' },
  'stun-port': { env: 'GATHER_STUN_PORT', arg: 'N', default: 'none', help: 'answer STUN binding requests on this UDP port (on --host)' },
} as const;

type FlagName = keyof typeof FLAGS;

const USAGE = `Usage: gather serve [options]
       gather export --room NAME [--data DIR] > room.json
       gather import [--data DIR] < room.json
       gather keygen [--out FILE]

gather serve: demo/ at /, dist/ at /dist/, y-webrtc signaling at /signal,
the keeper (Yjs sync, stored on disk) at /sync, /healthz and /metrics, on one port.
Stop it with SIGTERM or Ctrl-C: it closes connections and flushes storage.

Options (environment variable in brackets; flags win):
${Object.entries(FLAGS)
  .map(([name, flag]) => {
    const left = `  --${name}${flag.arg ? ` ${flag.arg}` : ''}`;
    return `${left.padEnd(40)}${flag.help}\n${''.padEnd(40)}[${flag.env}; default ${flag.default}]`;
  })
  .join('\n')}
  --room NAME                           the room to export (export only)
  --out FILE                            keygen: where to write the key's backup file
                                        [default organizer-<key>.gather-key.json]
  -h, --help                            this text

export/import need the data directory to themselves: stop gather serve first.

gather keygen makes an organizer key: it prints the public key (paste it into
organizer="…") and writes the private key to a file sealed with a passphrase
(asked twice on a terminal; else GATHER_PASSPHRASE or the first line of stdin).
Restore that file in a <gather-organizer> panel to act as this organizer in a browser.`;

/** Where {@link run} writes: anything with a `write(text)`, as `process.stdout` has. */
export interface RunOutput {
  write(text: string): unknown;
}

/** Options of {@link run}. */
export interface RunOptions {
  /** Receives the normal output (and, for `serve`, the JSON log lines). Default `process.stdout`. */
  stdout?: RunOutput;
  /** Receives usage and error messages. Default `process.stderr`. */
  stderr?: RunOutput;
  /** What `import` reads. Default `process.stdin`. */
  stdin?: AsyncIterable<string | Uint8Array>;
  /** Stops `serve` when aborted, as SIGINT or SIGTERM do. */
  signal?: AbortSignal;
}

/**
 * Runs the `gather` command line and resolves with its exit code: 0 after
 * `--help`, 2 after a usage error or a port that cannot be listened on, and
 * for `serve`, once the server has stopped: 0 if it closed cleanly, 1 if not.
 * `export` and `import` return 0, or 1 with a message.
 *
 * `serve` runs until SIGINT, SIGTERM or `signal`; its signal handlers are
 * removed when it stops. A second SIGINT or SIGTERM while it is closing ends
 * the process at once with `process.exit(1)`, as a second Ctrl-C should.
 *
 * @example
 * process.exitCode = await run(process.argv.slice(2), process.env);
 */
export async function run(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
  { stdout = process.stdout, stderr = process.stderr, stdin = process.stdin, signal }: RunOptions = {},
): Promise<number> {
  const fail = (message: string, code = 2): number => {
    stderr.write(`${message}\n`);
    return code;
  };

  let values: Partial<Record<FlagName | 'room' | 'out', string>> & { help?: boolean; 'trust-proxy'?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        ...Object.fromEntries(
          Object.entries(FLAGS).map(([name, flag]) => [name, { type: flag.arg ? ('string' as const) : ('boolean' as const) }]),
        ),
        port: { type: 'string', short: 'p' },
        room: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }) as { values: typeof values; positionals: string[] });
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command, ...extra] = positionals;
  if (!['serve', 'export', 'import', 'keygen'].includes(command ?? '') || extra.length > 0) return fail(USAGE);
  if (command === 'keygen') return keygen(values.out, env, stdin, stdout, stderr);

  /** A flag's value, else its environment variable's (an empty variable counts as unset). */
  const option = (name: Exclude<FlagName, 'trust-proxy'>): string | undefined => values[name] ?? (env[FLAGS[name].env] || undefined);
  const data = path.resolve(option('data') ?? 'data');

  if (command === 'export') {
    if (!values.room) return fail(`export needs --room NAME\n\n${USAGE}`);
    return withStore(data, fail, async (store) => {
      const file = await exportRoom(store, values.room!);
      if (!file) return fail(`No room ${JSON.stringify(values.room)} in ${data}`, 1);
      stdout.write(`${JSON.stringify(file, null, 2)}\n`);
      return 0;
    });
  }
  if (command === 'import') {
    let text = '';
    for await (const chunk of stdin) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    let file: ReturnType<typeof parseRoomFile>;
    try {
      file = parseRoomFile(text);
    } catch (error) {
      return fail(`Cannot import: ${(error as Error).message}`, 1);
    }
    return withStore(data, fail, async (store) => {
      const { room, bytes } = await importRoom(store, file);
      stderr.write(`Imported room ${JSON.stringify(room)} into ${data} (${bytes} bytes)\n`);
      return 0;
    });
  }

  const port = parsePort(option('port') ?? FLAGS.port.default);
  if (port === undefined) return fail(`Invalid port: ${option('port')}`);
  const host = option('host') ?? FLAGS.host.default;
  const numbers: Record<string, number> = {};
  for (const name of [
    'max-doc-bytes',
    'max-message-bytes',
    'max-messages-per-second',
    'max-rooms',
    'max-connections-per-address',
    'max-new-connections-per-address',
    'handshake-timeout',
    'signal-max-connections',
    'signal-max-message-bytes',
    'signal-max-topics',
    'signal-max-topic-length',
    'signal-max-publishes-per-second',
    'signal-publish-burst',
    'signal-max-peer-ids',
    'signal-peer-id-probe',
    'signal-ping-interval',
    'signal-max-buffered-bytes',
  ] as const) {
    const text = option(name) ?? FLAGS[name].default;
    const value = name.endsWith('-bytes') ? parseSize(text) : parsePositive(text);
    if (value === undefined) return fail(`Invalid --${name}: ${text}`);
    numbers[name] = value;
  }
  let stunPort: number | undefined;
  if (option('stun-port') !== undefined) {
    stunPort = parsePort(option('stun-port')!);
    if (stunPort === undefined) return fail(`Invalid --stun-port: ${option('stun-port')}`);
  }
  const trustProxy = values['trust-proxy'] ?? ['1', 'true', 'yes'].includes((env.GATHER_TRUST_PROXY ?? '').toLowerCase());
  const origins = splitList(option('origins'));
  const rooms = splitList(option('rooms'));
  const redis = option('redis');
  if (redis !== undefined && !/^rediss?:\/\//.test(redis)) return fail(`Invalid --redis: ${redis} (expected redis://host:port)`);

  if (signal?.aborted) return 0;
  const log = createLog(stdout);
  const metrics = new Metrics();
  let store: RoomStore;
  try {
    store = await RoomStore.open(data);
  } catch (error) {
    return fail(error instanceof StoreLockedError ? error.message : `Cannot open ${data}: ${(error as Error).message}`);
  }
  metrics.observe({ storageBytes: () => directoryBytes(data) });
  const keeper: Keeper = createKeeper({
    store,
    log,
    metrics,
    maxDocBytes: numbers['max-doc-bytes']!,
    maxMessageBytes: numbers['max-message-bytes']!,
    maxMessagesPerSecond: numbers['max-messages-per-second']!,
    maxRooms: numbers['max-rooms']!,
    handshakeTimeoutMs: numbers['handshake-timeout']! * 1000,
    rooms,
    redis,
    trustProxy,
  });
  let running: RunningServer | undefined;
  let stun: StunResponder | undefined;
  try {
    running = await startServer({
      root: ROOT,
      port,
      host,
      upgrades: { '/sync': (req, socket, head) => keeper.handleUpgrade(req, socket, head) },
      requests: {
        '/healthz': (_req, res) => {
          store.record('\0healthz').then(
            () => {
              res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
              res.end(JSON.stringify({ status: 'ok', rooms: keeper.roomCount, syncConnections: keeper.connectionCount, signalingConnections: running?.signaling.connectionCount ?? 0 }));
            },
            () => res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"status":"storage unavailable"}'),
          );
        },
        '/metrics': metrics.handler(),
      },
      origins,
      maxConnectionsPerAddress: numbers['max-connections-per-address']!,
      maxNewConnectionsPerAddress: numbers['max-new-connections-per-address']!,
      trustProxy,
      log,
      metrics,
      signaling: {
        handshakeTimeoutMs: numbers['handshake-timeout']! * 1000,
        maxConnections: numbers['signal-max-connections']!,
        maxMessageBytes: numbers['signal-max-message-bytes']!,
        maxTopicsPerConnection: numbers['signal-max-topics']!,
        maxTopicLength: numbers['signal-max-topic-length']!,
        maxPublishRate: numbers['signal-max-publishes-per-second']!,
        maxPublishBurst: numbers['signal-publish-burst']!,
        maxPeerIdsPerTopic: numbers['signal-max-peer-ids']!,
        peerIdProbeMs: numbers['signal-peer-id-probe']! * 1000,
        pingIntervalMs: numbers['signal-ping-interval']! * 1000,
        maxBufferedBytes: numbers['signal-max-buffered-bytes']!,
        redis,
      },
    });
    if (stunPort !== undefined) stun = await startStun({ port: stunPort, host, log });
  } catch (error) {
    const what = running ? `${host}:${stunPort} (UDP)` : `${host}:${port}`;
    await keeper.close();
    await running?.close();
    await store.close();
    return fail(`Cannot listen on ${what}: ${(error as Error).message}`);
  }
  const server = running;

  // Handlers first: whoever reads the line below may signal us at once.
  let stopping = false;
  let stop!: () => void;
  const stopped = new Promise<number>((resolve) => {
    stop = () => {
      if (stopping) process.exit(1); // a second signal: do not wait
      stopping = true;
      log('stopping', {});
      (async () => {
        await keeper.close();
        await server.close();
        await stun?.close();
        await store.close();
      })().then(
        () => {
          log('stopped', {});
          resolve(0);
        },
        (error: Error) => {
          log('error', { during: 'shutdown', message: error.message });
          resolve(1);
        },
      );
    };
  });
  const onAbort = (): void => {
    if (!stopping) stop();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();

  const origin = `${displayHost(host)}:${server.port}`;
  stdout.write(`Gather demo on http://${origin}/ · signaling ws://${origin}/signal · keeper ws://${origin}/sync\n`);
  log('start', {
    url: `http://${origin}/`,
    data,
    origins: origins.length > 0 ? origins : 'any page may connect (set --origins to restrict)',
    rooms: rooms.length > 0 ? rooms : 'any room name (set --rooms to restrict)',
    redis: redis ? redactUrl(redis) : null,
    stunPort: stun?.port ?? null,
    limits: { ...numbers, trustProxy },
  });
  if (!existsSync(path.join(ROOT, 'dist'))) {
    stderr.write('(dist/ is missing: run `npm run build` to serve the widgets)\n');
  }

  try {
    return await stopped;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** `gather keygen`: a new organizer key, its public key on stdout, its sealed backup in a new file. */
async function keygen(
  out: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  stdin: AsyncIterable<string | Uint8Array>,
  stdout: RunOutput,
  stderr: RunOutput,
): Promise<number> {
  let passphrase: string | null;
  if (env.GATHER_PASSPHRASE) passphrase = env.GATHER_PASSPHRASE;
  else if (stdin === process.stdin && process.stdin.isTTY) passphrase = await promptPassphrase(process.stdin, stderr);
  else passphrase = await readFirstLine(stdin);
  if (passphrase === null) {
    stderr.write('The two passphrases differ: nothing was written.\n');
    return 1;
  }
  if ([...passphrase].length < KEYGEN_MIN_PASSPHRASE) {
    stderr.write(`The passphrase needs at least ${KEYGEN_MIN_PASSPHRASE} characters: nothing was written.\n`);
    return 1;
  }
  const { publicKey, file } = await makeOrganizerKeyFile(passphrase);
  const target = path.resolve(out ?? `organizer-${publicKey.slice(0, 8).replace(/[^A-Za-z0-9_-]/g, '')}.gather-key.json`);
  try {
    await writeNewFile(target, file);
  } catch (error) {
    stderr.write(`Cannot write ${target}: ${(error as Error).message} (an existing key file is never replaced)\n`);
    return 1;
  }
  stdout.write(`${publicKey}\n`);
  stderr.write(
    `Organizer key made. Its public key (above) goes in your page: organizer="${publicKey}".\n` +
      `Its private key is in ${target}, sealed with your passphrase: keep the file and the passphrase apart, and both safe.\n` +
      'To act as this organizer in a browser, restore the file in a <gather-organizer> panel.\n',
  );
  return 0;
}

/** Opens the store for export/import, runs `body`, closes it; a locked directory is a clear error. */
async function withStore(data: string, fail: (message: string, code?: number) => number, body: (store: RoomStore) => Promise<number>): Promise<number> {
  let store: RoomStore;
  try {
    store = await RoomStore.open(data);
  } catch (error) {
    return fail(error instanceof StoreLockedError ? error.message : `Cannot open ${data}: ${(error as Error).message}`, 1);
  }
  try {
    return await body(store);
  } catch (error) {
    return fail((error as Error).message, 1);
  } finally {
    await store.close();
  }
}

/** Bytes: a whole number with an optional K, M or G suffix (powers of 1024). */
function parseSize(text: string): number | undefined {
  const match = /^(\d{1,12})([kmg]?)i?b?$/i.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]) * 1024 ** ' kmg'.indexOf((match[2] || ' ').toLowerCase());
  return value > 0 ? value : undefined;
}

function parsePositive(text: string): number | undefined {
  if (!/^\d{1,9}$/.test(text.trim())) return undefined;
  const value = Number(text);
  return value > 0 ? value : undefined;
}

/** A Redis URL without its password, for the log. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://…';
  }
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

/** Loopback and wildcard addresses are shown as `localhost`; IPv6 literals get brackets. */
function displayHost(host: string): string {
  if (['127.0.0.1', '::1', '0.0.0.0', '::', '', 'localhost'].includes(host)) return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Whether this module is the process's entry point. Real paths on both sides:
 * the npm `bin` link `node_modules/.bin/gather` points at dist/server/cli.js.
 */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = await run(process.argv.slice(2), process.env);
