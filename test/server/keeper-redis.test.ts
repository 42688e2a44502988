/**
 * Two `gather serve` processes sharing rooms through a real redis-server
 * (started here on a free port; CI installs it with apt-get, see .ci/run).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { RoomStore } from '../../src/server/store.js';
import { withTimeout } from './helpers.js';
import { KeeperClient, spawnKeeper, tempDir, until, type KeeperProcess } from './keeper-helpers.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis() {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('redis-server is not installed: apt-get install -y redis-server (.ci/run does this)');
  }
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  await until(() => output.includes('Ready to accept connections'), 'redis-server ready', 10_000);
  return { url: `redis://127.0.0.1:${port}`, stop: async () => (child.kill('SIGTERM'), await once(child, 'exit')) };
}

async function stop(keeper: KeeperProcess): Promise<void> {
  keeper.child.kill('SIGTERM');
  assert.equal(await withTimeout(keeper.exited, 'exit after SIGTERM', 10_000), 0);
}

async function storedEntries(data: string, room: string): Promise<Record<string, unknown>> {
  const store = await RoomStore.open(data);
  try {
    const doc = await store.doc(room);
    const entries = doc.getMap('poll:test').toJSON();
    doc.destroy();
    return entries;
  } finally {
    await store.close();
  }
}

test('two keepers share a room through Redis; each store holds every change', async () => {
  const redis = await startRedis();
  const dirs = [await tempDir(), await tempDir()];
  try {
    let keepers = await Promise.all(dirs.map((dir) => spawnKeeper(dir, ['--redis', redis.url])));
    const a = new KeeperClient(keepers[0]!.syncUrl, 'shared');
    const b = new KeeperClient(keepers[1]!.syncUrl, 'shared');
    await Promise.all([a.waitSynced(), b.waitSynced()]);
    a.map.set('from-a', 1);
    await until(() => b.map.get('from-a') === 1, 'b sees the change made through the other keeper');
    b.map.set('from-b', 2);
    await until(() => a.map.get('from-b') === 2, 'a sees the change made through the other keeper');
    await Promise.all([a.waitStored(), b.waitStored()]);
    a.destroy();
    b.destroy();
    await Promise.all(keepers.map(stop));

    for (const dir of dirs) assert.deepEqual(await storedEntries(dir, 'shared'), { 'from-a': 1, 'from-b': 2 }, dir);

    // Both restart; a client of each sees both changes.
    keepers = await Promise.all(dirs.map((dir) => spawnKeeper(dir, ['--redis', redis.url])));
    const readers = keepers.map((k) => new KeeperClient(k.syncUrl, 'shared'));
    await Promise.all(readers.map((r) => r.waitSynced()));
    for (const reader of readers) assert.deepEqual(reader.map.toJSON(), { 'from-a': 1, 'from-b': 2 });
    for (const reader of readers) reader.destroy();
    await Promise.all(keepers.map(stop));
  } finally {
    await redis.stop();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
});
