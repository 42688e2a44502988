/**
 * `gather serve` as a process: what was confirmed survives a restart and a
 * `kill -9`; /healthz, /metrics, SIGTERM; export/import; --help; STUN.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { run } from '../../src/server/cli.js';
import { RoomStore } from '../../src/server/store.js';
import { WebSocket } from 'ws';
import { TestClient, withTimeout } from './helpers.js';
import { KeeperClient, spawnKeeper, storedEntries, tempDir, until } from './keeper-helpers.js';

const dirs: string[] = [];
async function dataDir(): Promise<string> {
  const dir = await tempDir();
  dirs.push(dir);
  return dir;
}
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function stop(child: { child: { kill(signal: NodeJS.Signals): boolean }; exited: Promise<number | null> }): Promise<number | null> {
  child.child.kill('SIGTERM');
  return withTimeout(child.exited, 'exit after SIGTERM', 10_000);
}


test('a confirmed change survives a restart; /healthz, /metrics; SIGTERM closes cleanly', async () => {
  const data = await dataDir();
  const first = await spawnKeeper(data);
  const writer = new KeeperClient(first.syncUrl, 'eastside');
  await writer.waitSynced();
  writer.map.set('ballot', { choice: 'thu' });
  await writer.waitStored();

  const health = await fetch(`http://127.0.0.1:${first.port}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok', rooms: 1, syncConnections: 1, signalingConnections: 0 });
  const metrics = await (await fetch(`http://127.0.0.1:${first.port}/metrics`)).text();
  for (const name of ['gather_sync_connections 1', 'gather_rooms_loaded 1', 'gather_updates_stored_total', 'gather_storage_bytes', 'gather_signaling_connections 0', 'gather_process_cpu']) {
    assert.ok(metrics.includes(name), name);
  }
  assert.match(metrics, /gather_storage_bytes [1-9]\d*/);
  writer.destroy();

  assert.equal(await stop(first), 0);
  const events = first.logs().map((l) => l.event);
  assert.equal(events[0], 'start');
  assert.equal(events.at(-1), 'stopped');
  assert.ok(events.includes('stopping'));
  assert.match(String(first.logs()[0]!.origins), /any page may connect/);

  const second = await spawnKeeper(data);
  const reader = new KeeperClient(second.syncUrl, 'eastside');
  await reader.waitSynced();
  assert.deepEqual(reader.map.get('ballot'), { choice: 'thu' });
  reader.destroy();
  assert.equal(await stop(second), 0);
});

test('kill -9 during a burst of writes from two clients: every confirmed change is on disk; the clients reconnect and converge', async () => {
  const data = await dataDir();
  const keeper = await spawnKeeper(data, ['--max-messages-per-second', '1000']);
  const clients = [new KeeperClient(keeper.syncUrl, 'burst', { delay: 200 }), new KeeperClient(keeper.syncUrl, 'burst', { delay: 200 })];
  await Promise.all(clients.map((c) => c.waitSynced()));

  // Each client writes a key every 2 ms; whenever its provider has nothing unconfirmed,
  // everything it wrote so far is confirmed.
  const written = [0, 0];
  const confirmed = [0, 0];
  clients.forEach((client, i) => {
    client.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
      if (number === 0) confirmed[i] = written[i]!;
    });
  });
  let writing = true;
  const writers = clients.map(async (client, i) => {
    while (writing) {
      client.map.set(`c${i}-${written[i]! + 1}`, written[i]! + 1);
      written[i]!++;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  });
  await until(() => confirmed[0]! >= 50 && confirmed[1]! >= 50, 'some writes confirmed', 10_000);
  keeper.child.kill('SIGKILL');
  await keeper.exited;
  const confirmedAtKill = [...confirmed];
  await new Promise((resolve) => setTimeout(resolve, 50));
  writing = false;
  await Promise.all(writers);

  const entries = await storedEntries(data, 'burst');
  for (const i of [0, 1]) {
    for (let n = 1; n <= confirmedAtKill[i]!; n++) assert.equal(entries[`c${i}-${n}`], n, `c${i}-${n} was confirmed before the kill`);
  }

  const restarted = await spawnKeeper(data, [], { port: keeper.port });
  try {
    const expected = written[0]! + written[1]!;
    await until(() => clients.every((c) => c.settled && c.map.size === expected), 'clients reconnect, resend and converge', 15_000);
    assert.deepEqual(clients[0]!.map.toJSON(), clients[1]!.map.toJSON());
    for (const c of clients) c.destroy();
  } finally {
    assert.equal(await stop(restarted), 0);
  }
  assert.equal(Object.keys(await storedEntries(data, 'burst')).length, written[0]! + written[1]!);
});

