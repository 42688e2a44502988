/**
 * The aid board's model and the sealing of contacts, which need the sync stack (Yjs, identity):
 * loaded with `import()` by the element (aid-board.ts), which paints its board before they come.
 * In the embed a chunk of its own (gather-aid-board-model), asked for by the loader alongside the
 * element's code and the core.
 */
export { AidBoardModel } from '../../src/models/aid-board.js';
export { encryptionFor } from '../../src/identity/encryption.js';
