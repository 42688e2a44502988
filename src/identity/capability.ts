/**
 * Invite capabilities: what an organizer signs so that the people given a link can join a
 * members-only room, and what the invite link carries in its fragment (`#invite=…`, which a
 * browser never sends to any server).
 *
 * A capability, as bytes (the token is their base64url):
 *
 *     u8    version   0x01
 *     16    room      the room's tag (entries.ts roomTag): an invite to one room admits to no other
 *     12    id        random: names this invite (revoking it, counting who it admitted)
 *     uvar  max       how many devices it admits, 1 … {@link MAX_INVITE_DEVICES}
 *     uvar  issued    the issuer's clock, milliseconds
 *     uvar  expires   milliseconds, or 0: it does not expire
 *     u8    alg       1 Ed25519, 2 ECDSA-P256
 *     var   issuer    the organizer's raw public key
 *     64    sig       over "gather/invite/1\n" ‖ every byte before it
 *
 * A device that opens the link writes a signed membership entry carrying the token (models/
 * membership.ts); every peer checks the token's signature, that its issuer is an organizer of
 * the room, and counts the admissions per invite in the shared order, so the first `max` devices
 * are members and nobody after them. Parsing never throws: hostile tokens read as null.
 */
import { GatherError } from '../errors.js';
import { decodePublicKey, keyImportParams, PUBLIC_KEY_BYTES, signParams, SIGNATURE_BYTES } from './algorithms.js';
import { fromBase64url, toBase64url } from './base64url.js';
import { ByteReader, ByteWriter, utf8 } from './binary.js';
import { roomTag, ROOM_TAG_BYTES } from './entries.js';
import type { SignatureAlgorithm, Signer } from './types.js';

/** Most devices one invite may admit. */
export const MAX_INVITE_DEVICES = 10_000;
/** Longest token read (base64url characters). */
export const MAX_TOKEN_CHARS = 400;
const VERSION = 0x01;
const ID_BYTES = 12;
const DOMAIN = utf8('gather/invite/1\n');
const ALG_CODES: Readonly<Record<SignatureAlgorithm, number>> = { Ed25519: 1, 'ECDSA-P256': 2 };
const ALGS: readonly (SignatureAlgorithm | undefined)[] = [undefined, 'Ed25519', 'ECDSA-P256'];

/** An invite, read from its token. */
export interface Capability {
  /** The token itself (base64url): what the link and the membership entry carry. */
  readonly token: string;
  /** The room's tag. */
  readonly room: string;
  /** The invite's id (base64url of 12 random bytes). */
  readonly id: string;
  /** How many devices it admits. */
  readonly max: number;
  /** When it was made (the issuer's clock, ms). */
  readonly issued: number;
  /** When it stops admitting (ms), or null. */
  readonly expires: number | null;
  readonly alg: SignatureAlgorithm;
  /** The organizer who signed it (base64url raw public key). */
  readonly issuer: string;
}

/** What {@link createCapability} takes. */
export interface CapabilityDraft {
  /** The room's name (its tag is what the invite carries). */
  readonly room: string;
  /** Devices it admits (1 … {@link MAX_INVITE_DEVICES}). */
  readonly max: number;
  /** When it stops admitting (ms since the epoch); leave out for never. */
  readonly expires?: number | null;
  /** The issuer's clock (tests pass their own). */
  readonly now?: number;
}

interface ParsedCapability extends Capability {
  readonly key: Uint8Array<ArrayBuffer>;
  readonly signed: Uint8Array<ArrayBuffer>;
  readonly sig: Uint8Array<ArrayBuffer>;
}

const isTime = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/**
 * Signs an invite as `signer` (an organizer of the room: peers count admissions only through an
 * organizer's invites). Rejects with `invalid-invite` for a `max` or `expires` out of bounds.
 */
export const createCapability = async (signer: Signer, { room, max, expires = null, now = Date.now() }: CapabilityDraft): Promise<Capability> => {
  if (!Number.isSafeInteger(max) || max < 1 || max > MAX_INVITE_DEVICES) throw new GatherError('invalid-invite', `An invite admits 1–${MAX_INVITE_DEVICES} devices`);
  if (expires !== null && (!isTime(expires) || expires === 0)) throw new GatherError('invalid-invite', 'An invite expires at a time in milliseconds, or never (null)');
  const key = decodePublicKey(signer.alg, signer.publicKey);
  if (key === null) throw new GatherError('invalid-invite', 'The signer\'s public key does not fit its algorithm');
  const w = new ByteWriter();
  w.byte(VERSION);
  w.bytes(fromBase64url(roomTag(room))!);
  w.bytes(globalThis.crypto.getRandomValues(new Uint8Array(ID_BYTES)));
  w.uvar(max);
  w.uvar(Math.floor(now));
  w.uvar(expires ?? 0);
  w.byte(ALG_CODES[signer.alg]);
  w.varBytes(key);
  const body = w.finish();
  const sig = await signer.sign(signedBytes(body));
  const token = new Uint8Array(body.length + sig.length);
  token.set(body);
  token.set(sig, body.length);
  return readCapability(toBase64url(token))!;
};

