/**
 * A peer connection on the browser's own `RTCPeerConnection`, with the part of simple-peer's API
 * that y-webrtc uses. The build aliases `simple-peer/simplepeer.min.js` to this module (rollup,
 * web-test-runner, Storybook), so y-webrtc runs unchanged on it. What it adds over simple-peer:
 *
 * - messages of any size up to {@link MAX_MESSAGE_BYTES}: large ones travel as frames (frames.ts),
 *   so a room's first sync no longer dies at Chromium's 256 KiB message limit;
 * - backpressure: frames wait in a queue while the channel's buffer is above {@link HIGH_WATER_BYTES}
 *   and go out again on `bufferedamountlow`, so a 10 MB room never fills the channel's buffer
 *   (Chromium closes a channel whose buffer passes 16 MB);
 * - a message that cannot be sent is reported, never swallowed: the peer emits `error` with code
 *   {@link ERR_SEND} and closes, so y-webrtc connects again and syncs afresh, and the room can tell;
 * - `signal()` checks what the signaling server relays and ignores anything malformed;
 * - no default STUN server: nothing is contacted that the page did not name.
 *
 * simple-peer API used by y-webrtc 10.3.0 and how it maps:
 * - `new Peer({ initiator, config, channelName?, channelConfig?, trickle? })`: `config` goes to
 *   `RTCPeerConnection`; the initiator creates the data channel and the offer.
 * - events `signal` (offer/answer `{type, sdp}`, trickled `{type: 'candidate', candidate}`),
 *   `connect` (the data channel is open), `data` (a Uint8Array, or a string for a string message),
 *   `error` (an Error with a simple-peer-style `code`, followed by `close`), `close`.
 * - `signal(data)`, `send(data)`, `destroy(err?)`; `connected`, `destroyed`, `initiator`, `bufferSize`.
 * - not simple-peer's: `progress` (how far the connection has got), which admission.ts reads to
 *   choose which unopened connection gives up its slot.
 * @module
 */
import { ObservableV2 } from 'lib0/observable';
import { asBytes, FRAME_BYTES, isWhole, MAX_MESSAGE_BYTES, Reassembler, toWire, type WireMessage } from './frames.js';
import { parseSignal, type Signal } from './signals.js';

/** Error codes (simple-peer's where it has one). */
export const ERR_SEND = 'ERR_SEND';
export const ERR_FRAME = 'ERR_FRAME';
export const ERR_DESTROYED = 'ERR_DESTROYED';
export const ERR_NOT_CONNECTED = 'ERR_NOT_CONNECTED';
export const ERR_DATA_CHANNEL = 'ERR_DATA_CHANNEL';
export const ERR_PC_CONSTRUCTOR = 'ERR_PC_CONSTRUCTOR';
export const ERR_CREATE_OFFER = 'ERR_CREATE_OFFER';
export const ERR_CREATE_ANSWER = 'ERR_CREATE_ANSWER';
export const ERR_SET_REMOTE_DESCRIPTION = 'ERR_SET_REMOTE_DESCRIPTION';
export const ERR_CONNECTION_FAILURE = 'ERR_CONNECTION_FAILURE';

/** Start queueing frames once this much is waiting in the channel's own buffer… */
export const HIGH_WATER_BYTES = 1024 * 1024;
/** …and send again when it has drained to this. */
export const LOW_WATER_BYTES = 256 * 1024;
/** Most bytes queued here (beyond the channel's buffer) before a send is refused. */
export const MAX_QUEUED_BYTES = 2 * MAX_MESSAGE_BYTES;
/** SCTP cause code 12 (RFC 9260 §3.3.10.12): the other end's application closed the association. */
const SCTP_USER_INITIATED_ABORT = 12;
/** Candidates kept while no remote description is set (an SDP for one data channel needs a handful). */
const MAX_PENDING_CANDIDATES = 64;

/** An error with a simple-peer-style `code`. */
export class PeerError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PeerError';
    this.code = code;
  }
}

export interface NativePeerOptions {
  /** This side makes the data channel and the offer. */
  readonly initiator?: boolean;
  /** Handed to `RTCPeerConnection`. Default: no ICE servers at all. */
  readonly config?: RTCConfiguration;
  readonly channelName?: string;
  readonly channelConfig?: RTCDataChannelInit;
  /** Send candidates one by one (default) rather than waiting for all of them in the description. */
  readonly trickle?: boolean;
  /** Largest data-channel message (tests make it small). */
  readonly frameBytes?: number;
  /** Largest message sent or accepted. */
  readonly maxMessageBytes?: number;
}

