/**
 * A signaling connection that does not open: said once, with why (endpoint-check.ts), if it never
 * has, and tried again less and less often.
 *
 * y-webrtc's connections (lib0's WebsocketClient) try again at most 2.5 s apart, forever and
 * silently: a wrong `data-signaling` became a quiet loop of failed WebSockets. Here, after each
 * attempt that did not open, the next waits 1 s, then twice as long each time, up to 30 s (with
 * jitter, so that a server coming back is not met by every page at once); at once when the browser
 * comes back online. A connection that opened and dropped is tried again at once, as lib0 does.
 * @module
 */
import type { WebsocketClient } from 'lib0/websocket';
import { explainOnce, noteRefusedConnections } from './endpoint-check.js';

/** The wait after the first attempt that did not open (ms); it doubles after each further one. */
export const FIRST_RETRY_MS = 1_000;
/** The longest wait between attempts (ms). */
export const MAX_RETRY_MS = 30_000;

/** The wait after `failures` attempts in a row that did not open: 1, 2, 4 … 30 s, ±20%. */
export const retryDelay = (failures: number, random: number = Math.random()): number =>
  Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1)) * (0.8 + 0.4 * random);

const watched = new WeakSet<WebsocketClient>();

/** The parts of lib0's WebsocketClient this reads and steers. */
interface Steerable {
  ws: WebSocket | null;
  shouldConnect: boolean;
  connected: boolean;
  readonly url: string;
  connect(): void;
  disconnect(): void;
}

/**
 * Watches `conn` (one of y-webrtc's signaling connections, just made): its first attempt that does
 * not open is explained in the console, once per URL per page, and its attempts back off. Watching
 * a connection twice does nothing.
 */
export function watchSignaling(conn: WebsocketClient): void {
  if (watched.has(conn)) return;
  watched.add(conn);
  noteRefusedConnections();
  const client = conn as unknown as Steerable;
  let failures = 0;
  let everOpened = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const resume = (): void => {
    if (timer === undefined) return;
    clearTimeout(timer);
    timer = undefined;
    client.connect();
  };
  const onClose = (): void => {
    // Closed on purpose (y-webrtc's disconnect clears shouldConnect first): nothing to say or wait for.
    if (!client.shouldConnect) return;
    failures++;
    // A connection that never opened is misconfigured until shown otherwise; one that has opened is only down for now.
    if (failures === 1 && !everOpened) explainOnce('signaling', client.url);
    // lib0's own retry (under 2.5 s) finds shouldConnect false and does nothing; this one comes later.
    client.shouldConnect = false;
    clearTimeout(timer);
    timer = setTimeout(resume, retryDelay(failures));
  };
  const watch = (socket: WebSocket | null): void => {
    if (socket === null) return;
    let opened = false;
    socket.addEventListener('open', () => {
      opened = everOpened = true;
      failures = 0;
    });
    // A socket the page's CSP refuses fires 'error' and never 'close' (Chromium); lib0 retries on either.
    let closed = false;
    const onEnd = (): void => {
      if (closed || opened) return;
      closed = true;
      onClose();
    };
    socket.addEventListener('error', onEnd);
    socket.addEventListener('close', onEnd);
  };
  // Each new socket of the connection, as lib0 assigns it.
  let current = client.ws;
  Object.defineProperty(client, 'ws', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (socket: WebSocket | null) => {
      current = socket;
      watch(socket);
    },
  });
  watch(current);
  // Disconnecting on purpose (y-webrtc closing its last room on it) ends the wait for good.
  // (y-webrtc disconnects a connection only to destroy it: nothing is left to resume.)
  const disconnect = client.disconnect.bind(client);
  client.disconnect = () => {
    clearTimeout(timer);
    timer = undefined;
    if (typeof window !== 'undefined') window.removeEventListener('online', resume);
    disconnect();
  };
  if (typeof window !== 'undefined') window.addEventListener('online', resume);
}
