import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Room, RoomOptions, RoomSource, RoomStatus } from '../../src/room/types.js';

/** The room a widget wants, fully resolved. */
export interface RoomRequest {
  readonly name: string;
  readonly options: RoomOptions;
  readonly source: RoomSource;
}

const CONNECTING: RoomStatus = Object.freeze({ state: 'connecting', peers: 0, saved: false, keeper: 'none', unsaved: 0 });

/**
 * Holds a widget's lease on its room: acquires the room its host asks for on each update when the
 * request changed, releases it when the host leaves the page, and re-renders the host when the
 * room's status changes.
 */
export class RoomController implements ReactiveController {
  private lease: { key: string; source: RoomSource; room: Room; name: string; options: RoomOptions } | null = null;
  /** Whether the host is on the page: a removed host's late update (its room's last awareness going, a signer settling) takes no new lease. */
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly request: () => RoomRequest | null,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    // Leases are taken in hostUpdate, once attributes and context have arrived.
    this.host.requestUpdate();
  }

  hostUpdate(): void {
    // Left the page: a lease taken now would never be released (hostDisconnected has run).
    if (!this.connected) return;
    const request = this.request();
    // Not yet known where this room comes from (the page's storage check): ask again on a later update.
    if (request === null) return;
    // The same options object as the lease's (the host's request is made once while the same) is the same room.
    if (this.lease !== null && this.lease.options === request.options && this.lease.name === request.name && this.lease.source === request.source) return;
    const key = `${request.name}\0${JSON.stringify(request.options)}`;
    if (this.lease?.key === key && this.lease.source === request.source) {
      this.lease.options = request.options;
      return;
    }
    this.release();
    const room = request.source.acquire(request.name, request.options);
    this.lease = { key, source: request.source, room, name: request.name, options: request.options };
    room.on('status', this.handleStatus);
  }

  hostDisconnected(): void {
    this.connected = false;
    this.release();
  }

  /** The room this widget holds, or null while it holds none. */
  get room(): Room | null {
    return this.lease?.room ?? null;
  }

  /** The held room's status ("connecting" while there is none yet). */
  get status(): RoomStatus {
    return this.lease?.room.status ?? CONNECTING;
  }

  private readonly handleStatus = (): void => {
    this.host.requestUpdate();
  };

  private release(): void {
    if (!this.lease) return;
    const { source, room } = this.lease;
    this.lease = null;
    room.off('status', this.handleStatus);
    source.release(room);
  }
}