export interface NativePeerEvents {
  signal: (signal: Signal) => void;
  connect: () => void;
  data: (data: Uint8Array | string) => void;
  /**
   * A frame of a message too large to travel whole (a room's state, say) has come, not its last:
   * `received` of its `total` bytes so far (the first time, as its first frame comes). The message
   * goes to `data` once every frame has.
   */
  receiving: (received: number, total: number) => void;
  error: (error: PeerError) => void;
  close: () => void;
}

/** Longest a side that answered after glare holds its first messages (see #holdUntilHeard). */
const GLARE_HOLD_MS = 500;

const randomName = (): string => Math.random().toString(36).slice(2, 10);

/** The peer whose message its `data` listeners are being handed right now, and that message. */
let delivering: NativePeer | null = null;
let deliveringData: unknown = null;

/**
 * The peer whose message is being handed to its `data` listeners at this moment, or null: a Yjs
 * update y-webrtc applies from within that call came from that peer (mesh-relay.ts).
 */
export const deliveringPeer = (): NativePeer | null => delivering;

/** The message being handed to a peer's `data` listeners at this moment (see {@link deliveringPeer}), or null. */
export const deliveringMessage = (): unknown => deliveringData;

export class NativePeer extends ObservableV2<NativePeerEvents> {
  readonly initiator: boolean;
  readonly channelName: string;
  /** Malformed or out-of-place signals ignored so far (for tests and diagnostics). */
  ignoredSignals = 0;

  readonly #trickle: boolean;
  readonly #frameBytes: number;
  readonly #maxMessageBytes: number;
  readonly #config: RTCConfiguration;
  #pc: RTCPeerConnection | null = null;
  /** The channel this side sends on: the first one to open. */
  #channel: RTCDataChannel | null = null;
  readonly #channels = new Set<RTCDataChannel>();
  readonly #queue: WireMessage[] = [];
  #queueHead = 0;
  #queuedBytes = 0;
  #pendingCandidates: RTCIceCandidateInit[] = [];
  /** Signals are applied one at a time, in the order they arrived. */
  #signals: Promise<void> = Promise.resolve();
  #connected = false;
  #destroyed = false;
  /** Our offer is being made (setLocalDescription still running: the state still reads 'stable'). */
  #makingOffer = false;
  /**
   * After glare this side answers on a fresh connection; its first messages, sent as soon as the
   * other side's channel opened, were lost in about 3% of tries in Chromium 156 (test/p2p/peer.test.ts,
   * glare). It holds what it sends until the other side's first message arrives, or {@link GLARE_HOLD_MS}.
   */
  #holdUntilHeard = false;

  constructor({
    initiator = false,
    config = { iceServers: [] },
    channelName = randomName(),
    channelConfig = {},
    trickle = true,
    frameBytes = FRAME_BYTES,
    maxMessageBytes = MAX_MESSAGE_BYTES,
  }: NativePeerOptions = {}) {
    super();
    this.initiator = initiator;
    this.channelName = channelName;
    this.#trickle = trickle;
    this.#frameBytes = frameBytes;
    this.#maxMessageBytes = maxMessageBytes;
    this.#config = config;
    const pc = this.#connect();
    if (pc && initiator) {
      this.#adopt(pc.createDataChannel(channelName, channelConfig));
      void this.#negotiate('offer');
    }
  }

