import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { WebSocket } from 'ws';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { HASHED_NAME } from '../../src/server/static.js';
import { withTimeout } from './helpers.js';

const SECRET = 'SECRET-package-json-do-not-serve';

/** A script worth compressing (a few kB, repetitive as minified code is). */
const SCRIPT = Buffer.from(
  Array.from({ length: 400 }, (_, i) => `export const value${i} = ${i * 7} + "é ${i % 13}";`).join('\n'),
);
/** A chunk name as rollup writes them: `[name]-[hash].js`. */
const CHUNK = 'chunk-B1x9qZ3a.js';

/** The bytes of a reply's body with its Content-Encoding undone. */
function decoded(reply: Reply): Buffer {
  switch (reply.headers['content-encoding']) {
    case undefined:
      return reply.raw;
    case 'br':
      return brotliDecompressSync(reply.raw);
    case 'gzip':
      return gunzipSync(reply.raw);
    default:
      throw new Error(`unexpected Content-Encoding ${reply.headers['content-encoding']}`);
  }
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body's bytes as received (still encoded, if it was). */
  raw: Buffer;
}

/**
 * A raw HTTP request: unlike fetch, the path is sent exactly as written (no `..` normalisation), and
 * no `Accept-Encoding` is added, nor the body decoded.
 */
