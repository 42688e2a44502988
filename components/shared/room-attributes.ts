import type { PropertyDeclarations } from 'lit';
import { attributeOptions } from '../../src/room/options.js';
import type { RoomOptions } from '../../src/room/types.js';

/**
 * The properties `<gather-room>` and every widget share: which room, how to reach it, and (set
 * from script, for tests and stories) where rooms and the signing identity come from.
 */
export const roomProperties: PropertyDeclarations = {
  room: { reflect: true },
  signaling: {},
  iceServers: { attribute: 'ice-servers' },
  iceTransport: { attribute: 'ice-transport' },
  password: {},
  keeper: {},
  source: { attribute: false },
  signer: { attribute: false },
};

/** The room-option attributes `<gather-room>` and every widget share. */
export interface RoomAttributes {
  signaling: string | undefined;
  iceServers: string | undefined;
  /** `relay`: WebRTC through TURN only (peers do not see each other's IP addresses). */
  iceTransport?: string | undefined;
  password: string | undefined;
  keeper: string | undefined;
}

/** An element's own room options (`signaling`, `ice-servers`, `password`, `keeper`), parsed as the script tag's are. */
export function elementRoomOptions(element: RoomAttributes): Partial<RoomOptions> {
  const values: Record<string, string | undefined> = {
    signaling: element.signaling,
    'ice-servers': element.iceServers,
    'ice-transport': element.iceTransport,
    password: element.password,
    keeper: element.keeper,
  };
  return attributeOptions((name) => values[name] ?? null, document.baseURI);
}
