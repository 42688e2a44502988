/**
 * Splitting messages into RTCDataChannel-sized frames and putting them back together.
 *
 * Chromium refuses a data-channel message over 256 KiB, and a Yjs sync message is as large as the
 * room. So a message travels whole when it is small, and as frames otherwise:
 *
 * - a binary message of at most {@link FRAME_BYTES} whose first byte is not {@link FRAME_MARKER}
 *   is sent as it is (y-webrtc's messages start with a small varint, so every everyday message
 *   goes unframed: no extra bytes, and an older simple-peer page still understands it);
 * - a string of at most {@link FRAME_BYTES} / 3 UTF-16 units (so its UTF-8 fits) is sent as a string;
 * - anything else is sent as binary frames of at most {@link FRAME_BYTES}:
 *
 * ```
 * first frame:  0xFF  flags|FIRST[|LAST][|TEXT]  u32 total length (big-endian)  payload
 * later frames: 0xFF  flags[|LAST]                                             payload
 * ```
 *
 * `TEXT` marks a message that was a string (its payload is UTF-8). A channel is ordered and
 * reliable, so frames of one message arrive in order and are never interleaved with another; the
 * {@link Reassembler} still checks every frame and reports anything out of line as malformed.
 * @module
 */

/** First byte of every frame. y-webrtc's messages never start with it (their first byte is 0–4). */
export const FRAME_MARKER = 0xff;
/** Largest data-channel message this layer sends: well under Chromium's 256 KiB limit. */
export const FRAME_BYTES = 64 * 1024;
/** Largest message this layer sends or accepts (a whole room's state travels as one message). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export const FLAG_FIRST = 1;
export const FLAG_LAST = 2;
export const FLAG_TEXT = 4;
const KNOWN_FLAGS = FLAG_FIRST | FLAG_LAST | FLAG_TEXT;
const FIRST_HEADER_BYTES = 6;
const HEADER_BYTES = 2;

/** What goes on the wire: a string or binary data channel message. */
export type WireMessage = string | Uint8Array<ArrayBuffer>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A view of `data` as bytes, without copying. */
export const asBytes = (data: ArrayBuffer | ArrayBufferView): Uint8Array =>
  data instanceof Uint8Array ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);

/**
 * The data-channel messages that carry `message`: itself when it is small enough to go whole,
 * frames otherwise. Throws a RangeError when the message exceeds `maxMessageBytes`.
 */
export function toWire(
  message: string | ArrayBuffer | ArrayBufferView,
  { frameBytes = FRAME_BYTES, maxMessageBytes = MAX_MESSAGE_BYTES } = {},
): WireMessage[] {
  let bytes: Uint8Array;
  let text = false;
  if (typeof message === 'string') {
    if (message.length > 0 && message.length * 3 <= frameBytes) return [message];
    bytes = encoder.encode(message);
    text = true;
  } else {
    bytes = asBytes(message);
    if (isWhole(bytes, frameBytes)) return [copy(bytes)];
  }
  if (bytes.length > maxMessageBytes) {
    throw new RangeError(`message of ${bytes.length} bytes exceeds the limit of ${maxMessageBytes}`);
  }
  const frames: WireMessage[] = [];
  let offset = 0;
  do {
    const first = offset === 0;
    const header = first ? FIRST_HEADER_BYTES : HEADER_BYTES;
    const end = Math.min(bytes.length, offset + frameBytes - header);
    const frame = new Uint8Array(header + end - offset);
    frame[0] = FRAME_MARKER;
    frame[1] = (first ? FLAG_FIRST : 0) | (end === bytes.length ? FLAG_LAST : 0) | (text ? FLAG_TEXT : 0);
    if (first) new DataView(frame.buffer).setUint32(2, bytes.length);
    frame.set(bytes.subarray(offset, end), header);
    frames.push(frame);
    offset = end;
  } while (offset < bytes.length);
  return frames;
}

/** Whether `bytes` travel as one data-channel message, unframed: not empty, at most `frameBytes`, not starting like a frame. */
export const isWhole = (bytes: Uint8Array, frameBytes: number = FRAME_BYTES): boolean => bytes.length > 0 && bytes.length <= frameBytes && bytes[0] !== FRAME_MARKER;

