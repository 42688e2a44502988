import { parseDateTime } from '../../src/models/date-time.js';

/**
 * A slot's time in the viewer's language and time zone, naming the zone when the viewer's
 * differs from the one the page wrote (`2026-12-05T09:00-05:00` read in Madrid: "Sat, Dec 5,
 * 3:00 – 5:00 PM CET"). A date without a time reads as that date. Null without a valid start.
 */
export function slotTime(lang: string, start: string | null, end: string | null): string | null {
  const from = parseDateTime(start);
  if (from === null) return null;
  const to = parseDateTime(end);
  if (from.dateOnly) {
    const format = new Intl.DateTimeFormat(lang, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
    return to?.dateOnly && to.ms > from.ms ? format.formatRange(from.ms, to.ms) : format.format(from.ms);
  }
  const viewerOffset = -new Date(from.ms).getTimezoneOffset();
  const otherZone = from.offset !== null && from.offset !== viewerOffset;
  const format = new Intl.DateTimeFormat(lang, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    ...(otherZone ? { timeZoneName: 'short' } : {}),
  });
  return to !== null && !to.dateOnly && to.ms > from.ms ? format.formatRange(from.ms, to.ms) : format.format(from.ms);
}

/** A `datetime-local` input's value (this device's zone) as ISO 8601 with this device's offset, or null. */
export function localInputToIso(value: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value);
  if (match === null) return null;
  const ms = new Date(`${match[1]}T${match[2]}`).getTime();
  if (!Number.isFinite(ms)) return null;
  const offset = -new Date(ms).getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${match[1]}T${match[2]}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
