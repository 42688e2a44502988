/**
 * Invite capabilities: what an organizer signs so that the people given a link can join a
 * members-only room, and what the invite link carries in its fragment (`#invite=…`, which a
 * browser never sends to any server).
 *
 * Every invite has a key pair of its own. The capability names the invite's public key; the link
 * carries the capability and the invite's private key, and a device that opens it signs its claim
 * with that private key too. The room only ever sees the capability and those signatures, so a
 * peer who copies a member's claim out of the room cannot admit any other device with it.
 *
 * A capability, as bytes (the token is their base64url):
 *
 *     u8    version   0x02 (0x01, before invite keys, is no longer read: see {@link outdatedInviteRoom})
 *     16    room      the room's tag (entries.ts roomTag): an invite to one room admits to no other
 *     12    id        random: names this invite (revoking it, counting who it admitted)
 *     uvar  max       how many devices it admits, 1 … {@link MAX_INVITE_DEVICES}
 *     uvar  issued    the issuer's clock, milliseconds
 *     uvar  expires   milliseconds, or 0: it does not expire
 *     u8    alg       1 Ed25519, 2 ECDSA-P256: the issuer's key and the invite's
 *     var   issuer    the organizer's raw public key
 *     var   invite    the invite's raw public key
 *     64    sig       by the issuer, over "gather/invite/2\n" ‖ every byte before it
 *
 * The link's value, the invite code, is `<token>.<secret>`: the secret is the invite's private key
 * (the 32-byte Ed25519 seed or P-256 scalar, base64url). A device that opens it writes a signed
 * membership entry carrying the token and a proof: the invite key's signature over
 *
 *     "gather/invite-claim/1\n" ‖ room tag ‖ u8 alg ‖ var invite key ‖ u8 device alg ‖ var device key ‖ uvar ts
 *
 * (ts: the claim's signed time). Every peer checks the token's signature, that its issuer is an
 * organizer of the room, the proof, and counts the admissions per invite in the shared order, so
 * the first `max` devices are members and nobody after them. Parsing never throws: hostile tokens
 * read as null.
 */
import { GatherError } from '../errors.js';
import { decodePublicKey, keyGenParams, keyImportParams, PUBLIC_KEY_BYTES, signParams, SIGNATURE_BYTES } from './algorithms.js';
import { fromBase64url, toBase64url } from './base64url.js';
import { ByteReader, ByteWriter, utf8 } from './binary.js';
import { roomTag, ROOM_TAG_BYTES, type PreparedEntry } from './entries.js';
import type { SignatureAlgorithm, Signer } from './types.js';

/** Most devices one invite may admit. */
export const MAX_INVITE_DEVICES = 10_000;
/** Longest token read (base64url characters). */
export const MAX_TOKEN_CHARS = 400;
const VERSION = 0x02;
/** The format before invite keys: its links are recognised only to say they no longer work. */
const OUTDATED_VERSION = 0x01;
const ID_BYTES = 12;
/** Bytes of an invite's private key: an Ed25519 seed, a P-256 scalar. */
const SECRET_BYTES = 32;
const DOMAIN = utf8('gather/invite/2\n');
const CLAIM_DOMAIN = utf8('gather/invite-claim/1\n');
const ALG_CODES: Readonly<Record<SignatureAlgorithm, number>> = { Ed25519: 1, 'ECDSA-P256': 2 };
const ALGS: readonly (SignatureAlgorithm | undefined)[] = [undefined, 'Ed25519', 'ECDSA-P256'];

/** An invite, read from its token. */
export interface Capability {
  /** The token itself (base64url): what the membership entry carries. */
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
  /** The algorithm of the issuer's key and of the invite's. */
  readonly alg: SignatureAlgorithm;
  /** The organizer who signed it (base64url raw public key). */
  readonly issuer: string;
  /** The invite's own public key (base64url raw): it signs each device's claim. */
  readonly inviteKey: string;
}

/** An invite with its private key: what {@link createCapability} makes and an invite link carries. */
export interface Invite extends Capability {
  /** The invite's private key (base64url): in the link only, never in the room. */
  readonly secret: string;
  /** What the link carries after `#invite=`: `<token>.<secret>`. */
  readonly code: string;
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
  readonly issuerKey: Uint8Array<ArrayBuffer>;
  readonly inviteKeyBytes: Uint8Array<ArrayBuffer>;
  readonly signed: Uint8Array<ArrayBuffer>;
  readonly sig: Uint8Array<ArrayBuffer>;
}

const isTime = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/** The invite's private key as a JWK, its public half from the raw key (WebCrypto imports no raw private key). */
const secretJwk = (alg: SignatureAlgorithm, publicKey: Uint8Array, secret: Uint8Array): JsonWebKey =>
  alg === 'Ed25519'
    ? { kty: 'OKP', crv: 'Ed25519', x: toBase64url(publicKey), d: toBase64url(secret) }
    : { kty: 'EC', crv: 'P-256', x: toBase64url(publicKey.subarray(1, 33)), y: toBase64url(publicKey.subarray(33, 65)), d: toBase64url(secret) };

