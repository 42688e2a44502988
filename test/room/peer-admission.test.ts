// Admission of remote peers (src/room/peer/admission.ts) on y-webrtc's connection map, with a test
// clock and stand-in connections: slots, eviction of connections that have not opened, timeouts,
// offers per peer, stray candidates. The same rules against real browsers: test/p2p/crowding.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CONNECT_TIMEOUT_MS,
  EVICTABLE_AFTER_MS,
  GIVE_UP_COOL_DOWN_MS,
  MAX_WAITING,
  OFFERS_PER_MINUTE,
  PeerAdmission,
  type SignalKind,
} from '../../src/room/peer/admission.js';
import { signalingKind, type GuardedRoom } from '../../src/room/signaling-guard.js';

/** A stand-in for y-webrtc's WebrtcConn: `destroy()` only records (y-webrtc removes it from the map on close). */
class Conn {
  destroyed = false;
  constructor(
    public connected = false,
    readonly peer: { progress: number } = { progress: 0 },
  ) {}
  destroy(): void {
    this.destroyed = true;
  }
}

/** A room of `maxConns` slots, a clock, and `receive()`: what y-webrtc does with an admitted message. */
function setup(maxConns = 4) {
  let time = 1000;
  const conns = new Map<string, Conn>();
  const room = { webrtcConns: conns as Map<string, unknown>, provider: { maxConns } };
  const admission = new PeerAdmission(() => room, { now: () => time, timer: false });
  /** Peers whose message was handed over again once a slot could be freed (and whether it got one then). */
  const retried: [from: string, admitted: boolean][] = [];
  /** Admits or not; if admitted, opens a connection as y-webrtc would (announces only into a free slot). */
  const receive = (from: string, kind: SignalKind, progress = kind === 'offer' ? 1 : 0): boolean => {
    const retry = () => void retried.push([from, receive(from, kind, progress)]);
    if (!admission.admit(from, kind, retry)) return false;
    if (!conns.has(from) && (kind !== 'announce' || conns.size < maxConns)) conns.set(from, new Conn(false, { progress }));
    return true;
  };
  const advance = (ms: number) => void (time += ms);
  return { conns, admission, receive, advance, retried };
}

