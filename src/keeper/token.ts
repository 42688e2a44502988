/**
 * The token a client of a password room shows the keeper: proof that it knows
 * the room's password, without sending the password. Framework-free; runs in
 * browsers and in Node ≥ 20 (WebCrypto).
 *
 * token = base64url(PBKDF2-SHA-256(password, salt = "gather-keeper-token/v1\0" + room, 100 000 iterations, 256 bits))
 *
 * The salt differs from y-webrtc's (which derives the room's encryption key
 * from the same password), so the token reveals nothing about that key. The
 * keeper stores only SHA-256 of the token. An open room (no password) sends
 * the empty string.
 *
 * @example
 * import { HocuspocusProvider } from '@hocuspocus/provider';
 * const token = password ? await keeperToken(room, password) : '';
 * new HocuspocusProvider({ url: 'wss://keeper.example/sync', name: room, document: doc, token });
 *
 * @module
 */
import { toBase64url } from '../identity/base64url.js';

/** PBKDF2 iterations: about 50 ms in a browser, once per room and page. */
export const TOKEN_ITERATIONS = 100_000;

/** Derives the keeper token of `room` for `password` (base64url, 43 characters). */
export async function keeperToken(room: string, password: string): Promise<string> {
  const encoder = new TextEncoder();
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: encoder.encode(`gather-keeper-token/v1\0${room}`), iterations: TOKEN_ITERATIONS },
    key,
    256,
  );
  return toBase64url(new Uint8Array(bits));
}

