/**
 * One HTTP server for `gather serve`: the static demo and build, the
 * signaling server at `/signal`, and more endpoints (the keeper at `/sync`,
 * `/healthz`, `/metrics`) on one port.
 *
 * Every WebSocket upgrade, signaling included, passes the same admission:
 * its `Origin` must be in `origins` (when given), its client address must
 * hold fewer than `maxConnectionsPerAddress` WebSocket connections, and must
 * not have opened more than `maxNewConnectionsPerAddress` in the last minute
 * (on average: a token bucket of that size, refilled over a minute; HTTP 429
 * and a `limit` line `new-connections-per-address` past it).
 * Without `trustProxy`, the same cap applies to all TCP connections from one
 * address (so slow HTTP requests cannot exhaust the file descriptors either).
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { AddressCounter, AddressRate, clientAddress, originAllowed } from './limits.js';
import { silentLog, type Log } from './log.js';
import type { Metrics } from './metrics.js';
import { createSignalingServer, PROTOCOL_REFUSALS, refuseUpgrade, type SignalingOptions, type SignalingServer } from './signaling.js';
import { createStaticHandler, projectMounts, type StaticMount } from './static.js';

/** Takes over an HTTP upgrade request for one path (a WebSocket endpoint). */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Answers an HTTP request for one path. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Options of {@link startServer}. */
export interface ServeOptions {
  /** Project root: serves `<root>/dist` at `/dist/` and `<root>/demo` at `/`. */
  root: string;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Address to bind. Default `127.0.0.1` (loopback only); `0.0.0.0` or `::` to be reachable from elsewhere. */
  host?: string;
  /** Replaces the static mounts derived from `root`. */
  mounts?: StaticMount[];
  /** Limits of the signaling server. */
  signaling?: SignalingOptions;
  /** More WebSocket endpoints by exact path (e.g. a keeper at `/sync`); `/signal` is taken. */
  upgrades?: Readonly<Record<string, UpgradeHandler>>;
  /** HTTP handlers by exact path (e.g. `/healthz`), before the static files. */
  requests?: Readonly<Record<string, RequestHandler>>;
  /** Page origins (`https://eastside.example`) allowed to open WebSockets; empty: any. */
  origins?: readonly string[];
  /** WebSocket connections per client address (and TCP connections per peer address without `trustProxy`). Default 50. */
  maxConnectionsPerAddress?: number;
  /** New WebSocket connections per client address per minute (bursts of as many). Default 600. */
  maxNewConnectionsPerAddress?: number;
  /** Take the client address from X-Forwarded-For (behind Caddy or nginx). Default false. */
  trustProxy?: boolean;
  /** Event log (refusals, limits). Default: none. */
  log?: Log;
  /** Counts refusals. */
  metrics?: Metrics;
}

/** A listening server, from {@link startServer}. */
export interface RunningServer {
  /** `http://<address>:<port>/` (a wildcard host is shown as 127.0.0.1). */
  readonly url: string;
  /** `ws://<address>:<port>/signal`. */
  readonly signalingUrl: string;
  readonly port: number;
  readonly host: string;
  readonly server: Server;
  readonly signaling: SignalingServer;
  /** Closes the signaling connections, stops listening and drops idle HTTP connections. */
  close(): Promise<void>;
}

/** The `gather serve` flag that raises each limit met here, named in its log line. */
const LIMIT_FLAGS: Readonly<Record<string, string>> = {
  'connections-per-address': '--max-connections-per-address',
  'new-connections-per-address': '--max-new-connections-per-address',
  connections: '--signal-max-connections',
  'handshake-timeout': '--handshake-timeout',
  topics: '--signal-max-topics',
  'publish-rate': '--signal-max-publishes-per-second',
  'peer-ids': '--signal-max-peer-ids',
  'peer-id-probe': '--signal-peer-id-probe',
  'message-bytes': '--signal-max-message-bytes',
  'slow-reader': '--signal-max-buffered-bytes',
  'ping-timeout': '--signal-ping-interval',
};

/**
 * A plain HTTP request to a WebSocket endpoint: 200 (not 426: browsers print any 4xx in the
 * console, beside the page's own explanation), with what a page whose WebSocket did not open
 * needs to tell its site owner why (src/room/endpoint-check.ts), readable from any origin: that
 * this is a Gather server, and whether it admits the page's origin. Nothing else is said.
 */
