// The native peer's framing and signal checks, in Chromium without any network (no RTCPeerConnection
// here: test/p2p/peer.test.ts connects real peers inside the private network namespace).
import { expect } from '@open-wc/testing';
import {
  FLAG_FIRST,
  FLAG_LAST,
  FLAG_TEXT,
  FRAME_MARKER,
  Reassembler,
  toWire,
  type Received,
  type WireMessage,
} from '../../src/room/peer/frames.js';
import { MAX_SDP_LENGTH, parseSignal } from '../../src/room/peer/signals.js';

const bytes = (length: number, seed = 0): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 7 + seed) & 0xff;
  return out;
};

/** What a data channel with binaryType 'arraybuffer' delivers for each wire message. */
const deliver = (wire: WireMessage): string | ArrayBuffer => (typeof wire === 'string' ? wire : wire.slice().buffer);

const roundTrip = (message: string | Uint8Array, options?: Parameters<typeof toWire>[1]): { frames: number; out: Received[] } => {
  const wire = toWire(message, options);
  const reassembler = new Reassembler(options);
  return { frames: wire.length, out: wire.map((w) => reassembler.push(deliver(w))) };
};

const last = (out: Received[]) => out[out.length - 1]!;

describe('peer frames', () => {
  it('sends a small message whole and unframed', () => {
    const message = bytes(1000, 3);
    message[0] = 0; // a y-webrtc sync message starts with 0
    const wire = toWire(message);
    expect(wire).to.have.length(1);
    expect([...(wire[0] as Uint8Array)]).to.deep.equal([...message]);
    expect(toWire('hello')).to.deep.equal(['hello']);
  });

  it('frames a message over the frame size, and puts it back together', () => {
    const message = bytes(300_000, 1);
    const { frames, out } = roundTrip(message);
    expect(frames).to.equal(5); // 64 KiB frames
    expect(out.slice(0, -1).every((r) => r.kind === 'partial')).to.equal(true);
    // From its first frame, the message's whole length is known (what a page gets ready for), then none.
    const reassembler = new Reassembler();
    const wire = toWire(message);
    expect([reassembler.expecting, reassembler.received]).to.deep.equal([0, 0]);
    reassembler.push(deliver(wire[0]!));
    expect([reassembler.expecting, reassembler.received]).to.deep.equal([300_000, 64 * 1024 - 6]);
    reassembler.push(deliver(wire[1]!));
    expect([reassembler.expecting, reassembler.received]).to.deep.equal([300_000, 2 * 64 * 1024 - 8]);
    for (const w of wire.slice(2)) reassembler.push(deliver(w));
    expect([reassembler.expecting, reassembler.received]).to.deep.equal([0, 0]);
    const result = last(out);
    expect(result.kind).to.equal('message');
    expect([...(result as { data: Uint8Array }).data]).to.deep.equal([...message]);
    for (const frame of toWire(message)) expect((frame as Uint8Array).length).to.be.at.most(64 * 1024);
  });

  it('frames an empty message and one that starts with the marker byte, whatever their size', () => {
    for (const message of [new Uint8Array(0), Uint8Array.of(FRAME_MARKER, 1, 2)]) {
      const { frames, out } = roundTrip(message);
      expect(frames).to.equal(1);
      expect(out[0]!.kind).to.equal('message');
      expect([...(out[0] as { data: Uint8Array }).data]).to.deep.equal([...message]);
    }
  });

  it('frames a long string as UTF-8 text and returns a string', () => {
    const text = 'añ€😀'.repeat(20_000);
    const { frames, out } = roundTrip(text);
    expect(frames).to.be.greaterThan(1);
    expect(last(out)).to.deep.equal({ kind: 'message', data: text });
  });

  it('splits at the boundaries exactly (small frames)', () => {
    for (const length of [1, 3, 4, 5, 6, 7, 8, 9, 10, 50]) {
      const { out } = roundTrip(bytes(length, length), { frameBytes: 8 });
      const result = last(out);
      expect(result.kind, `length ${length}`).to.equal('message');
      expect([...(result as { data: Uint8Array }).data]).to.deep.equal([...bytes(length, length)]);
    }
  });

  it('refuses to send a message over the limit', () => {
    expect(() => toWire(bytes(1001), { maxMessageBytes: 1000, frameBytes: 100 })).to.throw(RangeError);
  });

  it('reports malformed frames and recovers for the next message', () => {
    const reassembler = new Reassembler({ maxMessageBytes: 100 });
    const frame = (...values: number[]) => Uint8Array.from(values).buffer;
    const cases: [string, ArrayBuffer[]][] = [
      ['continuation first', [frame(FRAME_MARKER, FLAG_LAST, 1)]],
      ['too short', [frame(FRAME_MARKER)]],
      ['first too short', [frame(FRAME_MARKER, FLAG_FIRST, 0, 0)]],
      ['unknown flag', [frame(FRAME_MARKER, 0x80)]],
      ['over the limit', [frame(FRAME_MARKER, FLAG_FIRST, 0, 0, 0, 101)]],
      ['short', [frame(FRAME_MARKER, FLAG_FIRST | FLAG_LAST, 0, 0, 0, 3, 1)]],
      ['long', [frame(FRAME_MARKER, FLAG_FIRST | FLAG_LAST, 0, 0, 0, 1, 1, 2)]],
      ['restart', [frame(FRAME_MARKER, FLAG_FIRST, 0, 0, 0, 3, 1), frame(FRAME_MARKER, FLAG_FIRST, 0, 0, 0, 3, 1)]],
      ['kind change', [frame(FRAME_MARKER, FLAG_FIRST | FLAG_TEXT, 0, 0, 0, 3, 65), frame(FRAME_MARKER, FLAG_LAST, 66, 67)]],
      ['whole inside', [frame(FRAME_MARKER, FLAG_FIRST, 0, 0, 0, 3, 1), frame(0, 1)]],
      ['string inside', [frame(FRAME_MARKER, FLAG_FIRST, 0, 0, 0, 3, 1)]],
    ];
    for (const [name, frames] of cases) {
      const results: Received[] = frames.map((f) => reassembler.push(f));
      if (name === 'string inside') results.push(reassembler.push('text'));
      expect(last(results).kind, name).to.equal('malformed');
      expect(reassembler.pending, name).to.equal(false);
      // The next message still comes through.
      expect(reassembler.push(frame(1, 2)).kind, name).to.equal('message');
    }
    expect(reassembler.push(new Blob(['x'])).kind).to.equal('malformed');
  });

  it('keeps memory to what arrived, not to what a first frame claims', () => {
    const reassembler = new Reassembler();
    // Claims 64 MiB, sends 2 bytes: nothing of the claimed size is allocated up front.
    const result = reassembler.push(Uint8Array.of(FRAME_MARKER, FLAG_FIRST, 0x04, 0, 0, 0, 1, 2).buffer);
    expect(result.kind).to.equal('partial');
    expect(reassembler.pending).to.equal(true);
    // A claim, no more: the bytes a page may get ready for, never what is kept.
    expect(reassembler.expecting).to.equal(64 * 1024 * 1024);
    expect(reassembler.push(Uint8Array.of(FRAME_MARKER, FLAG_FIRST).buffer).kind).to.equal('malformed');
    expect(reassembler.expecting).to.equal(0);
  });
});

