/**
 * Why a Gather WebSocket endpoint (the signaling server's `/signal`, a keeper's `/sync`) could not
 * be opened, in words a site owner can act on. A browser tells a page nothing about a WebSocket
 * that failed (no status, no reason), so the endpoint is asked once more over plain HTTP(S): a
 * Gather server answers that request with `{"gather":"websocket","origin":"allowed"|"refused"}`,
 * readable from any origin (src/server/serve.ts); whatever answers otherwise is not one.
 * @module
 */
import { warnOnce, writtenAs } from './options.js';

/** Which endpoint a message is about: it names the attribute to fix. */
export type EndpointKind = 'signaling' | 'keeper';

/** Origins this page's Content-Security-Policy refused a connection to (`securitypolicyviolation`). */
const refusedByPolicy = new Set<string>();
let listening = false;

/** Starts noting the connections the page's policy refuses (call before the first WebSocket opens). */
export function noteRefusedConnections(): void {
  if (listening || typeof document === 'undefined') return;
  listening = true;
  document.addEventListener('securitypolicyviolation', (event) => {
    if (event.effectiveDirective !== 'connect-src') return;
    try {
      refusedByPolicy.add(new URL(event.blockedURI).host);
    } catch {
      /* not a URL (`inline`, `eval`): not a connection */
    }
  });
}

const PROBE_TIMEOUT_MS = 10_000;

/** Whether anything answers at `url`: a response CORS hides, or none at all. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { mode: 'no-cors', cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return true;
  } catch {
    return false;
  }
}

/**
 * The console message for an endpoint at `url` (ws: or wss:) that did not open, found by asking it
 * over HTTP(S) (at most twice, each bounded by 10 s). Never rejects.
 */
export async function explainFailure(kind: EndpointKind, url: string, page: string = location.href): Promise<string> {
  const target = new URL(url);
  const attribute = kind === 'signaling' ? 'data-signaling' : 'data-keeper';
  const as = writtenAs(url);
  const head = as !== undefined && as !== url ? `gather: ${attribute} "${as}" resolved to ${url}, which` : `gather: the ${kind === 'signaling' ? 'signaling server' : 'keeper'} ${url}`;
  const example = kind === 'signaling' ? 'wss://gather.example/signal' : 'wss://gather.example/sync';
  const fix = `point ${attribute} at your Gather server, e.g. ${example} (npx gather serve runs one).`;
  const retrying = ' Trying again, less and less often; meanwhile visitors see "Offline".';
  const pageOrigin = new URL(page).origin;
  if (refusedByPolicy.has(target.host)) {
    return `${head} is refused by this page's Content-Security-Policy: add ${target.protocol}//${target.host} to its connect-src.`;
  }
  const http = new URL(url);
  http.protocol = target.protocol === 'wss:' ? 'https:' : 'http:';
  let response: Response;
  try {
    response = await fetch(http, { cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  } catch {
    // Not readable from here: something that is not a Gather server answered, or nothing did.
    if (await answers(http.href)) return `${head} answered, but not as a Gather server does: ${fix}${retrying}`;
    return `${head} could not be reached: nothing answered at ${target.host}. Is the server running, is the name right, and does its firewall let it through? Otherwise ${fix}${retrying}`;
  }
  let body: unknown = null;
  if (response.ok && response.headers.get('content-type') === 'application/json') body = await response.json().catch(() => null);
  const gather = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : null;
  if (gather?.['gather'] === 'websocket') {
    if (gather['origin'] === 'refused') return `${head} is a Gather server that refuses pages from ${pageOrigin}: add ${pageOrigin} to its --origins (GATHER_ORIGINS).${retrying}`;
    return (
      `${head} is a Gather server, but the WebSocket did not open: if a proxy (nginx, Caddy) is in front of it, make it pass WebSocket upgrades on ${target.pathname} ` +
      `(nginx: proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"), or it is refusing new connections from this address for now.${retrying}`
    );
  }
  if (response.status === 404) return `${head} answered 404 (not found): ${fix}${retrying}`;
  return `${head} answered ${response.status}, and is not a Gather server: ${fix}${retrying}`;
}

/** Endpoints already explained on this page (rooms share a signaling connection; a keeper link reconnects). */
const explained = new Set<string>();

/** Explains in the console why the endpoint at `url` did not open ({@link explainFailure}), once per URL per page. */
export function explainOnce(kind: EndpointKind, url: string): void {
  if (explained.has(url) || typeof location === 'undefined') return; // no page (Node): nobody to tell
  explained.add(url);
  void explainFailure(kind, url).then(warnOnce);
}
