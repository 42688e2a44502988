import { ContextProvider } from '@lit/context';
import { css, html, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { Signer } from '../../src/identity/types.js';
import type { RoomSource } from '../../src/room/types.js';
import { GatherElement } from '../shared/gather-element.js';
import { elementRoomOptions, roomProperties } from '../shared/room-attributes.js';
import { roomContext, type RoomContextValue } from '../shared/room-context.js';

/**
 * Names a room, and how to reach it, for every widget inside it.
 *
 * @summary A room: the widgets inside share one document, synced with everyone in the same room.
 *
 * @slot - Widgets (`<gather-poll>`, …) and any other content.
 */
export class GatherRoom extends GatherElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  static override properties: PropertyDeclarations = roomProperties;

  /** Room name shared by the widgets inside. */
  declare room: string | undefined;
  /** Signaling servers (space-separated ws:// or wss:// URLs, or paths on this site). */
  declare signaling: string | undefined;
  /** STUN/TURN servers: a JSON array of RTCIceServer, or space-separated stun:/turn: URLs. */
  declare iceServers: string | undefined;
  /** Room password: only visitors who have it can sync with this room. */
  declare password: string | undefined;
  /** Where rooms come from (tests and stories use linked in-memory rooms). */
  declare source: RoomSource | undefined;
  /** The identity that signs entries for the widgets inside (tests and stories). */
  declare signer: Promise<Signer> | undefined;

  private readonly provider = new ContextProvider(this, { context: roomContext, initialValue: { options: {} } });

  protected override willUpdate(): void {
    const value: RoomContextValue = {
      room: this.room || undefined,
      options: elementRoomOptions(this),
      source: this.source,
      signer: this.signer,
    };
    this.provider.setValue(value);
  }

  override render(): TemplateResult {
    return html`<slot></slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gather-room': GatherRoom;
  }
}
