/**
 * Polls `check` (every `every` ms) until it holds; throws after `ms`, naming `what`. For Node and
 * browser tests alike: a poll with a timeout where no event says the thing happened.
 */
export async function until(check: () => boolean | Promise<boolean>, ms = 5000, what = 'a condition', every = 20): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}