test('export and import round-trip a room, password record included; a locked directory is a clear error', async () => {
  const data = await dataDir();
  const store = await RoomStore.open(data);
  await store.recordOrCreate('eastside', 'hash-of-a-token');
  const doc = new (await import('yjs')).Doc();
  doc.getMap('poll:assembly').set('author-1', { v: 1, choice: 'thu', sig: 'abc' });
  await store.append('eastside', (await import('yjs')).encodeStateAsUpdate(doc));

  const lockedErr: string[] = [];
  assert.equal(await run(['export', '--data', data, '--room', 'eastside'], {}, { stdout: { write: () => true }, stderr: { write: (t: string) => lockedErr.push(t) } }), 1);
  assert.match(lockedErr.join(''), /in use by another process/);
  await store.close();

  let exported = '';
  assert.equal(await run(['export', '--data', data, '--room', 'eastside'], {}, { stdout: { write: (t: string) => (exported += t) } }), 0);
  const file = JSON.parse(exported);
  assert.equal(file.format, 'gather-room');
  assert.equal(file.version, 1);
  assert.equal(file.room, 'eastside');
  assert.equal(file.tokenHash, 'hash-of-a-token');
  assert.deepEqual(file.maps, { 'poll:assembly': { 'author-1': { v: 1, choice: 'thu', sig: 'abc' } } });

  const target = await dataDir();
  const messages: string[] = [];
  assert.equal(await run(['import', '--data', target], {}, { stdin: Readable.from([exported]), stderr: { write: (t: string) => messages.push(t) } }), 0);
  assert.match(messages.join(''), /Imported room "eastside"/);
  let again = '';
  assert.equal(await run(['export'], { GATHER_DATA: target }, { stdout: { write: (t: string) => (again += t) }, stderr: { write: () => true } }), 2, 'export needs --room');
  assert.equal(await run(['export', '--room', 'eastside'], { GATHER_DATA: target }, { stdout: { write: (t: string) => (again += t) } }), 0);
  const reimported = JSON.parse(again);
  assert.deepEqual({ ...reimported, exported: '' }, { ...file, exported: '' });

  const bad: string[] = [];
  assert.equal(await run(['import', '--data', target], {}, { stdin: Readable.from(['{"format":"other"}']), stderr: { write: (t: string) => bad.push(t) } }), 1);
  assert.match(bad.join(''), /not a gather-room file/);
  const conflict: string[] = [];
  const otherPassword = JSON.stringify({ ...file, tokenHash: 'another' });
  assert.equal(await run(['import', '--data', target], {}, { stdin: Readable.from([otherPassword]), stderr: { write: (t: string) => conflict.push(t) } }), 1);
  assert.match(conflict.join(''), /different password/);
  const missing: string[] = [];
  assert.equal(await run(['export', '--data', target, '--room', 'nope'], {}, { stdout: { write: () => true }, stderr: { write: (t: string) => missing.push(t) } }), 1);
  assert.match(missing.join(''), /No room "nope"/);
});

