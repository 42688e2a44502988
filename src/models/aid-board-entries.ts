/**
 * The mutual-aid board's entries (see aid-board.ts for what each means): their types, their usual
 * fields, and the checks every peer applies before a signature is even looked at. Never throws.
 */
import { decodePublicKey } from '../identity/algorithms.js';
import { curveOfKey } from '../identity/encryption.js';
import type { SignedEntry } from '../identity/types.js';
import { isBoundedString } from '../plain.js';
import { entryKey } from './entry-key.js';
import { AID_KINDS, AID_LIMITS, AID_STATUSES, AID_URGENCIES, type AidKind, type AidStatus, type AidUrgency } from './aid-board.types.js';

export const POST_TYPE = 'post';
export const RESPONSE_TYPE = 'response';
export const STATUS_TYPE = 'status';
export const HIDE_TYPE = 'hide';

/** The usual fields of each entry type: stored without their names (entries.ts). */
export const FIELDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  [POST_TYPE]: Object.freeze(['area', 'category', 'contact', 'description', 'keys', 'kind', 'neededBy', 'title', 'urgency']),
  [RESPONSE_TYPE]: Object.freeze(['key', 'sealed']),
  [STATUS_TYPE]: Object.freeze(['contact', 'responder', 'status']),
  [HIDE_TYPE]: Object.freeze(['hidden', 'reason']),
});

/** Longest sealed text an entry may carry (an entry is at most 4 KiB anyway). */
const MAX_SEALED = 3000;
/** A post's local id: base64url, 1–16 characters. */
const LOCAL_ID = /^[A-Za-z0-9_-]{1,16}$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface PostBody {
  readonly kind: AidKind;
  readonly title: string;
  readonly description: string;
  readonly category: string;
  readonly area: string;
  readonly urgency: AidUrgency;
  readonly neededBy: string | null;
  readonly keys: readonly string[];
  readonly contact: string;
}
export interface ResponseBody {
  readonly key: string;
  readonly sealed: string;
}
export interface StatusBody {
  readonly status: AidStatus;
  readonly responder: string | null;
  readonly contact: string | null;
}
export interface HideBody {
  readonly hidden: boolean;
  readonly reason: string;
}
export type PostEntry = SignedEntry<PostBody>;
export type ResponseEntry = SignedEntry<ResponseBody>;
export type StatusEntry = SignedEntry<StatusBody>;
export type HideEntry = SignedEntry<HideBody>;
export type AidEntry = PostEntry | ResponseEntry | StatusEntry | HideEntry;

/** Root map name of the board called `name`. */
export const aidScope = (name: string): string => `aid:${name}`;

export const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T => (list as readonly unknown[]).includes(value);

/** A day `YYYY-MM-DD` that exists on the calendar. */
export const isDay = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  const match = DAY.exec(value);
  if (match === null) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

/** When `day` is over on this device's clock: the next local midnight. */
export const dayEnds = (day: string): number => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + 1).getTime();
};

/** A signing public key as it appears in keys and ids (Ed25519 or P-256, by length). */
export const isAuthorKey = (key: string): boolean => decodePublicKey('Ed25519', key) !== null || decodePublicKey('ECDSA-P256', key) !== null;

/** Splits a post id `<author>:<local>`; null when it is not one. */
export const parsePostId = (id: unknown): { author: string; local: string } | null => {
  if (typeof id !== 'string' || id.length > 120) return null;
  const at = id.indexOf(':');
  if (at <= 0) return null;
  const author = id.slice(0, at);
  const local = id.slice(at + 1);
  return LOCAL_ID.test(local) && isAuthorKey(author) ? { author, local } : null;
};

export const isSealed = (value: unknown): value is string => isBoundedString(value, MAX_SEALED) && /^[A-Za-z0-9_-]+$/.test(value);

const parsePost = (key: string, entry: SignedEntry): PostEntry | null => {
  const local = key.slice(`${POST_TYPE}:${entry.author}:`.length);
  if (!LOCAL_ID.test(local) || key !== entryKey(POST_TYPE, entry.author, local)) return null;
  const { kind, title, description, category, area, urgency, neededBy, keys, contact } = entry as Record<string, unknown>;
  if (!isOneOf(AID_KINDS, kind) || !isOneOf(AID_URGENCIES, urgency)) return null;
  if (!isBoundedString(title, AID_LIMITS.title) || !isBoundedString(description, AID_LIMITS.description, true)) return null;
  if (!isBoundedString(category, AID_LIMITS.category) || !isBoundedString(area, AID_LIMITS.area, true)) return null;
  if (neededBy !== null && !isDay(neededBy)) return null;
  if (!Array.isArray(keys) || keys.length < 1 || keys.length > 2 || !keys.every((k) => curveOfKey(k) !== null)) return null;
  if (keys.length === 2 && curveOfKey(keys[0]) === curveOfKey(keys[1])) return null;
  return isSealed(contact) ? (entry as unknown as PostEntry) : null;
};

const parseResponse = (key: string, entry: SignedEntry): ResponseEntry | null => {
  const postId = key.slice(`${RESPONSE_TYPE}:${entry.author}:`.length);
  const post = parsePostId(postId);
  if (post === null || post.author === entry.author || key !== entryKey(RESPONSE_TYPE, entry.author, postId)) return null;
  return curveOfKey(entry['key']) !== null && isSealed(entry['sealed']) ? (entry as unknown as ResponseEntry) : null;
};

const parseStatus = (key: string, entry: SignedEntry): StatusEntry | null => {
  const local = key.slice(`${STATUS_TYPE}:${entry.author}:`.length);
  if (!LOCAL_ID.test(local) || key !== entryKey(STATUS_TYPE, entry.author, local)) return null;
  const { status, responder, contact } = entry as Record<string, unknown>;
  if (!isOneOf(AID_STATUSES, status)) return null;
  if (responder === null) return contact === null && status !== 'matched' ? (entry as unknown as StatusEntry) : null;
  if (typeof responder !== 'string' || !isAuthorKey(responder) || responder === entry.author) return null;
  return (status === 'matched' || status === 'done') && isSealed(contact) ? (entry as unknown as StatusEntry) : null;
};

const parseHide = (key: string, entry: SignedEntry): HideEntry | null => {
  const postId = key.slice(`${HIDE_TYPE}:${entry.author}:`.length);
  if (parsePostId(postId) === null || key !== entryKey(HIDE_TYPE, entry.author, postId)) return null;
  return typeof entry['hidden'] === 'boolean' && isBoundedString(entry['reason'], AID_LIMITS.reason, true) ? (entry as unknown as HideEntry) : null;
};

/** Accepts a header-valid entry of the board stored under its author's key of its type; null otherwise. */
export const parseAidEntry = (key: string, entry: SignedEntry): AidEntry | null => {
  switch (entry.type) {
    case POST_TYPE:
      return parsePost(key, entry);
    case RESPONSE_TYPE:
      return parseResponse(key, entry);
    case STATUS_TYPE:
      return parseStatus(key, entry);
    case HIDE_TYPE:
      return parseHide(key, entry);
    default:
      return null;
  }
};

/** The post a key is about: `post:<A>:<local>` and `status:<A>:<local>` → `<A>:<local>`; `response:<R>:<id>` and `hide:<O>:<id>` → `<id>`. */
export const postIdOf = (entry: AidEntry, key: string): string =>
  entry.type === POST_TYPE || entry.type === STATUS_TYPE ? key.slice(entry.type.length + 1) : key.slice(entry.type.length + entry.author.length + 2);
