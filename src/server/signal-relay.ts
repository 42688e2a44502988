/**
 * Signaling past one process: several `gather serve` processes behind a load balancer relay
 * y-webrtc signaling to each other through Redis pub/sub, so that a visitor connected to one
 * process meets a visitor connected to another (the rooms' updates cross through Hocuspocus's own
 * Redis extension, keeper.ts).
 *
 * Channels (`<prefix>` is `gather` by default):
 * - `<prefix>:signal:<topic>`: one channel per topic, subscribed by a process while it has a
 *   subscriber of that topic. A message is JSON `{o, m}` (a publish `m` as a client sent it,
 *   from the process `o`), `{o, leave: [ids]}` (peer ids that process no longer holds there),
 *   `{o, query: true}` (sent by a process once it has subscribed: which ids do the others hold
 *   here?), `{o, held: [ids]}` (the answer: the peer ids that process holds there) or
 *   `{o, probe: id}` (one of that process's connections claims `id`: its holder must answer a ping).
 * - `<prefix>:signal-life`: `{o}` every `heartbeatMs` while a process runs, `{o, bye: true}` when
 *   it stops, so that the others forget the peer ids of a process that stopped or died.
 *
 * Each process has a random origin id and ignores its own messages (Redis sends a publisher's
 * messages back to it when it is subscribed), so a publish reaches each process once. Messages
 * larger than `maxBytes` and anything that is not one of the shapes above are ignored. What the
 * signaling server does with them (peer-id binding, addressing) is in signaling.ts.
 *
 * Errors are reported once per outage (see {@link reportTrouble}). Publishing never queues while Redis is unreachable (ioredis's offline queue is off for the
 * publisher): signaling is live traffic, and y-webrtc announces again; subscriptions are renewed
 * on reconnection.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** A message from another process. */
export type RelayMessage =
  | { readonly kind: 'publish'; readonly origin: string; readonly topic: string; readonly message: Record<string, unknown> }
  | { readonly kind: 'leave'; readonly origin: string; readonly topic: string; readonly ids: readonly string[] }
  | { readonly kind: 'held'; readonly origin: string; readonly topic: string; readonly ids: readonly string[] }
  | { readonly kind: 'query'; readonly origin: string; readonly topic: string }
  | { readonly kind: 'probe'; readonly origin: string; readonly topic: string; readonly id: string }
  | { readonly kind: 'alive'; readonly origin: string }
  | { readonly kind: 'bye'; readonly origin: string };

/** Options of {@link SignalRelay}. */
export interface SignalRelayOptions {
  /** `redis://host:port` (or `rediss://`). */
  readonly url: string;
  /** Channel prefix. Default `gather`. */
  readonly prefix?: string;
  /** Largest relayed message, in characters; larger ones are ignored. */
  readonly maxBytes: number;
  /** Interval of the `alive` messages. Default 5000 ms. */
  readonly heartbeatMs?: number;
  /** Receives every valid message of another process. */
  readonly onMessage: (message: RelayMessage) => void;
  /** Receives Redis connection errors, once per outage (the clients reconnect by themselves). */
  readonly onError?: (error: Error) => void;
}

/**
 * Reports a Redis client's first error, and again the first after each time it was ready: ioredis
 * retries by itself and emits an error per attempt, which would flood the log while Redis is down.
 */
