// Linked in-memory rooms for stories: no network, no signaling, no IndexedDB.
import { html, type TemplateResult } from 'lit';
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

let rooms = 0;

/** A room name no other story uses. */
export function storyRoomName(): string {
  return `story-${++rooms}`;
}

/** A new network, a room on it, and this story's visitor: for stories that put others' entries in the room first. */
export function storyRoom(): { network: MemoryNetwork; me: StoryPeer; room: string } {
  const network = new MemoryNetwork();
  return { network, me: storyPeers(1, network)[0]!, room: storyRoomName() };
}

/** Two visitors of one room side by side: `render` draws one of them. */
export function twoPeers(render: (peer: StoryPeer, room: string) => TemplateResult): TemplateResult {
  const [left, right] = storyPeers(2);
  const room = storyRoomName();
  return html`
    <div style="display: grid; grid-template-columns: 1fr 1fr; gap: 2rem">
      <section aria-label="Visitor A">${render(left!, room)}</section>
      <section aria-label="Visitor B">${render(right!, room)}</section>
    </div>
  `;
}
