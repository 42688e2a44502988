#!/usr/bin/env node
/**
 * `gather serve [--port N] [--host H]`: the demo, the build and the signaling
 * server on one port. `PORT` and `HOST` in the environment work too (flags
 * win). Defaults: port 8080, host 127.0.0.1 (loopback only; `--host 0.0.0.0`
 * to be reachable from the network).
 *
 * Runs as a command when it is the process's entry point: `src/server/cli.ts`
 * (tsx), the bundle `dist/server/cli.js`, or the npm `bin` link `gather` to
 * it. Imported, it only exports {@link run}.
 *
 * @module
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from './serve.js';

// Invariant: this file lives two folders below the project root, both as
// src/server/cli.ts and as the bundle dist/server/cli.js. Keep it so (or
// change this line) when moving either.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const USAGE = `Usage: gather serve [--port N] [--host H]

  --port N   port to listen on (env PORT; default 8080; 0 picks a free one)
  --host H   address to bind (env HOST; default 127.0.0.1, loopback only)

Serves demo/ at /, dist/ at /dist/ and y-webrtc signaling at /signal.`;

const DEFAULT_PORT = 8080;
const DEFAULT_HOST = '127.0.0.1';

/** Where {@link run} writes: anything with a `write(text)`, as `process.stdout` has. */
export interface RunOutput {
  write(text: string): unknown;
}

/** Options of {@link run}. */
export interface RunOptions {
  /** Receives the normal output. Default `process.stdout`. */
  stdout?: RunOutput;
  /** Receives usage and error messages. Default `process.stderr`. */
  stderr?: RunOutput;
  /** Stops `serve` when aborted, as SIGINT or SIGTERM do. */
  signal?: AbortSignal;
}

/**
 * Runs the `gather` command line and resolves with its exit code: 0 after
 * `--help`, 2 after a usage error or a port that cannot be listened on, and
 * for `serve`, once the server has stopped: 0 if it closed cleanly, 1 if not.
 *
 * `serve` runs until SIGINT, SIGTERM or `signal`; its signal handlers are
 * removed when it stops. A second SIGINT or SIGTERM while it is closing ends
 * the process at once with `process.exit(1)`, as a second Ctrl-C should.
 *
 * @example
 * process.exitCode = await run(process.argv.slice(2), process.env);
 */
export async function run(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
  { stdout = process.stdout, stderr = process.stderr, signal }: RunOptions = {},
): Promise<number> {
  const fail = (message: string): number => {
    stderr.write(`${message}\n`);
    return 2;
  };

  let values: { port?: string; host?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command, ...extra] = positionals;
  if (command !== 'serve' || extra.length > 0) return fail(USAGE);

  const port = parsePort(values.port ?? env.PORT ?? String(DEFAULT_PORT));
  if (port === undefined) return fail(`Invalid port: ${values.port ?? env.PORT}`);
  const host = values.host ?? (env.HOST || DEFAULT_HOST);

  if (signal?.aborted) return 0;
  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    running = await startServer({ root: ROOT, port, host });
  } catch (error) {
    return fail(`Cannot listen on ${host}:${port}: ${(error as Error).message}`);
  }

  // Handlers first: whoever reads the line below may signal us at once.
  let stopping = false;
  let stop!: () => void;
  const stopped = new Promise<number>((resolve) => {
    stop = () => {
      if (stopping) process.exit(1); // a second signal: do not wait
      stopping = true;
      running.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
  });
  const onAbort = (): void => {
    if (!stopping) stop();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();

  const origin = `${displayHost(host)}:${running.port}`;
  stdout.write(`Gather demo on http://${origin}/ · signaling ws://${origin}/signal\n`);
  if (!existsSync(path.join(ROOT, 'dist'))) {
    stderr.write('(dist/ is missing: run `npm run build` to serve the widgets)\n');
  }

  try {
    return await stopped;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    signal?.removeEventListener('abort', onAbort);
  }
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

/** Loopback and wildcard addresses are shown as `localhost`; IPv6 literals get brackets. */
function displayHost(host: string): string {
  if (['127.0.0.1', '::1', '0.0.0.0', '::', '', 'localhost'].includes(host)) return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Whether this module is the process's entry point. Real paths on both sides:
 * the npm `bin` link `node_modules/.bin/gather` points at dist/server/cli.js.
 */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = await run(process.argv.slice(2), process.env);
