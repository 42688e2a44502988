/**
 * Helpers for the server tests: a queued WebSocket test client, a raw
 * (hand-made) WebSocket handshake for sending invalid frames, and event
 * waiting with timeouts (never sleeps).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocket, type ClientOptions } from 'ws';
import type { SignalingServer } from '../../src/server/signaling.js';

/** Rejects if `promise` has not settled after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, label: string, ms = 2000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${label}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits (on connect/disconnect events) until `predicate()` holds for the signaling server. */
export async function waitForServer(signaling: SignalingServer, predicate: () => boolean, label: string): Promise<void> {
  const changed = (): Promise<unknown> =>
    Promise.race([once(signaling, 'connect'), once(signaling, 'disconnect')]);
  while (!predicate()) await withTimeout(changed(), label);
}

/** A message received by a {@link TestClient}: parsed JSON. */
export type Message = Record<string, unknown>;

/** A `ws` client that queues incoming messages so none is missed between awaits. */
export class TestClient {
  readonly ws: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly queue: Message[] = [];
  private readonly waiters: ((message: Message) => void)[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('error', () => {}); // failures show up as 'close'
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as Message;
      const waiter = this.waiters.shift();
      if (waiter) waiter(message);
      else this.queue.push(message);
    });
    this.closed = once(ws, 'close').then(([code, reason]) => ({
      code: code as number,
      reason: String(reason),
    }));
  }

  /** Connects and resolves once open. */
  static async open(url: string, options?: ClientOptions): Promise<TestClient> {
    const client = new TestClient(new WebSocket(url, options));
    await withTimeout(once(client.ws, 'open'), `open ${url}`);
    return client;
  }

  /** Sends a value as JSON text. */
  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  /** The next message (queued or upcoming). */
  next(label = 'next message'): Promise<Message> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return withTimeout(new Promise<Message>((resolve) => this.waiters.push(resolve)), label);
  }

  /** Messages received and not yet read. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Sends `{type:'ping'}` and asserts that the next message is the pong: the
   * server answers in order, so anything it sent this client before is seen first.
   */
  async assertPongFirst(label = 'pong'): Promise<void> {
    this.send({ type: 'ping' });
    assert.deepEqual(await this.next(label), { type: 'pong' }, label);
  }

  /** Subscribes, then waits for a pong so the subscription is in place. */
  async subscribe(...topics: string[]): Promise<void> {
    this.send({ type: 'subscribe', topics });
    await this.assertPongFirst('pong after subscribe');
  }

  /** Closes and waits for the close event. */
  async close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.close();
    await withTimeout(this.closed, 'client close');
  }
}

let topicCounter = 0;
/** A topic name no other test uses. */
export function freshTopic(): string {
  return `topic-${process.pid}-${++topicCounter}`;
}

/**
 * Asserts the server still serves honest clients: two fresh clients
 * subscribe to a fresh topic, one publishes, both receive it with `clients: 2`.
 */
export async function assertHonestRoundTrip(url: string): Promise<void> {
  const [a, b] = await Promise.all([TestClient.open(url), TestClient.open(url)]);
  try {
    const topic = freshTopic();
    await Promise.all([a.subscribe(topic), b.subscribe(topic)]);
    const publish = { type: 'publish', topic, data: { hello: 'there' } };
    a.send(publish);
    assert.deepEqual(await b.next('publish at the other client'), { ...publish, clients: 2 });
    assert.deepEqual(await a.next('publish echoed to the sender'), { ...publish, clients: 2 });
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

/** A TCP socket that completed a WebSocket handshake by hand: write raw frames on it. */
export class RawWebSocket {
  readonly socket: Socket;
  private readonly chunks: Buffer[] = [];
  readonly ended: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.ended = once(socket, 'close').then(() => undefined);
  }

  /** Connects to `port` and performs the HTTP upgrade to `path`. */
  static async open(port: number, path: string): Promise<RawWebSocket> {
    const socket = connect(port, '127.0.0.1');
    const raw = new RawWebSocket(socket);
    await withTimeout(once(socket, 'connect'), 'tcp connect');
    socket.write(
      [
        `GET ${path} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'),
    );
    await withTimeout(
      (async () => {
        while (!Buffer.concat(raw.chunks).includes('\r\n\r\n')) await once(socket, 'data');
      })(),
      'handshake response',
    );
    const response = Buffer.concat(raw.chunks);
    const headerEnd = response.indexOf('\r\n\r\n') + 4;
    assert.match(response.subarray(0, headerEnd).toString('latin1'), /^HTTP\/1\.1 101 /);
    raw.chunks.length = 0;
    if (headerEnd < response.length) raw.chunks.push(response.subarray(headerEnd));
    return raw;
  }

  /** Writes bytes as they are. */
  write(bytes: Buffer | number[]): void {
    this.socket.write(Buffer.from(bytes));
  }

  /** Waits for the server to close the TCP connection; returns the close code of its close frame, if any. */
  async closeCode(): Promise<number | undefined> {
    await withTimeout(this.ended, 'server closes the raw socket');
    const data = Buffer.concat(this.chunks);
    // An unmasked server close frame: 0x88, length, code (big-endian), reason.
    if (data.length >= 4 && data[0] === 0x88) return data.readUInt16BE(2);
    return undefined;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A masked client frame (what a correct client sends) with the given first byte. */
export function maskedFrame(firstByte: number, payload: Buffer): Buffer {
  assert.ok(payload.length < 126);
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from([firstByte, 0x80 | payload.length]), mask, masked]);
}
