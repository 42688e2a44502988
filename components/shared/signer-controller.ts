import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Signer } from '../../src/identity/types.js';
import { onVisitorSignerChange } from './visitor-signer.js';

/** Where resolving the signer stands, as Lit's `Task` names it. */
export type SignerStatus = 'pending' | 'complete' | 'error';

/**
 * Resolves the identity that signs this visitor's entries (a promise the host names on each
 * update), and re-renders the host when it settles. A new promise starts over; a stale one is
 * ignored when it settles.
 */
export class SignerController implements ReactiveController {
  /** The signer, once resolved; null while pending or after an error. */
  signer: Signer | null = null;
  /** Why no signer could be made (no WebCrypto on a plain-http page, …), or null. */
  error: unknown = null;
  status: SignerStatus = 'pending';

  private pending: Promise<Signer> | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly request: () => Promise<Signer>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    // The visitor's identity changed (an organizer key restored or forgotten): ask again.
    this.unsubscribe ??= onVisitorSignerChange(() => this.host.requestUpdate());
  }

  hostUpdate(): void {
    const pending = this.request();
    if (this.pending === pending) return;
    this.pending = pending;
    this.signer = null;
    this.error = null;
    this.status = 'pending';
    pending.then(
      (signer) => this.settle(pending, 'complete', signer, null),
      (error: unknown) => this.settle(pending, 'error', null, error),
    );
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.pending = null;
    this.signer = null;
    this.error = null;
    this.status = 'pending';
  }

  /** Whether resolving has finished, with a signer or without one (the widget is read-only then). */
  get settled(): boolean {
    return this.status !== 'pending';
  }

  private settle(pending: Promise<Signer>, status: SignerStatus, signer: Signer | null, error: unknown): void {
    if (this.pending !== pending) return;
    this.status = status;
    this.signer = signer;
    this.error = error;
    this.host.requestUpdate();
  }
}
