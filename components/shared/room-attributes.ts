import { attributeOptions } from '../../src/room/options.js';
import type { RoomOptions } from '../../src/room/types.js';

/** The room-option attributes `<gather-room>` and every widget share. */
export interface RoomAttributes {
  signaling: string | undefined;
  iceServers: string | undefined;
  password: string | undefined;
}

/** An element's own room options (`signaling`, `ice-servers`, `password`), parsed as the script tag's are. */
export function elementRoomOptions(element: RoomAttributes): Partial<RoomOptions> {
  const values: Record<string, string | undefined> = {
    signaling: element.signaling,
    'ice-servers': element.iceServers,
    password: element.password,
  };
  return attributeOptions((name) => values[name] ?? null, document.baseURI);
}
