/**
 * A long list rendered in blocks: the thread's comments are rendered and laid out a block of a few
 * dozen at a time (thread.ts), so a comment arriving is rendered, and laid out, in its block, not
 * in a list of thousands. The blocks of one list are made again for the next from the last ones
 * ({@link reblock}), so that unchanged blocks stay the same objects and keep their keys.
 */

/** Items per block when blocks are first made. A block grows to twice this before one is split off. */
export const BLOCK = 32;

/** A run of items, rendered together; `key` stays while the block does. */
export interface Block<T> {
  readonly key: number;
  readonly items: readonly T[];
}

/** Whether `shown` holds exactly `items` (the same objects) from `at` on. */
const holdsAt = <T>(items: readonly T[], shown: readonly T[], at: number): boolean => {
  if (at + items.length > shown.length) return false;
  for (let i = 0; i < items.length; i++) if (shown[at + i] !== items[i]) return false;
  return true;
};

/**
 * `shown` in blocks, made from the last list's blocks `before` (none: blocks of {@link BLOCK}).
 * The blocks still holding the same items (the same objects) in the same place are kept as they
 * were; the items between are blocked as before where they can be (a block keeps its key from the
 * item it started with), new items joining the block next to them while it has room, and a block
 * grown to twice {@link BLOCK} split. So one more item makes one new block object, whatever the
 * length of the list. It costs a pass comparing `shown` with the last blocks' items (object
 * identity), and a lookup per item after the first block that changed. Keys are unique; new ones
 * come from `newKey`.
 */
export function reblock<T extends { readonly id: string }>(before: readonly Block<T>[], shown: readonly T[], newKey: () => number): Block<T>[] {
  const blocks: Block<T>[] = [];
  // The last blocks still in place at the start (one more item at the end: all of them).
  let at = 0;
  let kept = 0;
  while (kept < before.length && holdsAt(before[kept]!.items, shown, at)) {
    at += before[kept]!.items.length;
    blocks.push(before[kept++]!);
  }
  if (at === shown.length) return blocks;
  // The rest: the remaining last blocks by the item they started with, new items with their neighbours.
  const starts = new Map<string, Block<T>>();
  for (let k = kept; k < before.length; k++) if (before[k]!.items.length > 0) starts.set(before[k]!.items[0]!.id, before[k]!);
  const max = before.length === 0 ? BLOCK : 2 * BLOCK;
  let start = at;
  // The key of the block being made (-1: a new one).
  let key = starts.get(shown[at]!.id)?.key ?? -1;
  // New items right after the blocks kept join the last of them while it has room.
  const previous = blocks.at(-1);
  if (key === -1 && previous !== undefined && previous.items.length < 2 * BLOCK) {
    blocks.pop();
    start -= previous.items.length;
    key = previous.key;
  }
  const close = (end: number) => {
    const earlier = starts.get(shown[start]!.id);
    const same = earlier !== undefined && earlier.key === key && earlier.items.length === end - start && holdsAt(earlier.items, shown, start);
    blocks.push(same ? earlier : { key: key === -1 ? newKey() : key, items: shown.slice(start, end) });
  };
  for (let i = at + 1; i < shown.length; i++) {
    const earlier = starts.get(shown[i]!.id);
    if (earlier === undefined) {
      if (i - start < max) continue;
    } else if (key === -1 && i - start + earlier.items.length <= 2 * BLOCK) {
      // New items just before a block that was: they join it (it has room).
      key = earlier.key;
      continue;
    }
    close(i);
    start = i;
    key = earlier?.key ?? -1;
  }
  close(shown.length);
  return blocks;
}
