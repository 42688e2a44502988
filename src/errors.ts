/** What went wrong, for code that wants to react (a component shows a message per code). */
export type GatherErrorCode =
  /** A command named something the widget does not have (an option, a slot, a post). */
  | 'unknown-option'
  /** A signup sheet has no slot of that name. */
  | 'unknown-slot'
  /** A display name that is empty or too long, or a note that is too long. */
  | 'invalid-name'
  /** A thread has no such comment or proposal, or none of this visitor's (edit, retract). */
  | 'unknown-comment'
  /** A comment, proposal, outcome or hide reason that is empty or too long. */
  | 'invalid-text'
  /** The thread is locked by an organizer: no new comments, edits, reactions or proposals. */
  | 'locked'
  /** This visitor has written as many comments as a thread takes from one person for now. */
  | 'rate-limited'
  /** A ballot the poll's kind does not allow (duplicates, too many choices, a score out of range, a reason too long). */
  | 'invalid-ballot'
  /** The poll or signup slot is closed: by its closing time, its end, or an organizer. */
  | 'closed'
  /** An organizer's command, and this visitor's key is not among the widget's `organizer` keys. */
  | 'not-organizer'
  /** A command needs a signing identity and the model has none (read-only). */
  | 'no-signer'
  /** An entry's canonical encoding exceeds the largest size an entry may have. */
  | 'entry-too-large'
  /** A value cannot be encoded as an entry (non-finite number, cycle, non-plain object, …). */
  | 'invalid-entry'
  /** The platform cannot generate or use the requested signature algorithm. */
  | 'unsupported-algorithm'
  /** No IndexedDB (Node, some private modes): no per-device identity can be kept. */
  | 'no-indexeddb'
  /** IndexedDB exists but the device identity could not be opened or stored. */
  | 'identity-unavailable'
  /** The model was destroyed. */
  | 'destroyed'
  /** A field is missing, too long, or not one the widget allows (a post's title, a contact). */
  | 'invalid-field'
  /** This visitor already has as many open posts (or responses) as every peer accepts. */
  | 'limit-reached'
  /** Only the author of a post can do this (accept, un-match, mark done or withdrawn). */
  | 'not-author'
  /** The post no longer takes responses (matched, done, withdrawn, expired or hidden). */
  | 'not-open'
  /** Not an organizer key file, or one whose private key does not match its public key. */
  | 'invalid-backup'
  /** The passphrase does not open the organizer key file. */
  | 'wrong-passphrase'
  /** An invite that is malformed, badly signed, for another room, expired or revoked. */
  | 'invalid-invite';

/**
 * The one error class models, rooms and identity throw on a caller's mistake. Hostile or malformed
 * data from peers is never thrown on: it is ignored.
 */
export class GatherError extends Error {
  readonly code: GatherErrorCode;

  constructor(code: GatherErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GatherError';
    this.code = code;
  }
}
