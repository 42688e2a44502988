import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { VerificationProgress } from '../../src/models/entry-model.js';
import type { ChangeOrigin, Model, ViewOrigin } from '../../src/models/model.types.js';
import type { SignedEntryModel } from '../../src/models/signed-entry-model.js';
import { sameValues } from './made-of.js';

const IDLE: VerificationProgress = Object.freeze({ verified: 0, total: 0 });

/** How a widget's model is made and what it hears from it. */
export interface ModelSpec<View, M extends Model<View>, Args extends readonly unknown[]> {
  /**
   * What the model is built from (`[room, signer, name]`), read on each update; null while
   * something it needs is still loading. When any argument changes, the model is built again.
   */
  args(): Args | null;
  /** Builds the model from its arguments. */
  create(...args: Args): M;
  /** Called after each change of the view that came from this visitor or a peer. */
  changed(view: View, origin: ChangeOrigin): void;
  /**
   * Whether the host shows this verification progress (a long first sync): the host renders again
   * as progress moves only while it shows it, and once when it stops. Always, if left out.
   */
  showsProgress?(progress: VerificationProgress): boolean;
}

/**
 * Binds one model to a widget: builds it from its arguments, re-renders the host on every
 * change of its view, and destroys it when the arguments change or the host leaves the page.
 * `ready` resolves once a model exists and has loaded what the room already held.
 */
export class ModelController<View, M extends Model<View>, Args extends readonly unknown[]> implements ReactiveController {
  /** The model, or null while its arguments are not all there. */
  value: M | null = null;

  private args: Args | null = null;
  private unsubscribe: (() => void) | null = null;
  private unsubscribeProgress: (() => void) | null = null;
  private unsubscribeRepaired: (() => void) | null = null;
  private whenModel!: Promise<M>;
  private resolveModel: ((model: M) => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly spec: ModelSpec<View, M, Args>,
  ) {
    this.resetReady();
    host.addController(this);
  }

  /** The model's current view, or null while there is no model. */
  get view(): View | null {
    return this.value?.view ?? null;
  }

  /** How far verification has got (`verified` of `total`; equal when idle), for models that verify in slices. */
  get progress(): VerificationProgress {
    return (this.value as Partial<Pick<SignedEntryModel<never, View>, 'progress'>> | null)?.progress ?? IDLE;
  }

  /** Entries this browser has put back after a peer removed or damaged them (0 for models that do not heal). */
  get repaired(): number {
    return (this.value as Partial<Pick<SignedEntryModel<never, View>, 'repaired'>> | null)?.repaired ?? 0;
  }

  /** `pending` while there is no model (its room or identity is loading), then `complete`. */
  get status(): 'pending' | 'complete' {
    return this.value === null ? 'pending' : 'complete';
  }

  /** Renders by status, as Lit's `Task.render` does: `complete` gets the view. */
  render<R>(renderers: { pending?: () => R; complete: (view: View) => R }): R | undefined {
    return this.value === null ? renderers.pending?.() : renderers.complete(this.value.view);
  }

  /** Resolves once there is a model and it has verified and derived what its room holds. */
  get ready(): Promise<void> {
    return this.whenModel.then((model) => model.settled());
  }

  hostUpdate(): void {
    const args = this.spec.args();
    if (sameValues(args, this.args)) return;
    this.teardown();
    if (args === null) return;
    const model = this.spec.create(...args);
    this.unsubscribe = model.subscribe((view, origin: ViewOrigin) => {
      this.host.requestUpdate();
      if (origin !== 'config') this.spec.changed(view, origin);
    });
    // Models that verify in slices (SignedEntryModel) report how far a long first sync has got.
    const verifying = model as Partial<Pick<SignedEntryModel<never, View>, 'subscribeProgress'>>;
    // One more ballot is a burst of one: not a render of its own while it is checked.
    let shown = false;
    this.unsubscribeProgress =
      verifying.subscribeProgress?.((progress) => {
        const shows = this.spec.showsProgress?.(progress) ?? true;
        if (shows || shown) this.host.requestUpdate();
        shown = shows;
      }) ?? null;
    // Models that heal their room (SignedEntryModel) say when they put back what a peer removed.
    const healing = model as Partial<Pick<SignedEntryModel<never, View>, 'subscribeRepaired'>>;
    this.unsubscribeRepaired = healing.subscribeRepaired?.(() => this.host.requestUpdate()) ?? null;
    this.value = model;
    this.args = args;
    this.resolveModel?.(model);
    this.resolveModel = null;
  }

  hostDisconnected(): void {
    this.teardown();
  }

  /** A new `ready` promise, unless the current one still waits for its first model (its waiters keep it). */
  private resetReady(): void {
    if (this.resolveModel !== null) return;
    this.whenModel = new Promise((resolve) => (this.resolveModel = resolve));
  }

  private teardown(): void {
    if (this.value === null) return;
    this.unsubscribe?.();
    this.unsubscribeProgress?.();
    this.unsubscribeProgress = null;
    this.unsubscribeRepaired?.();
    this.unsubscribeRepaired = null;
    this.value.destroy();
    this.value = null;
    this.args = null;
    this.unsubscribe = null;
    this.resetReady();
  }
}
