import { ContextProvider } from '@lit/context';
import { css, html, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { Signer } from '../../src/identity/types.js';
import { DEFAULT_ROOM_OPTIONS, resolveRoomOptions } from '../../src/room/options.js';
import type { Room, RoomSource, RoomStatus } from '../../src/room/types.js';
import { GatherElement } from '../shared/gather-element.js';
import { defaultRoomName } from '../shared/gather-widget.js';
import { getPageOptions } from '../shared/page-options.js';
import { elementRoomOptions, roomProperties } from '../shared/room-attributes.js';
import { roomContext, type RoomContextValue } from '../shared/room-context.js';
import { loadSyncStack, syncStack } from '../shared/sync-loader.js';

/**
 * Names a room, and how to reach it, for every widget inside it.
 *
 * @summary A room: the widgets inside share one document, synced with everyone in the same room.
 *
 * @slot - Widgets (`<gather-poll>`, …) and any other content.
 * @attr {'light' | 'dark'} theme - Fixes the colour scheme of the widgets inside that set no `theme` of their own.
 */
export class GatherRoom extends GatherElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  static override properties: PropertyDeclarations = { ...roomProperties, theme: {} };

  /** `light` or `dark`: the colour scheme of the widgets inside that set no `theme` of their own. */
  declare theme: string | undefined;

  /** Room name shared by the widgets inside. */
  declare room: string | undefined;
  /** Signaling servers (space-separated ws:// or wss:// URLs, or paths on this site). */
  declare signaling: string | undefined;
  /** STUN/TURN servers: a JSON array of RTCIceServer, or space-separated stun:/turn: URLs. */
  declare iceServers: string | undefined;
  /**
   * `relay`: WebRTC only through the TURN servers in `ice-servers`, so other participants do not
   * see this visitor's IP address (the relay's operator does). Default: direct where possible.
   */
  declare iceTransport: string | undefined;
  /** Room password: only visitors who have it can sync with this room. */
  declare password: string | undefined;
  /**
   * The group's keeper, which stores the room (`wss://keeper.example/sync`, or `/sync` on this
   * site); empty: none, even if the script tag names one.
   */
  declare keeper: string | undefined;
  /** Where rooms come from (tests and stories use linked in-memory rooms). */
  declare source: RoomSource | undefined;
  /** The identity that signs entries for the widgets inside (tests and stories). */
  declare signer: Promise<Signer> | undefined;

  private readonly provider = new ContextProvider(this, { context: roomContext, initialValue: { options: {} } });

  /** This element's hold on its room (for `status`), taken once the widgets inside have taken theirs. */
  private lease: { key: string; source: RoomSource; room: Room } | null = null;
  private leaseWanted = false;
  private leaseTimer: ReturnType<typeof setTimeout> | undefined;
  private unwatchPasswords: (() => void) | null = null;

  /**
   * The status of the room this element names (as its widgets see it when they name no other):
   * peers, this device, and the keeper (`keeper`, `unsaved`). Read-only.
   */
  get status(): RoomStatus {
    if (this.lease) return this.lease.room.status;
    const keeper = this.roomRequest().options.keeper ? 'connecting' : 'none';
    return Object.freeze({ state: 'connecting', peers: 0, saved: false, keeper, unsaved: 0 });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A password set in an organizer's panel moves the room: hold the new one, let go of the old.
    // Its code is the sync stack's, which this element (like the widgets) takes with import(): the widgets inside paint first.
    loadSyncStack().then(
      ({ onRoomPasswordChange }) => {
        if (this.isConnected) this.unwatchPasswords ??= onRoomPasswordChange(() => this.requestUpdate());
        this.requestUpdate();
      },
      () => undefined, // said in the console by loadSyncStack
    );
    // A macrotask later: the widgets inside acquire the room first, with their own options (a
    // room is opened by its first holder), as they did before <gather-room> held one.
    this.leaseTimer = setTimeout(() => {
      this.leaseTimer = undefined;
      this.leaseWanted = true;
      this.requestUpdate();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unwatchPasswords?.();
    this.unwatchPasswords = null;
    clearTimeout(this.leaseTimer);
    this.leaseTimer = undefined;
    this.leaseWanted = false;
    this.release();
  }

  protected override willUpdate(): void {
    const value: RoomContextValue = {
      room: this.room || undefined,
      options: elementRoomOptions(this),
      source: this.source,
      signer: this.signer,
    };
    this.provider.setValue(value);
    if (this.leaseWanted) this.hold();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('theme')) for (const element of this.querySelectorAll('*')) if (element instanceof GatherElement) element.followRoomTheme();
  }

  override render(): TemplateResult {
    return html`<slot></slot>`;
  }

  private roomRequest() {
    const name = this.room || defaultRoomName();
    const sync = syncStack();
    return {
      name,
      // This browser's options (an invite's password; no IndexedDB where storage refuses), as the widgets inside add them.
      options: resolveRoomOptions(elementRoomOptions(this), sync?.browserRoomOptions(name) ?? {}, getPageOptions(), DEFAULT_ROOM_OPTIONS),
      source: this.source ?? sync?.webrtcRooms ?? null,
    };
  }

  private hold(): void {
    const sync = syncStack();
    if (sync === null) return; // asked again when it has come (connectedCallback)
    if (sync.storageVerdict() === null || sync.pageInvite() === undefined) {
      void Promise.all([sync.checkStorage(), sync.readPageInvite()]).then(() => this.requestUpdate());
      return;
    }
    const { name, options, source } = this.roomRequest();
    if (source === null) return;
    const key = `${name}\0${JSON.stringify(options)}`;
    if (this.lease?.key === key && this.lease.source === source) return;
    this.release();
    this.lease = { key, source, room: source.acquire(name, options) };
  }

  private release(): void {
    if (!this.lease) return;
    const { source, room } = this.lease;
    this.lease = null;
    source.release(room);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gather-room': GatherRoom;
  }
}
