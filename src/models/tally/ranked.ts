/**
 * Ranked ballots: instant-runoff, round by round, and the Condorcet winner.
 *
 * Each round counts every continuing ballot for its highest-ranked option still in the race; a
 * ballot with none left is exhausted. An option with more than half of the round's continuing
 * ballots wins; otherwise the option with the fewest votes is eliminated. Ties for fewest:
 * eliminate the one with fewer votes in the previous round, going back round by round; if still
 * tied, the one listed later on the page. When one option is left, it wins.
 */
import type { RankedBallot, RankedRound } from './types.js';

/** The rounds of an instant-runoff count of `ballots` over `options` (page order), and the winner. */
export const instantRunoff = (options: readonly string[], ballots: readonly RankedBallot[]): { rounds: RankedRound[]; winner: string | null } => {
  if (ballots.length === 0 || options.length === 0) return { rounds: [], winner: null };
  const continuing = new Set(options);
  const rounds: RankedRound[] = [];
  for (;;) {
    const counts: Record<string, number> = {};
    for (const id of options) if (continuing.has(id)) counts[id] = 0;
    let exhausted = 0;
    for (const ballot of ballots) {
      const choice = ballot.find((id) => continuing.has(id));
      if (choice === undefined) exhausted++;
      else counts[choice]!++;
    }
    const live = ballots.length - exhausted;
    const leader = Object.keys(counts).find((id) => counts[id]! * 2 > live);
    if (leader !== undefined || continuing.size === 1) {
      rounds.push({ counts, exhausted, eliminated: [] });
      return { rounds, winner: leader ?? [...continuing][0]! };
    }
    const loser = fewest([...continuing], counts, rounds, options);
    rounds.push({ counts, exhausted, eliminated: [loser] });
    continuing.delete(loser);
  }
};

/** The option to eliminate: fewest votes now, then fewer in earlier rounds (latest first), then later on the page. */
const fewest = (candidates: string[], counts: Record<string, number>, earlier: readonly RankedRound[], page: readonly string[]): string => {
  let tied = lowest(candidates, (id) => counts[id]!);
  for (let r = earlier.length - 1; r >= 0 && tied.length > 1; r--) tied = lowest(tied, (id) => earlier[r]!.counts[id] ?? 0);
  return tied.reduce((a, b) => (page.indexOf(a) > page.indexOf(b) ? a : b));
};

const lowest = (ids: string[], score: (id: string) => number): string[] => {
  const min = Math.min(...ids.map(score));
  return ids.filter((id) => score(id) === min);
};

/**
 * The option that beats every other head to head, or null: X beats Y on a ballot that ranks X
 * above Y, or ranks X and not Y; X beats Y overall when more ballots prefer X to Y than Y to X.
 */
export const condorcetWinner = (options: readonly string[], ballots: readonly RankedBallot[]): string | null => {
  const index = new Map(options.map((id, i) => [id, i]));
  const n = options.length;
  // prefer[x * n + y]: ballots that prefer x to y.
  const prefer = new Uint32Array(n * n);
  for (const ballot of ballots) {
    const ranked = ballot.map((id) => index.get(id)).filter((i): i is number => i !== undefined);
    const seen = new Set<number>();
    for (const x of ranked) {
      for (let y = 0; y < n; y++) if (y !== x && !seen.has(y)) prefer[x * n + y]!++;
      seen.add(x);
    }
  }
  for (let x = 0; x < n; x++) {
    let beatsAll = true;
    for (let y = 0; y < n && beatsAll; y++) if (y !== x && prefer[x * n + y]! <= prefer[y * n + x]!) beatsAll = false;
    if (beatsAll && n > 0 && ballots.length > 0) return options[x]!;
  }
  return null;
};
