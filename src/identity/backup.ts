/**
 * Organizer identities: a signing key a person makes once (in the browser's `<gather-organizer>`
 * panel or with `gather keygen`), names in `organizer="…"`, and carries to another device as a
 * file protected by a passphrase.
 *
 * Unlike a device key (keys.ts), an organizer key's private half is extractable: it must be, to
 * be backed up. The backup file is JSON:
 *
 *     {
 *       "format": "gather-organizer-key", "version": 1,
 *       "alg": "Ed25519", "publicKey": "<base64url raw public key>",
 *       "kdf": { "name": "PBKDF2", "hash": "SHA-256", "iterations": 600000, "salt": "<16 bytes>" },
 *       "cipher": { "name": "AES-GCM", "iv": "<12 bytes>" },
 *       "privateKey": "<AES-256-GCM of the PKCS #8 private key>"
 *     }
 *
 * The AES key is PBKDF2-HMAC-SHA-256 of the passphrase (600,000 iterations by default, OWASP's
 * 2023 figure) over a fresh salt; the header (format, version, alg, public key, iterations) is
 * the additional authenticated data, so a file whose public key or cost was edited does not
 * open. Restoring checks that the private key signs for the named public key.
 * Runs in browsers and in Node 20 (`globalThis.crypto.subtle`).
 */
import { GatherError } from '../errors.js';
import { isRecord } from '../plain.js';
import { decodePublicKey, isSignatureAlgorithm, keyGenParams, keyImportParams, signParams } from './algorithms.js';
import { fromBase64url, toBase64url } from './base64url.js';
import { utf8 } from './binary.js';
import { organizerKeyFromPair, subtle, type OrganizerKey } from './organizer-key.js';
import type { SignatureAlgorithm } from './types.js';

export { organizerKeyFromPair, type OrganizerKey } from './organizer-key.js';

/** The `format` field of a backup file. */
export const BACKUP_FORMAT = 'gather-organizer-key';
/** The version of the backup format this code writes and reads. */
export const BACKUP_VERSION = 1;
/** PBKDF2 iterations a new backup uses. */
export const BACKUP_ITERATIONS = 600_000;
/** Fewest iterations a backup may name (tests use few; a file naming fewer is refused). */
export const MIN_BACKUP_ITERATIONS = 1_000;
/** Most iterations a backup may name (a file cannot make a restore run for minutes). */
export const MAX_BACKUP_ITERATIONS = 10_000_000;
/** Shortest passphrase a backup takes. */
export const MIN_PASSPHRASE_LENGTH = 10;
/** Largest backup file read, in characters. */
export const MAX_BACKUP_CHARS = 16_384;
/** What a backup file is called by default. */
export const BACKUP_FILE_SUFFIX = '.gather-key.json';

const SALT_BYTES = 16;
const IV_BYTES = 12;

/** The backup file, parsed. */
interface BackupFile {
  readonly format: typeof BACKUP_FORMAT;
  readonly version: typeof BACKUP_VERSION;
  readonly alg: SignatureAlgorithm;
  readonly publicKey: string;
  readonly kdf: { readonly name: 'PBKDF2'; readonly hash: 'SHA-256'; readonly iterations: number; readonly salt: string };
  readonly cipher: { readonly name: 'AES-GCM'; readonly iv: string };
  readonly privateKey: string;
}

/**
 * Makes a new organizer identity: Ed25519 (or, where the platform lacks it, ECDSA P-256, or the
 * algorithm asked for). Rejects with `unsupported-algorithm` when the platform can make neither.
 */
export const createOrganizerKey = async (alg?: SignatureAlgorithm): Promise<OrganizerKey> => {
  const tries: SignatureAlgorithm[] = alg === undefined ? ['Ed25519', 'ECDSA-P256'] : [alg];
  let cause: unknown;
  for (const candidate of tries) {
    try {
      const keys = (await subtle().generateKey(keyGenParams(candidate), true, ['sign', 'verify'])) as CryptoKeyPair;
      return await organizerKeyFromPair(candidate, keys);
    } catch (error) {
      cause = error;
    }
  }
  throw new GatherError('unsupported-algorithm', 'This platform cannot make a signing key', { cause });
};