describe('peer admission', () => {
  test('a full room turns newcomers away until a connection that has not opened is old enough to give up its slot', () => {
    const { conns, receive, advance } = setup(4);
    assert.ok(receive('honest', 'announce'));
    conns.get('honest')!.connected = true;
    for (const id of ['fake-1', 'fake-2', 'fake-3']) assert.ok(receive(id, 'announce'));
    assert.equal(receive('newcomer', 'announce'), false, 'every slot is taken by a connection younger than EVICTABLE_AFTER_MS');
    assert.equal(receive('newcomer-offer', 'offer'), false, 'an offer needs a slot as an announce does');
    assert.equal(conns.size, 4);

    advance(EVICTABLE_AFTER_MS);
    const fake1 = conns.get('fake-1')!;
    assert.ok(receive('newcomer', 'announce'));
    assert.ok(!conns.has('fake-1') && fake1.destroyed, 'the oldest that had not opened gave its slot, at once');
    assert.ok(conns.has('newcomer'));
    assert.equal(conns.get('honest')!.destroyed, false, 'an open connection is never given up');
  });

  test(`newcomers turned away from a full room (the last ${MAX_WAITING}) are let in, newest first, once a slot can be freed`, () => {
    const { conns, admission, receive, advance, retried } = setup(4);
    for (let i = 0; i < 4; i++) assert.ok(receive(`fake-${i}`, 'offer'));
    for (let i = 0; i < 10; i++) assert.equal(receive(`flood-${i}`, 'offer'), false);
    advance(EVICTABLE_AFTER_MS / 2);
    assert.equal(receive('newcomer', 'announce'), false);
    assert.equal(receive('gone', 'announce'), false);
    assert.ok(admission.sweep());
    assert.deepEqual(retried, [], 'no slot can be freed yet');

    conns.delete('fake-3');
    conns.set('gone', new Conn(true)); // it got in meanwhile (through another signaling server, say)
    advance(EVICTABLE_AFTER_MS / 2);
    assert.ok(admission.sweep());
    assert.deepEqual(retried, [
      ['newcomer', true],
      ['flood-9', true],
      ['flood-8', true],
    ]);
    assert.deepEqual([...conns.keys()], ['gone', 'newcomer', 'flood-9', 'flood-8'], 'the fakes gave their slots, oldest first');

    assert.equal(receive('late', 'announce'), false);
    advance(CONNECT_TIMEOUT_MS);
    admission.sweep();
    assert.equal(retried.length, 3, 'a newcomer waits for CONNECT_TIMEOUT_MS at most');
  });

  test('the connection that got least far goes first, then the oldest', () => {
    const { conns, receive, advance } = setup(3);
    assert.ok(receive('answered', 'announce'));
    advance(10);
    assert.ok(receive('silent', 'announce'));
    advance(10);
    assert.ok(receive('reachable', 'announce'));
    conns.get('answered')!.peer.progress = 1;
    conns.get('reachable')!.peer.progress = 2;
    advance(EVICTABLE_AFTER_MS);
    const order: string[] = [];
    for (const newcomer of ['n1', 'n2', 'n3']) {
      const before = new Set(conns.keys());
      assert.ok(receive(newcomer, 'announce'));
      order.push([...before].find((id) => !conns.has(id))!);
      conns.get(newcomer)!.connected = true;
    }
    assert.deepEqual(order, ['silent', 'answered', 'reachable']);
    assert.equal(receive('n4', 'announce'), false, 'a room full of open connections admits no one');
  });

  test('a connection that has not opened within CONNECT_TIMEOUT_MS is given up, and its peer kept out for a while', () => {
    const { conns, admission, receive, advance } = setup(4);
    assert.ok(receive('open', 'offer'));
    conns.get('open')!.connected = true;
    assert.ok(receive('stalled', 'announce'));
    advance(CONNECT_TIMEOUT_MS - 1);
    assert.ok(admission.sweep(), 'still opening');
    assert.equal(conns.get('stalled')!.destroyed, false);
    advance(1);
    const stalled = conns.get('stalled')!;
    assert.equal(admission.sweep(), false, 'nothing opening any more');
    assert.ok(stalled.destroyed);
    assert.equal(conns.get('open')!.destroyed, false);
    conns.delete('stalled'); // y-webrtc, on close

    assert.equal(receive('stalled', 'announce'), false, 'its peer is kept out');
    assert.equal(receive('stalled', 'offer'), false);
    advance(GIVE_UP_COOL_DOWN_MS);
    assert.ok(receive('stalled', 'announce'), 'for a while');
  });

  test('a peer kept out after its connection timed out is let in when the cool-down ends: its announce, refused meanwhile, is handed over again', () => {
    // Two peers alone in a room whose connection timed out on both sides each refuse the other's
    // next announce; y-webrtc announces again only when one of its connections closes, so without
    // the retry they never meet.
    const { conns, admission, receive, advance, retried } = setup(4);
    assert.ok(receive('slow', 'announce'));
    advance(CONNECT_TIMEOUT_MS);
    admission.sweep();
    assert.ok(conns.get('slow')!.destroyed);
    conns.delete('slow'); // y-webrtc, on close
    advance(1000);
    assert.equal(receive('slow', 'announce'), false, 'kept out');
    advance(GIVE_UP_COOL_DOWN_MS - 1000 - 1);
    assert.ok(admission.sweep(), 'its announce waits');
    assert.deepEqual(retried, [], 'not before the cool-down ends');
    advance(1);
    admission.sweep();
    assert.deepEqual(retried, [['slow', true]]);
    assert.ok(conns.has('slow'));
    assert.equal(conns.get('slow')!.destroyed, false);
  });

  test('a connection that has found a network path to its peer gets twice as long to open', () => {
    const { conns, admission, receive, advance } = setup(4);
    assert.ok(receive('slow', 'offer'));
    conns.get('slow')!.peer.progress = 2;
    advance(2 * CONNECT_TIMEOUT_MS - 1);
    assert.ok(admission.sweep());
    assert.equal(conns.get('slow')!.destroyed, false);
    advance(1);
    admission.sweep();
    assert.ok(conns.get('slow')!.destroyed);
  });

  test(`a peer may offer ${OFFERS_PER_MINUTE} times a minute`, () => {
    const { conns, receive, advance } = setup(4);
    for (let i = 0; i < OFFERS_PER_MINUTE; i++) assert.ok(receive('eager', 'offer'), `offer ${i + 1}`);
    assert.equal(conns.size, 1);
    assert.equal(receive('eager', 'offer'), false);
    assert.ok(receive('eager', 'candidate'), 'its other signals still go through');
    assert.ok(receive('other', 'offer'), 'another peer is not affected');
    advance(60_000);
    assert.ok(receive('eager', 'offer'));
  });

  test('a candidate or an answer from a peer with no connection is dropped, but one that overtook its admitted offer is not', () => {
    const { conns, admission, receive } = setup(4);
    assert.equal(receive('stray', 'candidate'), false);
    assert.equal(receive('stray', 'answer'), false);
    assert.equal(conns.size, 0);
    // A password room: y-webrtc opens the connection only once it has decrypted the offer.
    assert.ok(admission.admit('slow', 'offer'));
    assert.ok(admission.admit('slow', 'candidate'));
  });

  test('a destroyed admission, or one whose room is gone, lets everything through (y-webrtc is gone too)', () => {
    const gone = new PeerAdmission(() => null, { timer: false });
    assert.ok(gone.admit('x', 'candidate'));
    const { admission } = setup(1);
    admission.destroy();
    assert.ok(admission.admit('x', 'candidate'));
  });

  test('ids are remembered in bounded numbers: a flood of offers from fresh ids costs no more memory than 1,024 ids', () => {
    const { conns, admission, receive, advance } = setup(4);
    for (let i = 0; i < 20_000; i++) receive(`fake-${i}`, 'offer');
    assert.equal(conns.size, 4);
    assert.ok(admission.refused >= 19_996);
    // The first id's offer count was forgotten with the oldest entries: it is counted afresh.
    advance(EVICTABLE_AFTER_MS);
    for (let i = 0; i < OFFERS_PER_MINUTE; i++) assert.ok(receive('fake-0', 'offer'));
  });
});