/**
 * Signs an invite as `signer` (an organizer of the room: peers count admissions only through an
 * organizer's invites), with a fresh key pair of its own. Rejects with `invalid-invite` for a
 * `max` or `expires` out of bounds.
 */
export const createCapability = async (signer: Signer, { room, max, expires = null, now = Date.now() }: CapabilityDraft): Promise<Invite> => {
  if (!Number.isSafeInteger(max) || max < 1 || max > MAX_INVITE_DEVICES) throw new GatherError('invalid-invite', `An invite admits 1–${MAX_INVITE_DEVICES} devices`);
  if (expires !== null && (!isTime(expires) || expires === 0)) throw new GatherError('invalid-invite', 'An invite expires at a time in milliseconds, or never (null)');
  const key = decodePublicKey(signer.alg, signer.publicKey);
  if (key === null) throw new GatherError('invalid-invite', 'The signer\'s public key does not fit its algorithm');
  const subtle = globalThis.crypto.subtle;
  const pair = (await subtle.generateKey(keyGenParams(signer.alg), true, ['sign', 'verify'])) as CryptoKeyPair;
  const invitePublic = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
  const secret = (await subtle.exportKey('jwk', pair.privateKey)).d;
  if (secret === undefined) throw new GatherError('invalid-invite', 'This platform cannot export an invite key');
  const w = new ByteWriter();
  w.byte(VERSION);
  w.bytes(fromBase64url(roomTag(room))!);
  w.bytes(globalThis.crypto.getRandomValues(new Uint8Array(ID_BYTES)));
  w.uvar(max);
  w.uvar(Math.floor(now));
  w.uvar(expires ?? 0);
  w.byte(ALG_CODES[signer.alg]);
  w.varBytes(key);
  w.varBytes(invitePublic);
  const body = w.finish();
  const sig = await signer.sign(signedBytes(body));
  const token = new Uint8Array(body.length + sig.length);
  token.set(body);
  token.set(sig, body.length);
  return readInvite(`${toBase64url(token)}.${secret}`)!;
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
    const keys: Uint8Array<ArrayBuffer>[] = [];
    for (let k = 0; k < 2; k++) {
      const keyLength = r.uvar();
      if (keyLength !== PUBLIC_KEY_BYTES[alg]) return null;
      const raw = r.take(keyLength);
      const key = raw === null ? null : decodePublicKey(alg, toBase64url(raw));
      if (key === null) return null;
      keys.push(key);
    }
    if (r.pos !== end) return null;
    const [issuerKey, inviteKeyBytes] = keys as [Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>];
    return {
      token,
      room: toBase64url(room),
      id: toBase64url(id),
      max,
      issued,
      expires: expires === 0 ? null : expires,
      alg,
      issuer: toBase64url(issuerKey),
      inviteKey: toBase64url(inviteKeyBytes),
      issuerKey,
      inviteKeyBytes,
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
  const { issuerKey: _issuer, inviteKeyBytes: _invite, signed: _signed, sig: _sig, ...capability } = parsed;
  return Object.freeze(capability);
};

/**
 * Reads an invite code (`<token>.<secret>`, what a link carries after `#invite=`): null for
 * anything else, an outdated link's included (see {@link outdatedInviteRoom}). No signature check.
 * Never throws.
 */
export const readInvite = (code: unknown): Invite | null => {
  if (typeof code !== 'string' || code.length > MAX_TOKEN_CHARS + 50) return null;
  const dot = code.indexOf('.');
  if (dot < 0) return null;
  const token = code.slice(0, dot);
  const secret = code.slice(dot + 1);
  const capability = readCapability(token);
  if (capability === null || fromBase64url(secret)?.length !== SECRET_BYTES) return null;
  return Object.freeze({ ...capability, secret, code });
};

/**
 * The room tag of an invite code or token in the format used before invites had keys of their own
 * (version 1): such links no longer admit anyone, and a page says so to whoever opens one. Null
 * for anything else. Never throws.
 */
export const outdatedInviteRoom = (value: unknown): string | null => {
  if (typeof value !== 'string' || value.length > MAX_TOKEN_CHARS) return null;
  const bytes = fromBase64url(value);
  if (bytes === null || bytes.length < 1 + ROOM_TAG_BYTES + ID_BYTES + 5 + SIGNATURE_BYTES || bytes[0] !== OUTDATED_VERSION) return null;
  return toBase64url(bytes.subarray(1, 1 + ROOM_TAG_BYTES));
};

const verdicts = new Map<string, Promise<boolean>>();
const MAX_VERDICTS = 2_000;

/** Whether `token` is a well-formed invite whose issuer's signature verifies (remembered per page). Never throws. */
export const verifyCapability = (token: unknown): Promise<boolean> => {
  const parsed = parse(token);
  if (parsed === null) return Promise.resolve(false);
  let verdict = verdicts.get(parsed.token);
  if (verdict === undefined) {
    verdict = (async () => {
      try {
        const subtle = globalThis.crypto.subtle;
        const key = await subtle.importKey('raw', parsed.issuerKey, keyImportParams(parsed.alg), false, ['verify']);
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

/* ------------------------------------------------------------------ claims */

/** The bytes an invite's key signs for one device's claim (see the module comment). */
const claimBytes = (capability: ParsedCapability, deviceAlg: SignatureAlgorithm, deviceKey: Uint8Array, ts: number): Uint8Array<ArrayBuffer> => {
  const w = new ByteWriter();
  w.bytes(CLAIM_DOMAIN);
  w.bytes(fromBase64url(capability.room)!);
  w.byte(ALG_CODES[capability.alg]);
  w.varBytes(capability.inviteKeyBytes);
  w.byte(ALG_CODES[deviceAlg]);
  w.varBytes(deviceKey);
  w.uvar(ts);
  return w.finish();
};

/**
 * The proof a device's claim carries: the invite key's signature (base64url) over the room, the
 * device's key and the claim's time. Rejects with `invalid-invite` when the code's private key
 * does not make a signature its public key verifies (a damaged link).
 */
export const signClaimProof = async (invite: Invite, device: { readonly alg: SignatureAlgorithm; readonly publicKey: string }, ts: number): Promise<string> => {
  const parsed = parse(invite.token);
  const deviceKey = decodePublicKey(device.alg, device.publicKey);
  const secret = fromBase64url(invite.secret);
  if (parsed === null || deviceKey === null || secret === null || !isTime(ts)) throw new GatherError('invalid-invite', 'This invite link is damaged');
  const subtle = globalThis.crypto.subtle;
  const data = claimBytes(parsed, device.alg, deviceKey, ts);
  let sig: Uint8Array<ArrayBuffer>;
  try {
    const key = await subtle.importKey('jwk', secretJwk(parsed.alg, parsed.inviteKeyBytes, secret), keyImportParams(parsed.alg), false, ['sign']);
    sig = new Uint8Array(await subtle.sign(signParams(parsed.alg), key, data));
    const check = await subtle.importKey('raw', parsed.inviteKeyBytes, keyImportParams(parsed.alg), false, ['verify']);
    if (!(await subtle.verify(signParams(parsed.alg), check, sig, data))) throw new Error('mismatched key');
  } catch (cause) {
    throw new GatherError('invalid-invite', 'This invite link is damaged', { cause });
  }
  return toBase64url(sig);
};

/**
 * A claim's proof as a job for the verification cache (the signed bytes name the invite's key, so
 * a verdict kept by their hash is this key's): null when the token, the device key, the time or
 * the proof do not read. Never throws.
 */
export const prepareClaimProof = (token: string, deviceAlg: SignatureAlgorithm, device: string, ts: number, proof: unknown): PreparedEntry | null => {
  try {
    const parsed = parse(token);
    const deviceKey = decodePublicKey(deviceAlg, device);
    const sig = typeof proof === 'string' && proof.length <= 100 ? fromBase64url(proof) : null;
    if (parsed === null || deviceKey === null || sig === null || sig.length !== SIGNATURE_BYTES || !isTime(ts)) return null;
    return { alg: parsed.alg, author: parsed.inviteKey, key: parsed.inviteKeyBytes, sig: sig as Uint8Array<ArrayBuffer>, data: claimBytes(parsed, deviceAlg, deviceKey, ts) };
  } catch {
    return null;
  }
};

/* ------------------------------------------------------------------ links */

/** What an invite link's fragment carries. */
export interface InviteFragment {
  /** The invite code (`<token>.<secret>`), or null when the fragment carries only a password. */
  readonly code: string | null;
  /** The room's password, or null. */
  readonly password: string | null;
  /** The room tag of an invite in the outdated format ({@link outdatedInviteRoom}), or null. */
  readonly outdated: string | null;
}

/** Longest password a link may carry. */
export const MAX_LINK_PASSWORD = 256;

/**
 * The invite link: `page` (the page the widgets are on) with `#invite=<code>` and, when given,
 * `&password=<password>` in its fragment. A fragment is never sent to a server: not to the site,
 * not to the signaling server, not to the keeper.
 */
export const inviteLink = (page: string, invite: Invite | string | null, password?: string | null): string => {
  const url = new URL(page);
  const params = new URLSearchParams();
  const code = typeof invite === 'string' ? invite : invite?.code;
  if (code) params.set('invite', code);
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
    const rawCode = params.get('invite');
    const rawPassword = params.get('password');
    const code = rawCode !== null && readInvite(rawCode) !== null ? rawCode : null;
    const outdated = code === null ? outdatedInviteRoom(rawCode) : null;
    const password = rawPassword !== null && rawPassword.length > 0 && rawPassword.length <= MAX_LINK_PASSWORD ? rawPassword : null;
    return code === null && password === null && outdated === null ? null : { code, password, outdated };
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
