/**
 * Encryption for what one person alone may read (a mutual-aid contact detail).
 *
 * Each device keeps ECDH key pairs beside its signing key (keys.ts's record, field `encryption`):
 * X25519 where the platform has it, and P-256 always (so that a browser without X25519 can still
 * write to this device). Their public halves are published in the signed entries that need them.
 *
 * A sealed message from S to R:
 *
 *     shared = ECDH(S's private key, R's public key)          (= ECDH(R's private, S's public))
 *     iv     = 12 fresh random bytes
 *     info   = "gather/seal/1\n" ‖ var context ‖ var S's raw public key ‖ var R's raw public key
 *     key    = HKDF-SHA-256(shared, salt = iv, info) → AES-256-GCM
 *     sealed = base64url(0x01 ‖ iv ‖ AES-GCM(key, iv, plaintext padded to 32 bytes, aad = info))
 *
 * `context` is what the caller binds the message to (room tag, widget, post id, purpose, both
 * signing keys), so a ciphertext copied into another post, widget, room or entry does not open.
 * The private keys are non-extractable: they never leave WebCrypto. Opening never throws: a
 * hostile or damaged message opens as null.
 */
import { GatherError } from '../errors.js';
import { fromBase64url, toBase64url } from './base64url.js';
import { ByteWriter, utf8 } from './binary.js';
import { DEVICE_RECORD_KEY, IDENTITY_STORE_NAME, openIdentityDatabase } from './keys.js';

/** The curves a device's encryption pairs use, the preferred first. */
export const ENCRYPTION_CURVES = ['X25519', 'P-256'] as const;
export type EncryptionCurve = (typeof ENCRYPTION_CURVES)[number];

/** Raw public key length per curve: X25519 32 bytes, P-256 uncompressed point 65 bytes (0x04‖x‖y). */
export const ENCRYPTION_KEY_BYTES: Readonly<Record<EncryptionCurve, number>> = Object.freeze({ X25519: 32, 'P-256': 65 });

const DOMAIN = 'gather/seal/1\n';
const SEAL_VERSION = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Plaintexts are padded to a multiple of this, so a ciphertext tells little of its length. */
const PAD_TO = 32;
/** Largest sealed message opened (bytes before base64url). */
export const MAX_SEALED_BYTES = 4096;

/** The curve of a base64url raw public key, by its length (and 0x04 for P-256); null when it is neither. */
export const curveOfKey = (key: unknown): EncryptionCurve | null => {
  if (typeof key !== 'string' || key.length > 100) return null;
  const bytes = fromBase64url(key);
  if (bytes === null) return null;
  if (bytes.length === ENCRYPTION_KEY_BYTES.X25519) return 'X25519';
  if (bytes.length === ENCRYPTION_KEY_BYTES['P-256'] && bytes[0] === 0x04) return 'P-256';
  return null;
};

const params = (curve: EncryptionCurve): AlgorithmIdentifier | EcKeyGenParams =>
  curve === 'X25519' ? { name: 'X25519' } : { name: 'ECDH', namedCurve: 'P-256' };

/** One stored pair, as IndexedDB keeps it (structured clone keeps CryptoKeys; the private one non-extractable). */
export interface StoredEncryptionPair {
  readonly curve: EncryptionCurve;
  readonly publicKey: CryptoKey;
  readonly privateKey: CryptoKey;
}

/**
 * What a device can do with its encryption pairs: seal a message for someone's public key, open
 * one sealed for it. Public keys are base64url raw keys ({@link curveOfKey}).
 */
export interface EncryptionIdentity {
  /** This device's public keys, the preferred curve first. */
  readonly publicKeys: readonly string[];
  /** This device's public key on `curve`, or null when it has none. */
  publicKeyOn(curve: EncryptionCurve): string | null;
  /**
   * Seals `plaintext` for `recipient` (a public key on one of this device's curves; this device's
   * own key seals for itself), bound to `context`. Rejects with `unsupported-algorithm` when this
   * device has no pair on the recipient's curve, `invalid-entry` for a malformed key.
   */
  seal(recipient: string, plaintext: Uint8Array, context: Uint8Array): Promise<string>;
  /** Opens what `sender` sealed for this device under `context`; null if it does not open. Never throws. */
  open(sender: string, sealed: string, context: Uint8Array): Promise<Uint8Array | null>;
}

/** The bytes HKDF's info and AES-GCM's additional data carry. */
const sealInfo = (context: Uint8Array, sender: Uint8Array, recipient: Uint8Array): Uint8Array<ArrayBuffer> => {
  const w = new ByteWriter();
  w.bytes(utf8(DOMAIN));
  w.varBytes(context);
  w.varBytes(sender);
  w.varBytes(recipient);
  return w.finish();
};

