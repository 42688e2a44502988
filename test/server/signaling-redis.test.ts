/**
 * Signaling across two `gather serve` processes sharing a real redis-server (started here on a
 * free port; CI installs it with apt-get, see .ci/run): a publish on one reaches the other's
 * subscribers once, and a peer id bound through one process cannot be claimed through the other,
 * also by a process that had no subscriber of the topic when the id was bound.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { test } from 'node:test';
import { TestClient, freshTopic, withTimeout, type Message } from './helpers.js';
import { spawnKeeper, startRedis, tempDir, type KeeperProcess } from './keeper-helpers.js';

const signalUrl = (keeper: KeeperProcess) => `ws://127.0.0.1:${keeper.port}/signal`;

/** A y-webrtc announce as an open room publishes it. */
const announce = (topic: string, from: string) => ({ type: 'publish', topic, data: { type: 'announce', from } });

/**
 * Sends `message` from `sender` every 50 ms until `receiver` gets something (the other process
 * subscribes to Redis when its client subscribes, a moment later); returns how many were sent and
 * what arrived.
 */
async function publishUntilRelayed(sender: TestClient, receiver: TestClient, message: Message, ms = 5000): Promise<{ sent: number; received: Message }> {
  const deadline = Date.now() + ms;
  for (let sent = 1; ; sent++) {
    assert.ok(Date.now() < deadline, 'the publish never crossed to the other process');
    sender.send(message);
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (receiver.pending > 0) return { sent, received: await receiver.next() };
  }
}

