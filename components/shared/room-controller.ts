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
  signer: Signer | null = null;
  signerError: unknown = null;

  private lease: { key: string; source: RoomSource; room: Room } | null = null;
  private pendingSigner: Promise<Signer> | null = null;

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
    if (this.lease?.key !== key || this.lease.source !== request.source) {
      this.release();
      const room = request.source.acquire(request.name, request.options);
      this.lease = { key, source: request.source, room };
      room.on('status', this.handleStatus);
    }
    if (this.pendingSigner !== request.signer) this.resolveSigner(request.signer);
  }

  hostDisconnected(): void {
    this.release();
    this.pendingSigner = null;
    this.signer = null;
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

  private resolveSigner(pending: Promise<Signer>): void {
    this.pendingSigner = pending;
    this.signer = null;
    this.signerError = null;
    pending.then(
      (signer) => {
        if (this.pendingSigner !== pending) return;
        this.signer = signer;
        this.host.requestUpdate();
      },
      (error: unknown) => {
        if (this.pendingSigner !== pending) return;
        this.signerError = error;
        this.host.requestUpdate();
      },
    );
  }

  private release(): void {
    if (!this.lease) return;
    const { source, room } = this.lease;
    this.lease = null;
    room.off('status', this.handleStatus);
    source.release(room);
  }
}