const signedBytes = (body: Uint8Array): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(DOMAIN.length + body.length);
  out.set(DOMAIN);
  out.set(body, DOMAIN.length);
  return out;
};

const parse = (token: unknown): ParsedCapability | null => {
  try {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) return null;
    const bytes = fromBase64url(token);
    if (bytes === null || bytes.length < 1 + ROOM_TAG_BYTES + ID_BYTES + 5 + SIGNATURE_BYTES || bytes[0] !== VERSION) return null;
    const end = bytes.length - SIGNATURE_BYTES;
    const r = new ByteReader(bytes, 1, end);
    const room = r.take(ROOM_TAG_BYTES);
    const id = r.take(ID_BYTES);
    const max = r.uvar();
    const issued = r.uvar();
    const expires = r.uvar();
    const algByte = r.take(1);
    const alg = algByte === null ? undefined : ALGS[algByte[0]!];
    if (room === null || id === null || max < 1 || max > MAX_INVITE_DEVICES || issued < 0 || expires < 0 || alg === undefined) return null;
    const keyLength = r.uvar();
    if (keyLength !== PUBLIC_KEY_BYTES[alg]) return null;
    const rawKey = r.take(keyLength);
    if (rawKey === null || r.pos !== end) return null;
    const issuer = toBase64url(rawKey);
    const key = decodePublicKey(alg, issuer);
    if (key === null) return null;
    return {
      token,
      room: toBase64url(room),
      id: toBase64url(id),
      max,
      issued,
      expires: expires === 0 ? null : expires,
      alg,
      issuer,
      key,
      signed: signedBytes(bytes.subarray(0, end)),
      sig: bytes.slice(end) as Uint8Array<ArrayBuffer>,
    };
  } catch {
    return null;
  }
};

/** Reads a token (no signature check: see {@link verifyCapability}); null for anything that is not one. Never throws. */
export const readCapability = (token: unknown): Capability | null => {
  const parsed = parse(token);
  if (parsed === null) return null;
  const { key: _key, signed: _signed, sig: _sig, ...capability } = parsed;
  return Object.freeze(capability);
};

const verdicts = new Map<string, Promise<boolean>>();
const MAX_VERDICTS = 2_000;

/** Whether `token` is a well-formed invite whose signature verifies (remembered per page). Never throws. */
export const verifyCapability = (token: unknown): Promise<boolean> => {
  const parsed = parse(token);
  if (parsed === null) return Promise.resolve(false);
  let verdict = verdicts.get(parsed.token);
  if (verdict === undefined) {
    verdict = (async () => {
      try {
        const subtle = globalThis.crypto.subtle;
        const key = await subtle.importKey('raw', parsed.key, keyImportParams(parsed.alg), false, ['verify']);
        return await subtle.verify(signParams(parsed.alg), key, parsed.sig, parsed.signed);
      } catch {
        return false;
      }
    })();
    verdicts.set(parsed.token, verdict);
    while (verdicts.size > MAX_VERDICTS) verdicts.delete(verdicts.keys().next().value!);
  }
  return verdict;
};

/* ------------------------------------------------------------------ links */

/** What an invite link's fragment carries. */
export interface InviteFragment {
  /** The invite's token, or null when the fragment carries only a password. */
  readonly token: string | null;
  /** The room's password, or null. */
  readonly password: string | null;
}

/** Longest password a link may carry. */
export const MAX_LINK_PASSWORD = 256;

/**
 * The invite link: `page` (the page the widgets are on) with `#invite=<token>` and, when given,
 * `&password=<password>` in its fragment. A fragment is never sent to a server: not to the site,
 * not to the signaling server, not to the keeper.
 */
export const inviteLink = (page: string, capability: Capability | string | null, password?: string | null): string => {
  const url = new URL(page);
  const params = new URLSearchParams();
  const token = typeof capability === 'string' ? capability : capability?.token;
  if (token) params.set('invite', token);
  if (password) params.set('password', password);
  url.hash = params.toString();
  return url.href;
};

/**
 * Reads an invite link's fragment (`location.hash`, with or without `#`): `invite` and `password`
 * parameters. Null when it carries neither, or they are malformed. Never throws.
 */
export const readInviteFragment = (hash: unknown): InviteFragment | null => {
  try {
    if (typeof hash !== 'string' || hash.length > 4 * MAX_TOKEN_CHARS + 4 * MAX_LINK_PASSWORD) return null;
    const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
    const rawToken = params.get('invite');
    const rawPassword = params.get('password');
    const token = rawToken !== null && readCapability(rawToken) !== null ? rawToken : null;
    const password = rawPassword !== null && rawPassword.length > 0 && rawPassword.length <= MAX_LINK_PASSWORD ? rawPassword : null;
    return token === null && password === null ? null : { token, password };
  } catch {
    return null;
  }
};

/** The fragment without the invite's parameters (what the address bar keeps once the invite is used). */
export const withoutInvite = (hash: string): string => {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  params.delete('invite');
  params.delete('password');
  const rest = params.toString();
  return rest === '' ? '' : `#${rest}`;
};