function answerPlainRequest(req: IncomingMessage, res: ServerResponse, origins: readonly string[]): void {
  // A same-origin GET carries no Origin header; its Referer names the page.
  let origin = req.headers.origin;
  if (origin === undefined && req.headers.referer !== undefined) origin = URL.canParse(req.headers.referer) ? new URL(req.headers.referer).origin : undefined;
  const body = JSON.stringify({ gather: 'websocket', origin: origin === undefined || originAllowed(origins, origin) ? 'allowed' : 'refused' });
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'access-control-allow-origin': '*', upgrade: 'websocket' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The path the signaling server is mounted at. */
export const SIGNALING_PATH = '/signal';

/**
 * Starts the demo server: static files plus signaling at `/signal`. Upgrade
 * requests to any other path (not in `upgrades`) get a 404 and are destroyed.
 *
 * @example
 * const running = await startServer({ root, port: 8080 });
 * console.log(running.url, running.signalingUrl);
 * await running.close();
 */
export async function startServer({
  root,
  port = 0,
  host = '127.0.0.1',
  mounts = projectMounts(root),
  signaling: signalingOptions = {},
  upgrades = {},
  requests = {},
  origins = [],
  maxConnectionsPerAddress = 50,
  maxNewConnectionsPerAddress = 600,
  trustProxy = false,
  log = silentLog,
  metrics,
}: ServeOptions): Promise<RunningServer> {
  const serveStatic = createStaticHandler(mounts);
  const signaling = createSignalingServer(signalingOptions);
  const routes = new Map<string, UpgradeHandler>(Object.entries(upgrades));
  routes.set(SIGNALING_PATH, (req, socket, head) => signaling.handleUpgrade(req, socket, head));
  const handlers = new Map<string, RequestHandler>(Object.entries(requests));
  const refused = (reason: string, address: string, fields: Record<string, unknown> = {}, event = 'refused') => {
    metrics?.reject(reason);
    const flag = event === 'limit' ? LIMIT_FLAGS[reason] : undefined;
    log(event, { [event === 'limit' ? 'limit' : 'reason']: reason, address, ...fields, ...(flag ? { flag } : {}) });
  };
  signaling.on('refused', (reason, req) =>
    refused(
      reason,
      req === undefined ? 'another process (Redis)' : clientAddress(req, trustProxy),
      { endpoint: SIGNALING_PATH },
      PROTOCOL_REFUSALS.has(reason) ? 'refused' : 'limit',
    ),
  );
  signaling.on('relay-error', (error) => log('error', { during: 'signaling-relay', endpoint: SIGNALING_PATH, message: error.message }));
  metrics?.observe({ signalingConnections: () => signaling.connectionCount });

  const server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 2_000 }, (req, res) => {
    const path = (req.url ?? '').split('?', 1)[0]!;
    const handler = handlers.get(path);
    if (handler) handler(req, res);
    else if (routes.has(path)) answerPlainRequest(req, res, origins);
    else serveStatic(req, res).catch(() => res.destroy());
  });
  const tcpPerAddress = new AddressCounter(maxConnectionsPerAddress);
  if (!trustProxy) {
    server.on('connection', (socket: Socket) => {
      const address = socket.remoteAddress ?? 'unknown';
      const release = tcpPerAddress.acquire(address);
      if (!release) {
        refused('connections-per-address', address, { transport: 'tcp' }, 'limit');
        socket.destroy();
        return;
      }
      socket.once('close', release);
    });
  }
  const wsPerAddress = new AddressCounter(maxConnectionsPerAddress);
  const newPerAddress = new AddressRate(maxNewConnectionsPerAddress / 60, maxNewConnectionsPerAddress);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?', 1)[0]!;
    const route = routes.get(path);
    if (!route) {
      refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    const address = clientAddress(req, trustProxy);
    const origin = req.headers.origin;
    if (!originAllowed(origins, origin)) {
      refused('origin', address, { origin, endpoint: path });
      refuseUpgrade(socket, 403, 'Forbidden');
      return;
    }
    if (!newPerAddress.take(address)) {
      refused('new-connections-per-address', address, { endpoint: path, perMinute: maxNewConnectionsPerAddress }, 'limit');
      refuseUpgrade(socket, 429, 'Too Many Requests');
      return;
    }
    const release = wsPerAddress.acquire(address);
    if (!release) {
      refused('connections-per-address', address, { endpoint: path }, 'limit');
      refuseUpgrade(socket, 429, 'Too Many Requests');
      return;
    }
    socket.once('close', release);
    route(req, socket, head);
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await signaling.close();
    throw error;
  }

  const bound = (server.address() as AddressInfo).port;
  const origin = `${urlHost(host)}:${bound}`;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${origin}/`,
    signalingUrl: `ws://${origin}${SIGNALING_PATH}`,
    port: bound,
    host,
    server,
    signaling,
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await signaling.close();
        server.closeAllConnections();
        await stopped;
      })()),
  };
}

/** A host as it goes in a URL: wildcards become 127.0.0.1, IPv6 literals get brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
