import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { getDisplayName } from '../../src/identity/display-name.js';
import type { Signer } from '../../src/identity/types.js';
import type { Presence, PresenceView } from '../../src/models/presence.js';
import type { Room } from '../../src/room/types.js';
import { threadModel } from './lazy-model.js';
import { sameValues } from '../shared/made-of.js';

/**
 * Holds this visitor's presence on one widget of a room (see src/models/presence.ts): made for
 * `[room, scope, signer]`, made again when one changes, ended when the host leaves the page.
 * Re-renders the host when the count or the named readers change.
 */
export class PresenceController implements ReactiveController {
  private presence: Presence | null = null;
  private off: (() => void) | null = null;
  private key: readonly unknown[] = [];

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  /** Who is reading now; null where the room has no awareness (or none is bound yet). */
  get view(): PresenceView | null {
    return this.presence?.view ?? null;
  }

  /** Binds to `room`'s awareness for `scope`, signing with `signer` (null: counted, not named). */
  bind(room: Room | null, scope: string, signer: Signer | null): void {
    const key = [room, scope, signer];
    if (sameValues(key, this.key)) return;
    this.end();
    this.key = key;
    // Its code comes with the thread's model (bound once the view has loaded, so it has come).
    const code = threadModel.value;
    if (room?.awareness === undefined || code === null) return;
    this.presence = new code.Presence(room.awareness, { scope, room: room.name, signer, name: getDisplayName });
    this.off = this.presence.subscribe(() => {
      // Not for a host taken off the page (its room, leaving before this controller hears of it, ends the presence).
      if (this.host.isConnected) this.host.requestUpdate();
    });
  }

  /** Says again, with the current display name, that this visitor is here. */
  refresh(): void {
    void this.presence?.announce();
  }

  hostDisconnected(): void {
    this.end();
    this.key = [];
  }

  private end(): void {
    this.off?.();
    this.presence?.destroy();
    this.presence = null;
    this.off = null;
  }
}