test('--help lists every flag with its environment variable', async () => {
  let text = '';
  assert.equal(await run(['--help'], {}, { stdout: { write: (t: string) => (text += t) } }), 0);
  const flags: [string, string][] = [
    ['--port', 'PORT'],
    ['--host', 'HOST'],
    ['--data', 'GATHER_DATA'],
    ['--rooms', 'GATHER_ROOMS'],
    ['--origins', 'GATHER_ORIGINS'],
    ['--max-doc-bytes', 'GATHER_MAX_DOC_BYTES'],
    ['--max-message-bytes', 'GATHER_MAX_MESSAGE_BYTES'],
    ['--max-messages-per-second', 'GATHER_MAX_MESSAGES_PER_SECOND'],
    ['--max-rooms', 'GATHER_MAX_ROOMS'],
    ['--max-connections-per-address', 'GATHER_MAX_CONNECTIONS_PER_ADDRESS'],
    ['--max-new-connections-per-address', 'GATHER_MAX_NEW_CONNECTIONS_PER_ADDRESS'],
    ['--handshake-timeout', 'GATHER_HANDSHAKE_TIMEOUT'],
    ['--signal-max-connections', 'GATHER_SIGNAL_MAX_CONNECTIONS'],
    ['--signal-max-message-bytes', 'GATHER_SIGNAL_MAX_MESSAGE_BYTES'],
    ['--signal-max-topics', 'GATHER_SIGNAL_MAX_TOPICS'],
    ['--signal-max-topic-length', 'GATHER_SIGNAL_MAX_TOPIC_LENGTH'],
    ['--signal-max-publishes-per-second', 'GATHER_SIGNAL_MAX_PUBLISHES_PER_SECOND'],
    ['--signal-publish-burst', 'GATHER_SIGNAL_PUBLISH_BURST'],
    ['--signal-max-peer-ids', 'GATHER_SIGNAL_MAX_PEER_IDS'],
    ['--signal-peer-id-probe', 'GATHER_SIGNAL_PEER_ID_PROBE'],
    ['--signal-ping-interval', 'GATHER_SIGNAL_PING_INTERVAL'],
    ['--signal-max-buffered-bytes', 'GATHER_SIGNAL_MAX_BUFFERED_BYTES'],
    ['--trust-proxy', 'GATHER_TRUST_PROXY'],
    ['--redis', 'GATHER_REDIS'],
    ['--stun-port', 'GATHER_STUN_PORT'],
  ];
  for (const [flag, env] of flags) assert.match(text, new RegExp(`  ${flag}\\b[^\\n]*\\n\\s+\\[${env};`), flag);
  assert.match(text, /--room NAME/);
  for (const [argv, message] of [
    [['serve', '--max-doc-bytes', 'lots'], /Invalid --max-doc-bytes: lots/],
    [['serve', '--redis', 'http://x'], /Invalid --redis/],
    [['serve', '--stun-port', '99999'], /Invalid --stun-port/],
    [['serve', '--signal-max-topics', '0'], /Invalid --signal-max-topics: 0/],
    [['serve', '--signal-max-message-bytes', '1x'], /Invalid --signal-max-message-bytes: 1x/],
    [['serve', '--max-new-connections-per-address', '2.5'], /Invalid --max-new-connections-per-address: 2.5/],
  ] as const) {
    let err = '';
    assert.equal(await run(argv, {}, { stdout: { write: () => true }, stderr: { write: (t: string) => (err += t) } }), 2);
    assert.match(err, message);
  }
});