const pad = (plaintext: Uint8Array): Uint8Array<ArrayBuffer> => {
  // Length-prefixed (4 bytes), then zeros up to a multiple of PAD_TO.
  const total = Math.ceil((plaintext.length + 4) / PAD_TO) * PAD_TO;
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, plaintext.length);
  out.set(plaintext, 4);
  return out;
};

const unpad = (padded: Uint8Array): Uint8Array | null => {
  if (padded.length < 4 || padded.length % PAD_TO !== 0) return null;
  const length = new DataView(padded.buffer, padded.byteOffset, padded.byteLength).getUint32(0);
  if (length > padded.length - 4) return null;
  for (let i = 4 + length; i < padded.length; i++) if (padded[i] !== 0) return null;
  return padded.slice(4, 4 + length);
};

/** An {@link EncryptionIdentity} over existing pairs. */
export const encryptionFromPairs = async (pairs: readonly StoredEncryptionPair[]): Promise<EncryptionIdentity> => {
  const subtle = globalThis.crypto.subtle;
  const own = new Map<EncryptionCurve, { pair: StoredEncryptionPair; raw: Uint8Array<ArrayBuffer>; key: string }>();
  for (const pair of pairs) {
    if (own.has(pair.curve)) continue;
    const raw = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
    own.set(pair.curve, { pair, raw, key: toBase64url(raw) });
  }
  const publicKeys = Object.freeze(ENCRYPTION_CURVES.filter((c) => own.has(c)).map((c) => own.get(c)!.key));

  /** The AES key between this device's pair on `curve` and `peer`, for one message. */
  const messageKey = async (curve: EncryptionCurve, peer: Uint8Array<ArrayBuffer>, iv: Uint8Array<ArrayBuffer>, info: Uint8Array<ArrayBuffer>): Promise<CryptoKey> => {
    const mine = own.get(curve)!;
    const peerKey = await subtle.importKey('raw', peer, params(curve), true, []);
    const algorithm = curve === 'X25519' ? { name: 'X25519', public: peerKey } : { name: 'ECDH', public: peerKey };
    const shared = await subtle.deriveBits(algorithm as EcdhKeyDeriveParams, mine.pair.privateKey, 256);
    const base = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
    return subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: iv, info }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  };

  return Object.freeze({
    publicKeys,
    publicKeyOn: (curve: EncryptionCurve) => own.get(curve)?.key ?? null,
    async seal(recipient: string, plaintext: Uint8Array, context: Uint8Array): Promise<string> {
      const curve = curveOfKey(recipient);
      if (curve === null) throw new GatherError('invalid-entry', 'Not an encryption public key');
      const mine = own.get(curve);
      if (mine === undefined) throw new GatherError('unsupported-algorithm', `This device has no ${curve} key to write to this person with`);
      const peer = fromBase64url(recipient)!;
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const info = sealInfo(context, mine.raw, peer);
      const key = await messageKey(curve, peer, iv, info);
      const ciphertext = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: info }, key, pad(plaintext)));
      const out = new Uint8Array(1 + IV_BYTES + ciphertext.length);
      out[0] = SEAL_VERSION;
      out.set(iv, 1);
      out.set(ciphertext, 1 + IV_BYTES);
      return toBase64url(out);
    },
    async open(sender: string, sealed: string, context: Uint8Array): Promise<Uint8Array | null> {
      try {
        const curve = curveOfKey(sender);
        const mine = curve === null ? undefined : own.get(curve);
        if (curve === null || mine === undefined || typeof sealed !== 'string' || sealed.length > Math.ceil((MAX_SEALED_BYTES * 4) / 3)) return null;
        const bytes = fromBase64url(sealed);
        if (bytes === null || bytes.length < 1 + IV_BYTES + TAG_BYTES + PAD_TO || bytes[0] !== SEAL_VERSION) return null;
        const iv = bytes.slice(1, 1 + IV_BYTES);
        const peer = fromBase64url(sender)!;
        const info = sealInfo(context, peer, mine.raw);
        const key = await messageKey(curve, peer, iv, info);
        const padded = new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv, additionalData: info }, key, bytes.slice(1 + IV_BYTES)));
        return unpad(padded);
      } catch {
        return null;
      }
    },
  });
};

