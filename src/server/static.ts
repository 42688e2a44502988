/**
 * A small static file handler for the local demo: `/dist/` → the build,
 * `/` → demo/. GET and HEAD only; no path traversal.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

/** One URL prefix served from one folder. */
export interface StaticMount {
  /** URL path prefix, starting and ending with `/` (`/dist/`, `/`). */
  prefix: string;
  /** Folder the prefix maps to (made absolute). */
  dir: string;
  /** Send `Access-Control-Allow-Origin: *` (a page on another origin loads the script). */
  cors?: boolean;
}

/** A request handler that always answers. */
export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Content types by file extension; anything else is `application/octet-stream`. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
});

/** The mounts of the demo server for a project root: `/dist/` (CORS) and `/` → demo/. */
export function projectMounts(root: string): StaticMount[] {
  return [
    { prefix: '/dist/', dir: path.join(root, 'dist'), cors: true },
    { prefix: '/', dir: path.join(root, 'demo') },
  ];
}

/**
 * Creates a handler serving files from `mounts` (the longest matching prefix
 * wins). Answers 405 to methods other than GET/HEAD, 400 to undecodable
 * paths, 403 to paths with a `..` segment, a backslash or a NUL (after
 * percent-decoding), 301 to a folder without its trailing slash, the folder's
 * `index.html` for a folder, 404 otherwise. `Cache-Control: no-cache`.
 */
export function createStaticHandler(mounts: readonly StaticMount[]): StaticHandler {
  const sorted = mounts
    .map((mount) => ({ ...mount, dir: path.resolve(mount.dir) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return end(res, 405, { Allow: 'GET, HEAD' });
    }
    const rawPath = (req.url ?? '/').split(/[?#]/, 1)[0]!;
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(rawPath);
    } catch {
      return end(res, 400);
    }
    if (!urlPath.startsWith('/')) return end(res, 400);
    if (/[\\\0]/.test(urlPath) || urlPath.split('/').includes('..')) return end(res, 403);

    const mount = sorted.find(({ prefix }) => urlPath.startsWith(prefix));
    if (!mount) return end(res, 404);
    const cors: Record<string, string> = mount.cors ? { 'Access-Control-Allow-Origin': '*' } : {};

    let file = path.resolve(mount.dir, '.' + path.sep + urlPath.slice(mount.prefix.length));
    if (file !== mount.dir && !file.startsWith(mount.dir + path.sep)) return end(res, 403, cors);

    let info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) {
      if (!urlPath.endsWith('/')) {
        const query = (req.url ?? '').slice(rawPath.length);
        // One leading slash only: `//host/` in Location would leave this origin.
        const location = '/' + rawPath.replace(/^\/+/, '') + '/' + query;
        return end(res, 301, { ...cors, Location: location });
      }
      file = path.join(file, 'index.html');
      info = await stat(file).catch(() => undefined);
    }
    if (!info?.isFile()) return end(res, 404, cors);

    res.writeHead(200, {
      ...cors,
      'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await new Promise<void>((resolve) => {
      const stream = createReadStream(file);
      stream.on('error', () => {
        res.destroy();
        resolve();
      });
      res.on('close', () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
  };
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  301: 'Moved Permanently',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
};

function end(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  const body = `${status} ${STATUS_TEXT[status] ?? ''}\n`;
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
