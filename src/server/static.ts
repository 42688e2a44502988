/**
 * A small static file handler for the local demo: `/dist/` → the build,
 * `/` → demo/. GET and HEAD only; no path traversal.
 *
 * Compression: a file is sent Brotli- or gzip-encoded only when the build
 * left a precompressed sibling beside it (`gather.js.br`, `gather.js.gz`,
 * written by `npm run build`) at least as new as the file itself, and the
 * request's `Accept-Encoding` accepts that coding; otherwise it is sent as
 * is. Nothing is compressed per request: the demo pages are small, and the
 * built script is precompressed at the highest levels once.
 *
 * Caching: a name carrying a content hash ({@link HASHED_NAME}, e.g.
 * `chunk-B1x9qZ3a.js`) is `immutable` for a year; anything else is
 * `no-cache`, revalidated with its ETag (one per encoding). `Range` is
 * ignored: the answer is always the whole representation, with 200.
 *
 * @module
 */
import { createReadStream, type Stats } from 'node:fs';
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

/**
 * A file name carrying a content hash, as bundlers name chunks
 * (`[name]-[hash].js`): before the extension, 8 or more letters, digits or
 * `_` with at least one digit and one letter, after a `-` or `.`. JavaScript,
 * CSS and WebAssembly (and their source maps) only, so that a page such as
 * `meeting-2024may.html` is never cached for a year. A hash that happens to
 * contain a `-` (rollup's alphabet has it) or no digit is missed; such a chunk
 * is only revalidated, never wrongly kept.
 */
export const HASHED_NAME = /[-.](?=[A-Za-z_]*\d)(?=\d*[A-Za-z_])[A-Za-z0-9_]{8,}\.(?:m?js|css|wasm)(?:\.map)?$/;

/** `Cache-Control` for a hashed name: a year, never revalidated. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The codings of the precompressed siblings, in order of preference when the client weighs them equally. */
const ENCODINGS = [
  { coding: 'br', suffix: '.br' },
  { coding: 'gzip', suffix: '.gz' },
] as const;

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
 * `index.html` for a folder, 404 otherwise. Files are sent precompressed
 * when a sibling allows it, with an ETag per encoding, answering a matching
 * `If-None-Match` with 304; see the module's documentation.
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

    const chosen = await chooseEncoding(file, info, req.headers['accept-encoding']);
    const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}${chosen ? `-${chosen.coding}` : ''}"`;
    const headers: Record<string, string | number> = {
      ...cors,
      ETag: etag,
      'Cache-Control': HASHED_NAME.test(path.basename(file)) ? IMMUTABLE : 'no-cache',
      Vary: 'Accept-Encoding',
    };
    if (matchesEtag(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': chosen ? chosen.size : info.size,
      ...(chosen ? { 'Content-Encoding': chosen.coding } : {}),
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await new Promise<void>((resolve) => {
      const stream = createReadStream(chosen ? chosen.file : file);
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

/** A precompressed sibling chosen for a response. */
interface Encoded {
  coding: (typeof ENCODINGS)[number]['coding'];
  file: string;
  size: number;
}

/**
 * The best precompressed sibling of `file` that `Accept-Encoding` accepts:
 * the highest q-value wins, then Brotli before gzip; `identity` wins only
 * if the client weighs it above every coding on offer. A sibling older than
 * the file (left over from an earlier build) is never used. No header means
 * identity only.
 */
async function chooseEncoding(file: string, info: Stats, header: string | undefined): Promise<Encoded | undefined> {
  const weights = parseAcceptEncoding(header);
  const weight = (coding: string): number => weights.get(coding) ?? weights.get('*') ?? 0;
  const candidates = ENCODINGS.filter(({ coding }) => weight(coding) > 0).sort(
    (a, b) => weight(b.coding) - weight(a.coding), // stable: ties keep ENCODINGS' order
  );
  for (const { coding, suffix } of candidates) {
    if ((weights.get('identity') ?? 0) > weight(coding)) return undefined;
    const sibling = file + suffix;
    const siblingInfo = await stat(sibling).catch(() => undefined);
    if (siblingInfo?.isFile() && siblingInfo.mtimeMs >= info.mtimeMs) {
      return { coding, file: sibling, size: siblingInfo.size };
    }
  }
  return undefined;
}

/** `Accept-Encoding` as coding (lower case) → q-value; a malformed q counts as 0. */
function parseAcceptEncoding(header: string | undefined): Map<string, number> {
  const weights = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.split(';').map((piece) => piece.trim());
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const match = /^q\s*=\s*(.*)$/i.exec(param);
      if (match) q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(match[1]!) ? Number(match[1]) : 0;
    }
    weights.set(name.toLowerCase(), q);
  }
  return weights;
}

/** Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks for this header) or is `*`. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
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
