/**
 * The default RoomSource: one WebrtcRoom per (room name, password) per page, reference-counted.
 * @module
 */
import { sameRoomOptions, warnOnce } from './options.js';
import type { Room, RoomOptions, RoomSource } from './types.js';
import { WebrtcRoom } from './webrtc-room.js';

interface Entry {
  readonly room: WebrtcRoom;
  readonly key: string;
  count: number;
}

/**
 * Creates a reference-counting RoomSource. `create` makes a room on first acquire; the room is
 * destroyed when the last holder releases it. Rooms are keyed by name and password (people who hold
 * a different password are in a different room). A later acquirer whose other options (signaling,
 * ICE servers, persist, keeper) differ gets the first acquirer's room, with a warning.
 */
export function createRoomSource(create: (name: string, options: RoomOptions) => WebrtcRoom): RoomSource & {
  /** Rooms currently held, by name (for diagnostics and tests). */
  readonly size: number;
} {
  const byKey = new Map<string, Entry>();
  const byRoom = new Map<Room, Entry>();
  return {
    acquire(name: string, options: RoomOptions): Room {
      const key = `${name}\0${options.password ?? ''}`;
      let entry = byKey.get(key);
      if (entry) {
        if (!sameRoomOptions(entry.room.options, options)) {
          warnOnce(`gather: room "${name}" is already open with other signaling/ICE/persist/keeper options; keeping the first.`);
        }
        entry.count++;
        return entry.room;
      }
      entry = { room: create(name, options), key, count: 1 };
      byKey.set(key, entry);
      byRoom.set(entry.room, entry);
      return entry.room;
    },
    release(room: Room): void {
      const entry = byRoom.get(room);
      if (!entry) return;
      if (--entry.count > 0) return;
      byKey.delete(entry.key);
      byRoom.delete(room);
      entry.room.destroy();
    },
    get size() {
      return byKey.size;
    },
  };
}

/** The page's WebRTC rooms. */
export const webrtcRooms = createRoomSource((name, options) => new WebrtcRoom(name, options));