  /** A new RTCPeerConnection with this peer's listeners, or null (and destroyed) if the browser refuses one. */
  #connect(): RTCPeerConnection | null {
    let pc: RTCPeerConnection;
    try {
      // Looked up now, not at import: a page (or a test) may have wrapped it.
      pc = new globalThis.RTCPeerConnection(this.#config);
    } catch (error) {
      this.destroy(new PeerError(ERR_PC_CONSTRUCTOR, 'cannot create an RTCPeerConnection', { cause: error }));
      return null;
    }
    this.#pc = pc;
    pc.addEventListener('icecandidate', this.#onIceCandidate);
    pc.addEventListener('connectionstatechange', this.#onStateChange);
    pc.addEventListener('iceconnectionstatechange', this.#onStateChange);
    // Either side accepts the other's channel (the initiator too), so that whichever channel opens
    // first carries the data and nothing sent on another is lost.
    pc.addEventListener('datachannel', this.#onDataChannel);
    return pc;
  }

  /** Closes the RTCPeerConnection and its channels, and forgets them. */
  #disconnect(): void {
    for (const channel of this.#channels) {
      detach(channel, this.#channelListeners);
      try {
        channel.close();
      } catch {
        // already closed
      }
    }
    this.#channels.clear();
    this.#channel = null;
    const pc = this.#pc;
    this.#pc = null;
    if (pc === null) return;
    pc.removeEventListener('icecandidate', this.#onIceCandidate);
    pc.removeEventListener('connectionstatechange', this.#onStateChange);
    pc.removeEventListener('iceconnectionstatechange', this.#onStateChange);
    pc.removeEventListener('datachannel', this.#onDataChannel);
    try {
      pc.close();
    } catch {
      // already closed
    }
  }

  /** The data channel is open and the peer not destroyed. */
  get connected(): boolean {
    return this.#connected && !this.#destroyed && this.#channel?.readyState === 'open';
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  /**
   * How far the connection has got: 0 nothing from the other side yet, 1 its description arrived,
   * 2 a network path to it was found (ICE connected), 3 open. A stranger can send a description
   * cheaply; a path needs a real peer answering connectivity checks. (Admission evicts the least far.)
   */
  get progress(): 0 | 1 | 2 | 3 {
    if (this.connected) return 3;
    const pc = this.#pc;
    if (this.#destroyed || pc === null) return 0;
    if (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') return 2;
    return pc.remoteDescription === null ? 0 : 1;
  }

  /** Bytes waiting to go out: queued here plus the channel's own buffer. */
  get bufferSize(): number {
    return this.#queuedBytes + (this.#channel?.bufferedAmount ?? 0);
  }

  /**
   * Hands this peer a signal from the other side (offer, answer or candidate). Anything that is
   * not a well-formed signal, or that comes after destroy, is ignored: it never throws.
   */
  signal(data: unknown): void {
    if (this.#destroyed) return;
    const signal = parseSignal(data);
    if (signal === null) {
      this.ignoredSignals++;
      return;
    }
    this.#signals = this.#signals.then(() => this.#apply(signal));
  }

  /**
   * Sends a message of any size up to the limit (string, ArrayBuffer or view). Throws, as
   * simple-peer does, after destroy and before connect: y-webrtc sends every update to every peer
   * it knows, connected or not, and a peer that connects later gets the whole state in its first
   * sync. A message that cannot go out once connected (too large, too much queued, the channel
   * refused it) is reported with `error` (code {@link ERR_SEND}) and the peer closes.
   */
  send(data: string | ArrayBuffer | ArrayBufferView): void {
    if (this.#destroyed) throw new PeerError(ERR_DESTROYED, 'cannot send after the peer is destroyed');
    if (!this.connected) throw new PeerError(ERR_NOT_CONNECTED, 'cannot send before the peer is connected');
    // Everyday messages (a vote, an awareness update): one data-channel send of the bytes as they
    // are, when nothing waits before them. The browser copies them as it sends, so no copy of ours,
    // no frame list and no queue (frames.ts would send the same bytes unframed).
    if (ArrayBuffer.isView(data) && this.#queueHead === this.#queue.length && !this.#holdUntilHeard) {
      const bytes = asBytes(data);
      const channel = this.#channel!;
      if (isWhole(bytes, this.#frameBytes) && bytes.buffer instanceof ArrayBuffer && channel.bufferedAmount < HIGH_WATER_BYTES) {
        try {
          channel.send(bytes as Uint8Array<ArrayBuffer>);
        } catch (error) {
          this.#failSend(error);
        }
        return;
      }
    }
    let frames: WireMessage[];
    try {
      frames = toWire(data, { frameBytes: this.#frameBytes, maxMessageBytes: this.#maxMessageBytes });
    } catch (error) {
      this.#failSend(error);
      return;
    }
    let bytes = 0;
    for (const frame of frames) bytes += typeof frame === 'string' ? frame.length * 3 : frame.byteLength;
    if (this.#queuedBytes + bytes > MAX_QUEUED_BYTES) {
      this.#failSend(new RangeError(`more than ${MAX_QUEUED_BYTES} bytes waiting to be sent`));
      return;
    }
    for (const frame of frames) this.#queue.push(frame);
    this.#queuedBytes += bytes;
    this.#flush();
  }

  /** Closes the connection. With `error`, emits `error` first; then `close` (both asynchronously, as simple-peer does). */
  override destroy(error?: PeerError | Error): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#connected = false;
    this.#queue.length = 0;
    this.#queueHead = 0;
    this.#queuedBytes = 0;
    this.#pendingCandidates = [];
    this.#disconnect();
    queueMicrotask(() => {
      if (error) this.emit('error', [error instanceof PeerError ? error : new PeerError(ERR_DATA_CHANNEL, error.message, { cause: error })]);
      this.emit('close', []);
      super.destroy();
    });
  }

  /* ------------------------------------------------------------ negotiation */

  async #negotiate(kind: 'offer' | 'answer'): Promise<void> {
    const pc = this.#pc!;
    // After glare this side may have moved to a new connection meanwhile: the old one's offer is void.
    const current = () => !this.#destroyed && this.#pc === pc;
    if (kind === 'offer') this.#makingOffer = true;
    try {
      // setLocalDescription() with no argument creates the offer or answer that fits the state.
      await pc.setLocalDescription();
    } catch (error) {
      if (current()) this.destroy(new PeerError(kind === 'offer' ? ERR_CREATE_OFFER : ERR_CREATE_ANSWER, `cannot create an ${kind}`, { cause: error }));
      return;
    } finally {
      if (kind === 'offer' && this.#pc === pc) this.#makingOffer = false;
    }
    if (!current()) return;
    if (!this.#trickle) await gatheringComplete(pc);
    const description = pc.localDescription;
    if (!current() || description === null) return;
    this.emit('signal', [{ type: description.type as 'offer' | 'answer', sdp: description.sdp }]);
  }

  async #apply(signal: Signal): Promise<void> {
    let pc = this.#pc;
    if (this.#destroyed || pc === null) return;
    if (signal.type === 'candidate') {
      if (pc.remoteDescription === null) {
        if (this.#pendingCandidates.length < MAX_PENDING_CANDIDATES) this.#pendingCandidates.push(signal.candidate);
        else this.ignoredSignals++;
        return;
      }
      await this.#addCandidate(signal.candidate);
      return;
    }
    // A data channel needs no renegotiation: once connected, a description can only be stale or stray.
    // An answer is only wanted while our offer is out.
    if (this.#connected || (signal.type === 'answer' && pc.signalingState !== 'have-local-offer')) {
      this.ignoredSignals++;
      return;
    }
    if (signal.type === 'offer' && (this.#makingOffer || pc.signalingState !== 'stable')) {
      // Glare: both sides offered, and y-webrtc chose this side to answer. Chromium's implicit
      // rollback of our offer can leave ICE gathering stalled, so start over on a fresh connection.
      this.#disconnect();
      this.#makingOffer = false;
      this.#holdUntilHeard = true;
      pc = this.#connect();
      if (pc === null) return;
    }
    try {
      await pc.setRemoteDescription(signal);
    } catch (error) {
      this.destroy(new PeerError(ERR_SET_REMOTE_DESCRIPTION, `cannot use the remote ${signal.type}`, { cause: error }));
      return;
    }
    if (this.#destroyed) return;
    const pending = this.#pendingCandidates;
    this.#pendingCandidates = [];
    for (const candidate of pending) await this.#addCandidate(candidate);
    if (signal.type === 'offer') await this.#negotiate('answer');
  }

  async #addCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    try {
      await this.#pc?.addIceCandidate(candidate);
    } catch {
      // A candidate the browser cannot use (another network, an mDNS name it cannot resolve): others may work.
      this.ignoredSignals++;
    }
  }

  readonly #onIceCandidate = (event: RTCPeerConnectionIceEvent): void => {
    if (this.#destroyed || !this.#trickle || event.target !== this.#pc || event.candidate === null || event.candidate.candidate === '') return;
    const { candidate, sdpMid, sdpMLineIndex, usernameFragment } = event.candidate;
    this.emit('signal', [{ type: 'candidate', candidate: { candidate, sdpMid, sdpMLineIndex, usernameFragment } }]);
  };

  readonly #onStateChange = (): void => {
    const pc = this.#pc;
    if (this.#destroyed || pc === null) return;
    if (pc.connectionState === 'failed' || pc.iceConnectionState === 'failed') {
      this.destroy(new PeerError(ERR_CONNECTION_FAILURE, 'the connection failed'));
    } else if (pc.connectionState === 'closed') {
      this.destroy();
    }
  };

  /* ------------------------------------------------------------ data channels */

  readonly #onDataChannel = (event: RTCDataChannelEvent): void => {
    if (!this.#destroyed) this.#adopt(event.channel);
  };

  readonly #reassemblers = new WeakMap<RTCDataChannel, Reassembler>();

  readonly #channelListeners: ChannelListeners = {
    open: (event) => this.#onOpen(event.target as RTCDataChannel),
    message: (event) => this.#onMessage(event.target as RTCDataChannel, (event as MessageEvent).data),
    bufferedamountlow: (event) => {
      if (event.target === this.#channel) this.#flush();
    },
    close: (event) => this.#onChannelClose(event.target as RTCDataChannel),
    error: (event) => {
      if (event.target !== this.#channel) return;
      const cause = (event as RTCErrorEvent).error;
      // The other side closed while data was in flight (SCTP "User-Initiated Abort"): a hang-up, not a fault.
      if (cause?.errorDetail === 'sctp-failure' && cause.sctpCauseCode === SCTP_USER_INITIATED_ABORT) this.destroy();
      else this.destroy(new PeerError(ERR_DATA_CHANNEL, `data channel error: ${cause?.message ?? 'unknown'}`, { cause }));
    },
  };

  #adopt(channel: RTCDataChannel): void {
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = LOW_WATER_BYTES;
    this.#channels.add(channel);
    this.#reassemblers.set(channel, new Reassembler({ maxMessageBytes: this.#maxMessageBytes }));
    attach(channel, this.#channelListeners);
    if (channel.readyState === 'open') queueMicrotask(() => this.#onOpen(channel));
  }

  #onOpen(channel: RTCDataChannel): void {
    if (this.#destroyed || this.#channel !== null || channel.readyState !== 'open') return;
    this.#channel = channel;
    this.#connected = true;
    if (this.#holdUntilHeard) setTimeout(() => this.#hear(), GLARE_HOLD_MS);
    this.emit('connect', []);
  }

  #onMessage(channel: RTCDataChannel, data: unknown): void {
    if (this.#destroyed) return;
    if (this.#holdUntilHeard) this.#hear();
    const reassembler = this.#reassemblers.get(channel)!;
    const received = reassembler.push(data);
    if (received.kind === 'partial') this.emit('receiving', [reassembler.received, reassembler.expecting]);
    else if (received.kind === 'message') {
      const [outer, outerData] = [delivering, deliveringData];
      delivering = this;
      deliveringData = received.data;
      try {
        this.emit('data', [received.data]);
      } finally {
        delivering = outer;
        deliveringData = outerData;
      }
    } else if (received.kind === 'malformed') this.destroy(new PeerError(ERR_FRAME, `malformed frame from the peer: ${received.reason}`));
  }

  #onChannelClose(channel: RTCDataChannel): void {
    if (this.#destroyed) return;
    detach(channel, this.#channelListeners);
    this.#channels.delete(channel);
    if (channel === this.#channel || this.#channels.size === 0) this.destroy();
  }

  /* ------------------------------------------------------------ sending */

  /** Sends queued frames while the channel's buffer is below the high-water mark. */
  /** The other side is heard from (or the hold is over): what was held goes out. */
  #hear(): void {
    if (!this.#holdUntilHeard) return;
    this.#holdUntilHeard = false;
    this.#flush();
  }

  #flush(): void {
    const channel = this.#channel;
    if (channel === null || this.#holdUntilHeard) return;
    while (this.#queueHead < this.#queue.length && channel.bufferedAmount < HIGH_WATER_BYTES) {
      const frame = this.#queue[this.#queueHead]!;
      this.#queue[this.#queueHead++] = '';
      this.#queuedBytes -= typeof frame === 'string' ? frame.length * 3 : frame.byteLength;
      try {
        if (typeof frame === 'string') channel.send(frame);
        else channel.send(frame);
      } catch (error) {
        this.#failSend(error);
        return;
      }
    }
    if (this.#queueHead === this.#queue.length) {
      this.#queue.length = 0;
      this.#queueHead = 0;
      this.#queuedBytes = 0;
    }
  }

  #failSend(cause: unknown): void {
    const reason = cause instanceof Error ? cause.message : String(cause);
    this.destroy(new PeerError(ERR_SEND, `a message could not be sent: ${reason}`, { cause }));
  }
}

type ChannelListeners = Record<'open' | 'message' | 'bufferedamountlow' | 'close' | 'error', (event: Event) => void>;

const attach = (channel: RTCDataChannel, listeners: ChannelListeners): void => {
  for (const [type, listener] of Object.entries(listeners)) channel.addEventListener(type, listener);
};

const detach = (channel: RTCDataChannel, listeners: ChannelListeners): void => {
  for (const [type, listener] of Object.entries(listeners)) channel.removeEventListener(type, listener);
};

const gatheringComplete = (pc: RTCPeerConnection): Promise<void> =>
  new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const check = () => {
      if (pc.iceGatheringState !== 'complete' && pc.signalingState !== 'closed') return;
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    pc.addEventListener('icegatheringstatechange', check);
  });

export default NativePeer;
