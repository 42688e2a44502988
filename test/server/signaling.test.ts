import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { createSignalingServer } from '../../src/server/signaling.js';
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
