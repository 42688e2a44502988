/**
 * Room options: defaults, parsing of the attribute forms a site owner writes, and layering.
 * Pure functions, no DOM: the caller supplies attribute values and the base URL.
 * @module
 */
import { warnOnce } from '../warn-once.js';
import type { RoomOptions } from './types.js';

/** Built-in defaults. Nothing here names a host: no signaling, no STUN/TURN, no password. */
export const DEFAULT_ROOM_OPTIONS: RoomOptions = Object.freeze({
  signaling: Object.freeze([]) as readonly string[],
  iceServers: Object.freeze([]) as readonly RTCIceServer[],
  password: null,
  persist: true,
  keeper: null,
});

// Once per page, across copies of the script too (src/warn-once.ts); re-exported for the modules that import it from here.
export { warnOnce };

const splitList = (attr: string): string[] => attr.split(/[\s,]+/).filter((s) => s !== '');

/**
 * Parses a `signaling` attribute: a space- or comma-separated list of WebSocket URLs.
 * Relative URLs (`/signal`) resolve against `base`; `http(s):` becomes `ws(s):`. Anything that is not
 * ws(s) after that is dropped with a warning.
 * @returns the list (`[]` for an empty attribute: explicitly no signaling), or `undefined` when the
 *   attribute is absent or names no usable URL (so the next option layer applies).
 */
export function parseSignaling(attr: string | null | undefined, base: string): string[] | undefined {
  if (attr == null) return undefined;
  const items = splitList(attr);
  if (items.length === 0) return [];
  const urls: string[] = [];
  for (const item of items) {
    let url: URL;
    try {
      url = new URL(item, base);
    } catch {
      warnOnce(`gather: ignoring signaling URL "${item}": not a URL`);
      continue;
    }
    if (url.protocol === 'http:') url.protocol = 'ws:';
    else if (url.protocol === 'https:') url.protocol = 'wss:';
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
      warnOnce(`gather: ignoring signaling URL "${item}": only ws:, wss: (or http:, https:) are allowed`);
      continue;
    }
    if (blockedFrom(base, url)) {
      warnOnce(`gather: ignoring signaling URL "${item}": this page is served over https, and browsers block plain ws:// from it. Use wss://${url.host}${url.pathname} (TLS in front of gather serve, e.g. Caddy).`);
      continue;
    }
    rememberWritten(url.href, item);
    if (!urls.includes(url.href)) urls.push(url.href);
  }
  return urls.length > 0 ? urls : undefined;
}

/** Hosts a browser lets an https page reach over plain ws:// (they never leave the machine). */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether a browser blocks `url` (ws: or wss:) from a page at `base`: plain ws:// from an https page, off this machine. */
function blockedFrom(base: string, url: URL): boolean {
  return base.startsWith('https:') && url.protocol === 'ws:' && !LOOPBACK.has(url.hostname);
}

/** Endpoint URLs as the site owner wrote them (`/signal`), by the URL they resolved to: for the console's messages. */
const written = new Map<string, string>();

const rememberWritten = (url: string, value: string): void => void written.set(url, value);

/** How the site owner wrote the endpoint that resolved to `url` (src/room/endpoint-check.ts), if they did. */
export const writtenAs = (url: string): string | undefined => written.get(url);

/**
 * Parses a `keeper` attribute: one WebSocket URL of a keeper's `/sync` (`wss://keeper.example/sync`),
 * or a path on this site (`/sync`), resolved against `base`; `http(s):` becomes `ws(s):`.
 * A value that cannot work — not a URL, several URLs, another scheme, or `ws:` from an `https:`
 * page (browsers block it) — is refused with one console warning that says the fix.
 * @returns the URL, `null` for an empty attribute (explicitly no keeper), or `undefined` when the
 *   attribute is absent or refused (so the next option layer applies).
 */
export function parseKeeper(attr: string | null | undefined, base: string): string | null | undefined {
  if (attr == null) return undefined;
  const items = splitList(attr);
  if (items.length === 0) return null;
  const fix = 'Name one keeper: keeper="wss://your-keeper.example/sync" (or keeper="/sync" when gather serve serves this page).';
  if (items.length > 1) {
    warnOnce(`gather: ignoring keeper="${attr.trim()}": a room has one keeper. ${fix}`);
    return undefined;
  }
  const item = items[0]!;
  let url: URL;
  try {
    url = new URL(item, base);
  } catch {
    warnOnce(`gather: ignoring keeper "${item}": not a URL. ${fix}`);
    return undefined;
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    warnOnce(`gather: ignoring keeper "${item}": only ws:, wss: (or http:, https:) are allowed. ${fix}`);
    return undefined;
  }
  if (blockedFrom(base, url)) {
    warnOnce(`gather: ignoring keeper "${item}": this page is served over https, and browsers block plain ws:// from it. Use wss://${url.host}${url.pathname} (TLS in front of gather serve, e.g. Caddy).`);
    return undefined;
  }
  url.hash = '';
  rememberWritten(url.href, item);
  return url.href;
}

