/**
 * The signed entry format: header fields, the size limits, signing.
 *
 * An entry is plain JSON `{ v, type, scope, author, alg, ts, ...body, sig }`; `sig` signs the
 * UTF-8 bytes of the canonical encoding (canonical.ts) of every other field. Verification is in
 * verification.ts.
 */
import { GatherError } from '../errors.js';
import { isBoundedString, isRecord } from '../plain.js';
import { decodePublicKey, isSignatureAlgorithm, SIGNATURE_BYTES } from './algorithms.js';
import { fromBase64url, toBase64url } from './base64url.js';
import { canonicalBytes } from './canonical.js';
import type { EntryHeader, SignedEntry, Signer } from './types.js';

/** The entry format version this code writes and reads. */
export const ENTRY_VERSION = 1;
/** Largest canonical encoding (whole entry, `sig` included) a valid entry may have, in bytes. */
export const MAX_ENTRY_BYTES = 4096;
/** Longest `type` an entry may name. */
export const MAX_TYPE_LENGTH = 64;
/** Longest `scope` (root map name, `poll:<name>`) an entry may name. */
export const MAX_SCOPE_LENGTH = 256;

/** Header field names, for models that want to tell body fields from header fields. */
export const ENTRY_HEADER_FIELDS: readonly string[] = ['v', 'type', 'scope', 'author', 'alg', 'ts', 'sig'];

/**
 * Cheap synchronous shape check of an entry's header (no cryptography, no size check): `v` is 1,
 * `type`/`scope` bounded strings, `alg` known, `ts` finite, `author` a key of the right length
 * for `alg`, `sig` decodes to {@link SIGNATURE_BYTES} bytes. Never throws.
 */
export const isEntryHeader = (value: unknown): value is EntryHeader & { readonly sig: string } => {
  try {
    if (!isRecord(value)) return false;
    const { v, type, scope, author, alg, ts, sig } = value;
    if (v !== ENTRY_VERSION) return false;
    if (!isBoundedString(type, MAX_TYPE_LENGTH) || !isBoundedString(scope, MAX_SCOPE_LENGTH)) return false;
    if (!isSignatureAlgorithm(alg)) return false;
    if (typeof ts !== 'number' || !Number.isFinite(ts)) return false;
    if (typeof author !== 'string' || decodePublicKey(alg, author) === null) return false;
    if (typeof sig !== 'string') return false;
    const sigBytes = fromBase64url(sig);
    return sigBytes !== null && sigBytes.length === SIGNATURE_BYTES;
  } catch {
    return false;
  }
};

/** The fields `sig` covers: a shallow copy of `entry` without `sig`. */
export const unsignedPart = (entry: Record<string, unknown>): Record<string, unknown> => {
  const { sig: _sig, ...rest } = entry;
  return rest;
};

/** What a caller hands to {@link signEntry}: the kind (`type`), the widget (`scope`) and the body. */
export type EntryDraft<Body extends object> = { readonly type: string; readonly scope: string } & Body;

/**
 * Signs an entry. The header (`v`, `author`, `alg`, `ts`) is filled in from `signer` and `ts`;
 * any header fields in `draft` are overwritten. Throws a {@link GatherError} when the draft cannot
 * be encoded (`invalid-entry`) or the signed entry would exceed {@link MAX_ENTRY_BYTES}
 * (`entry-too-large`).
 */
export const signEntry = async <Body extends object>(
  signer: Signer,
  draft: EntryDraft<Body>,
  ts: number = Date.now(),
): Promise<SignedEntry<Body>> => {
  const { type, scope } = draft;
  if (!isBoundedString(type, MAX_TYPE_LENGTH)) throw new GatherError('invalid-entry', `Entry type must be 1–${MAX_TYPE_LENGTH} characters`);
  if (!isBoundedString(scope, MAX_SCOPE_LENGTH)) throw new GatherError('invalid-entry', `Entry scope must be 1–${MAX_SCOPE_LENGTH} characters`);
  if (!Number.isFinite(ts)) throw new GatherError('invalid-entry', 'Entry timestamp must be finite');
  const unsigned: Record<string, unknown> = { ...draft, v: ENTRY_VERSION, author: signer.publicKey, alg: signer.alg, ts };
  delete unsigned['sig'];
  const data = canonicalBytes(unsigned);
  const sig = toBase64url(await signer.sign(data));
  const entry = { ...unsigned, sig } as unknown as SignedEntry<Body>;
  const size = canonicalBytes(entry).length;
  if (size > MAX_ENTRY_BYTES) throw new GatherError('entry-too-large', `Entry is ${size} bytes; at most ${MAX_ENTRY_BYTES} are allowed`);
  return entry;
};
