export type { KeeperRefusal, KeeperState, Room, RoomEvents, RoomOptions, RoomSource, RoomState, RoomStatus } from './types.js';
export {
  DEFAULT_ROOM_OPTIONS,
  attributeOptions,
  parseIceServers,
  parseKeeper,
  parseSignaling,
  resolveRoomOptions,
  sameRoomOptions,
} from './options.js';
export { scriptTagOptions } from './script-options.js';
export { WebrtcRoom, clearStoredRoom, roomTopic } from './webrtc-room.js';
export { createRoomSource, webrtcRooms } from './registry.js';
