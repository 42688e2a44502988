import { ContextConsumer } from '@lit/context';
import type { PropertyDeclarations, PropertyValues } from 'lit';
import type { Signer } from '../../src/identity/types.js';
import type { ChangeOrigin, Model } from '../../src/models/model.types.js';
import { DEFAULT_ROOM_OPTIONS, resolveRoomOptions } from '../../src/room/options.js';
import { webrtcRooms } from '../../src/room/registry.js';
import type { Room, RoomSource } from '../../src/room/types.js';
import { GatherChangeEvent } from './events.js';
import { GatherElement } from './gather-element.js';
import { LocalizeController } from './localize.js';
import { ModelController } from './model-controller.js';
import { getPageOptions } from './page-options.js';
import { elementRoomOptions, roomProperties } from './room-attributes.js';
import { roomContext } from './room-context.js';
import { RoomController, type RoomRequest } from './room-controller.js';
import { visitorSigner } from './visitor-signer.js';

/** The room a widget joins when neither it nor an enclosing `<gather-room>` names one: this page. */
export function defaultRoomName(): string {
  return `${location.host}${location.pathname}`;
}

/**
 * What every widget shares: where its room comes from (attributes, then an enclosing
 * `<gather-room>`, then the script tag, then defaults), its model's lifetime, its `view`,
 * `gather-change` events, its language and its connection status.
 */
export abstract class GatherWidget<View, M extends Model<View>> extends GatherElement {
  static override properties: PropertyDeclarations = {
    ...roomProperties,
    name: { reflect: true },
  };

  /** Room name. Defaults to the enclosing `<gather-room>`'s, else this page's address. */
  declare room: string | undefined;
  /** The widget's id within its room. */
  declare name: string;
  /** Signaling servers (space-separated ws:// or wss:// URLs, or paths on this site). */
  declare signaling: string | undefined;
  /** STUN/TURN servers: a JSON array of RTCIceServer, or space-separated stun:/turn: URLs. */
  declare iceServers: string | undefined;
  /** Room password: only visitors who have it can sync with this room. */
  declare password: string | undefined;
  /** Where rooms come from, overriding the enclosing `<gather-room>` (tests and stories). */
  declare source: RoomSource | undefined;
  /** The identity that signs this visitor's entries, overriding the device's own key. */
  declare signer: Promise<Signer> | undefined;

  protected readonly localize = new LocalizeController(this);

  private readonly context = new ContextConsumer(this, { context: roomContext, subscribe: true });

  protected readonly rooms = new RoomController(this, () => this.roomRequest());

  protected readonly models = new ModelController<View, M>(this, this.rooms, {
    create: (room, signer) => this.createModel(room, signer),
    key: () => this.name,
    changed: (view, origin) => this.handleViewChange(view, origin),
  });

  constructor() {
    super();
    this.name = '';
  }

  /** The model's current view (frozen); null until the room and identity have loaded. */
  get view(): View | null {
    return this.models.view;
  }

  protected abstract createModel(room: Room, signer: Signer): M;

  /** Called after each view change, before `gather-change` is fired. */
  protected viewChanged(_view: View, _origin: ChangeOrigin): void {}

  private handleViewChange(view: View, origin: ChangeOrigin): void {
    this.viewChanged(view, origin);
    this.emit(new GatherChangeEvent<View>({ view, origin }));
  }

  private roomRequest(): RoomRequest {
    const context = this.context.value;
    return {
      name: this.room || context?.room || defaultRoomName(),
      options: resolveRoomOptions(elementRoomOptions(this), context?.options ?? {}, getPageOptions(), DEFAULT_ROOM_OPTIONS),
      source: this.source ?? context?.source ?? webrtcRooms,
      signer: this.signer ?? context?.signer ?? visitorSigner(),
    };
  }

  override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.toggleState('offline', this.rooms.status.state === 'offline');
  }
}
