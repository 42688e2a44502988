/**
 * An organizer identity in memory ({@link OrganizerKey}), apart from backup.ts: a page signs with a
 * kept organizer key (organizer-store.ts) on every page, while making, backing up and restoring
 * keys is only the organizer panel's (backup.ts), so that code stays out of the core chunk.
 */
import { GatherError } from '../errors.js';
import { signParams } from './algorithms.js';
import { toBase64url } from './base64url.js';
import type { SignatureAlgorithm, Signer } from './types.js';

/**
 * An organizer identity held in memory: its public key (what the page names), a {@link Signer},
 * and the key pair (the private key extractable, for backup.ts's exportOrganizerKey).
 */
export interface OrganizerKey {
  readonly alg: SignatureAlgorithm;
  readonly publicKey: string;
  readonly signer: Signer;
  readonly keys: CryptoKeyPair;
}

/** WebCrypto, or `unsupported-algorithm` where there is none (a page on plain http). */
export const subtle = (): SubtleCrypto => {
  const found = globalThis.crypto?.subtle;
  if (found === undefined) throw new GatherError('unsupported-algorithm', 'No WebCrypto here (a page on plain http?): organizer keys need a secure context');
  return found;
};

/** A signer over a key pair, with the raw public key exported. */
const signerOf = async (alg: SignatureAlgorithm, keys: CryptoKeyPair): Promise<Signer> => {
  const raw = new Uint8Array(await subtle().exportKey('raw', keys.publicKey));
  const params = signParams(alg);
  return Object.freeze({
    publicKey: toBase64url(raw),
    alg,
    sign: async (data: Uint8Array): Promise<Uint8Array> => new Uint8Array(await subtle().sign(params, keys.privateKey, new Uint8Array(data))),
  });
};

/** An {@link OrganizerKey} over an existing pair (the private key extractable if it is to be backed up). */
export const organizerKeyFromPair = async (alg: SignatureAlgorithm, keys: CryptoKeyPair): Promise<OrganizerKey> => {
  const signer = await signerOf(alg, keys);
  return Object.freeze({ alg, publicKey: signer.publicKey, signer, keys });
};