test('signaling flags and environment variables reach /signal; new connections per address are rate-limited; each limit logs a line', async () => {
  const lines: string[] = [];
  const controller = new AbortController();
  const exited = run(
    ['serve', '--port', '0', '--signal-max-topics', '1', '--max-new-connections-per-address', '4'],
    { GATHER_DATA: await dataDir(), GATHER_SIGNAL_MAX_PUBLISHES_PER_SECOND: '1', GATHER_SIGNAL_PUBLISH_BURST: '1', GATHER_SIGNAL_MAX_MESSAGE_BYTES: '1K' },
    { stdout: { write: (text: string) => lines.push(...text.split('\n').filter(Boolean)) }, stderr: { write: () => true }, signal: controller.signal },
  );
  try {
    await until(() => lines.length > 0, 'first line');
    const port = /localhost:(\d+)\/sync$/.exec(lines[0]!)?.[1];
    assert.ok(port, lines[0]);
    const url = `ws://127.0.0.1:${port}/signal`;
    /** Whether a `limit` line names this limit and the flag that raises it. */
    const logged = (limit: string, flag: string) =>
      lines.some((line) => {
        if (!line.startsWith('{')) return false;
        const fields = JSON.parse(line) as { event?: string; limit?: string; flag?: string };
        return fields.event === 'limit' && fields.limit === limit && fields.flag === flag;
      });

    const [topics, publisher, big] = await Promise.all([TestClient.open(url), TestClient.open(url), TestClient.open(url)]);
    topics.send({ type: 'subscribe', topics: ['one', 'two'] });
    assert.equal((await withTimeout(topics.closed, 'closed: too many topics')).code, 1008, '--signal-max-topics 1');
    await until(() => logged('topics', '--signal-max-topics'), 'a line for the topics limit');

    await publisher.subscribe('room');
    publisher.send({ type: 'publish', topic: 'room', n: 1 });
    publisher.send({ type: 'publish', topic: 'room', n: 2 });
    assert.equal((await publisher.next()).n, 1);
    await publisher.assertPongFirst('the second publish is over GATHER_SIGNAL_MAX_PUBLISHES_PER_SECOND=1 (burst 1)');
    await until(() => logged('publish-rate', '--signal-max-publishes-per-second'), 'a line for the publish rate');

    big.send({ type: 'ping', pad: 'x'.repeat(2048) });
    assert.equal((await withTimeout(big.closed, 'closed: message too big')).code, 1009, 'GATHER_SIGNAL_MAX_MESSAGE_BYTES=1K');
    await until(() => logged('message-bytes', '--signal-max-message-bytes'), 'a line for the message size');

    // Three connections so far, a fourth is allowed; the fifth within the minute is refused (429).
    const fourth = await TestClient.open(url);
    const fifth = new WebSocket(url);
    fifth.on('error', () => {});
    const [, response] = (await withTimeout(once(fifth, 'unexpected-response'), 'fifth refused')) as [unknown, { statusCode: number }];
    assert.equal(response.statusCode, 429);
    fifth.terminate();
    await until(() => logged('new-connections-per-address', '--max-new-connections-per-address'), 'a line for the new-connection rate');
    await fourth.assertPongFirst('connections already open are not affected');
    await Promise.all([publisher.close(), fourth.close()]);
  } finally {
    controller.abort();
    assert.equal(await withTimeout(exited, 'serve stops', 10_000), 0);
  }
});

test('--stun-port answers a STUN binding request with the client address (XOR-MAPPED-ADDRESS)', async () => {
  const data = await dataDir();
  const probe = createSocket('udp4');
  await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
  const { port: stunPort } = probe.address();
  probe.close(); // a port that was free a moment ago
  const keeper = await spawnKeeper(data, ['--stun-port', String(stunPort)]);
  const client = createSocket('udp4');
  try {
    await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
    const transaction = randomBytes(12);
    const request = Buffer.concat([Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]), transaction]);
    client.send(Buffer.from('not stun at all'), stunPort, '127.0.0.1');
    client.send(request, stunPort, '127.0.0.1');
    const [response] = (await withTimeout(once(client, 'message'), 'STUN response')) as [Buffer];
    assert.equal(response.readUInt16BE(0), 0x0101, 'binding success response');
    assert.ok(response.subarray(8, 20).equals(transaction));
    let offset = 20;
    let mapped: { address: string; port: number } | undefined;
    while (offset + 4 <= response.length) {
      const type = response.readUInt16BE(offset);
      const length = response.readUInt16BE(offset + 2);
      if (type === 0x0020) {
        const port = response.readUInt16BE(offset + 6) ^ 0x2112;
        const address = [0, 1, 2, 3].map((i) => response[offset + 8 + i]! ^ [0x21, 0x12, 0xa4, 0x42][i]!).join('.');
        mapped = { address, port };
      }
      offset += 4 + Math.ceil(length / 4) * 4;
    }
    assert.deepEqual(mapped, { address: '127.0.0.1', port: client.address().port });
    assert.equal(keeper.logs()[0]!.stunPort, stunPort);
  } finally {
    client.close();
    assert.equal(await stop(keeper), 0);
  }
});
