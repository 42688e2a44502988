import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { createLog } from '../../src/server/log.js';
import { Metrics } from '../../src/server/metrics.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { createSignalingServer, type SignalingOptions } from '../../src/server/signaling.js';
import {
  assertHonestRoundTrip,
  freshTopic,
  maskedFrame,
  RawWebSocket,
  TestClient,
  waitForServer,
  withTimeout,
} from './helpers.js';

const LIMITS = { maxMessageBytes: 8 * 1024, maxTopicsPerConnection: 4, maxTopicLength: 64 };

describe('signaling server', () => {
  let root: string;
  let running: RunningServer;
  let url: string;

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'gather-signaling-'));
    running = await startServer({ root, signaling: LIMITS });
    url = running.signalingUrl;
  });

  after(async () => {
    await running.close();
    await rm(root, { recursive: true, force: true });
  });

  /** After a hostile client: the process and server are alive, honest clients are served, nothing leaks. */
  async function assertStillServing(): Promise<void> {
    assert.equal(running.server.listening, true);
    await assertHonestRoundTrip(url);
    await waitForServer(running.signaling, () => running.signaling.connectionCount === 0, 'all connections cleaned up');
    assert.equal(running.signaling.topicCount, 0, 'no topic left behind');
  }

  test('a publish reaches every subscriber, sender included, with the subscriber count', async () => {
    const [a, b, c] = await Promise.all([TestClient.open(url), TestClient.open(url), TestClient.open(url)]);
    const topic = freshTopic();
    await Promise.all([a.subscribe(topic), b.subscribe(topic), c.subscribe(freshTopic())]);
    assert.equal(running.signaling.subscriberCount(topic), 2);

    const publish = { type: 'publish', topic, from: 'a', data: { type: 'announce', peerId: 'x' } };
    a.send(publish);
    assert.deepEqual(await b.next(), { ...publish, clients: 2 });
    assert.deepEqual(await a.next(), { ...publish, clients: 2 });
    await c.assertPongFirst('a subscriber of another topic gets nothing');

    await Promise.all([a.close(), b.close(), c.close()]);
    await waitForServer(running.signaling, () => running.signaling.connectionCount === 0, 'cleanup');
    assert.equal(running.signaling.topicCount, 0, 'topics are removed with their last subscriber');
  });

  test('ping is answered with pong', async () => {
    const client = await TestClient.open(url);
    client.send({ type: 'ping' });
    assert.deepEqual(await client.next(), { type: 'pong' });
    await client.close();
  });

  test('unsubscribe stops delivery and removes the empty topic', async () => {
    const [a, b] = await Promise.all([TestClient.open(url), TestClient.open(url)]);
    const topic = freshTopic();
    await Promise.all([a.subscribe(topic), b.subscribe(topic)]);
    b.send({ type: 'unsubscribe', topics: [topic] });
    await b.assertPongFirst();
    assert.equal(running.signaling.subscriberCount(topic), 1);

    a.send({ type: 'publish', topic, n: 1 });
    assert.deepEqual(await a.next(), { type: 'publish', topic, n: 1, clients: 1 });
    await b.assertPongFirst('the unsubscribed client receives nothing');

    a.send({ type: 'unsubscribe', topics: [topic] });
    await a.assertPongFirst();
    assert.equal(running.signaling.subscriberCount(topic), 0);
    assert.equal(running.signaling.topicCount, 0);
    await Promise.all([a.close(), b.close()]);
  });

  test('a publish to a topic the sender has not subscribed to is not forwarded', async () => {
    const [subscriber, intruder] = await Promise.all([TestClient.open(url), TestClient.open(url)]);
    const topic = freshTopic();
    await Promise.all([subscriber.subscribe(topic), intruder.subscribe(freshTopic())]);

    intruder.send({ type: 'publish', topic, data: 'injected' });
    // The intruder's pong proves the server has handled the publish (and
    // would have written any forward to the subscriber before this pong).
    await intruder.assertPongFirst();
    await subscriber.assertPongFirst('the subscriber must not receive the intruder’s publish');
    assert.equal(intruder.pending, 0, 'nor is it echoed to the intruder');
    assert.equal(intruder.ws.readyState, WebSocket.OPEN, 'ignored, not closed');

    await Promise.all([subscriber.close(), intruder.close()]);
    await assertStillServing();
  });

  test('an unknown message type is ignored and the connection stays usable', async () => {
    const client = await TestClient.open(url);
    client.send({ type: 'future-feature', topics: 'whatever' });
    await client.assertPongFirst();
    assert.equal(client.ws.readyState, WebSocket.OPEN);
    await client.close();
    await assertStillServing();
  });

  const protocolViolations: [name: string, text: string][] = [
    ['a message that is not JSON', '{"type": "subscribe", topics: ['],
    ['a JSON array', '[{"type":"ping"}]'],
    ['a JSON number', '42'],
    ['JSON null', 'null'],
    ['a JSON string', '"ping"'],
    ['an object without a type', '{"topics":["a"]}'],
    ['a non-string type', '{"type":["ping"]}'],
    ['subscribe with topics not an array', '{"type":"subscribe","topics":"room"}'],
    ['subscribe with no topics', '{"type":"subscribe"}'],
    ['subscribe with non-string topics', '{"type":"subscribe","topics":["ok",{"toString":1},7,null]}'],
    ['unsubscribe with topics not an array', '{"type":"unsubscribe","topics":{"0":"room"}}'],
    ['publish with a non-string topic', '{"type":"publish","topic":{"x":1}}'],
    ['a topic longer than maxTopicLength', JSON.stringify({ type: 'subscribe', topics: ['x'.repeat(65)] })],
    ['too many topics at once', JSON.stringify({ type: 'subscribe', topics: ['a', 'b', 'c', 'd', 'e'] })],
    ['a publish whose data.from is longer than maxTopicLength', JSON.stringify({ type: 'publish', topic: 't', data: { type: 'announce', from: 'x'.repeat(65) } })],
  ];
  for (const [name, text] of protocolViolations) {
    test(`${name} closes that connection with 1008 and nothing else`, async () => {
      const bystander = await TestClient.open(url);
      const topic = freshTopic();
      await bystander.subscribe(topic);

      const hostile = await TestClient.open(url);
      hostile.ws.send(text);
      assert.equal((await withTimeout(hostile.closed, 'hostile closed')).code, 1008);

      await bystander.assertPongFirst('the bystander is untouched');
      assert.equal(running.signaling.subscriberCount(topic), 1);
      await bystander.close();
      await assertStillServing();
    });
  }

  test('too many topics over several subscribes closes with 1008', async () => {
    const client = await TestClient.open(url);
    await client.subscribe('t1', 't2', 't3');
    await client.subscribe('t3', 't4'); // a repeated topic does not count twice: 4 = the limit
    client.send({ type: 'subscribe', topics: ['t5'] });
    assert.equal((await withTimeout(client.closed, 'closed')).code, 1008);
    await assertStillServing();
  });

  test('a binary frame closes that connection with 1003', async () => {
    const client = await TestClient.open(url);
    client.ws.send(Buffer.from('{"type":"ping"}'), { binary: true });
    assert.equal((await withTimeout(client.closed, 'closed')).code, 1003);
    await assertStillServing();
  });

  test('a message over maxMessageBytes closes that connection with 1009', async () => {
    const client = await TestClient.open(url);
    const topic = freshTopic();
    await client.subscribe(topic);
    client.send({ type: 'publish', topic, data: 'x'.repeat(LIMITS.maxMessageBytes) });
    assert.equal((await withTimeout(client.closed, 'closed')).code, 1009);
    assert.equal(client.pending, 0, 'the oversized publish was not forwarded');
    await assertStillServing();
  });

  const invalidFrames: [name: string, frame: () => Buffer, code: number][] = [
    ['reserved bits set', () => maskedFrame(0xf1, Buffer.from('{"type":"ping"}')), 1002],
    ['an unmasked client frame', () => Buffer.concat([Buffer.from([0x81, 15]), Buffer.from('{"type":"ping"}')]), 1002],
    ['an unknown opcode', () => maskedFrame(0x83, Buffer.from('hi')), 1002],
    ['a fragmented control frame', () => maskedFrame(0x09, Buffer.from('x')), 1002],
    ['text that is not UTF-8', () => maskedFrame(0x81, Buffer.from([0xc3, 0x28, 0xff])), 1007],
  ];
  for (const [name, frame, code] of invalidFrames) {
    test(`an invalid frame (${name}) closes that connection with ${code}`, async () => {
      const bystander = await TestClient.open(url);
      const raw = await RawWebSocket.open(running.port, '/signal');
      raw.write(frame());
      assert.equal(await raw.closeCode(), code);
      await bystander.assertPongFirst('the bystander is untouched');
      await bystander.close();
      await assertStillServing();
    });
  }

  test('closing a connection removes it from every topic', async () => {
    const [a, b] = await Promise.all([TestClient.open(url), TestClient.open(url)]);
    const [t1, t2] = [freshTopic(), freshTopic()];
    await Promise.all([a.subscribe(t1, t2), b.subscribe(t1)]);
    assert.equal(running.signaling.topicCount, 2);

    await a.close();
    await waitForServer(running.signaling, () => running.signaling.connectionCount === 1, 'a cleaned up');
    assert.equal(running.signaling.subscriberCount(t1), 1);
    assert.equal(running.signaling.subscriberCount(t2), 0);
    assert.equal(running.signaling.topicCount, 1);

    b.send({ type: 'publish', topic: t1 });
    assert.deepEqual(await b.next(), { type: 'publish', topic: t1, clients: 1 });
    await b.close();
    await waitForServer(running.signaling, () => running.signaling.connectionCount === 0, 'b cleaned up');
    assert.equal(running.signaling.topicCount, 0);
  });
});

