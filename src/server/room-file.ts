/**
 * Backup and restore of one room (`gather export` / `gather import`), as JSON:
 *
 * ```json
 * {
 *   "format": "gather-room",
 *   "version": 1,
 *   "room": "eastside-tenants",
 *   "exported": "2025-01-31T12:00:00.000Z",
 *   "created": "2025-01-02T09:00:00.000Z",
 *   "tokenHash": null,
 *   "update": "<base64 of Y.encodeStateAsUpdate(doc)>",
 *   "maps": { "poll:assembly-day": { "<entry key>": { "v": 1, "type": "ballot", "author": "…", "sig": "…" } } }
 * }
 * ```
 *
 * `update` is the whole room (every widget's map, deleted content collected)
 * and is what `import` restores. `maps` is the same content for people and
 * other programs: each top-level map by name (`<kind>:<name>`), its entries
 * as the widgets wrote them (signed entries stay verifiable; a poll's
 * `export()` lists the same entries as its `ballots`). `tokenHash` is the
 * room's password check (base64url SHA-256 of its keeper token) or null for
 * an open room, so that a restored password room stays closed.
 *
 * @module
 */
import * as Y from 'yjs';
import type { RoomStore } from './store.js';

/** One room as JSON (see the module's description). */
export interface RoomFile {
  format: 'gather-room';
  version: 1;
  room: string;
  exported: string;
  created: string | null;
  tokenHash: string | null;
  update: string;
  maps: Record<string, Record<string, unknown>>;
}

/** The room as a {@link RoomFile}, or undefined if the store has no such room. */
export async function exportRoom(store: RoomStore, room: string): Promise<RoomFile | undefined> {
  const record = await store.record(room);
  const { updates } = await store.load(room);
  if (!record && updates.length === 0) return undefined;
  const doc = await store.doc(room);
  try {
    const maps: Record<string, Record<string, unknown>> = {};
    for (const name of [...doc.share.keys()].sort()) maps[name] = doc.getMap(name).toJSON();
    return {
      format: 'gather-room',
      version: 1,
      room,
      exported: new Date().toISOString(),
      created: record?.created ?? null,
      tokenHash: record?.tokenHash ?? null,
      update: Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64'),
      maps,
    };
  } finally {
    doc.destroy();
  }
}

/** Parses and checks a room file's JSON text; throws an Error saying what is wrong. */
export function parseRoomFile(text: string): RoomFile & { bytes: Uint8Array } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('not JSON');
  }
  const file = value as Partial<RoomFile> | null;
  if (typeof file !== 'object' || file === null || file.format !== 'gather-room') throw new Error('not a gather-room file (format)');
  if (file.version !== 1) throw new Error(`unsupported version ${String(file.version)} (this gather reads version 1)`);
  if (typeof file.room !== 'string' || file.room === '') throw new Error('room must be a non-empty string');
  if (file.tokenHash !== null && typeof file.tokenHash !== 'string') throw new Error('tokenHash must be a string or null');
  if (typeof file.update !== 'string') throw new Error('update must be a base64 string');
  const bytes = new Uint8Array(Buffer.from(file.update, 'base64'));
  try {
    Y.applyUpdate(new Y.Doc(), bytes);
  } catch {
    throw new Error('update is not a Yjs update');
  }
  return { ...(file as RoomFile), bytes };
}

/**
 * Restores a room file into the store: merges its state into the room
 * (creating the room with the file's `tokenHash` if it does not exist).
 * Refuses a file whose `tokenHash` differs from the existing room's.
 */
export async function importRoom(store: RoomStore, file: RoomFile & { bytes: Uint8Array }): Promise<{ room: string; bytes: number }> {
  const existing = await store.record(file.room);
  if (existing && existing.tokenHash !== file.tokenHash) {
    throw new Error(`room ${file.room} exists with a different password (tokenHash); not merged`);
  }
  if (!existing) await store.setRecord(file.room, { created: file.created ?? new Date().toISOString(), tokenHash: file.tokenHash });
  await store.append(file.room, file.bytes);
  const { after } = await store.compact(file.room);
  return { room: file.room, bytes: after };
}
