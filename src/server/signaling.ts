/**
 * A y-webrtc-compatible signaling server on `ws`.
 *
 * Protocol (the one of y-webrtc's own `bin/server.js`), JSON text messages:
 * - `{type:'subscribe', topics: string[]}` / `{type:'unsubscribe', topics: string[]}`
 * - `{type:'publish', topic: string, ...}`: forwarded whole, plus
 *   `clients: <subscriber count>`, to every subscriber of `topic`, sender included
 * - `{type:'ping'}` → `{type:'pong'}`
 *
 * Peer ids. In an open room y-webrtc's published `data` carries `from` (the sending peer's id) and,
 * for a signal, `to`. Anyone who knows a room's topic can publish there, so the server binds each
 * `from` on a topic to the one connection that first used it, until that connection leaves the
 * topic: a publish that claims an id bound to another connection is dropped (and the holder is
 * pinged: one that does not answer within `peerIdProbeMs` is dropped, so that a page whose old
 * socket died silently gets its id back). A publish whose `data.to` names an id bound on the topic
 * goes to that one connection only (not to every subscriber, nor back to the sender). A password
 * room's `data` is encrypted: the server cannot read it, and forwards it as before (forging there
 * needs the password).
 *
 * Unlike y-webrtc's bundled server, a hostile or broken client can never throw
 * in the process or disturb other connections. What happens to bad input:
 *
 * | input                                                              | outcome                        |
 * |--------------------------------------------------------------------|--------------------------------|
 * | frame larger than `maxMessageBytes`                                | closed by `ws` with 1009 (`message-bytes`) |
 * | invalid frame (reserved bits, unmasked, bad opcode, …)             | closed by `ws` with 1002       |
 * | text that is not valid UTF-8                                       | closed by `ws` with 1007       |
 * | binary frame                                                       | closed with 1003 (unsupported) |
 * | not JSON; JSON that is not an object (array, number, null, string) | closed with 1008               |
 * | `type` missing or not a string                                     | closed with 1008               |
 * | (un)subscribe whose `topics` is not an array of strings            | closed with 1008               |
 * | a topic longer than `maxTopicLength`                               | closed with 1008               |
 * | subscribing to more than `maxTopicsPerConnection`                  | closed with 1008               |
 * | publish whose `topic` is not a string                              | closed with 1008               |
 * | unknown `type` (forward compatibility)                             | ignored                        |
 * | publish to a topic the sender has not subscribed to                | ignored (not forwarded)        |
 * | unsubscribe from a topic not subscribed                            | ignored                        |
 * | a receiver whose send buffer exceeds `maxBufferedBytes`            | that receiver is terminated (`slow-reader`) |
 * | more than `maxConnections` at once                                 | upgrade refused with HTTP 503  |
 * | no subscribe within `handshakeTimeoutMs` of connecting             | closed with 1008               |
 * | no pong since the previous ping (every `pingIntervalMs`)           | terminated (`ping-timeout`)    |
 * | publish whose `data.from` is longer than `maxTopicLength`          | closed with 1008               |
 * | publish whose `data.from` is bound to another connection           | dropped; that holder is pinged |
 * | a holder that does not pong within `peerIdProbeMs` of that         | terminated (frees its ids)     |
 * | a new `data.from` past `maxPeerIdsPerTopic` on one topic           | dropped                        |
 * | publishes faster than `maxPublishRate` (bursts: `maxPublishBurst`) | dropped                        |
 *
 * The rule: input that no honest y-webrtc client sends closes that one
 * connection; well-formed input that does not apply is ignored. Nothing is
 * logged here; every closing, refusal and dropped publish above (but 1002 and
 * 1007, which `ws` decides) emits `refused` with a reason (one of
 * {@link RefusalReason}), for the caller to log and count.
 *
 * Several processes (`redis`). With a Redis URL, publishes are relayed to the other processes
 * subscribed to the same topic (signal-relay.ts), and theirs to this one's subscribers, each once;
 * a relayed publish is forwarded here as a local one is, with `clients` counting this process's
 * subscribers. Peer ids across processes: a process learns that an id is held elsewhere from the
 * relayed publishes it receives and, when it subscribes to a topic, from the other processes'
 * answers to its query (first seen wins), and then drops a local publish claiming it
 * (`peer-id-taken`; the holder's process probes it, as above), a relayed publish claiming an id one of
 * its own connections holds (`remote-peer-id-taken`, logged with no address), and sends a signal
 * addressed to a remote id to no local subscriber. It forgets a remote id when that process says
 * its connection left the topic, when that process stops, or when it has not been heard from for
 * three heartbeats (15 s). Not covered: a claim made through a process in the moment between its
 * first subscriber of a topic and the others' answers reaches that process's own subscribers (the
 * holder's process still drops it); two processes that bind one id at the same moment each keep
 * their own holder.
 *
 * @module
 */
