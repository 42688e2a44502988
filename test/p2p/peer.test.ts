// The native peer (src/room/peer/native-peer.ts) against the parts of simple-peer's behaviour that
// y-webrtc relies on, in Chromium: two peers in one page over real RTCPeerConnections. Needs the
// private network namespace (sh bin/netns …): Chromium finds no WebRTC candidates on loopback alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { launchChromium, type Visitor } from '../helpers/browser.js';
import { labRequests, openLab } from './lab/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

let server: RunningServer;
let browser: Browser;
let visitor: Visitor;
let page: Page;

describe('native peer (simple-peer API on RTCPeerConnection)', { timeout: 120_000 }, () => {
  before(async () => {
    server = await startServer({ port: 0, root, requests: await labRequests() });
    browser = await launchChromium();
    visitor = await openLab(browser, server.url);
    page = visitor.page;
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('connects through signal(): an offer, an answer and trickled candidates, relayed as JSON', async () => {
    const seen = await page.evaluate(async () => {
      const { pair } = window.lab;
      const { a, b, logA, logB, connected } = pair();
      await connected;
      const result = {
        aSignals: logA.signals,
        bSignals: logB.signals,
        aConnected: a.connected,
        bConnected: b.connected,
        initiators: [a.initiator, b.initiator],
        channels: (window as unknown as { openDataChannels: number }).openDataChannels,
        ignored: a.ignoredSignals + b.ignoredSignals,
      };
      a.destroy();
      b.destroy();
      return result;
    });
    assert.deepEqual(seen.aSignals[0], { type: 'offer', keys: ['type', 'sdp'] });
    assert.deepEqual(seen.bSignals[0], { type: 'answer', keys: ['type', 'sdp'] });
    assert.ok(seen.aSignals.slice(1).some((s) => s.type === 'candidate' && s.keys.join() === 'type,candidate'), 'A trickled a candidate');
    assert.ok(seen.bSignals.slice(1).some((s) => s.type === 'candidate'), 'B trickled a candidate');
    assert.equal(seen.aSignals.filter((s) => s.type === 'offer').length, 1);
    assert.deepEqual([seen.aConnected, seen.bConnected], [true, true]);
    assert.deepEqual(seen.initiators, [true, false]);
    assert.ok(seen.channels >= 2, `the page counted ${seen.channels} open data channels (a wrapped RTCPeerConnection is used)`);
    assert.equal(seen.ignored, 0);
  });

  it('carries small, string, empty, 0xFF-led and multi-megabyte messages whole and in order, both ways', async () => {
    const seen = await page.evaluate(async () => {
      const { pair, bytes, isBytes, until } = window.lab;
      const { a, b, logA, logB, connected } = pair();
      await connected;
      const big = 5 * 1024 * 1024 + 3;
      const longText = 'ü€'.repeat(100_000); // 200,000 UTF-16 units, 500,000 UTF-8 bytes
      a.send(bytes(10, 1));
      a.send('hello');
      a.send(new Uint8Array(0));
      a.send(bytes(100, 2, 0xff));
      a.send(bytes(big, 3));
      a.send(longText);
      a.send(bytes(64 * 1024, 4)); // exactly one frame's worth: goes unframed
      a.send(bytes(64 * 1024 + 1, 5));
      a.send(new Uint16Array([1, 2, 3]));
      b.send(bytes(300_000, 6));
      await until(() => logB.data.length === 9 && logA.data.length === 1, 20_000, 'every message');
      const d = logB.data;
      const result = {
        checks: [
          isBytes(d[0], 10, 1),
          d[1] === 'hello',
          d[2] instanceof Uint8Array && d[2].length === 0,
          isBytes(d[3], 100, 2, 0xff),
          isBytes(d[4], big, 3),
          d[5] === longText,
          isBytes(d[6], 64 * 1024, 4),
          isBytes(d[7], 64 * 1024 + 1, 5),
          d[8] instanceof Uint8Array && [...d[8]].join() === [...new Uint8Array(new Uint16Array([1, 2, 3]).buffer)].join(),
          isBytes(logA.data[0], 300_000, 6),
        ],
        errors: [...logA.errors, ...logB.errors],
        receivingB: logB.receiving,
        receivingA: logA.receiving,
      };
      a.destroy();
      b.destroy();
      return result;
    });
    assert.deepEqual(seen.checks, seen.checks.map(() => true));
    assert.deepEqual(seen.errors, []);
    // 'receiving' for each frame of a framed message but its last, with its whole length and what has
    // come, before its 'data'; never for a message that went whole (the one of exactly 64 KiB included).
    const messages = (log: { received: number; total: number; before: number }[]) => {
      const out: { total: number; before: number; frames: number }[] = [];
      for (const { total, before } of log) {
        const last = out.at(-1);
        if (last !== undefined && last.total === total && last.before === before) last.frames++;
        else out.push({ total, before, frames: 1 });
      }
      return out;
    };
    // Frames but the last: the first carries 64 KiB less its 6-byte header, each later one less 2.
    const framesOf = (bytes: number) => Math.ceil((bytes - (64 * 1024 - 6)) / (64 * 1024 - 2));
    assert.deepEqual(messages(seen.receivingB), [
      { total: 5 * 1024 * 1024 + 3, before: 4, frames: framesOf(5 * 1024 * 1024 + 3) },
      { total: 500_000, before: 5, frames: framesOf(500_000) },
      { total: 64 * 1024 + 1, before: 7, frames: 1 },
    ]);
    assert.deepEqual(messages(seen.receivingA), [{ total: 300_000, before: 0, frames: framesOf(300_000) }]);
    for (const log of [seen.receivingA, seen.receivingB]) {
      for (const [i, { received, total }] of log.entries()) {
        assert.ok(received > 0 && received < total, `received ${received} of ${total}`);
        if (i > 0 && log[i - 1]!.total === total && log[i - 1]!.before === log[i]!.before) assert.ok(received > log[i - 1]!.received, 'what has come only grows');
      }
    }
  });

  it('holds frames back while the channel buffer is full, and never lets it grow past the high-water mark', async () => {
    const seen = await page.evaluate(async () => {
      const { pair, bytes, isBytes, until, spyOnChannels } = window.lab;
      const spy = spyOnChannels();
      const { a, b, logB, connected } = pair();
      await connected;
      const count = 12;
      const size = 2 * 1024 * 1024;
      for (let i = 0; i < count; i++) a.send(bytes(size, i)); // 24 MiB at once, more than Chromium's 16 MiB buffer
      const queuedRightAway = a.bufferSize;
      await until(() => logB.data.length === count, 60_000, '12 × 2 MiB');
      const result = {
        queuedRightAway,
        maxBuffered: spy.maxBuffered(),
        intact: logB.data.every((data, i) => isBytes(data, size, i)),
        drained: a.bufferSize,
        connected: a.connected && b.connected,
      };
      a.destroy();
      b.destroy();
      return result;
    });
    assert.ok(seen.queuedRightAway > 20 * 1024 * 1024, `most of it waited in the queue (${seen.queuedRightAway} bytes)`);
    // Below HIGH_WATER_BYTES (1 MiB) before every send, so at most 1 MiB + one 64 KiB frame in the channel.
    assert.ok(seen.maxBuffered < 1024 * 1024, `bufferedAmount before a send peaked at ${seen.maxBuffered}`);
    assert.equal(seen.intact, true);
    assert.equal(seen.drained, 0);
    assert.equal(seen.connected, true);
  });

  it('ignores malformed signals without throwing, and still connects', async () => {
    const seen = await page.evaluate(async () => {
      const { NativePeer, within, connectedOnce } = window.lab;
      const b = new NativePeer();
      const errors: string[] = [];
      b.on('error', (error) => errors.push(error.code));
      const bad: unknown[] = [
        undefined,
        null,
        42,
        'not json',
        '{"type":"offer"}',
        [],
        {},
        { type: 'offer' },
        { type: 'offer', sdp: 5 },
        { type: 'offer', sdp: '' },
        { type: 'pranswer', sdp: 'v=0' },
        { type: 'rollback' },
        { type: 'candidate' },
        { type: 'candidate', candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host' },
        { type: 'candidate', candidate: { candidate: 7, sdpMid: '0' } },
        { type: 'candidate', candidate: { candidate: 'candidate:1', sdpMLineIndex: -1 } },
        { type: 'candidate', candidate: { candidate: 'candidate:1' } }, // neither sdpMid nor sdpMLineIndex
        { type: 'answer', sdp: 'v=0\r\n' }, // no offer of B's is out: ignored
        { renegotiate: true },
        { transceiverRequest: { kind: 'audio' } },
        { type: 'offer', sdp: 'x'.repeat(100_000) },
      ];
      const thrown: string[] = [];
      for (const signal of bad) {
        try {
          b.signal(signal);
        } catch (error) {
          thrown.push(String(error));
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100)); // an answer with no offer out is dropped when its turn comes
      const ignored = b.ignoredSignals;
      const a = new NativePeer({ initiator: true });
      a.on('error', (error) => errors.push(error.code));
      a.on('signal', (signal) => b.signal(JSON.parse(JSON.stringify(signal))));
      b.on('signal', (signal) => a.signal(JSON.parse(JSON.stringify(signal))));
      await within(Promise.all([connectedOnce(a), connectedOnce(b)]), 15_000, 'both peers to connect');
      const result = { thrown, errors, ignored, count: bad.length, connected: a.connected && b.connected };
      a.destroy();
      b.destroy();
      return result;
    });
    assert.deepEqual(seen.thrown, []);
    assert.deepEqual(seen.errors, []);
    assert.equal(seen.ignored, seen.count, 'every bad signal was counted as ignored');
    assert.equal(seen.connected, true);
  });

  it('destroy(): both sides close (no error), send throws as simple-peer does, signal() is ignored', async () => {
    const seen = await page.evaluate(async () => {
      const { pair, until } = window.lab;
      const { a, b, logA, logB, connected } = pair();
      await connected;
      a.destroy();
      a.destroy(); // twice is harmless (y-webrtc does it from its 'close' handler)
      let sendError = '';
      try {
        a.send('late');
      } catch (error) {
        sendError = (error as { code?: string }).code ?? String(error);
      }
      let signalThrew = false;
      try {
        a.signal({ type: 'offer', sdp: 'v=0' });
      } catch {
        signalThrew = true;
      }
      await until(() => logA.events.includes('close') && logB.events.includes('close'), 15_000, 'both sides to close');
      return { logA: logA.events, logB: logB.events, sendError, signalThrew, destroyed: [a.destroyed, b.destroyed], connected: [a.connected, b.connected] };
    });
    assert.deepEqual(seen.logA, ['connect', 'close']);
    assert.deepEqual(seen.logB, ['connect', 'close']);
    assert.equal(seen.sendError, 'ERR_DESTROYED');
    assert.equal(seen.signalThrew, false);
    assert.deepEqual(seen.destroyed, [true, true]);
    assert.deepEqual(seen.connected, [false, false]);
  });

  it('a message that cannot be sent is reported: error ERR_SEND, then close, on both sides a close', async () => {
    const seen = await page.evaluate(async () => {
      const { pair, bytes, until, spyOnChannels } = window.lab;
      const spy = spyOnChannels();
      const { a, logA, logB, connected } = pair({ a: { maxMessageBytes: 1024 * 1024 } });
      await connected;
      // Over the sender's limit: refused before anything is sent.
      a.send(bytes(1024 * 1024 + 1, 1));
      await until(() => logA.events.includes('close') && logB.events.includes('close'), 15_000, 'close after a refused send');
      const tooLarge = { logA: [...logA.events], errors: [...logA.errors], logB: [...logB.events] };
      // The channel itself refuses (as Chromium does over 256 KiB).
      const second = pair();
      await second.connected;
      spy.failSends(true);
      second.a.send('x');
      spy.failSends(false);
      await until(() => second.logA.events.includes('close'), 15_000, 'close after a refused send');
      second.b.destroy();
      return { tooLarge, refused: { logA: second.logA.events, errors: second.logA.errors } };
    });
    assert.deepEqual(seen.tooLarge.logA, ['connect', 'error', 'close']);
    assert.equal(seen.tooLarge.errors[0]?.code, 'ERR_SEND');
    assert.match(seen.tooLarge.errors[0]!.message, /exceeds the limit/);
    assert.deepEqual(seen.tooLarge.logB, ['connect', 'close']);
    assert.deepEqual(seen.refused.logA, ['connect', 'error', 'close']);
    assert.equal(seen.refused.errors[0]?.code, 'ERR_SEND');
  });

  it('a malformed frame from the other side closes the connection with ERR_FRAME', async () => {
    const seen = await page.evaluate(async () => {
      const { pair, until, spyOnChannels, FRAME_MARKER, FLAG_FIRST, FLAG_LAST } = window.lab;
      const spy = spyOnChannels();
      const cases: Record<string, Uint8Array<ArrayBuffer>[]> = {
        'continuation with no start': [new Uint8Array([FRAME_MARKER, FLAG_LAST, 1, 2])],
        'unknown flags': [new Uint8Array([FRAME_MARKER, 0x40, 1])],
        'claims more than the limit': [new Uint8Array([FRAME_MARKER, FLAG_FIRST, 0x7f, 0xff, 0xff, 0xff, 1])],
        'ends short': [new Uint8Array([FRAME_MARKER, FLAG_FIRST | FLAG_LAST, 0, 0, 0, 9, 1, 2])],
        'longer than declared': [new Uint8Array([FRAME_MARKER, FLAG_FIRST, 0, 0, 0, 1, 1, 2])],
        'second start inside a message': [new Uint8Array([FRAME_MARKER, FLAG_FIRST, 0, 0, 0, 4, 1]), new Uint8Array([FRAME_MARKER, FLAG_FIRST, 0, 0, 0, 1, 1])],
        'whole message inside a framed one': [new Uint8Array([FRAME_MARKER, FLAG_FIRST, 0, 0, 0, 4, 1]), new Uint8Array([0, 1])],
      };
      const results: Record<string, { codes: string[]; events: string[]; data: number }> = {};
      for (const [name, frames] of Object.entries(cases)) {
        const before = spy.channels.length;
        const { a, logA, logB, connected } = pair();
        await connected;
        const channel = spy.channels[before]!; // A's own (the initiator's) channel
        for (const frame of frames) channel.send(frame);
        await until(() => logB.events.includes('close') && logA.events.includes('close'), 15_000, `close after "${name}"`);
        results[name] = { codes: logB.errors.map((e) => e.code), events: logB.events, data: logB.data.length };
        a.destroy();
      }
      return results;
    });
    for (const [name, result] of Object.entries(seen)) {
      assert.deepEqual(result, { codes: ['ERR_FRAME'], events: ['connect', 'error', 'close'], data: 0 }, name);
    }
  });

  it('glare: both sides offered, one answered the other (y-webrtc settles it so), and data flows both ways', async () => {
    const seen = await page.evaluate(async () => {
      const { pair, until, bytes, isBytes } = window.lab;
      const { a, b, logA, logB, connected } = pair({ bInitiator: true, dropOffersFromB: true });
      await connected;
      a.send(bytes(200_000, 1));
      b.send(bytes(200_000, 2));
      a.send('a');
      b.send('b');
      await until(() => logA.data.length === 2 && logB.data.length === 2, 15_000, 'data both ways');
      const result = {
        toB: isBytes(logB.data[0], 200_000, 1) && logB.data[1] === 'a',
        toA: isBytes(logA.data[0], 200_000, 2) && logA.data[1] === 'b',
        errors: [...logA.errors, ...logB.errors],
      };
      a.destroy();
      b.destroy();
      return result;
    });
    assert.deepEqual(seen, { toB: true, toA: true, errors: [] });
  });

  it('logged no error in the page', () => {
    assert.deepEqual(visitor.errors, []);
  });
});
