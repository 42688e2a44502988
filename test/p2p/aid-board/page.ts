// The page the mutual-aid board's p2p test drives (bundled by ./index.ts with esbuild, simple-peer
// aliased to the native peer as in the embed): one <gather-aid-board> in the room named in the
// address, signaling through this origin's /signal, and helpers on `window.aidLab`.
import * as Y from 'yjs';
import '../../../components/index.js';
import '../../../components/aid-board/define.js';
import type { GatherAidBoard } from '../../../components/aid-board/aid-board.js';

const room = new URLSearchParams(location.search).get('room') ?? 'aid-p2p';
document.body.innerHTML = '';
const board = document.createElement('gather-aid-board');
board.setAttribute('room', room);
board.setAttribute('name', 'aid');
board.setAttribute('signaling', '/signal');
board.setAttribute('categories', 'food, rides, childcare, housing, errands, other');
board.setAttribute('areas', 'North, South, Downtown');
document.body.append(board);

/** Every value IndexedDB holds in this origin, as bytes (strings as UTF-8 and UTF-16, binary as is). */
async function storedBytes(): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const encoder = new TextEncoder();
  const visit = (value: unknown, depth = 0): void => {
    if (depth > 20 || value === null || value === undefined) return;
    if (typeof value === 'string') {
      out.push(encoder.encode(value));
      out.push(new Uint8Array(new Uint16Array([...value].map((c) => c.charCodeAt(0))).buffer));
    } else if (value instanceof ArrayBuffer) out.push(new Uint8Array(value));
    else if (ArrayBuffer.isView(value)) out.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    else if (value instanceof Blob) return;
    else if (Array.isArray(value)) value.forEach((v) => visit(v, depth + 1));
    else if (typeof value === 'object' && !(value instanceof CryptoKey)) for (const [k, v] of Object.entries(value)) (visit(k, depth + 1), visit(v, depth + 1));
  };
  for (const { name } of await indexedDB.databases()) {
    if (!name) continue;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    for (const store of db.objectStoreNames) {
      const [keys, values] = await new Promise<[IDBValidKey[], unknown[]]>((resolve, reject) => {
        const tx = db.transaction(store, 'readonly');
        const keysReq = tx.objectStore(store).getAllKeys();
        const valuesReq = tx.objectStore(store).getAll();
        tx.oncomplete = () => resolve([keysReq.result, valuesReq.result]);
        tx.onerror = () => reject(tx.error);
      });
      visit(keys);
      visit(values);
    }
    db.close();
  }
  return out;
}

const contains = (haystack: Uint8Array, needle: Uint8Array): boolean => {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
};

const aidLab = {
  board: () => board as GatherAidBoard,
  /** Which of `secrets` appear anywhere in this origin's IndexedDB, as UTF-8 or UTF-16. */
  async foundInIndexedDB(secrets: string[]): Promise<string[]> {
    const stored = await storedBytes();
    const encoder = new TextEncoder();
    return secrets.filter((secret) => {
      const utf8 = encoder.encode(secret);
      const utf16 = new Uint8Array(new Uint16Array([...secret].map((c) => c.charCodeAt(0))).buffer);
      return stored.some((bytes) => contains(bytes, utf8) || contains(bytes, utf16));
    });
  },
  /** How many IndexedDB databases this origin has, and how many bytes they hold (the search looked somewhere). */
  async storedSize(): Promise<{ databases: string[]; bytes: number }> {
    const databases = (await indexedDB.databases()).map((d) => d.name ?? '');
    return { databases, bytes: (await storedBytes()).reduce((n, b) => n + b.length, 0) };
  },
  /** Which of `secrets` appear in the room's encoded Yjs state. */
  foundInState(secrets: string[]): string[] {
    const doc = (board as unknown as { connection: { room: { doc: Y.Doc } } }).connection.room.doc;
    const state = Y.encodeStateAsUpdate(doc);
    const encoder = new TextEncoder();
    return secrets.filter((secret) => contains(state, encoder.encode(secret)));
  },
};

(window as unknown as { aidLab: typeof aidLab }).aidLab = aidLab;