test('two processes relay signaling through Redis; peer ids stay bound across them', async () => {
  const redis = await startRedis();
  const dirs = [await tempDir(), await tempDir()];
  const clients: TestClient[] = [];
  const open = async (url: string) => {
    const client = await TestClient.open(url);
    clients.push(client);
    return client;
  };
  let keepers: KeeperProcess[] = [];
  try {
    keepers = await Promise.all(dirs.map((dir) => spawnKeeper(dir, ['--redis', redis.url, '--signal-peer-id-probe', '1'])));
    const [urlA, urlB] = keepers.map(signalUrl) as [string, string];
    const topic = freshTopic();
    const a = await open(urlA); // on process A
    const a2 = await open(urlA);
    const b = await open(urlB); // on process B
    const forger = await open(urlB);
    const elsewhere = await open(urlB);
    await Promise.all([a.subscribe(topic), a2.subscribe(topic), b.subscribe(topic), forger.subscribe(topic), elsewhere.subscribe(freshTopic())]);

    // A publish on A reaches B's subscribers, with B's own subscriber count; once per send.
    const hello = announce(topic, 'peer-a');
    const { sent, received } = await publishUntilRelayed(a, b, hello);
    assert.deepEqual(received, { ...hello, clients: 2 }, 'B forwards it as a local publish, counting its own subscribers');
    // A marker after the polling publishes: Redis keeps one publisher's order, so what B gets
    // before the marker is every relayed copy.
    const marker = { type: 'publish', topic, data: { type: 'announce', from: 'peer-a', marker: true } };
    a.send(marker);
    const copiesUntilMarker = async (client: TestClient, label: string): Promise<number> => {
      for (let copies = 0; ; copies++) {
        const message = await client.next(label);
        if (JSON.stringify(message) === JSON.stringify({ ...marker, clients: 2 })) return copies;
        assert.deepEqual(message, { ...hello, clients: 2 }, label);
      }
    };
    assert.equal(await copiesUntilMarker(a, 'A: own publishes'), sent, 'the sender gets each of its publishes back once (not again through Redis)');
    assert.equal(await copiesUntilMarker(a2, 'A: other subscriber'), sent, 'a subscriber on the same process gets each once');
    const onB = [(await copiesUntilMarker(b, 'B')) + 1, await copiesUntilMarker(forger, 'B: other subscriber')];
    assert.equal(onB[0], onB[1], 'every subscriber on B gets the same relayed publishes');
    assert.ok(onB[0]! >= 1 && onB[0]! <= sent, `${onB[0]} relayed copies on B for ${sent} sends: at most one each`);
    await elsewhere.assertPongFirst('a subscriber of another topic gets nothing');

    // B to A: the other way round.
    const back = announce(topic, 'peer-b');
    b.send(back);
    assert.deepEqual(await a.next('B’s publish on A'), { ...back, clients: 2 });
    assert.deepEqual(await a2.next('B’s publish on A'), { ...back, clients: 2 });
    assert.deepEqual(await b.next('echo on B'), { ...back, clients: 2 });
    assert.deepEqual(await forger.next('copy on B'), { ...back, clients: 2 });

    // A forger on B claims A's peer id: dropped on B (which learned the id from the relayed
    // announce) and never reaches anyone.
    forger.send({ type: 'publish', topic, data: { type: 'signal', from: 'peer-a', to: 'peer-b', signal: { type: 'offer', sdp: 'v=0' } } });
    await forger.assertPongFirst('the forged publish was handled');
    for (const client of [a, a2, b]) await client.assertPongFirst('the forged publish reached no one');
    // Ordering across processes: a publish from B made after the forgery reaches A, and nothing before it.
    const later = announce(topic, 'peer-b');
    b.send(later);
    assert.deepEqual(await a.next('a later publish from B'), { ...later, clients: 2 }, 'no forged offer on A before it');
    for (const client of [a2, b, forger]) await client.next();

    // A signal from B addressed to A's peer goes to that one connection on A only.
    const offer = { type: 'publish', topic, data: { type: 'signal', from: 'peer-b', to: 'peer-a', signal: { type: 'offer', sdp: 'v=0' } } };
    b.send(offer);
    assert.deepEqual(await a.next('the offer to peer-a'), { ...offer, clients: 2 });
    await a2.assertPongFirst('not to another subscriber on A');
    await b.assertPongFirst('not echoed on B');
    await forger.assertPongFirst('nor to another subscriber on B');

    // When A's peer leaves, B forgets its id: a connection on B may use it.
    await a.close();
    const reuse = announce(topic, 'peer-a');
    const { received: reused } = await publishUntilRelayed(forger, a2, reuse);
    assert.deepEqual(reused, { ...reuse, clients: 1 }, 'the freed id is usable through B');

    // B had no subscriber of this topic while peer-x was bound on A; it asks when it gets one.
    const topic2 = freshTopic();
    await a2.subscribe(topic2);
    a2.send(announce(topic2, 'peer-x'));
    await a2.next('own announce');
    const late = await open(urlB);
    await late.subscribe(topic2);
    // Once B knows that peer-x is held on A, a signal to it from B is no longer echoed on B.
    const toX = (n: number) => ({ type: 'publish', topic: topic2, data: { type: 'signal', from: 'late', to: 'peer-x', n } });
    let polls = 0;
    for (let known = false; !known; ) {
      assert.ok(polls < 100, 'B never learned that peer-x is held on A');
      late.send(toX(++polls));
      late.send({ type: 'ping' });
      const first = await late.next('echo or pong');
      known = first.type === 'pong';
      if (!known) {
        assert.deepEqual(await late.next('pong after the echo'), { type: 'pong' });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    const claimer = await open(urlB);
    await claimer.subscribe(topic2);
    claimer.send(announce(topic2, 'peer-x'));
    await claimer.assertPongFirst('the claim on peer-x was handled, and not echoed');
    await late.assertPongFirst('the claim on an id held on A reached no one on B');
    const end = { type: 'publish', topic: topic2, data: { type: 'announce', from: 'late', end: true } };
    late.send(end);
    await late.next('own end marker');
    for (let n = 1; n <= polls; n++) assert.deepEqual(await a2.next('the signals to peer-x'), { ...toX(n), clients: 1 });
    assert.deepEqual(await a2.next('the end marker, with no claim on peer-x before it'), { ...end, clients: 1 });

    // A holder whose socket died silently on A: a claim through B makes A probe it, drop it and
    // free its id everywhere (--signal-peer-id-probe 1 here).
    const topic3 = freshTopic();
    const silent = await TestClient.open(urlA, { autoPong: false });
    clients.push(silent);
    await silent.subscribe(topic3);
    silent.send(announce(topic3, 'stale-id'));
    await silent.next('own announce');
    await a2.subscribe(topic3);
    const claimer2 = await open(urlB);
    await claimer2.subscribe(topic3);
    const reclaim = announce(topic3, 'stale-id');
    const { received: reclaimed } = await publishUntilRelayed(claimer2, a2, reclaim, 8000);
    assert.deepEqual(reclaimed, { ...reclaim, clients: 1 }, 'the id is usable through B once its silent holder on A is gone');
    assert.equal((await withTimeout(silent.closed, 'the silent holder is dropped')).code, 1006);
    assert.ok(keepers[0]!.logs().some((line) => line.event === 'limit' && line.limit === 'peer-id-probe'), 'A logged the probe that failed');

    const logs = keepers[1]!.logs();
    assert.ok(
      logs.some((line) => line.event === 'refused' && line.reason === 'peer-id-taken' && line.endpoint === '/signal'),
      'B logged the claim it dropped',
    );
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    for (const keeper of keepers) keeper.child.kill('SIGTERM');
    for (const keeper of keepers) assert.equal(await withTimeout(keeper.exited, 'exit after SIGTERM', 10_000), 0);
    await redis.stop();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
});
