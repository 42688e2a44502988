import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { run as runInProcess, type RunOutput } from '../../src/server/cli.js';
import { TestClient, withTimeout } from './helpers.js';

// Imported (not run as a command), cli.ts must do nothing by itself.
const exitCodeAfterImport = process.exitCode;

const CLI = fileURLToPath(new URL('../../src/server/cli.ts', import.meta.url));
/** A data directory of its own for every serve in this file (never ./data). */
const dataDir = () => mkdtempSync(path.join(tmpdir(), 'gather-cli-'));
const FIRST_LINE = /^Gather demo on http:\/\/localhost:(\d+)\/ · signaling ws:\/\/localhost:\1\/signal · keeper ws:\/\/localhost:\1\/sync$/;

/** Runs the CLI with tsx; resolves with its first stdout line (or rejects on an early exit). */
function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, GATHER_DATA: dataDir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const firstLine = withTimeout(
    new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        if (stdout.includes('\n')) resolve(stdout.split('\n', 1)[0]!);
      });
      void exited.then((code) => reject(new Error(`exited ${code} before printing: ${stderr}`)));
    }),
    'first line of output',
    10_000,
  );
  return { child, firstLine, exited, output: () => ({ stdout, stderr }) };
}

test('gather serve prints its URLs, serves signaling and exits cleanly on SIGTERM', async () => {
  const cli = run(['serve', '--port', '0'], { HOST: '' });
  const line = await cli.firstLine;
  const match = FIRST_LINE.exec(line);
  assert.ok(match, line);

  const client = await TestClient.open(`ws://127.0.0.1:${match[1]}/signal`);
  await client.assertPongFirst();

  cli.child.kill('SIGTERM');
  assert.equal((await withTimeout(client.closed, 'closed by shutdown')).code, 1001);
  assert.equal(await withTimeout(cli.exited, 'exit', 5000), 0);
});

test('PORT from the environment is used when no flag is given', async () => {
  const cli = run(['serve'], { PORT: '0' });
  assert.match(await cli.firstLine, /^Gather demo on http:\/\/localhost:\d+\/ /);
  assert.doesNotMatch(await cli.firstLine, /:8080\//);
  cli.child.kill('SIGINT');
  assert.equal(await withTimeout(cli.exited, 'exit', 5000), 0);
});

test('a bad command or port exits with 2 and a usage message', async () => {
  for (const args of [['bogus'], ['serve', '--port', 'abc'], ['serve', '--port', '70000'], ['serve', '--nope']]) {
    const cli = run(args);
    cli.firstLine.catch(() => {});
    assert.equal(await withTimeout(cli.exited, 'exit', 5000), 2, args.join(' '));
    assert.match(cli.output().stderr, /Usage|Invalid port/, args.join(' '));
  }
});

/** A {@link RunOutput} that keeps what is written, and resolves `line` with the first complete line. */
function capture(): RunOutput & { text: () => string; line: Promise<string> } {
  let text = '';
  let resolveLine!: (line: string) => void;
  const line = new Promise<string>((resolve) => (resolveLine = resolve));
  return {
    write(chunk: string) {
      text += chunk;
      if (text.includes('\n')) resolveLine(text.split('\n', 1)[0]!);
      return true;
    },
    text: () => text,
    line,
  };
}

describe('run() in process', () => {
  test('importing the module runs nothing', () => {
    assert.equal(exitCodeAfterImport, undefined);
  });

  test('--help prints the usage to stdout and returns 0', async () => {
    const stdout = capture();
    const stderr = capture();
    assert.equal(await runInProcess(['--help'], {}, { stdout, stderr }), 0);
    assert.match(stdout.text(), /^Usage: gather serve \[options\]\n/);
    assert.equal(stderr.text(), '');
  });

  const bad: [string[], Record<string, string>, RegExp][] = [
    [[], {}, /^Usage: /],
    [['bogus'], {}, /^Usage: /],
    [['serve', 'extra'], {}, /^Usage: /],
    [['serve', '--nope'], {}, /^Unknown option '--nope'.*\n\nUsage: /s],
    [['serve', '--port'], {}, /--port.*argument.*\n\nUsage: /s],
    [['serve', '--port', 'abc'], {}, /^Invalid port: abc\n$/],
    [['serve', '--port', '70000'], {}, /^Invalid port: 70000\n$/],
    [['serve'], { PORT: '-1' }, /^Invalid port: -1\n$/],
  ];
  for (const [argv, env, message] of bad) {
    test(`returns 2 for ${JSON.stringify(argv)} ${JSON.stringify(env)}`, async () => {
      const stdout = capture();
      const stderr = capture();
      assert.equal(await runInProcess(argv, env, { stdout, stderr }), 2);
      assert.match(stderr.text(), message);
      assert.equal(stdout.text(), '');
    });
  }

  test('serve runs until its signal aborts, then returns 0 and leaves no signal handler', async () => {
    const listeners = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const stdout = capture();
    const stderr = capture();
    const controller = new AbortController();
    const exited = runInProcess(['serve', '--port', '0'], { HOST: '127.0.0.1', GATHER_DATA: dataDir() }, { stdout, stderr, signal: controller.signal });
    const match = FIRST_LINE.exec(
      await withTimeout(stdout.line, 'first line'),
    );
    assert.ok(match, stdout.text());
    assert.equal(process.listenerCount('SIGINT'), listeners[0]! + 1);

    const client = await TestClient.open(`ws://127.0.0.1:${match[1]}/signal`);
    await client.assertPongFirst();
    controller.abort();
    assert.equal((await withTimeout(client.closed, 'closed by shutdown')).code, 1001);
    assert.equal(await withTimeout(exited, 'run() resolves'), 0);
    assert.deepEqual([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')], listeners);
  });

  test('a port that cannot be listened on returns 2', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const stderr = capture();
      const code = await runInProcess(['serve', '--port', String(port)], { GATHER_DATA: dataDir() }, { stdout: capture(), stderr });
      assert.equal(code, 2);
      assert.match(stderr.text(), new RegExp(`^Cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
