/**
 * The thread's model and who is reading it (presence), which need the sync stack (Yjs, identity):
 * loaded with `import()` (lazy-model.ts), so that the thread paints its topic and comments' place
 * before they come. In the embed a chunk of its own (gather-thread-model), asked for by the loader
 * alongside the element's code and the core.
 */
export { ThreadModel } from '../../src/models/thread.js';
export { Presence } from '../../src/models/presence.js';
