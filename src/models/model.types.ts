/** Whether a change came from this visitor's own action or from elsewhere (a peer, storage). */
export type ChangeOrigin = 'local' | 'remote';

/**
 * Why a model's view changed: a {@link ChangeOrigin}, or `config` when the page changed the
 * widget's own configuration (its question, options, organizers). Widgets fire `gather-change`
 * only for `local` and `remote`, as native and Shoelace controls fire no change event for a
 * change the page made itself.
 */
export type ViewOrigin = ChangeOrigin | 'config';

/** The contract every widget model keeps: a frozen view, a change subscription, a lifetime. */
export interface Model<View> {
  /** The current derived view: frozen, plain data, no Yjs types. */
  readonly view: View;
  /** Called after the view changes; returns an unsubscribe function. */
  subscribe(listener: (view: View, origin: ViewOrigin) => void): () => void;
  /** Resolves when every change seen so far has been verified and derived into `view`. */
  settled(): Promise<void>;
  destroy(): void;
}
