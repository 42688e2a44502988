import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Signer } from '../../src/identity/types.js';
import { onVisitorSignerChange } from './visitor-signer.js';

const noop = (): void => undefined;

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

  /**
   * @param changed Called when {@link signer} changes while the host is connected: settled, or
   *   back to null as a new identity is asked for.
   */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly request: () => Promise<Signer>,
    private readonly changed?: () => void,
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
    const had = this.signer;
    this.signer = null;
    this.error = null;
    this.status = 'pending';
    if (had !== null) this.changed?.();
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

  /** Resolves once the identity asked for last has settled (at once if it has, or if none is asked for). */
  async whenSettled(): Promise<void> {
    while (this.status === 'pending' && this.pending !== null) await this.pending.then(noop, noop);
  }

  private settle(pending: Promise<Signer>, status: SignerStatus, signer: Signer | null, error: unknown): void {
    if (this.pending !== pending) return;
    this.status = status;
    this.signer = signer;
    this.error = error;
    this.changed?.();
    this.host.requestUpdate();
  }
}