/** A copy that owns its buffer (RTCDataChannel.send sends the whole view; a copy also protects against later mutation). */
const copy = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
};

/** What {@link Reassembler.push} hands back. */
export type Received =
  | { readonly kind: 'message'; readonly data: string | Uint8Array<ArrayBuffer> }
  | { readonly kind: 'partial' }
  | { readonly kind: 'malformed'; readonly reason: string };

const PARTIAL: Received = Object.freeze({ kind: 'partial' });
const malformed = (reason: string): Received => ({ kind: 'malformed', reason });

/**
 * Puts one channel's frames back together. Memory is bounded by the message actually received,
 * never by what a first frame claims, and by `maxMessageBytes`. After a malformed frame the
 * reassembler is reset; the caller should close the channel (the stream can no longer be trusted).
 */
export class Reassembler {
  readonly #maxMessageBytes: number;
  #parts: Uint8Array[] = [];
  #received = 0;
  #total = -1;
  #text = false;

  constructor({ maxMessageBytes = MAX_MESSAGE_BYTES } = {}) {
    this.#maxMessageBytes = maxMessageBytes;
  }

  /** Whether a message is partly received. */
  get pending(): boolean {
    return this.#total >= 0;
  }

  /** The length its first frame gave the message being received (0 when none is). */
  get expecting(): number {
    return Math.max(0, this.#total);
  }

  /** Bytes of the message being received that have come so far (0 when none is). */
  get received(): number {
    return this.#received;
  }

  /** Takes one data-channel message (a string or an ArrayBuffer) and says what it completed. */
  push(data: unknown): Received {
    if (typeof data === 'string') {
      return this.pending ? this.#fail('a whole message arrived inside a framed one') : { kind: 'message', data };
    }
    if (!(data instanceof ArrayBuffer)) return this.#fail('not a string or an ArrayBuffer');
    const bytes = new Uint8Array(data);
    if (bytes.length === 0 || bytes[0] !== FRAME_MARKER) {
      return this.pending ? this.#fail('a whole message arrived inside a framed one') : { kind: 'message', data: bytes };
    }
    if (bytes.length < HEADER_BYTES) return this.#fail('frame too short');
    const flags = bytes[1]!;
    if ((flags & ~KNOWN_FLAGS) !== 0) return this.#fail('unknown frame flags');
    let payload: Uint8Array;
    if (flags & FLAG_FIRST) {
      if (this.pending) return this.#fail('a new message started before the last one ended');
      if (bytes.length < FIRST_HEADER_BYTES) return this.#fail('first frame too short');
      const total = new DataView(data).getUint32(2);
      if (total > this.#maxMessageBytes) return this.#fail(`message of ${total} bytes exceeds the limit of ${this.#maxMessageBytes}`);
      this.#total = total;
      this.#text = (flags & FLAG_TEXT) !== 0;
      payload = bytes.subarray(FIRST_HEADER_BYTES);
    } else {
      if (!this.pending) return this.#fail('a frame arrived with no message started');
      if (((flags & FLAG_TEXT) !== 0) !== this.#text) return this.#fail('frame kind changed within a message');
      payload = bytes.subarray(HEADER_BYTES);
    }
    this.#received += payload.length;
    if (this.#received > this.#total) return this.#fail('frames longer than the message');
    if (payload.length > 0) this.#parts.push(payload);
    if ((flags & FLAG_LAST) === 0) return PARTIAL;
    if (this.#received !== this.#total) return this.#fail('message ended short of its length');
    const whole = new Uint8Array(this.#total);
    let offset = 0;
    for (const part of this.#parts) {
      whole.set(part, offset);
      offset += part.length;
    }
    const text = this.#text;
    this.#reset();
    return { kind: 'message', data: text ? decoder.decode(whole) : whole };
  }

  #reset(): void {
    this.#parts = [];
    this.#received = 0;
    this.#total = -1;
    this.#text = false;
  }

  #fail(reason: string): Received {
    this.#reset();
    return malformed(reason);
  }
}