describe('signalingKind', () => {
  const room: GuardedRoom = { peerId: 'me', key: null, webrtcConns: new Map(), bcConns: new Set(['tab']) };
  const offer = { type: 'offer', sdp: 'v=0' };
  const cases: [unknown, ReturnType<typeof signalingKind>][] = [
    [{ type: 'announce', from: 'p' }, ['p', 'announce']],
    [{ type: 'announce', from: 'p', to: 'me' }, ['p', 'announce']],
    [{ type: 'announce', from: 'p', to: 'other' }, null],
    [{ type: 'announce', from: 'me' }, null],
    [{ type: 'announce', from: 'tab' }, null],
    [{ type: 'signal', from: 'p', to: 'me', signal: offer }, ['p', 'offer']],
    [{ type: 'signal', from: 'p', to: 'me', signal: { type: 'answer', sdp: 'v=0' } }, ['p', 'answer']],
    [{ type: 'signal', from: 'p', to: 'me', signal: { candidate: { candidate: 'c', sdpMid: '0' } } }, ['p', 'candidate']],
    [{ type: 'signal', from: 'p', to: 'other', signal: offer }, null],
    [{ type: 'signal', from: 'p', signal: offer }, null],
    [{ type: 'signal', from: 'p', to: 'me', signal: 'nonsense' }, null],
    [{ type: 'other', from: 'p', to: 'me' }, null],
    ['text', null],
  ];
  for (const [data, expected] of cases) {
    test(`${JSON.stringify(data)} → ${JSON.stringify(expected)}`, () => assert.deepEqual(signalingKind(room, data), expected));
  }
});
