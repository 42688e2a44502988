// Linked in-memory rooms for stories: no network, no signaling, no IndexedDB.
import { createSigner } from '../../src/identity/keys.js';
import { MemoryNetwork, type MemorySource } from '../../src/room/memory-room.js';
import type { Signer } from '../../src/identity/types.js';

export interface StoryPeer {
  readonly source: MemorySource;
  readonly signer: Promise<Signer>;
}

/** `count` visitors on one in-memory network, each with their own identity. */
export function storyPeers(count: number, network = new MemoryNetwork()): StoryPeer[] {
  return Array.from({ length: count }, () => ({ source: network.source(), signer: createSigner() }));
}