function get(port: number, rawPath: string, method = 'GET', headers: Record<string, string> = {}): Promise<Reply> {
  return withTimeout(
    new Promise<Reply>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: rawPath, method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          resolve({ status: res.statusCode!, headers: res.headers, body: raw.toString('utf8'), raw });
        });
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
    // As `npm run build` leaves them: a script (unhashed and hashed) with .br and .gz siblings…
    for (const name of ['embed.js', CHUNK]) {
      await writeFile(path.join(root, 'dist', name), SCRIPT);
      await writeFile(path.join(root, 'dist', `${name}.br`), brotliCompressSync(SCRIPT));
      await writeFile(path.join(root, 'dist', `${name}.gz`), gzipSync(SCRIPT));
    }
    // …one with a gzip sibling only, and one whose siblings are older than itself (a stale build).
    await writeFile(path.join(root, 'dist', 'gz-only.js'), SCRIPT);
    await writeFile(path.join(root, 'dist', 'gz-only.js.gz'), gzipSync(SCRIPT));
    await writeFile(path.join(root, 'dist', 'stale.js.br'), brotliCompressSync(Buffer.from('old')));
    await writeFile(path.join(root, 'dist', 'stale.js.gz'), gzipSync(Buffer.from('old')));
    const past = new Date(Date.now() - 60_000);
    await utimes(path.join(root, 'dist', 'stale.js.br'), past, past);
    await utimes(path.join(root, 'dist', 'stale.js.gz'), past, past);
    await writeFile(path.join(root, 'dist', 'stale.js'), SCRIPT);
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

  const negotiation: [string | undefined, string | undefined][] = [
    ['br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['BR', 'br'],
    ['*', 'br'],
    ['br;q=0.5, gzip;q=0.5', 'br'],
    ['gzip', 'gzip'],
    ['gzip, deflate', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['br;q=0, *', 'gzip'],
    [undefined, undefined],
    ['', undefined],
    ['identity', undefined],
    ['deflate', undefined],
    ['br;q=0, gzip;q=0', undefined],
    ['*;q=0', undefined],
    ['gzip;q=abc', undefined],
    ['identity;q=1, br;q=0.5, gzip;q=0.2', undefined],
  ];
  for (const [accept, coding] of negotiation) {
    test(`Accept-Encoding ${JSON.stringify(accept)} gets ${coding ?? 'identity'}, decoding to the very file`, async () => {
      const reply = await get(running.port, '/dist/embed.js', 'GET', accept === undefined ? {} : { 'Accept-Encoding': accept });
      assert.equal(reply.status, 200);
      assert.equal(reply.headers['content-encoding'], coding);
      assert.equal(reply.headers.vary, 'Accept-Encoding');
      assert.equal(reply.headers['content-type'], 'text/javascript; charset=utf-8');
      assert.equal(reply.headers['access-control-allow-origin'], '*');
      assert.equal(reply.headers['content-length'], String(reply.raw.length));
      if (coding) assert.ok(reply.raw.length < SCRIPT.length / 2, `${reply.raw.length} bytes`);
      assert.ok(decoded(reply).equals(SCRIPT));
    });
  }

  test('a file with a gzip sibling only is sent gzipped to a client that prefers br', async () => {
    const reply = await get(running.port, '/dist/gz-only.js', 'GET', { 'Accept-Encoding': 'br, gzip' });
    assert.equal(reply.headers['content-encoding'], 'gzip');
    assert.ok(decoded(reply).equals(SCRIPT));
  });

  test('siblings older than the file are left alone: it goes as is', async () => {
    const reply = await get(running.port, '/dist/stale.js', 'GET', { 'Accept-Encoding': 'br, gzip' });
    assert.equal(reply.headers['content-encoding'], undefined);
    assert.ok(reply.raw.equals(SCRIPT));
  });

  test('files without siblings go as is, with Vary all the same', async () => {
    const reply = await get(running.port, '/', 'GET', { 'Accept-Encoding': 'br, gzip' });
    assert.equal(reply.headers['content-encoding'], undefined);
    assert.equal(reply.headers.vary, 'Accept-Encoding');
    assert.equal(reply.body, '<!doctype html><title>demo home</title>');
  });

  test('HEAD of an encoded file: the headers of its GET, no body', async () => {
    const accept = { 'Accept-Encoding': 'br' };
    const [head, full] = await Promise.all([
      get(running.port, '/dist/embed.js', 'HEAD', accept),
      get(running.port, '/dist/embed.js', 'GET', accept),
    ]);
    assert.equal(head.status, 200);
    assert.equal(head.raw.length, 0);
    for (const name of ['content-encoding', 'content-length', 'content-type', 'etag', 'vary', 'cache-control']) {
      assert.equal(head.headers[name], full.headers[name], name);
    }
    assert.equal(head.headers['content-length'], String(full.raw.length));
  });

  test('a Range request gets the whole file with 200 (ranges are not supported)', async () => {
    const reply = await get(running.port, '/dist/embed.js', 'GET', { Range: 'bytes=0-9', 'Accept-Encoding': 'gzip' });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-range'], undefined);
    assert.ok(decoded(reply).equals(SCRIPT));
  });

  test('each encoding has its own ETag, and a matching If-None-Match gets 304', async () => {
    const etags = new Map<string, string>();
    for (const accept of ['br', 'gzip', 'identity']) {
      const reply = await get(running.port, '/dist/embed.js', 'GET', { 'Accept-Encoding': accept });
      assert.match(reply.headers.etag as string, /^"[^"]+"$/);
      etags.set(accept, reply.headers.etag as string);
    }
    assert.equal(new Set(etags.values()).size, 3, [...etags.values()].join(' '));

    for (const [accept, etag] of etags) {
      for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const reply = await get(running.port, '/dist/embed.js', 'GET', { 'Accept-Encoding': accept, 'If-None-Match': ifNoneMatch });
        assert.equal(reply.status, 304, `${accept} ${ifNoneMatch}`);
        assert.equal(reply.raw.length, 0);
        assert.equal(reply.headers.etag, etag);
        assert.equal(reply.headers.vary, 'Accept-Encoding');
        assert.equal(reply.headers['cache-control'], 'no-cache');
        assert.equal(reply.headers['access-control-allow-origin'], '*');
      }
    }
    // The gzip ETag does not validate the br representation: a br client gets the br body.
    const other = await get(running.port, '/dist/embed.js', 'GET', { 'Accept-Encoding': 'br', 'If-None-Match': etags.get('gzip')! });
    assert.equal(other.status, 200);
    assert.equal(other.headers['content-encoding'], 'br');
    assert.equal(other.headers.etag, etags.get('br'));
    assert.ok(decoded(other).equals(SCRIPT));
  });

  test('a changed file gets a new ETag', async () => {
    const before = await get(running.port, '/style.css');
    await writeFile(path.join(root, 'demo', 'style.css'), 'body{color:red}');
    const afterChange = await get(running.port, '/style.css', 'GET', { 'If-None-Match': before.headers.etag as string });
    assert.equal(afterChange.status, 200);
    assert.equal(afterChange.body, 'body{color:red}');
    assert.notEqual(afterChange.headers.etag, before.headers.etag);
  });

  test('a hashed chunk (and its map) is immutable; gather.js, its map and pages are no-cache', async () => {
    for (const accept of ['br', 'gzip', '']) {
      const chunk = await get(running.port, `/dist/${CHUNK}`, 'GET', { 'Accept-Encoding': accept });
      assert.equal(chunk.status, 200);
      assert.equal(chunk.headers['cache-control'], 'public, max-age=31536000, immutable', accept);
      assert.ok(decoded(chunk).equals(SCRIPT));
      const revalidated = await get(running.port, `/dist/${CHUNK}`, 'GET', {
        'Accept-Encoding': accept,
        'If-None-Match': chunk.headers.etag as string,
      });
      assert.equal(revalidated.status, 304);
      assert.equal(revalidated.headers['cache-control'], 'public, max-age=31536000, immutable');
    }
    for (const file of ['/dist/gather.js', '/dist/gather.js.map', '/dist/embed.js', '/', '/poll/']) {
      const reply = await get(running.port, file, 'GET', { 'Accept-Encoding': 'br' });
      assert.equal(reply.status, 200, file);
      assert.equal(reply.headers['cache-control'], 'no-cache', file);
    }
  });

  test('which names count as hashed', () => {
    const hashed = [CHUNK, 'index-BxYz12_a.js', 'poll-3f9a2c1be0.mjs', 'style.a1b2c3d4.css', `${CHUNK}.map`, 'x-0123abcd.wasm'];
    const plain = [
      'gather.js',
      'gather.js.map',
      'autoloader.js',
      'components-autoloader.js', // a long word, no digit
      'webcomponents-bundle.js',
      'bundle-20240101.js', // digits only: a date, not a hash
      'meeting-2024may.html', // not a script
      'page-v2.js',
      'chunk-B1x9qZ3a.js.gz',
    ];
    for (const name of hashed) assert.match(name, HASHED_NAME);
    for (const name of plain) assert.doesNotMatch(name, HASHED_NAME);
  });
});