export function reportTrouble(client: Redis, report: (error: Error) => void): void {
  let healthy = true;
  client.on('ready', () => (healthy = true));
  client.on('error', (error: Error) => {
    if (!healthy) return;
    healthy = false;
    report(error);
  });
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** One process's link to the others through Redis. */
export class SignalRelay {
  /** This process's origin id. */
  readonly origin = randomUUID();
  readonly heartbeatMs: number;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly topicPrefix: string;
  private readonly lifeChannel: string;
  private readonly maxBytes: number;
  private readonly onMessage: (message: RelayMessage) => void;
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;

  constructor({ url, prefix = 'gather', maxBytes, heartbeatMs = 5000, onMessage, onError = () => {} }: SignalRelayOptions) {
    this.topicPrefix = `${prefix}:signal:`;
    this.lifeChannel = `${prefix}:signal-life`;
    this.maxBytes = maxBytes;
    this.heartbeatMs = heartbeatMs;
    this.onMessage = onMessage;
    // No ready check (its INFO collides with subscriber mode right after start-up, TOOLCHAIN.md).
    this.pub = new Redis(url, { enableReadyCheck: false, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.sub = new Redis(url, { enableReadyCheck: false });
    reportTrouble(this.pub, onError);
    reportTrouble(this.sub, onError);
    this.pub.on('ready', () => this.send(this.lifeChannel, { o: this.origin }));
    this.sub.on('message', (channel: string, text: string) => this.receive(channel, text));
    this.sub.subscribe(this.lifeChannel).catch(onError);
    this.heartbeat = setInterval(() => this.send(this.lifeChannel, { o: this.origin }), heartbeatMs);
    this.heartbeat.unref();
  }

  /**
   * Starts receiving a topic's publishes (when this process gets its first subscriber of it), then
   * asks the other processes which peer ids they hold there.
   */
  subscribe(topic: string): void {
    if (this.closed) return;
    const channel = this.topicPrefix + topic;
    this.sub.subscribe(channel).then(
      () => this.send(channel, { o: this.origin, query: true }),
      () => {},
    );
  }

  /** Stops receiving a topic (when its last subscriber here left). */
  unsubscribe(topic: string): void {
    if (!this.closed) this.sub.unsubscribe(this.topicPrefix + topic).catch(() => {});
  }

  /** Relays a client's publish to the other processes. */
  publish(topic: string, message: Record<string, unknown>): void {
    this.send(this.topicPrefix + topic, { o: this.origin, m: message });
  }

  /** Tells the other processes that this one no longer holds these peer ids on a topic. */
  leave(topic: string, ids: readonly string[]): void {
    if (ids.length > 0) this.send(this.topicPrefix + topic, { o: this.origin, leave: ids });
  }

  /** Answers a query: the peer ids this process holds on a topic. */
  held(topic: string, ids: readonly string[]): void {
    if (ids.length > 0) this.send(this.topicPrefix + topic, { o: this.origin, held: ids });
  }

  /** Asks the process holding `id` on a topic to make sure its holder is still there. */
  probe(topic: string, id: string): void {
    this.send(this.topicPrefix + topic, { o: this.origin, probe: id });
  }

  /** Says goodbye (the others forget this process's peer ids) and disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    if (this.pub.status === 'ready') await this.pub.publish(this.lifeChannel, JSON.stringify({ o: this.origin, bye: true })).catch(() => {});
    this.pub.disconnect(false);
    this.sub.disconnect(false);
  }

  private send(channel: string, value: unknown): void {
    if (this.closed || this.pub.status !== 'ready') return;
    this.pub.publish(channel, JSON.stringify(value)).catch(() => {});
  }

  private receive(channel: string, text: string): void {
    if (this.closed || text.length > this.maxBytes) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return;
    }
    if (!isObject(value) || typeof value.o !== 'string' || value.o === this.origin || value.o.length > 64) return;
    const origin = value.o;
    if (channel === this.lifeChannel) {
      this.onMessage(value.bye === true ? { kind: 'bye', origin } : { kind: 'alive', origin });
      return;
    }
    if (!channel.startsWith(this.topicPrefix)) return;
    const topic = channel.slice(this.topicPrefix.length);
    for (const kind of ['leave', 'held'] as const) {
      const list = value[kind];
      if (!Array.isArray(list)) continue;
      const ids = list.filter((id): id is string => typeof id === 'string');
      this.onMessage({ kind, origin, topic, ids });
      return;
    }
    if (value.query === true) {
      this.onMessage({ kind: 'query', origin, topic });
      return;
    }
    if (typeof value.probe === 'string') {
      this.onMessage({ kind: 'probe', origin, topic, id: value.probe });
      return;
    }
    const message = value.m;
    if (!isObject(message) || message.type !== 'publish' || message.topic !== topic) return;
    this.onMessage({ kind: 'publish', origin, topic, message });
  }
}