/** The bytes the cipher authenticates besides the private key: everything that names the key and its cost. */
const additionalData = (alg: SignatureAlgorithm, publicKey: string, iterations: number): Uint8Array<ArrayBuffer> =>
  utf8(`${BACKUP_FORMAT}/${BACKUP_VERSION}\n${alg}\n${publicKey}\n${iterations}\n`) as Uint8Array<ArrayBuffer>;

const passphraseKey = async (passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> => {
  const base = await subtle().importKey('raw', utf8(passphrase.normalize('NFC')) as Uint8Array<ArrayBuffer>, 'PBKDF2', false, ['deriveKey']);
  return subtle().deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
};

/** Options of {@link exportOrganizerKey}. */
export interface ExportOptions {
  /** PBKDF2 iterations ({@link BACKUP_ITERATIONS} by default; tests use fewer). */
  readonly iterations?: number;
}

/**
 * The backup file of `key` (JSON text), its private key encrypted under `passphrase`. Rejects with
 * `invalid-field` for a passphrase shorter than {@link MIN_PASSPHRASE_LENGTH} or an iteration count
 * out of bounds, `unsupported-algorithm` when the private key cannot be exported.
 */
export const exportOrganizerKey = async (key: OrganizerKey, passphrase: string, { iterations = BACKUP_ITERATIONS }: ExportOptions = {}): Promise<string> => {
  if (typeof passphrase !== 'string' || [...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new GatherError('invalid-field', `A backup passphrase has at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
  if (!Number.isSafeInteger(iterations) || iterations < MIN_BACKUP_ITERATIONS || iterations > MAX_BACKUP_ITERATIONS) {
    throw new GatherError('invalid-field', `Iterations must be ${MIN_BACKUP_ITERATIONS}–${MAX_BACKUP_ITERATIONS}`);
  }
  let pkcs8: Uint8Array<ArrayBuffer>;
  try {
    pkcs8 = new Uint8Array(await subtle().exportKey('pkcs8', key.keys.privateKey));
  } catch (cause) {
    throw new GatherError('unsupported-algorithm', 'This key cannot be backed up (its private half is not exportable)', { cause });
  }
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const aes = await passphraseKey(passphrase, salt, iterations);
  const sealed = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: additionalData(key.alg, key.publicKey, iterations) }, aes, pkcs8));
  pkcs8.fill(0);
  const file: BackupFile = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    alg: key.alg,
    publicKey: key.publicKey,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: toBase64url(salt) },
    cipher: { name: 'AES-GCM', iv: toBase64url(iv) },
    privateKey: toBase64url(sealed),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
};

const bytesOf = (value: unknown, length?: number): Uint8Array<ArrayBuffer> | null => {
  if (typeof value !== 'string' || value.length > MAX_BACKUP_CHARS) return null;
  const bytes = fromBase64url(value);
  return bytes === null || (length !== undefined && bytes.length !== length) ? null : (bytes as Uint8Array<ArrayBuffer>);
};

/** Parses and checks a backup file's text; null for anything that is not one. Never throws. */
const parseBackup = (text: unknown): BackupFile | null => {
  try {
    if (typeof text !== 'string' || text.length > MAX_BACKUP_CHARS) return null;
    const file: unknown = JSON.parse(text);
    if (!isRecord(file) || file['format'] !== BACKUP_FORMAT || file['version'] !== BACKUP_VERSION) return null;
    const { alg, publicKey, kdf, cipher, privateKey } = file;
    if (!isSignatureAlgorithm(alg) || typeof publicKey !== 'string' || decodePublicKey(alg, publicKey) === null) return null;
    if (!isRecord(kdf) || kdf['name'] !== 'PBKDF2' || kdf['hash'] !== 'SHA-256') return null;
    const iterations = kdf['iterations'];
    if (!Number.isSafeInteger(iterations) || (iterations as number) < MIN_BACKUP_ITERATIONS || (iterations as number) > MAX_BACKUP_ITERATIONS) return null;
    if (bytesOf(kdf['salt'], SALT_BYTES) === null) return null;
    if (!isRecord(cipher) || cipher['name'] !== 'AES-GCM' || bytesOf(cipher['iv'], IV_BYTES) === null) return null;
    const sealed = bytesOf(privateKey);
    if (sealed === null || sealed.length < 17) return null;
    return file as unknown as BackupFile;
  } catch {
    return null;
  }
};

/** Whether `text` looks like a backup file (its shape only; opening it needs the passphrase). */
export const isOrganizerBackup = (text: unknown): boolean => parseBackup(text) !== null;

/** The public key a backup file names, without opening it; null for anything that is not a backup. */
export const backupPublicKey = (text: unknown): string | null => parseBackup(text)?.publicKey ?? null;

/**
 * Opens a backup file with its passphrase. Rejects with a {@link GatherError}: `invalid-backup`
 * (not a backup file, or one whose private key does not sign for its public key),
 * `wrong-passphrase` (it does not open: the passphrase, or the file, is not the one written),
 * `unsupported-algorithm` (this platform lacks the key's algorithm). The restored private key is
 * extractable, so it can be backed up again from here.
 */
export const restoreOrganizerKey = async (text: string, passphrase: string): Promise<OrganizerKey> => {
  const file = parseBackup(text);
  if (file === null) throw new GatherError('invalid-backup', 'This is not a Gather organizer key file');
  const { alg, publicKey, kdf, cipher } = file;
  let pkcs8: Uint8Array<ArrayBuffer>;
  try {
    const aes = await passphraseKey(typeof passphrase === 'string' ? passphrase : '', bytesOf(kdf.salt)!, kdf.iterations);
    const aad = additionalData(alg, publicKey, kdf.iterations);
    pkcs8 = new Uint8Array(await subtle().decrypt({ name: 'AES-GCM', iv: bytesOf(cipher.iv)!, additionalData: aad }, aes, bytesOf(file.privateKey)!));
  } catch (cause) {
    throw new GatherError('wrong-passphrase', 'The passphrase does not open this key file', { cause });
  }
  let keys: CryptoKeyPair;
  try {
    const privateKey = await subtle().importKey('pkcs8', pkcs8, keyImportParams(alg), true, ['sign']);
    const publicKeyObject = await subtle().importKey('raw', decodePublicKey(alg, publicKey)!, keyImportParams(alg), true, ['verify']);
    keys = { privateKey, publicKey: publicKeyObject };
  } catch (cause) {
    throw new GatherError(cause instanceof DOMException && cause.name === 'NotSupportedError' ? 'unsupported-algorithm' : 'invalid-backup', 'The key in this file cannot be used here', { cause });
  } finally {
    pkcs8.fill(0);
  }
  // The private key must sign for the public key the file names (the page names that one).
  const probe = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const signature = await subtle().sign(signParams(alg), keys.privateKey, probe);
  if (!(await subtle().verify(signParams(alg), keys.publicKey, signature, probe))) {
    throw new GatherError('invalid-backup', 'The private key in this file does not match its public key');
  }
  return organizerKeyFromPair(alg, keys);
};

/** A file name for the backup of `publicKey`: `organizer-<first 8 characters>.gather-key.json`. */
export const backupFileName = (publicKey: string): string => `organizer-${publicKey.slice(0, 8).replace(/[^A-Za-z0-9_-]/g, '')}${BACKUP_FILE_SUFFIX}`;

/**
 * A long random password (for a room): `groups` groups of 5 characters from a 31-character
 * alphabet without look-alikes, joined by `-`: 5 groups carry about 124 bits.
 */
export const generatePassword = (groups = 5): string => {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'; // no i, l, o, 0, 1: read aloud or copied by hand
  const out: string[] = [];
  for (let g = 0; g < groups; g++) {
    let group = '';
    while (group.length < 5) {
      const [byte] = globalThis.crypto.getRandomValues(new Uint8Array(1));
      // Rejection sampling: no letter is likelier than another.
      if (byte! < 256 - (256 % alphabet.length)) group += alphabet[byte! % alphabet.length];
    }
    out.push(group);
  }
  return out.join('-');
};
