/**
 * What counts as a ballot of each kind. Ballots come from peers: anything malformed is null
 * (it does not count), never an exception. Option ids the page no longer declares are dropped
 * (the page is the authority for its options); a ballot that breaks the kind's rules (duplicates,
 * more choices than `max`, a score out of range) does not count at all.
 */
import { isRecord } from '../../plain.js';
import { AVAILABILITY, STANCES, type Ballot, type PollKind, type TallyConfig } from './types.js';

/** Longest reason a ballot may carry, in UTF-16 code units. */
export const MAX_REASON_LENGTH = 500;
/** Default score range. */
export const DEFAULT_SCORE_MIN = 0;
export const DEFAULT_SCORE_MAX = 5;

/** The kind of a configuration (`single` when none is named). */
export const kindOf = (config: { readonly kind?: PollKind }): PollKind => config.kind ?? 'single';

/** The score range of a `score` poll. */
export const scoreRange = (config: TallyConfig): { min: number; max: number } => ({
  min: config.min ?? DEFAULT_SCORE_MIN,
  max: config.max ?? DEFAULT_SCORE_MAX,
});

/** A reason a ballot may carry. */
export const isReason = (value: unknown): value is string => typeof value === 'string' && value.length <= MAX_REASON_LENGTH;

/** Distinct strings, or null. */
const idList = (value: unknown): readonly string[] | null => {
  if (!Array.isArray(value) || value.length > 256) return null;
  if (!value.every((item): item is string => typeof item === 'string')) return null;
  return new Set(value).size === value.length ? value : null;
};

/** The entries of a plain object whose keys are declared options (others dropped), or null. */
const optionRecord = <V>(value: unknown, known: ReadonlySet<string>, check: (v: unknown) => v is V): Record<string, V> | null => {
  if (!isRecord(value)) return null;
  const out: Record<string, V> = {};
  for (const [id, v] of Object.entries(value)) {
    if (!check(v)) return null;
    if (known.has(id)) out[id] = v;
  }
  return out;
};

/**
 * The ballot as it counts for `config`, or null if it does not count. For `vote()`, see
 * {@link ballotProblem}, which also refuses option ids the page does not declare.
 */
export const normalizeBallot = (config: TallyConfig, value: unknown): Ballot | null => ballotNormalizer(config)(value);

/** {@link normalizeBallot} for one configuration, prepared once: counting calls it per ballot. */
export const ballotNormalizer = (config: TallyConfig): ((value: unknown) => Ballot | null) => {
  const known = new Set(config.options.map((o) => o.id));
  switch (kindOf(config)) {
    case 'single':
      return (value) => (typeof value === 'string' && known.has(value) ? value : null);
    case 'multiple':
      return (value) => {
        const ids = idList(value);
        if (ids === null || (config.max !== undefined && ids.length > config.max)) return null;
        return ids.filter((id) => known.has(id));
      };
    case 'ranked':
      return (value) => {
        const ids = idList(value);
        return ids === null ? null : ids.filter((id) => known.has(id));
      };
    case 'score': {
      const { min, max } = scoreRange(config);
      return (value) => optionRecord(value, known, (v): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max);
    }
    case 'consent':
      return (value) => {
        if (!isRecord(value) || !(STANCES as readonly unknown[]).includes(value['stance'])) return null;
        const reason = value['reason'];
        if (reason !== undefined && !isReason(reason)) return null;
        const stance = value['stance'] as (typeof STANCES)[number];
        return reason ? { stance, reason } : { stance };
      };
    case 'time':
      return (value) => optionRecord(value, known, (v): v is (typeof AVAILABILITY)[number] => (AVAILABILITY as readonly unknown[]).includes(v));
  }
};

/** Why `vote()` refuses a ballot: an option the page does not declare, or a ballot the kind does not allow. Null when it is fine. */
export const ballotProblem = (config: TallyConfig, value: unknown): 'unknown-option' | 'invalid-ballot' | null => {
  const known = new Set(config.options.map((o) => o.id));
  const kind = kindOf(config);
  // A single-choice ballot is an option id: anything else names an option the poll does not have.
  if (kind === 'single') return typeof value === 'string' && known.has(value) ? null : 'unknown-option';
  const named =
    kind === 'multiple' || kind === 'ranked' ? (Array.isArray(value) ? value : []) :
    kind === 'score' || kind === 'time' ? (isRecord(value) ? Object.keys(value) : []) : [];
  if (named.some((id) => typeof id === 'string' && !known.has(id))) return 'unknown-option';
  const ballot = normalizeBallot(config, value);
  if (ballot === null) return 'invalid-ballot';
  if (kind === 'ranked' && (ballot as readonly string[]).length === 0) return 'invalid-ballot';
  return null;
};
