import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Signer } from '../../src/identity/types.js';
import type { Room, RoomOptions, RoomSource, RoomStatus } from '../../src/room/types.js';

/** The room a widget wants, fully resolved. */
export interface RoomRequest {
  readonly name: string;
  readonly options: RoomOptions;
  readonly source: RoomSource;
  readonly signer: Promise<Signer>;
}

const CONNECTING: RoomStatus = Object.freeze({ state: 'connecting', peers: 0, saved: false });

/**
 * Holds a widget's lease on its room: acquires the room its host asks for on each update when
 * the request changed, releases it when the host leaves the page, and tracks the room's status
 * and the signer that acts for this visitor.
 */
export class RoomController implements ReactiveController {
  room: Room | null = null;
  status: RoomStatus = CONNECTING;
  signer: Signer | null = null;
  signerError: unknown = null;

  private lease: { key: string; request: RoomRequest } | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly request: () => RoomRequest,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    // Leases are taken in hostUpdate, once attributes and context have arrived.
    this.host.requestUpdate();
  }

  hostUpdate(): void {
    const request = this.request();
    const key = `${request.name}\0${JSON.stringify(request.options)}`;
    const current = this.lease?.request;
    if (current && this.lease!.key === key && current.source === request.source && current.signer === request.signer) return;
    this.release();
    this.lease = { key, request };
    const room = request.source.acquire(request.name, request.options);
    this.room = room;
    this.status = room.status;
    room.on('status', this.handleStatus);
    request.signer.then(
      (signer) => {
        if (this.lease?.request !== request) return;
        this.signer = signer;
        this.host.requestUpdate();
      },
      (error: unknown) => {
        if (this.lease?.request !== request) return;
        this.signerError = error;
        this.host.requestUpdate();
      },
    );
  }

  hostDisconnected(): void {
    this.release();
  }

  private readonly handleStatus = (status: RoomStatus): void => {
    this.status = status;
    this.host.requestUpdate();
  };

  private release(): void {
    if (!this.lease) return;
    const { request } = this.lease;
    this.lease = null;
    if (this.room) {
      this.room.off('status', this.handleStatus);
      request.source.release(this.room);
    }
    this.room = null;
    this.signer = null;
    this.signerError = null;
    this.status = CONNECTING;
  }
}
