/**
 * Helpers for the keeper tests: a keeper in this process (startServer +
 * createKeeper over a temporary store), a `gather serve` child process, and a
 * Yjs client on Hocuspocus's own provider (what the widgets will use).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { createKeeper, type Keeper, type KeeperOptions } from '../../src/server/keeper.js';
import { createLog } from '../../src/server/log.js';
import { Metrics } from '../../src/server/metrics.js';
import { startServer, type RunningServer, type ServeOptions } from '../../src/server/serve.js';
import { RoomStore } from '../../src/server/store.js';
import { withTimeout } from './helpers.js';

export const CLI = fileURLToPath(new URL('../../src/server/cli.ts', import.meta.url));

/** Resolves when `predicate()` holds, polling every 10 ms; rejects after `ms`. */
export async function until(predicate: () => boolean, label: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function tempDir(prefix = 'gather-keeper-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

/** A keeper and server in this process, over a store in a temporary directory. */
export interface LocalKeeper {
  readonly running: RunningServer;
  readonly keeper: Keeper;
  readonly store: RoomStore;
  readonly metrics: Metrics;
  readonly data: string;
  readonly syncUrl: string;
  /** Parsed JSON log lines so far. */
  readonly logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startLocalKeeper(
  keeperOptions: Omit<KeeperOptions, 'store'> = {},
  serveOptions: Partial<ServeOptions> = {},
): Promise<LocalKeeper> {
  const data = await tempDir();
  const store = await RoomStore.open(data);
  const logs: Record<string, unknown>[] = [];
  const log = createLog({ write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) }, { throttleMs: 0 });
  const metrics = new Metrics({ defaults: false });
  const keeper = createKeeper({ store, log, metrics, ...keeperOptions });
  const running = await startServer({
    root: data,
    mounts: [],
    upgrades: { '/sync': (req, socket, head) => keeper.handleUpgrade(req, socket, head) },
    log,
    metrics,
    ...serveOptions,
  });
  return {
    running,
    keeper,
    store,
    metrics,
    data,
    logs,
    syncUrl: `ws://127.0.0.1:${running.port}/sync`,
    async close() {
      await keeper.close();
      await running.close();
      await store.close();
      await rm(data, { recursive: true, force: true });
    },
  };
}

/**
 * A keeper in this process ({@link startLocalKeeper}, with `serveOptions`: pages to serve beside it)
 * holding `state` as room `room`, sent and confirmed by a Node client.
 */
export async function keeperHolding(room: string, state: Uint8Array, serveOptions: Partial<ServeOptions> = {}): Promise<LocalKeeper> {
  const keeper = await startLocalKeeper({}, serveOptions);
  const client = new KeeperClient(keeper.syncUrl, room);
  try {
    await client.waitSynced();
    Y.applyUpdate(client.doc, state);
    await client.waitStored('the keeper stored the room', 30_000);
  } catch (error) {
    await keeper.close();
    throw error;
  } finally {
    client.destroy();
  }
  return keeper;
}

/** A Yjs client of the keeper on HocuspocusProvider. */
export class KeeperClient {
  readonly doc = new Y.Doc();
  readonly socket: HocuspocusProviderWebsocket;
  readonly provider: HocuspocusProvider;
  failures: string[] = [];
  closes: number[] = [];

  constructor(url: string, room: string, { token = '', delay = 100 }: { token?: string; delay?: number } = {}) {
    this.socket = new HocuspocusProviderWebsocket({
      url,
      WebSocketPolyfill: WebSocket,
      delay,
      minDelay: delay,
      maxDelay: 1000,
      factor: 1.5,
      jitter: false,
    });
    this.provider = new HocuspocusProvider({ websocketProvider: this.socket, name: room, document: this.doc, token });
    this.provider.attach();
    this.provider.on('authenticationFailed', ({ reason }: { reason: string }) => this.failures.push(reason));
    this.socket.on('close', ({ event }: { event: { code: number } }) => this.closes.push(event.code));
  }

  get map(): Y.Map<unknown> {
    return this.doc.getMap('poll:test');
  }

  /** Synced with the keeper and every change confirmed (stored). */
  get settled(): boolean {
    return this.provider.isSynced && this.provider.unsyncedChanges === 0;
  }

  async waitSynced(label = 'synced', ms = 5000): Promise<void> {
    await until(() => this.provider.isSynced, label, ms);
  }

  /** Waits until the keeper has confirmed every change of this client. */
  async waitStored(label = 'stored', ms = 5000): Promise<void> {
    await until(() => this.settled, label, ms);
  }

  destroy(): void {
    // HocuspocusProviderWebsocket 3.4.4: onClose schedules `connect()` in a timer that destroy()
    // does not clear, so a socket destroyed within `delay` of a close reconnects, forever.
    this.socket.connect = () => Promise.resolve();
    this.provider.destroy();
    this.socket.destroy();
    this.doc.destroy();
  }
}

/** A `gather serve` child process. */
export interface KeeperProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly syncUrl: string;
  readonly exited: Promise<number | null>;
  logs(): Record<string, unknown>[];
  stdout(): string;
  stderr(): string;
}

/** Spawns `gather serve --port <port> --data <data> ...args` and waits for its first line. */
export async function spawnKeeper(data: string, args: string[] = [], { port = 0, env = {} }: { port?: number; env?: Record<string, string> } = {}): Promise<KeeperProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', String(port), '--data', data, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const line = await withTimeout(
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if (stdout.includes('\n')) resolve(stdout.split('\n', 1)[0]!);
      };
      child.stdout!.on('data', check);
      void exited.then((code) => reject(new Error(`gather serve exited ${code} before printing: ${stderr}`)));
    }),
    'gather serve first line',
    15_000,
  );
  const match = /localhost:(\d+)\/sync$/.exec(line);
  if (!match) throw new Error(`unexpected first line: ${line}`);
  const bound = Number(match[1]);
  return {
    child,
    port: bound,
    syncUrl: `ws://127.0.0.1:${bound}/sync`,
    exited,
    logs: () =>
      stdout
        .split('\n')
        .slice(1)
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A real redis-server on a free port of 127.0.0.1, with nothing saved to disk (.ci/run installs it). */
export async function startRedis(): Promise<{ url: string; stop: () => Promise<unknown> }> {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('redis-server is not installed: apt-get install -y redis-server (.ci/run does this)');
  }
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  await until(() => output.includes('Ready to accept connections'), 'redis-server ready', 10_000);
  return { url: `redis://127.0.0.1:${port}`, stop: async () => (child.kill('SIGTERM'), await once(child, 'exit')) };
}

/** The entries of `map` in room `room` of a store that no process holds. */
export async function storedEntries(data: string, room: string, map = 'poll:test'): Promise<Record<string, unknown>> {
  const store = await RoomStore.open(data);
  try {
    const doc = await store.doc(room);
    const entries = doc.getMap(map).toJSON();
    doc.destroy();
    return entries;
  } finally {
    await store.close();
  }
}
