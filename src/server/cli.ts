#!/usr/bin/env node
/**
 * `gather serve [--port N] [--host H]`: the demo, the build and the signaling
 * server on one port. `PORT` and `HOST` in the environment work too (flags
 * win). Defaults: port 8080, host 127.0.0.1 (loopback only; `--host 0.0.0.0`
 * to be reachable from the network).
 *
 * Runs as `src/server/cli.ts` (tsx) and, bundled by rollup, as
 * `dist/server/cli.js`.
 *
 * @module
 */
import { existsSync } from 'node:fs';
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

await main(process.argv.slice(2), process.env);

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  let values: { port?: string; host?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
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
    console.log(USAGE);
    return;
  }
  const [command, ...extra] = positionals;
  if (command !== 'serve' || extra.length > 0) return fail(USAGE);

  const port = parsePort(values.port ?? env.PORT ?? String(DEFAULT_PORT));
  if (port === undefined) return fail(`Invalid port: ${values.port ?? env.PORT}`);
  const host = values.host ?? (env.HOST || DEFAULT_HOST);

  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    running = await startServer({ root: ROOT, port, host });
  } catch (error) {
    return fail(`Cannot listen on ${host}:${port}: ${(error as Error).message}`);
  }
  // Handlers first: whoever reads the line below may signal us at once.
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1); // a second signal: do not wait
    stopping = true;
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const origin = `${displayHost(host)}:${running.port}`;
  console.log(`Gather demo on http://${origin}/ · signaling ws://${origin}/signal`);
  if (!existsSync(path.join(ROOT, 'dist'))) {
    console.error('(dist/ is missing: run `npm run build` to serve the widgets)');
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

function fail(message: string): void {
  console.error(message);
  process.exitCode = 2;
}
