/**
 * ISO 8601 dates and date-times as pages write them (`2026-12-05T09:00-05:00`, `2026-12-05`):
 * strictly matched, so that every peer reads the same instant from the same text.
 */

/** Longest date-time text accepted (`2026-12-05T09:00:00.000+05:30` is 29). */
export const MAX_DATE_TIME_LENGTH = 35;

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A parsed date or date-time. */
export interface DateTime {
  /** The instant (for a date: its midnight in UTC; for a date-time without offset: in this device's zone). */
  readonly ms: number;
  /** A date without a time (an all-day slot). */
  readonly dateOnly: boolean;
  /** The offset the text names, in minutes east of UTC; null when it names none. */
  readonly offset: number | null;
}

/**
 * Texts already parsed that name their instant whatever this device's zone (a date, or a
 * date-time with an offset): a signup sheet asks for each slot's start and end on every derive
 * and render. Bounded; frozen answers, shared.
 */
const parsed = new Map<string, DateTime | null>();
const MAX_PARSED = 1000;

/** Parses `text`, or null when it is not a valid ISO 8601 date or date-time. */
export function parseDateTime(text: unknown): DateTime | null {
  if (typeof text !== 'string' || text.length > MAX_DATE_TIME_LENGTH) return null;
  const known = parsed.get(text);
  if (known !== undefined) return known;
  const result = parse(text);
  // A date-time naming no offset is read in this device's zone, which may change: not kept.
  if (result === null || result.dateOnly || result.offset !== null) {
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(text, result);
  }
  return result;
}

function parse(text: string): DateTime | null {
  const match = PATTERN.exec(text);
  if (match === null) return null;
  const [, y, mo, d, h, mi, s, , zone] = match;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59)) return null;
  let offset: number | null = null;
  if (zone === 'Z') offset = 0;
  else if (zone !== undefined) {
    const digits = zone.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 14 || minutes > 59) return null;
    offset = (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  // Date.parse reads `YYYY-MM-DDTHH:mm` with a colon-less offset inconsistently: give it the colon.
  const normalized = zone !== undefined && zone !== 'Z' && !zone.includes(':') ? `${text.slice(0, -5)}${zone.slice(0, 3)}:${zone.slice(3)}` : text;
  const ms = Date.parse(normalized);
  if (!Number.isFinite(ms)) return null;
  // Reject days a month does not have (Date.parse rolls 2026-02-31 over to March).
  const check = new Date(h === undefined || offset !== null ? ms + (offset ?? 0) * 60_000 : ms);
  const checkDay = h === undefined || offset !== null ? check.getUTCDate() : check.getDate();
  if (checkDay !== day || Number(y) < 1) return null;
  return Object.freeze({ ms, dateOnly: h === undefined, offset });
}