describe('signaling server limits and heartbeat', () => {
  let root: string;

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'gather-signaling-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  test('connections over maxConnections are refused with 503; a freed place is reusable', async () => {
    const running = await startServer({ root, signaling: { maxConnections: 2 } });
    try {
      const a = await TestClient.open(running.signalingUrl);
      const b = await TestClient.open(running.signalingUrl);
      const refused = new WebSocket(running.signalingUrl);
      refused.on('error', () => {});
      const [, response] = await withTimeout(
        new Promise<unknown[]>((resolve) => refused.on('unexpected-response', (...args) => resolve(args))),
        'refused',
      );
      assert.equal((response as { statusCode: number }).statusCode, 503);
      refused.terminate();

      await a.close();
      await waitForServer(running.signaling, () => running.signaling.connectionCount === 1, 'a cleaned up');
      const c = await TestClient.open(running.signalingUrl);
      await c.assertPongFirst();
      await Promise.all([b.close(), c.close()]);
    } finally {
      await running.close();
    }
  });

  test('a connection that does not answer pings is dropped; one that does is kept', async () => {
    const running = await startServer({ root, signaling: { pingIntervalMs: 100 } });
    try {
      const honest = await TestClient.open(running.signalingUrl);
      const silent = await TestClient.open(running.signalingUrl, { autoPong: false });
      const { code } = await withTimeout(silent.closed, 'silent client dropped');
      assert.equal(code, 1006, 'terminated without a close frame');
      assert.equal(honest.ws.readyState, WebSocket.OPEN);
      await honest.assertPongFirst();
      await honest.close();
    } finally {
      await running.close();
    }
  });

  test('close() closes open connections with 1001 and refuses new ones', async () => {
    const signaling = createSignalingServer();
    const running = await startServer({ root, upgrades: { '/other': (...args) => signaling.handleUpgrade(...args) } });
    const otherUrl = running.signalingUrl.replace('/signal', '/other');
    const client = await TestClient.open(otherUrl);
    await signaling.close();
    assert.equal((await withTimeout(client.closed, 'closed')).code, 1001);
    assert.equal(signaling.connectionCount, 0);

    const late = new WebSocket(otherUrl);
    late.on('error', () => {});
    const [, response] = await withTimeout(
      new Promise<unknown[]>((resolve) => late.on('unexpected-response', (...args) => resolve(args))),
      'refused after close',
    );
    assert.equal((response as { statusCode: number }).statusCode, 503);
    late.terminate();
    await running.close();
  });
});

