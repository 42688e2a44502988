/** Signature algorithms an entry may name. Ed25519 where the platform has it, ECDSA P-256 otherwise. */
export const SIGNATURE_ALGORITHMS = ['Ed25519', 'ECDSA-P256'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/**
 * A device's signing identity. `publicKey` is the base64url encoding of the raw public key
 * (32 bytes for Ed25519, 65 bytes uncompressed for ECDSA P-256); it is the author id in entries.
 */
export interface Signer {
  readonly publicKey: string;
  readonly alg: SignatureAlgorithm;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** The fields every signed entry carries, whatever its kind. */
export interface EntryHeader {
  /** Entry format version: 2 (compact, written now) or 1 (JSON, still read). See entries.ts. */
  readonly v: 1 | 2;
  /** What the entry is (`ballot`, later `claim`, `post`, `close`, …). */
  readonly type: string;
  /** The widget it belongs to: the root map's name (`poll:lunch`), so an entry cannot be replayed elsewhere. */
  readonly scope: string;
  /**
   * v2: the tag of the room the entry was written in (`roomTag(name)`), so it cannot be replayed
   * into another room; absent for a document that belongs to no room (and in v1 entries).
   */
  readonly room?: string;
  /** base64url raw public key of the signing device. */
  readonly author: string;
  readonly alg: SignatureAlgorithm;
  /** Milliseconds since the epoch, as the author's clock saw it. */
  readonly ts: number;
}

/** A signed entry: the header, the kind's body fields, and `sig` (base64url) over the canonical encoding of the rest. */
export type SignedEntry<Body extends object = Record<string, unknown>> = EntryHeader & Body & { readonly sig: string };