describe('peer signals', () => {
  it('accepts offers, answers and candidates, keeping only known fields', () => {
    expect(parseSignal({ type: 'offer', sdp: 'v=0\r\n', extra: 1 })).to.deep.equal({ type: 'offer', sdp: 'v=0\r\n' });
    expect(parseSignal('{"type":"answer","sdp":"v=0"}')).to.deep.equal({ type: 'answer', sdp: 'v=0' });
    const candidate = { candidate: 'candidate:1 1 udp 1 10.77.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' };
    expect(parseSignal({ type: 'candidate', candidate })).to.deep.equal({ type: 'candidate', candidate });
    // simple-peer's candidates carry no type.
    expect(parseSignal({ candidate: { candidate: 'candidate:x', sdpMLineIndex: 0 } })).to.deep.equal({
      type: 'candidate',
      candidate: { candidate: 'candidate:x', sdpMLineIndex: 0 },
    });
  });

  it('returns null for anything else', () => {
    const bad: unknown[] = [
      undefined,
      null,
      0,
      true,
      'nope',
      '[]',
      [],
      {},
      { type: 'offer' },
      { type: 'offer', sdp: '' },
      { type: 'offer', sdp: 1 },
      { type: 'offer', sdp: 'x'.repeat(MAX_SDP_LENGTH + 1) },
      { type: 'pranswer', sdp: 'v=0' },
      { type: 'rollback' },
      { type: 'renegotiate', renegotiate: true },
      { type: 'candidate', candidate: null },
      { type: 'candidate', candidate: 'candidate:1' },
      { type: 'candidate', candidate: { candidate: 'candidate:1' } },
      { type: 'candidate', candidate: { candidate: 'candidate:1', sdpMLineIndex: 1.5 } },
      { type: 'candidate', candidate: { candidate: 'candidate:1', sdpMid: 0 } },
      { type: 'candidate', candidate: { candidate: 'x'.repeat(2000), sdpMid: '0' } },
      { type: 'candidate', candidate: { candidate: 'candidate:1', sdpMid: '0', usernameFragment: 5 } },
    ];
    for (const value of bad) expect(parseSignal(value), JSON.stringify(value) ?? String(value)).to.equal(null);
  });
});
