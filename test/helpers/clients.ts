import * as Y from 'yjs';

/**
 * A maker of Yjs docs whose client ids are drawn at random as Yjs draws them, but never one this
 * maker has drawn already. Two of 10,000 random 32-bit ids are the same about once in 90 runs, and
 * two clients of one id lose an entry (the second's structs look already known): a fixture that
 * writes each author from a doc of its own makes them with this.
 */
export function distinctDocs(): () => Y.Doc {
  const used = new Set<number>();
  return () => {
    const doc = new Y.Doc();
    while (used.has(doc.clientID)) doc.clientID = Math.floor(Math.random() * 2 ** 32);
    used.add(doc.clientID);
    return doc;
  };
}