import { EventEmitter, once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { TokenBucket } from './limits.js';
import { SignalRelay, type RelayMessage } from './signal-relay.js';

/** Options of {@link createSignalingServer}. */
export interface SignalingOptions {
  /** Largest accepted WebSocket message, in bytes (ws closes with 1009 above it). Default 64 KiB. */
  maxMessageBytes?: number;
  /** Most topics one connection may be subscribed to at once. Default 64. */
  maxTopicsPerConnection?: number;
  /** Longest accepted topic name, in UTF-16 code units. Default 256. */
  maxTopicLength?: number;
  /** Most simultaneous connections; further upgrades get HTTP 503. Default 1000. */
  maxConnections?: number;
  /** Interval between WebSocket ping frames; a connection silent for a whole interval is dropped. Default 30 000 ms. */
  pingIntervalMs?: number;
  /** A receiver whose unsent data exceeds this is terminated (a slow or stalled reader). Default 4 MiB. */
  maxBufferedBytes?: number;
  /** A connection that has not subscribed to a topic this long after connecting is closed; 0: never. Default 10 000 ms. */
  handshakeTimeoutMs?: number;
  /**
   * Publishes per second one connection may make on average; faster ones are dropped. Default 50.
   * (A page joining a full y-webrtc mesh, 34 peers, answers each and trickles its candidates: a
   * few hundred publishes in a second or two, which {@link maxPublishBurst} covers.)
   */
  maxPublishRate?: number;
  /** Publishes one connection may make at once before {@link maxPublishRate} applies. Default 250. */
  maxPublishBurst?: number;
  /** Distinct peer ids (`data.from`) one connection may use on one topic at a time (y-webrtc uses one). Default 8. */
  maxPeerIdsPerTopic?: number;
  /** How long the holder of a peer id that another connection claims has to answer a ping. Default 5 000 ms. */
  peerIdProbeMs?: number;
  /** `redis://host:port`: relay publishes with the other processes using this Redis (see the module). */
  redis?: string;
  /** Prefix of the Redis channels. Default `gather`. */
  redisPrefix?: string;
}

/** Why `refused` was emitted. */
export type RefusalReason =
  | 'connections'
  | 'handshake-timeout'
  | 'binary'
  | 'malformed'
  | 'topics'
  | 'publish-rate'
  | 'peer-ids'
  | 'peer-id-taken'
  | 'remote-peer-id-taken'
  | 'peer-id-probe'
  | 'message-bytes'
  | 'slow-reader'
  | 'ping-timeout';

/** Refusals that are a hostile or broken client's input (the others are limits an honest client may meet). */
export const PROTOCOL_REFUSALS: ReadonlySet<RefusalReason> = new Set(['malformed', 'binary', 'peer-id-taken', 'remote-peer-id-taken']);

/** Close codes the signaling server uses itself (ws adds 1002, 1007, 1009). */
export const CloseCode = {
  goingAway: 1001,
  unsupportedData: 1003,
  policyViolation: 1008,
} as const;

/**
 * Events of {@link SignalingServer}: a connection opened / was cleaned up after
 * closing; a connection or upgrade was refused, with the reason and the request.
 */
export interface SignalingEvents {
  connect: [];
  disconnect: [];
  /** `req` is undefined for a publish relayed from another process. */
  refused: [reason: RefusalReason, req: IncomingMessage | undefined];
  /** The Redis relay could not reach Redis (it retries by itself). */
  'relay-error': [error: Error];
}

/** Peer ids held through other processes on one topic, at most (more are not remembered). */
const MAX_REMOTE_PEER_IDS = 4096;

interface Connection {
  readonly ws: WebSocket;
  readonly req: IncomingMessage;
  readonly topics: Set<string>;
  /** topic → the peer ids this connection holds on it. */
  readonly peerIds: Map<string, Set<string>>;
  readonly publishes: TokenBucket;
  alive: boolean;
  /** Pongs received (a probe compares the count before and after). */
  pongs: number;
  handshake?: NodeJS.Timeout;
  probe?: NodeJS.Timeout;
}

/**
 * A signaling server that does not listen by itself: mount it on an existing
 * `http.Server` by passing its `'upgrade'` events (for the chosen path) to
 * {@link SignalingServer.handleUpgrade}.
 *
 * Emits `connect` and `disconnect` (after a closed connection left all its
 * topics), which tests use to wait without sleeping.
 */
export class SignalingServer extends EventEmitter<SignalingEvents> {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  /** topic → subscribed connections; a topic exists only while it has a subscriber. */
  private readonly topics = new Map<string, Set<Connection>>();
  /** topic → peer id → the connection it is bound to (while that connection is subscribed). */
  private readonly owners = new Map<string, Map<string, Connection>>();
  private readonly pingTimer: NodeJS.Timeout;
  private readonly maxTopicsPerConnection: number;
  private readonly maxTopicLength: number;
  private readonly maxConnections: number;
  private readonly maxBufferedBytes: number;
  private readonly handshakeTimeoutMs: number;
  private readonly maxPublishRate: number;
  private readonly maxPublishBurst: number;
  private readonly maxPeerIdsPerTopic: number;
  private readonly peerIdProbeMs: number;
  private closed = false;
  private readonly relay: SignalRelay | undefined;
  /** topic → peer id → the origin of the other process that holds it (learned from relayed publishes). */
  private readonly remoteOwners = new Map<string, Map<string, string>>();
  /** Other processes' origins → when last heard from. */
  private readonly lastHeard = new Map<string, number>();

  constructor({
    maxMessageBytes = 64 * 1024,
    maxTopicsPerConnection = 64,
    maxTopicLength = 256,
    maxConnections = 1000,
    pingIntervalMs = 30_000,
    maxBufferedBytes = 4 * 1024 * 1024,
    handshakeTimeoutMs = 10_000,
    maxPublishRate = 50,
    maxPublishBurst = 250,
    maxPeerIdsPerTopic = 8,
    peerIdProbeMs = 5000,
    redis,
    redisPrefix = 'gather',
  }: SignalingOptions = {}) {
    super();
    this.relay =
      redis === undefined
        ? undefined
        : new SignalRelay({
            url: redis,
            prefix: redisPrefix,
            maxBytes: maxMessageBytes + 1024,
            onMessage: (message) => this.onRelay(message),
            onError: (error) => this.emit('relay-error', error),
          });
    this.maxPublishRate = maxPublishRate;
    this.maxPublishBurst = maxPublishBurst;
    this.maxPeerIdsPerTopic = maxPeerIdsPerTopic;
    this.peerIdProbeMs = peerIdProbeMs;
    this.maxTopicsPerConnection = maxTopicsPerConnection;
    this.maxTopicLength = maxTopicLength;
    this.maxConnections = maxConnections;
    this.maxBufferedBytes = maxBufferedBytes;
    this.handshakeTimeoutMs = handshakeTimeoutMs;
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: maxMessageBytes,
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.pingTimer = setInterval(() => this.heartbeat(), pingIntervalMs);
    this.pingTimer.unref();
  }

  /** Open connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Topics with at least one subscriber. */
  get topicCount(): number {
    return this.topics.size;
  }

  /** Subscribers of one topic (0 when the topic does not exist). */
  subscriberCount(topic: string): number {
    return this.topics.get(topic)?.size ?? 0;
  }

  /** Peer ids bound on one topic (here; not those held through other processes). */
  peerIdCount(topic: string): number {
    return this.owners.get(topic)?.size ?? 0;
  }

  /** Peer ids on one topic that this process knows are held through other processes. */
  remotePeerIdCount(topic: string): number {
    return this.remoteOwners.get(topic)?.size ?? 0;
  }

  /**
   * Takes over an HTTP upgrade request (from `http.Server`'s `'upgrade'`
   * event). Refuses with 503 when closed or full.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', ignore);
    if (this.closed || this.connections.size >= this.maxConnections) {
      if (!this.closed) this.emit('refused', 'connections', req);
      refuseUpgrade(socket, 503, 'Service Unavailable');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
  }

  /**
   * Stops accepting, asks every connection to close (1001, going away) and
   * terminates those still open after `graceMs`. Resolves when all are gone.
   */
  async close({ graceMs = 1000 }: { graceMs?: number } = {}): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      clearInterval(this.pingTimer);
      this.wss.close();
      for (const conn of this.connections) conn.ws.close(CloseCode.goingAway);
    }
    await this.relay?.close();
    if (this.connections.size === 0) return;
    const grace = setTimeout(() => {
      for (const conn of this.connections) conn.ws.terminate();
    }, graceMs);
    grace.unref();
    while (this.connections.size > 0) await once(this, 'disconnect');
    clearTimeout(grace);
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const conn: Connection = {
      ws,
      req,
      topics: new Set(),
      peerIds: new Map(),
      publishes: new TokenBucket(this.maxPublishRate, this.maxPublishBurst),
      alive: true,
      pongs: 0,
    };
    this.connections.add(conn);
    if (this.handshakeTimeoutMs > 0) {
      conn.handshake = setTimeout(() => this.refuse(conn, 'handshake-timeout', CloseCode.policyViolation, 'no subscription'), this.handshakeTimeoutMs);
      conn.handshake.unref();
    }
    // Without an 'error' listener, an invalid frame would crash the process. ws closes the
    // connection itself; a message over the size limit (1009) is a limit, reported.
    ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.emit('refused', 'message-bytes', req);
    });
    ws.on('pong', () => {
      conn.alive = true;
      conn.pongs++;
    });
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    ws.on('close', () => this.remove(conn));
    this.emit('connect');
  }

  private remove(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    clearTimeout(conn.handshake);
    clearTimeout(conn.probe);
    for (const topic of conn.topics) this.leave(conn, topic);
    this.emit('disconnect');
  }

  private leave(conn: Connection, topic: string): void {
    conn.topics.delete(topic);
    const ids = conn.peerIds.get(topic);
    if (ids) {
      conn.peerIds.delete(topic);
      const owners = this.owners.get(topic);
      const freed: string[] = [];
      for (const id of ids) {
        if (owners?.get(id) !== conn) continue;
        owners.delete(id);
        freed.push(id);
      }
      if (owners?.size === 0) this.owners.delete(topic);
      this.relay?.leave(topic, freed);
    }
    const subscribers = this.topics.get(topic);
    if (!subscribers) return;
    subscribers.delete(conn);
    if (subscribers.size === 0) {
      this.topics.delete(topic);
      this.remoteOwners.delete(topic);
      this.relay?.unsubscribe(topic);
    }
  }

  private heartbeat(): void {
    for (const conn of this.connections) {
      if (!conn.alive) {
        this.emit('refused', 'ping-timeout', conn.req);
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }

  private onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    if (isBinary) {
      this.refuse(conn, 'binary', CloseCode.unsupportedData, 'binary frames are not supported');
      return;
    }
    const message = parseObject(rawToString(data));
    if (!message || typeof message.type !== 'string') {
      this.refuse(conn, 'malformed', CloseCode.policyViolation, 'expected a JSON object with a type');
      return;
    }
    switch (message.type) {
      case 'subscribe':
      case 'unsubscribe': {
        const topics = this.validTopics(message.topics);
        if (!topics) {
          this.refuse(conn, 'malformed', CloseCode.policyViolation, 'topics must be an array of short strings');
          return;
        }
        if (message.type === 'unsubscribe') {
          for (const topic of topics) this.leave(conn, topic);
          return;
        }
        const added = topics.filter((topic) => !conn.topics.has(topic));
        if (new Set(added).size + conn.topics.size > this.maxTopicsPerConnection) {
          this.refuse(conn, 'topics', CloseCode.policyViolation, 'too many topics');
          return;
        }
        for (const topic of added) {
          conn.topics.add(topic);
          let subscribers = this.topics.get(topic);
          if (!subscribers) {
            this.topics.set(topic, (subscribers = new Set()));
            this.relay?.subscribe(topic);
          }
          subscribers.add(conn);
        }
        if (conn.topics.size > 0) clearTimeout(conn.handshake);
        return;
      }
      case 'publish': {
        const { topic } = message;
        if (typeof topic !== 'string') {
          this.refuse(conn, 'malformed', CloseCode.policyViolation, 'topic must be a string');
          return;
        }
        if (!conn.publishes.take()) {
          this.emit('refused', 'publish-rate', conn.req);
          return;
        }
        const { from, to } = isObject(message.data) ? message.data : {};
        if (typeof from === 'string' && from.length > this.maxTopicLength) {
          this.refuse(conn, 'malformed', CloseCode.policyViolation, 'peer id too long');
          return;
        }
        if (!conn.topics.has(topic)) return;
        const receivers = this.topics.get(topic);
        if (!receivers) return;
        if (typeof from === 'string' && !this.bind(conn, topic, from)) return;
        const text = JSON.stringify({ ...message, clients: receivers.size });
        const target = typeof to === 'string' ? this.owners.get(topic)?.get(to) : undefined;
        if (target) {
          this.send(target, text);
          return;
        }
        // Addressed to a peer of another process: that process delivers it.
        if (typeof to !== 'string' || this.remoteOwner(topic, to) === undefined) for (const receiver of receivers) this.send(receiver, text);
        this.relay?.publish(topic, message);
        return;
      }
      case 'ping':
        this.send(conn, '{"type":"pong"}');
        return;
      default:
        return; // unknown type: ignored
    }
  }

  /**
   * Binds `id` on `topic` to `conn` if it is free; whether `conn` may publish as `id`. A claim on
   * another connection's id is dropped, and that holder must answer a ping within `peerIdProbeMs`.
   */
  private bind(conn: Connection, topic: string, id: string): boolean {
    let owners = this.owners.get(topic);
    const owner = owners?.get(id);
    if (owner === conn) return true;
    if (owner) {
      this.emit('refused', 'peer-id-taken', conn.req);
      this.probe(owner);
      return false;
    }
    if (this.remoteOwner(topic, id) !== undefined) {
      this.emit('refused', 'peer-id-taken', conn.req);
      // Its holder's process pings it (a holder whose socket died silently is dropped there, which frees the id here).
      this.relay!.probe(topic, id);
      return false;
    }
    let ids = conn.peerIds.get(topic);
    if ((ids?.size ?? 0) >= this.maxPeerIdsPerTopic) {
      this.emit('refused', 'peer-ids', conn.req);
      return false;
    }
    if (!ids) conn.peerIds.set(topic, (ids = new Set()));
    ids.add(id);
    if (!owners) this.owners.set(topic, (owners = new Map()));
    owners.set(id, conn);
    return true;
  }

  /**
   * The origin of the other process holding `id` on `topic`, if any; forgets it (and every id of
   * that process) once that process has not been heard from for three heartbeats.
   */
  private remoteOwner(topic: string, id: string): string | undefined {
    const remote = this.remoteOwners.get(topic);
    const origin = remote?.get(id);
    if (origin === undefined || this.relay === undefined) return undefined;
    if (Date.now() - (this.lastHeard.get(origin) ?? 0) <= 3 * this.relay.heartbeatMs) return origin;
    this.forget(origin);
    return undefined;
  }

  /**
   * Notes that the process `origin` holds `id` on `topic` (first seen wins; at most
   * MAX_REMOTE_PEER_IDS per topic are remembered). False when a connection here or another
   * process holds it.
   */
  private learnRemote(topic: string, id: string, origin: string): boolean {
    if (id.length > this.maxTopicLength) return false;
    const holder = this.owners.get(topic)?.has(id) ? this.relay!.origin : this.remoteOwner(topic, id);
    if (holder !== undefined) return holder === origin;
    let remote = this.remoteOwners.get(topic);
    if ((remote?.size ?? 0) >= MAX_REMOTE_PEER_IDS) return true;
    if (!remote) this.remoteOwners.set(topic, (remote = new Map()));
    remote.set(id, origin);
    return true;
  }

  /** Forgets the peer ids of another process (it stopped, or is silent). */
  private forget(origin: string): void {
    this.lastHeard.delete(origin);
    for (const [topic, remote] of this.remoteOwners) {
      for (const [id, holder] of remote) if (holder === origin) remote.delete(id);
      if (remote.size === 0) this.remoteOwners.delete(topic);
    }
  }

  /** A message of another process (signal-relay.ts): forwarded to this process's subscribers as a local publish is. */
  private onRelay(relayed: RelayMessage): void {
    if (this.closed) return;
    const { origin } = relayed;
    if (relayed.kind === 'bye') {
      this.forget(origin);
      return;
    }
    if (relayed.kind === 'alive') {
      if (this.lastHeard.has(origin) || this.lastHeard.size < MAX_REMOTE_PEER_IDS) this.lastHeard.set(origin, Date.now());
      // Also the moment to forget processes that went silent.
      for (const [other, heard] of this.lastHeard) if (Date.now() - heard > 3 * this.relay!.heartbeatMs) this.forget(other);
      return;
    }
    const receivers = this.topics.get(relayed.topic);
    if (!receivers) return;
    const { topic } = relayed;
    if (this.lastHeard.has(origin) || this.lastHeard.size < MAX_REMOTE_PEER_IDS) this.lastHeard.set(origin, Date.now());
    if (relayed.kind === 'leave') {
      const remote = this.remoteOwners.get(topic);
      for (const id of relayed.ids) if (remote?.get(id) === origin) remote.delete(id);
      if (remote?.size === 0) this.remoteOwners.delete(topic);
      return;
    }
    if (relayed.kind === 'query') {
      const owners = this.owners.get(topic);
      if (owners) this.relay!.held(topic, [...owners.keys()]);
      return;
    }
    if (relayed.kind === 'held') {
      for (const id of relayed.ids) this.learnRemote(topic, id, origin);
      return;
    }
    if (relayed.kind === 'probe') {
      const owner = this.owners.get(topic)?.get(relayed.id);
      if (owner) this.probe(owner);
      return;
    }
    const { message } = relayed;
    const { from, to } = isObject(message.data) ? message.data : {};
    if (typeof from === 'string') {
      if (from.length > this.maxTopicLength) return;
      if (!this.learnRemote(topic, from, origin)) {
        this.emit('refused', 'remote-peer-id-taken', undefined);
        const owner = this.owners.get(topic)?.get(from);
        if (owner) this.probe(owner);
        return;
      }
    }
    const text = JSON.stringify({ ...message, clients: receivers.size });
    const target = typeof to === 'string' ? this.owners.get(topic)?.get(to) : undefined;
    if (target) this.send(target, text);
    else if (typeof to !== 'string' || this.remoteOwner(topic, to) === undefined) for (const receiver of receivers) this.send(receiver, text);
  }

  /** Pings `conn` (once at a time) and terminates it if no pong has come back after `peerIdProbeMs`. */
  private probe(conn: Connection): void {
    if (conn.probe !== undefined || conn.ws.readyState !== WebSocket.OPEN) return;
    const pongs = conn.pongs;
    conn.ws.ping();
    conn.probe = setTimeout(() => {
      conn.probe = undefined;
      if (conn.pongs !== pongs || conn.ws.readyState !== WebSocket.OPEN) return;
      this.emit('refused', 'peer-id-probe', conn.req);
      conn.ws.terminate();
    }, this.peerIdProbeMs);
    conn.probe.unref();
  }

  private refuse(conn: Connection, reason: RefusalReason, code: number, text: string): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    this.emit('refused', reason, conn.req);
    conn.ws.close(code, text);
  }

  /** The topics of a (un)subscribe message, or undefined when malformed. */
  private validTopics(topics: unknown): string[] | undefined {
    if (!Array.isArray(topics)) return undefined;
    const valid = topics.every(
      (topic): topic is string => typeof topic === 'string' && topic.length <= this.maxTopicLength,
    );
    return valid ? (topics as string[]) : undefined;
  }

  private send(conn: Connection, text: string): void {
    const { ws } = conn;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > this.maxBufferedBytes) {
      this.emit('refused', 'slow-reader', conn.req);
      ws.terminate();
      return;
    }
    ws.send(text, ignore);
  }
}

/**
 * Creates a {@link SignalingServer}. It binds nowhere: the HTTP server that
 * receives the upgrade requests decides the address.
 *
 * @example
 * const signaling = createSignalingServer({ maxConnections: 200 });
 * httpServer.on('upgrade', (req, socket, head) => signaling.handleUpgrade(req, socket, head));
 */
export function createSignalingServer(options: SignalingOptions = {}): SignalingServer {
  return new SignalingServer(options);
}

function ignore(): void {}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses JSON text into a plain object, or undefined (not JSON, or an array, number, string, null). */
function parseObject(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isObject(value) ? value : undefined;
}

/**
 * Answers a not-yet-upgraded socket (from an `'upgrade'` event) with a bare
 * HTTP status and closes it.
 */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.on('error', ignore);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () =>
    socket.destroy(),
  );
}
