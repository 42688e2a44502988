/**
 * The signature algorithms an entry may name, and the WebCrypto parameters and key sizes of each.
 * Ed25519 where the platform has it; ECDSA P-256 where it does not.
 */
import { fromBase64url } from './base64url.js';
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from './types.js';

/** Raw public key length per algorithm: Ed25519 32 bytes, P-256 uncompressed point 65 bytes (0x04‖x‖y). */
export const PUBLIC_KEY_BYTES: Readonly<Record<SignatureAlgorithm, number>> = Object.freeze({
  Ed25519: 32,
  'ECDSA-P256': 65,
});
/** Signature length: Ed25519 64 bytes; ECDSA P-256 r‖s (IEEE P1363, what WebCrypto produces) 64 bytes. */
export const SIGNATURE_BYTES = 64;

/** WebCrypto parameters to generate a key pair for `alg`. */
export const keyGenParams = (alg: SignatureAlgorithm): AlgorithmIdentifier | EcKeyGenParams =>
  alg === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };

/** WebCrypto parameters to import a raw public key for `alg`. */
export const keyImportParams = (alg: SignatureAlgorithm): AlgorithmIdentifier | EcKeyImportParams =>
  alg === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };

/** WebCrypto parameters to sign or verify with `alg`. */
export const signParams = (alg: SignatureAlgorithm): AlgorithmIdentifier | EcdsaParams =>
  alg === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };

/** Whether `value` names a known signature algorithm. */
export const isSignatureAlgorithm = (value: unknown): value is SignatureAlgorithm =>
  typeof value === 'string' && (SIGNATURE_ALGORITHMS as readonly string[]).includes(value);

/**
 * Decodes `author` as a raw public key for `alg`, checking its length (and the 0x04 prefix of an
 * uncompressed P-256 point). Null when it is not one.
 */
export const decodePublicKey = (alg: SignatureAlgorithm, author: string): Uint8Array<ArrayBuffer> | null => {
  const bytes = fromBase64url(author);
  if (bytes === null || bytes.length !== PUBLIC_KEY_BYTES[alg]) return null;
  if (alg === 'ECDSA-P256' && bytes[0] !== 0x04) return null;
  return bytes;
};
