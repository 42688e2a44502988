// A large poll room as the widgets write it, for tests that need one (a first sync of 1,000+ entries).
import * as Y from 'yjs';
import { createSigner } from '../../src/identity/keys.js';
import { PollModel } from '../../src/models/poll.js';
import { distinctDocs } from './clients.js';

/**
 * The state of a room in which `count` visitors each voted once in poll "assembly-day", each with
 * a key and a Yjs client of its own, as the widget writes ballots (signed here in Node: faster than
 * in a page, and the page then only has to hold them). Votes go round `choices`.
 */
export async function ballots(room: string, count: number, choices: readonly string[]): Promise<Uint8Array> {
  const config = { question: 'Which evening?', options: choices.map((id) => ({ id, label: id })) };
  const all = new Y.Doc();
  const batch = 200;
  const fresh = distinctDocs(); // each voter's own Yjs client, never two of one id
  for (let start = 0; start < count; start += batch) {
    const updates = await Promise.all(
      Array.from({ length: Math.min(batch, count - start) }, async (_, j) => {
        const own = fresh();
        const model = new PollModel(own, 'assembly-day', config, await createSigner('Ed25519'), { room });
        await model.vote(choices[(start + j) % choices.length]!);
        model.destroy();
        return Y.encodeStateAsUpdate(own);
      }),
    );
    all.transact(() => {
      for (const update of updates) Y.applyUpdate(all, update);
    });
  }
  return Y.encodeStateAsUpdate(all);
}
