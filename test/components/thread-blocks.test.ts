// The thread's list in blocks (components/thread/blocks.ts): every item shown once, in order, in
// blocks of a bounded size with unique keys; one more item, anywhere, makes one new block object
// and keeps every other; blocks do not crumble as items arrive one by one, at either end.
import { expect } from '@open-wc/testing';
import * as prng from 'lib0/prng';
import { BLOCK, reblock, type Block } from '../../components/thread/blocks.js';

interface Item {
  readonly id: string;
}

let ids = 0;
const item = (): Item => ({ id: `c${++ids}` });
const items = (n: number): Item[] => Array.from({ length: n }, item);

/** Blocks `shown` from `before`, and checks what every list of blocks must be. */
function check(before: readonly Block<Item>[], shown: readonly Item[], keys: { next: number }): Block<Item>[] {
  const blocks = reblock(before, shown, () => keys.next++);
  const flat = blocks.flatMap((b) => b.items);
  expect(flat.length, 'every item once').to.equal(shown.length);
  expect(flat.every((it, i) => it === shown[i]), 'in order').to.be.true;
  expect(new Set(blocks.map((b) => b.key)).size, 'unique keys').to.equal(blocks.length);
  for (const block of blocks) expect(block.items.length).to.be.within(1, 2 * BLOCK);
  return blocks;
}

/** The blocks of `after` that are not blocks of `before` (new objects: rendered again). */
const fresh = (before: readonly Block<Item>[], after: readonly Block<Item>[]) => after.filter((b) => !before.includes(b));

describe('thread list blocks', () => {
  it('makes blocks of BLOCK items, and none for no items', () => {
    const keys = { next: 0 };
    expect(check([], [], keys)).to.deep.equal([]);
    const blocks = check([], items(2000), keys);
    expect(blocks.length).to.equal(Math.ceil(2000 / BLOCK));
    expect(check(blocks, [], keys)).to.deep.equal([]);
  });

  it('one more item at the end, at the start or in the middle makes one new block, with the key of the block it joined', () => {
    const keys = { next: 0 };
    const shown = items(2000);
    const blocks = check([], shown, keys);
    for (const at of [2000, 0, 1000, 17, 32, 33]) {
      const next = [...shown.slice(0, at), item(), ...shown.slice(at)];
      const after = check(blocks, next, keys);
      const made = fresh(blocks, after);
      expect(made.length, `inserted at ${at}`).to.equal(1);
      expect(blocks.map((b) => b.key), `inserted at ${at}: the same blocks`).to.include(made[0]!.key);
      expect(after.length).to.equal(blocks.length);
    }
  });

  it('keeps every block when an item changes (a new object), but the one holding it', () => {
    const keys = { next: 0 };
    const shown = items(500);
    const blocks = check([], shown, keys);
    const next = [...shown];
    next[250] = { id: shown[250]!.id };
    const after = check(blocks, next, keys);
    expect(fresh(blocks, after).map((b) => b.key)).to.deep.equal([blocks[Math.floor(250 / BLOCK)]!.key]);
  });

  it('does not crumble as items arrive one by one at the end or the start', () => {
    const keys = { next: 0 };
    let shown = items(100);
    let blocks = check([], shown, keys);
    for (let i = 0; i < 300; i++) {
      shown = i % 2 === 0 ? [...shown, item()] : [item(), ...shown];
      const after = check(blocks, shown, keys);
      expect(fresh(blocks, after).length).to.be.at.most(1);
      blocks = after;
    }
    expect(blocks.length).to.be.at.most(Math.ceil(shown.length / BLOCK) + 2);
  });

  it('keeps its rules through random insertions, removals and changes (seeded)', () => {
    const gen = prng.create(7);
    const keys = { next: 0 };
    let shown = items(prng.uint32(gen, 0, 300));
    let blocks = check([], shown, keys);
    for (let step = 0; step < 300; step++) {
      const next = [...shown];
      const edits = prng.uint32(gen, 1, 5);
      for (let e = 0; e < edits; e++) {
        const op = prng.uint32(gen, 0, 3);
        const at = prng.uint32(gen, 0, next.length);
        if (op === 0 || next.length === 0) next.splice(at, 0, ...items(prng.uint32(gen, 1, 80)));
        else if (op === 1) next.splice(Math.min(at, next.length - 1), prng.uint32(gen, 1, 40));
        else if (op === 2) next[Math.min(at, next.length - 1)] = { id: next[Math.min(at, next.length - 1)]!.id };
        else next.push(item());
      }
      blocks = check(blocks, next, keys);
      shown = next;
    }
  });
});
