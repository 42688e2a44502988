/**
 * One HTTP server for `gather serve`: the static demo and build, and the
 * signaling server at `/signal`, on one port.
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createSignalingServer, refuseUpgrade, type SignalingOptions, type SignalingServer } from './signaling.js';
import { createStaticHandler, projectMounts, type StaticMount } from './static.js';

/** Takes over an HTTP upgrade request for one path (a WebSocket endpoint). */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

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
}: ServeOptions): Promise<RunningServer> {
  const serveStatic = createStaticHandler(mounts);
  const signaling = createSignalingServer(signalingOptions);
  const routes = new Map<string, UpgradeHandler>(Object.entries(upgrades));
  routes.set(SIGNALING_PATH, (req, socket, head) => signaling.handleUpgrade(req, socket, head));

  const server = createServer((req, res) => {
    serveStatic(req, res).catch(() => res.destroy());
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const route = routes.get((req.url ?? '').split('?', 1)[0]!);
    if (route) route(req, socket, head);
    else refuseUpgrade(socket, 404, 'Not Found');
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
