import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Signer } from '../../src/identity/types.js';
import type { ChangeOrigin, Model } from '../../src/models/model.types.js';
import type { Room } from '../../src/room/types.js';
import type { RoomController } from './room-controller.js';

export interface ModelSpec<View, M extends Model<View>> {
  /** Builds the widget's model once its room and signer are ready. */
  create(room: Room, signer: Signer): M;
  /** What identifies the model (the widget's `name`); a new key builds a new model. */
  key(): string;
  /** Called after every change of the view. */
  changed(view: View, origin: ChangeOrigin): void;
}

/**
 * Binds a model to a widget: builds it when the room and signer are ready, re-renders the host on
 * every change of its view, and tears it down when the room, signer or key change or the host leaves.
 */
export class ModelController<View, M extends Model<View>> implements ReactiveController {
  model: M | null = null;
  private bound: { room: Room; signer: Signer; key: string; unsubscribe: () => void } | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly rooms: RoomController,
    private readonly spec: ModelSpec<View, M>,
  ) {
    host.addController(this);
  }

  /** The model's current view, or null while the room or identity is still loading. */
  get view(): View | null {
    return this.model?.view ?? null;
  }

  hostUpdate(): void {
    const { room, signer } = this.rooms;
    const key = this.spec.key();
    const bound = this.bound;
    if (bound && bound.room === room && bound.signer === signer && bound.key === key) return;
    this.teardown();
    if (!room || !signer) return;
    const model = this.spec.create(room, signer);
    const unsubscribe = model.subscribe((view, origin) => {
      this.host.requestUpdate();
      this.spec.changed(view, origin);
    });
    this.model = model;
    this.bound = { room, signer, key, unsubscribe };
  }

  hostDisconnected(): void {
    this.teardown();
  }

  private teardown(): void {
    this.bound?.unsubscribe();
    this.model?.destroy();
    this.model = null;
    this.bound = null;
  }
}
