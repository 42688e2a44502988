/**
 * Two `gather serve` processes sharing rooms through a real redis-server
 * (started here on a free port; CI installs it with apt-get, see .ci/run).
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { test } from 'node:test';
import { withTimeout } from './helpers.js';
import { KeeperClient, spawnKeeper, startRedis, storedEntries, tempDir, until, type KeeperProcess } from './keeper-helpers.js';



async function stop(keeper: KeeperProcess): Promise<void> {
  keeper.child.kill('SIGTERM');
  assert.equal(await withTimeout(keeper.exited, 'exit after SIGTERM', 10_000), 0);
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