describe('signaling server peer ids and publish rates', () => {
  let root: string;

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'gather-signaling-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  /** A server whose refusals are logged (unthrottled) and counted, for the test to read. */
  async function serve(signaling: SignalingOptions) {
    const logs: Record<string, unknown>[] = [];
    const log = createLog({ write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) }, { throttleMs: 0 });
    const metrics = new Metrics({ defaults: false });
    const running = await startServer({ root, signaling, log, metrics });
    return { running, url: running.signalingUrl, logs, metrics };
  }

  /** A y-webrtc announce as an open room publishes it. */
  const announce = (topic: string, from: string) => ({ type: 'publish', topic, data: { type: 'announce', from } });

  test('a peer id is bound to the connection that first used it: a claim from another connection is dropped', async () => {
    const { running, url, logs, metrics } = await serve({});
    try {
      const [honest, forger, bystander] = await Promise.all([TestClient.open(url), TestClient.open(url), TestClient.open(url)]);
      const topic = freshTopic();
      await Promise.all([honest.subscribe(topic), forger.subscribe(topic), bystander.subscribe(topic)]);

      honest.send(announce(topic, 'honest-id'));
      for (const client of [honest, forger, bystander]) assert.deepEqual(await client.next(), { ...announce(topic, 'honest-id'), clients: 3 });
      assert.equal(running.signaling.peerIdCount(topic), 1);

      const forged = { type: 'publish', topic, data: { type: 'signal', from: 'honest-id', to: 'someone', signal: { type: 'offer', sdp: 'v=0' } } };
      forger.send(forged);
      await forger.assertPongFirst('the forger’s publish is handled');
      for (const client of [honest, bystander]) await client.assertPongFirst('the forged publish reached no one');
      assert.equal(forger.pending, 0, 'nor is it echoed');
      assert.equal(forger.ws.readyState, WebSocket.OPEN, 'dropped, not closed (the ids of a reconnecting page may still be held)');
      assert.deepEqual(
        logs.filter((line) => line.event === 'refused').map(({ reason, endpoint }) => ({ reason, endpoint })),
        [{ reason: 'peer-id-taken', endpoint: '/signal' }],
      );
      assert.match(await metrics.registry.metrics(), /gather_rejected_total\{reason="peer-id-taken"\} 1/);

      // The forger's own id works; the honest holder still publishes as itself.
      forger.send(announce(topic, 'forger-id'));
      assert.deepEqual(await bystander.next(), { ...announce(topic, 'forger-id'), clients: 3 });
      honest.send(announce(topic, 'honest-id'));
      assert.deepEqual(await bystander.next(), { ...announce(topic, 'honest-id'), clients: 3 });
      assert.equal(running.signaling.peerIdCount(topic), 2);
      await Promise.all([honest.close(), forger.close(), bystander.close()]);
    } finally {
      await running.close();
    }
  });

  test('an id is freed when its connection leaves the topic or closes', async () => {
    const { running, url } = await serve({});
    try {
      const [first, second, watcher] = await Promise.all([TestClient.open(url), TestClient.open(url), TestClient.open(url)]);
      const topic = freshTopic();
      await Promise.all([first.subscribe(topic), second.subscribe(topic), watcher.subscribe(topic, 'other')]);
      first.send(announce(topic, 'id-1'));
      for (const client of [first, second, watcher]) assert.equal((await client.next()).topic, topic);

      first.send({ type: 'unsubscribe', topics: [topic] });
      await first.assertPongFirst();
      assert.equal(running.signaling.peerIdCount(topic), 0, 'unsubscribing frees the id');
      second.send(announce(topic, 'id-1'));
      assert.deepEqual(await watcher.next(), { ...announce(topic, 'id-1'), clients: 2 }, 'another connection may now use it');

      await second.close();
      await waitForServer(running.signaling, () => running.signaling.connectionCount === 2, 'second cleaned up');
      assert.equal(running.signaling.peerIdCount(topic), 0, 'closing frees the id');
      await first.subscribe(topic);
      first.send(announce(topic, 'id-1'));
      assert.deepEqual(await watcher.next(), { ...announce(topic, 'id-1'), clients: 2 });
      await Promise.all([first.close(), watcher.close()]);
    } finally {
      await running.close();
    }
  });

  test('the holder of a claimed id must answer a ping: a silent one is dropped and its id freed', async () => {
    const { running, url, logs } = await serve({ peerIdProbeMs: 50 });
    try {
      const topic = freshTopic();
      const silent = await TestClient.open(url, { autoPong: false });
      const answering = await TestClient.open(url);
      const claimer = await TestClient.open(url);
      await Promise.all([silent.subscribe(topic), answering.subscribe(topic), claimer.subscribe(topic)]);
      silent.send(announce(topic, 'stale-id'));
      answering.send(announce(topic, 'live-id'));
      for (const client of [answering, claimer]) for (let i = 0; i < 2; i++) await client.next();

      // A page whose old socket died silently reconnects with the same id: it gets the id back.
      claimer.send(announce(topic, 'stale-id'));
      assert.equal((await withTimeout(silent.closed, 'the silent holder is dropped')).code, 1006);
      await waitForServer(running.signaling, () => running.signaling.connectionCount === 2, 'silent holder cleaned up');
      claimer.send(announce(topic, 'stale-id'));
      for (const client of [answering, claimer]) assert.deepEqual(await client.next(), { ...announce(topic, 'stale-id'), clients: 2 });
      assert.ok(logs.some((line) => line.event === 'limit' && line.limit === 'peer-id-probe'));

      // A holder that answers keeps its id, however often it is claimed: a second ping proves the first probe ended.
      let pings = 0;
      answering.ws.on('ping', () => pings++);
      const claimUntil = async (count: number) => {
        for (let tries = 0; pings < count; tries++) {
          assert.ok(tries < 100, `${pings} ping(s) after ${tries} claims`);
          claimer.send(announce(topic, 'live-id'));
          await claimer.assertPongFirst();
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      await claimUntil(2);
      assert.equal(answering.ws.readyState, WebSocket.OPEN);
      answering.send(announce(topic, 'live-id'));
      assert.deepEqual(await answering.next(), { ...announce(topic, 'live-id'), clients: 2 }, 'the holder still publishes as itself');
      await Promise.all([answering.close(), claimer.close()]);
    } finally {
      await running.close();
    }
  });

  test('a signal addressed to a bound id goes to that connection only', async () => {
    const { running, url } = await serve({});
    try {
      const [a, b, c] = await Promise.all([TestClient.open(url), TestClient.open(url), TestClient.open(url)]);
      const topic = freshTopic();
      await Promise.all([a.subscribe(topic), b.subscribe(topic), c.subscribe(topic)]);
      b.send(announce(topic, 'b'));
      for (const client of [a, b, c]) await client.next();

      const offer = { type: 'publish', topic, data: { type: 'signal', from: 'a', to: 'b', signal: { type: 'offer', sdp: 'v=0' } } };
      a.send(offer);
      assert.deepEqual(await b.next(), { ...offer, clients: 3 });
      await a.assertPongFirst('not echoed to the sender');
      await c.assertPongFirst('not sent to a third subscriber');

      // Addressed to an id nobody holds: every subscriber gets it, as before (y-webrtc ignores what is not its own).
      const stray = { type: 'publish', topic, data: { type: 'signal', from: 'a', to: 'nobody', signal: { type: 'offer', sdp: 'v=0' } } };
      a.send(stray);
      for (const client of [a, b, c]) assert.deepEqual(await client.next(), { ...stray, clients: 3 });
      await Promise.all([a.close(), b.close(), c.close()]);
    } finally {
      await running.close();
    }
  });

  test('one connection may use at most maxPeerIdsPerTopic ids on a topic', async () => {
    const { running, url, logs } = await serve({ maxPeerIdsPerTopic: 2 });
    try {
      const [minter, watcher] = await Promise.all([TestClient.open(url), TestClient.open(url)]);
      const [topic, other] = [freshTopic(), freshTopic()];
      await Promise.all([minter.subscribe(topic, other), watcher.subscribe(topic, other)]);
      for (const id of ['m1', 'm2', 'm3', 'm4']) minter.send(announce(topic, id));
      minter.send(announce(other, 'm3'));
      minter.send(announce(topic, 'm1'));
      const seen: unknown[] = [];
      for (let i = 0; i < 4; i++) seen.push(((await watcher.next()).data as { from: string }).from);
      assert.deepEqual(seen, ['m1', 'm2', 'm3', 'm1'], 'm3 and m4 dropped on the full topic; m3 fine on another; m1 still its own');
      await watcher.assertPongFirst();
      assert.equal(logs.filter((line) => line.limit === 'peer-ids').length, 2);
      await Promise.all([minter.close(), watcher.close()]);
    } finally {
      await running.close();
    }
  });

  test('publishes over the rate are dropped (logged and counted), the connection stays, others are served', async () => {
    const { running, url, logs, metrics } = await serve({ maxPublishRate: 0.001, maxPublishBurst: 5 });
    try {
      const [flooder, subscriber, honest] = await Promise.all([TestClient.open(url), TestClient.open(url), TestClient.open(url)]);
      const topic = freshTopic();
      await Promise.all([flooder.subscribe(topic), subscriber.subscribe(topic), honest.subscribe(topic)]);
      for (let n = 0; n < 20; n++) flooder.send({ type: 'publish', topic, n });
      for (const client of [flooder, subscriber]) {
        const received: unknown[] = [];
        for (let i = 0; i < 5; i++) received.push((await client.next()).n);
        assert.deepEqual(received, [0, 1, 2, 3, 4], 'the burst went through, in order');
      }
      await flooder.assertPongFirst('nothing of the flood after the burst; pings are not publishes: answered');
      honest.send({ type: 'publish', topic, n: 'honest' });
      assert.equal((await subscriber.next()).n, 'honest', 'another connection’s publish is delivered');
      assert.equal(flooder.ws.readyState, WebSocket.OPEN);
      const limited = logs.filter((line) => line.event === 'limit' && line.limit === 'publish-rate');
      assert.equal(limited.length, 15);
      assert.equal(limited[0]!.endpoint, '/signal');
      assert.match(await metrics.registry.metrics(), /gather_rejected_total\{reason="publish-rate"\} 15/);
      await Promise.all([flooder.close(), subscriber.close(), honest.close()]);
    } finally {
      await running.close();
    }
  });
});
