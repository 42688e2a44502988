import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { withTimeout } from './helpers.js';

const SECRET = 'SECRET-package-json-do-not-serve';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request: unlike fetch, the path is sent exactly as written (no `..` normalisation). */
function get(port: number, rawPath: string, method = 'GET'): Promise<Reply> {
  return withTimeout(
    new Promise<Reply>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: rawPath, method, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      });
      req.on('error', reject);
      req.end();
    }),
    `${method} ${rawPath}`,
  );
}

describe('static files', () => {
  let root: string;
  let running: RunningServer;

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'gather-static-'));
    await mkdir(path.join(root, 'demo', 'poll'), { recursive: true });
    await mkdir(path.join(root, 'demo-private'), { recursive: true });
    await mkdir(path.join(root, 'dist'), { recursive: true });
    await writeFile(path.join(root, 'package.json'), JSON.stringify({ name: SECRET }));
    await writeFile(path.join(root, 'demo-private', 'x.html'), SECRET);
    await writeFile(path.join(root, 'demo', 'index.html'), '<!doctype html><title>demo home</title>');
    await writeFile(path.join(root, 'demo', 'poll', 'index.html'), '<title>poll page</title>');
    await writeFile(path.join(root, 'demo', 'style.css'), 'body{}');
    await writeFile(path.join(root, 'demo', 'logo.svg'), '<svg/>');
    await writeFile(path.join(root, 'demo', 'file with space.txt'), 'spaced');
    await writeFile(path.join(root, 'demo', 'blob.bin'), 'bin');
    await writeFile(path.join(root, 'dist', 'gather.js'), 'export const gather = 1;');
    await writeFile(path.join(root, 'dist', 'gather.js.map'), '{"version":3}');
    await writeFile(path.join(root, 'dist', 'x.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
    running = await startServer({ root });
  });

  after(async () => {
    await running.close();
    await rm(root, { recursive: true, force: true });
  });

  test('serves demo/index.html at / as HTML, without CORS', async () => {
    const reply = await get(running.port, '/');
    assert.equal(reply.status, 200);
    assert.equal(reply.body, '<!doctype html><title>demo home</title>');
    assert.equal(reply.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(reply.headers['access-control-allow-origin'], undefined);
    assert.equal(reply.headers['cache-control'], 'no-cache');
  });

  test('the url of the running server works with fetch', async () => {
    const response = await fetch(new URL('index.html', running.url));
    assert.equal(response.status, 200);
    assert.match(await response.text(), /demo home/);
  });

  test('a folder redirects to its slash form, then serves its index.html', async () => {
    const redirect = await get(running.port, '/poll?x=1');
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.location, '/poll/?x=1');
    const page = await get(running.port, '/poll/');
    assert.equal(page.status, 200);
    assert.equal(page.body, '<title>poll page</title>');
  });

  test('a redirect never points at another host', async () => {
    const reply = await get(running.port, '//poll');
    assert.equal(reply.status, 301);
    assert.equal(reply.headers.location, '/poll/');
  });

  test('serves /dist/ with CORS and JavaScript content types', async () => {
    const js = await get(running.port, '/dist/gather.js');
    assert.equal(js.status, 200);
    assert.equal(js.body, 'export const gather = 1;');
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.headers['access-control-allow-origin'], '*');

    const map = await get(running.port, '/dist/gather.js.map');
    assert.equal(map.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(map.headers['access-control-allow-origin'], '*');
  });

  test('content types by extension', async () => {
    const expected: [string, string][] = [
      ['/style.css', 'text/css; charset=utf-8'],
      ['/logo.svg', 'image/svg+xml'],
      ['/dist/x.wasm', 'application/wasm'],
      ['/blob.bin', 'application/octet-stream'],
    ];
    for (const [file, type] of expected) {
      const reply = await get(running.port, file);
      assert.equal(reply.status, 200, file);
      assert.equal(reply.headers['content-type'], type, file);
      assert.equal(reply.headers['x-content-type-options'], 'nosniff', file);
    }
  });

  test('percent-encoded names are decoded', async () => {
    const reply = await get(running.port, '/file%20with%20space.txt');
    assert.equal(reply.status, 200);
    assert.equal(reply.body, 'spaced');
  });

  test('a missing file is a 404 (with CORS under /dist/)', async () => {
    const missing = await get(running.port, '/missing.html');
    assert.equal(missing.status, 404);
    const missingDist = await get(running.port, '/dist/missing.js');
    assert.equal(missingDist.status, 404);
    assert.equal(missingDist.headers['access-control-allow-origin'], '*');
    const folderWithoutIndex = await get(running.port, '/dist/');
    assert.equal(folderWithoutIndex.status, 404);
  });

  const traversals = [
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/package.json',
    '/dist/..%2f..%2fpackage.json',
    '/dist/%2e%2e%2f%2e%2e%2fpackage.json',
    '/dist/../package.json',
    '/dist/../../package.json',
    '/..%5cpackage.json',
    '/%5c..%5c..%5cpackage.json',
    '/....//package.json',
    '/%2e%2e%2fdemo-private/x.html',
    '/../demo-private/x.html',
    '/package.json%00.html',
    `/${'%2e%2e/'.repeat(8)}etc/passwd`,
  ];
  for (const rawPath of traversals) {
    test(`no traversal: ${rawPath}`, async () => {
      const reply = await get(running.port, rawPath);
      assert.ok([400, 403, 404].includes(reply.status), `status ${reply.status}`);
      assert.doesNotMatch(reply.body, new RegExp(SECRET));
      assert.doesNotMatch(reply.body, /root:/);
    });
  }

  test('a malformed percent-encoding is a 400', async () => {
    const reply = await get(running.port, '/%E0%A4%A');
    assert.equal(reply.status, 400);
  });

  test('HEAD answers headers only; other methods get 405', async () => {
    const head = await get(running.port, '/dist/gather.js', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String('export const gather = 1;'.length));
    assert.equal(head.body, '');

    const post = await get(running.port, '/', 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
  });

  test('WebSocket upgrades to a path other than /signal are refused', async () => {
    for (const wsPath of ['/other', '/signal/x', '/', '/dist/']) {
      const ws = new WebSocket(`ws://127.0.0.1:${running.port}${wsPath}`);
      ws.on('error', () => {});
      const [, response] = await withTimeout(
        new Promise<unknown[]>((resolve) => ws.on('unexpected-response', (...args) => resolve(args))),
        `refused ${wsPath}`,
      );
      assert.equal((response as { statusCode: number }).statusCode, 404, wsPath);
      ws.terminate();
    }
    assert.equal(running.signaling.connectionCount, 0);
  });

  test('/signal accepts a WebSocket (with a query string too)', async () => {
    const ws = new WebSocket(`${running.signalingUrl}?room=x`);
    await withTimeout(new Promise((resolve) => ws.once('open', resolve)), 'open /signal');
    assert.equal(ws.readyState, WebSocket.OPEN);
    ws.close();
    await withTimeout(new Promise((resolve) => ws.once('close', resolve)), 'close');
  });
});
