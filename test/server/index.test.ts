import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import * as server from '../../src/server/index.js';
import { TestClient } from './helpers.js';

const ROOT = new URL('../../', import.meta.url);

test('the server entry point exports the server, signaling, static handler and CLI', () => {
  for (const name of ['startServer', 'createSignalingServer', 'createStaticHandler', 'projectMounts', 'run', 'refuseUpgrade']) {
    assert.equal(typeof server[name as keyof typeof server], 'function', name);
  }
  assert.equal(server.SIGNALING_PATH, '/signal');
});

test('package.json exports ./server as the build of src/server/index.ts, with its declarations', async () => {
  const pkg = JSON.parse(await readFile(new URL('package.json', ROOT), 'utf8'));
  assert.deepEqual(pkg.exports['./server'], {
    types: './dist/server/index.d.ts',
    default: './dist/server/index.js',
  });
  const tsconfig = JSON.parse(await readFile(new URL('tsconfig.server.json', ROOT), 'utf8'));
  // The server imports the entry format (src/identity, src/models): its declarations are emitted
  // from src, and src/server's land in dist/server, beside the build.
  const { outDir, rootDir } = tsconfig.compilerOptions;
  assert.equal(path.posix.join(outDir, path.posix.relative(rootDir, 'src/server')), 'dist/server');
  assert.match(pkg.scripts.build, /tsc -p tsconfig\.server\.json/);
});

test('startServer from the entry point serves files and signaling, then stops', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'gather-index-'));
  await mkdir(path.join(root, 'demo'));
  await writeFile(path.join(root, 'demo', 'index.html'), '<title>hello</title>');
  const running = await server.startServer({ root });
  try {
    const response = await fetch(running.url);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '<title>hello</title>');
    const client = await TestClient.open(running.signalingUrl);
    await client.assertPongFirst();
    assert.equal(running.signaling.connectionCount, 1);
  } finally {
    await running.close();
    await rm(root, { recursive: true, force: true });
  }
  assert.equal(running.server.listening, false);
});