const ICE_SCHEME = /^(stun|stuns|turn|turns):\S+$/i;

const isIceServer = (value: unknown): value is RTCIceServer => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { urls, username, credential } = value as Record<string, unknown>;
  const list = typeof urls === 'string' ? [urls] : urls;
  if (!Array.isArray(list) || list.length === 0) return false;
  if (!list.every((u) => typeof u === 'string' && ICE_SCHEME.test(u))) return false;
  if (username !== undefined && typeof username !== 'string') return false;
  if (credential !== undefined && typeof credential !== 'string') return false;
  return true;
};

/**
 * Parses an `ice-servers` attribute: either a JSON array of `RTCIceServer`
 * (`[{"urls":"turn:turn.example.org","username":"u","credential":"p"}]`) or a space-separated list
 * of `stun:`/`turn:` URLs (one server each, no credentials).
 * @returns the servers (`[]` for an empty attribute), or `undefined` (absent, or invalid: warns once).
 */
export function parseIceServers(attr: string | null | undefined): RTCIceServer[] | undefined {
  if (attr == null) return undefined;
  const text = attr.trim();
  if (text === '') return [];
  if (text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      warnOnce(`gather: ignoring ice-servers: not valid JSON: ${text}`);
      return undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every(isIceServer)) {
      warnOnce(`gather: ignoring ice-servers: expected an array of {urls, username?, credential?} with stun:/turn: URLs: ${text}`);
      return undefined;
    }
    return parsed.map(({ urls, username, credential }) => ({
      urls: typeof urls === 'string' ? urls : [...urls],
      ...(username !== undefined ? { username } : {}),
      ...(credential !== undefined ? { credential } : {}),
    }));
  }
  const urls = splitList(text);
  if (!urls.every((u) => ICE_SCHEME.test(u))) {
    warnOnce(`gather: ignoring ice-servers: expected stun:/turn: URLs or a JSON array: ${text}`);
    return undefined;
  }
  return urls.map((urls) => ({ urls }));
}

/**
 * Reads the room options a set of attributes names: `signaling`, `ice-servers`, `password`
 * (an empty password counts as not set), `keeper`. `read` returns an attribute's value or null, so the same
 * function serves element attributes (`(n) => el.getAttribute(n)`) and a script tag's `data-*`.
 * Fields not given are left out, so `resolveRoomOptions` falls through to the next layer.
 */
export function attributeOptions(read: (name: string) => string | null, base: string): Partial<RoomOptions> {
  const options: { -readonly [K in keyof RoomOptions]?: RoomOptions[K] } = {};
  const signaling = parseSignaling(read('signaling'), base);
  if (signaling !== undefined) options.signaling = signaling;
  const iceServers = parseIceServers(read('ice-servers'));
  if (iceServers !== undefined) options.iceServers = iceServers;
  const password = read('password');
  if (password != null && password !== '') options.password = password;
  const keeper = parseKeeper(read('keeper'), base);
  if (keeper !== undefined) options.keeper = keeper;
  const transport = read('ice-transport');
  if (transport === 'relay' || transport === 'all') options.iceTransportPolicy = transport;
  else if (transport != null && transport !== '') warnOnce(`gather: ignoring ice-transport="${transport}": use "relay" (TURN only: peers do not see each other's IP addresses) or "all"`);
  return options;
}

/**
 * Layers options: for each field, the first layer that defines it (not `undefined`) wins; the
 * built-in defaults come last. Order the layers as: element attributes, the enclosing
 * `<gather-room>`, the script tag, then any caller defaults.
 */
export function resolveRoomOptions(...layers: readonly Partial<RoomOptions>[]): RoomOptions {
  const pick = <K extends keyof RoomOptions>(key: K): RoomOptions[K] => {
    for (const layer of layers) {
      const value = layer[key];
      if (value !== undefined) return value as RoomOptions[K];
    }
    return DEFAULT_ROOM_OPTIONS[key];
  };
  return Object.freeze({
    signaling: Object.freeze([...pick('signaling')]),
    iceServers: Object.freeze([...pick('iceServers')]),
    password: pick('password') || null,
    persist: pick('persist'),
    keeper: pick('keeper') ?? null,
    // Only when set: option objects from before it existed compare equal.
    ...(pick('iceTransportPolicy') === 'relay' ? { iceTransportPolicy: 'relay' as const } : {}),
  });
}

/** True when two option sets would open the same room the same way. */
export function sameRoomOptions(a: RoomOptions, b: RoomOptions): boolean {
  return (
    a.password === b.password &&
    a.persist === b.persist &&
    (a.keeper ?? null) === (b.keeper ?? null) &&
    (a.iceTransportPolicy ?? 'all') === (b.iceTransportPolicy ?? 'all') &&
    JSON.stringify(a.signaling) === JSON.stringify(b.signaling) &&
    JSON.stringify(a.iceServers) === JSON.stringify(b.iceServers)
  );
}
