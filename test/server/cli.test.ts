import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { TestClient, withTimeout } from './helpers.js';

const CLI = fileURLToPath(new URL('../../src/server/cli.ts', import.meta.url));

/** Runs the CLI with tsx; resolves with its first stdout line (or rejects on an early exit). */
function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, ...env },
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
  const match = /^Gather demo on http:\/\/localhost:(\d+)\/ · signaling ws:\/\/localhost:\1\/signal$/.exec(line);
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