/** Generates a non-extractable pair on `curve`; null when the platform cannot. */
const generatePair = async (curve: EncryptionCurve): Promise<StoredEncryptionPair | null> => {
  try {
    const pair = (await globalThis.crypto.subtle.generateKey(params(curve), false, ['deriveBits'])) as CryptoKeyPair;
    return { curve, publicKey: pair.publicKey, privateKey: pair.privateKey };
  } catch {
    return null;
  }
};

/** Fresh pairs: X25519 where the platform has it, and P-256. */
export const generateEncryptionPairs = async (curves: readonly EncryptionCurve[] = ENCRYPTION_CURVES): Promise<StoredEncryptionPair[]> => {
  const pairs = (await Promise.all(curves.map(generatePair))).filter((p): p is StoredEncryptionPair => p !== null);
  if (pairs.length === 0) throw new GatherError('unsupported-algorithm', 'This platform cannot generate ECDH keys');
  return pairs;
};

/** A fresh in-memory encryption identity (nothing stored): for tests, stories and pages without IndexedDB. */
export const createEncryption = async (curves?: readonly EncryptionCurve[]): Promise<EncryptionIdentity> =>
  encryptionFromPairs(await generateEncryptionPairs(curves));

/* ---------------------------------------------------------------- the device's pairs */

const isStoredPairs = (value: unknown): value is StoredEncryptionPair[] =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every(
    (p) =>
      typeof p === 'object' &&
      p !== null &&
      (ENCRYPTION_CURVES as readonly unknown[]).includes((p as StoredEncryptionPair).curve) &&
      typeof CryptoKey !== 'undefined' &&
      (p as StoredEncryptionPair).publicKey instanceof CryptoKey &&
      (p as StoredEncryptionPair).privateKey instanceof CryptoKey,
  );

const rawPublicKey = async (key: unknown): Promise<string | null> => {
  try {
    return typeof CryptoKey !== 'undefined' && key instanceof CryptoKey ? toBase64url(new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', key))) : null;
  } catch {
    return null;
  }
};

/**
 * Reads the device record and, if its signing key is `signerKey`, its encryption pairs, storing
 * `fresh` first when it has none (in one readwrite transaction: two tabs end up with the same
 * pairs). Null when the record belongs to another signing key (or none).
 */
const devicePairs = async (signerKey: string, fresh: StoredEncryptionPair[]): Promise<StoredEncryptionPair[] | null> => {
  const db = await openIdentityDatabase();
  try {
    // The record's signing key, checked outside the transaction (exportKey is asynchronous).
    const record = await new Promise<unknown>((resolve, reject) => {
      const req = db.transaction(IDENTITY_STORE_NAME, 'readonly').objectStore(IDENTITY_STORE_NAME).get(DEVICE_RECORD_KEY);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const signing = typeof record === 'object' && record !== null ? (record as Record<string, unknown>)['signing'] : undefined;
    if ((await rawPublicKey((signing as { publicKey?: unknown } | undefined)?.publicKey)) !== signerKey) return null;
    return await new Promise<StoredEncryptionPair[]>((resolve, reject) => {
      const tx = db.transaction(IDENTITY_STORE_NAME, 'readwrite');
      const store = tx.objectStore(IDENTITY_STORE_NAME);
      let result = fresh;
      const get = store.get(DEVICE_RECORD_KEY);
      get.onsuccess = () => {
        const existing = get.result as Record<string, unknown> | undefined;
        if (existing !== undefined && isStoredPairs(existing['encryption'])) {
          result = existing['encryption'];
          return;
        }
        store.put({ ...existing, encryption: fresh }, DEVICE_RECORD_KEY);
      };
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
};

const bySigner = new Map<string, Promise<EncryptionIdentity>>();

/**
 * The encryption identity that goes with the signing key `signerKey`: the device's own pairs
 * (kept in IndexedDB beside the signing key, created on first use) when `signerKey` is the
 * device's signing key; otherwise — an in-memory signer, no IndexedDB (Node, some private modes)
 * — pairs kept for as long as the page is open. One per signing key per page.
 */
export const encryptionFor = (signerKey: string): Promise<EncryptionIdentity> => {
  let found = bySigner.get(signerKey);
  if (found === undefined) {
    found = (async () => {
      const fresh = await generateEncryptionPairs();
      let pairs: StoredEncryptionPair[] | null = null;
      if (typeof indexedDB !== 'undefined') {
        try {
          pairs = await devicePairs(signerKey, fresh);
        } catch {
          pairs = null; // storage failed: this page's pairs only
        }
      }
      return encryptionFromPairs(pairs ?? fresh);
    })();
    found.catch(() => bySigner.delete(signerKey));
    bySigner.set(signerKey, found);
  }
  return found;
};
