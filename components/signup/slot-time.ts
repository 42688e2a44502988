import { parseDateTime } from '../../src/models/date-time.js';
import { dateTimeFormat } from '../shared/localize.js';

const OPTIONS: Readonly<Record<'date' | 'time' | 'zoned', Intl.DateTimeFormatOptions>> = {
  date: { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' },
  time: { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' },
  zoned: { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' },
};

const format = (lang: string, kind: 'date' | 'time' | 'zoned'): Intl.DateTimeFormat => dateTimeFormat(lang, OPTIONS[kind]);

/**
 * A slot's time in the viewer's language and time zone, naming the zone when the viewer's
 * differs from the one the page wrote (`2026-12-05T09:00-05:00` read in Madrid: "Sat, Dec 5,
 * 3:00 – 5:00 PM CET"). A date without a time reads as that date. Null without a valid start.
 */
export function slotTime(lang: string, start: string | null, end: string | null): string | null {
  const key = `${lang}\n${start}\n${end}`;
  let text = texts.get(key);
  if (text === undefined) {
    text = formatSlotTime(lang, start, end);
    if (texts.size > 1000) texts.clear();
    texts.set(key, text);
  }
  return text;
}

/** Slot times already written out (a sheet renders the same ones again on every change). */
const texts = new Map<string, string | null>();

function formatSlotTime(lang: string, start: string | null, end: string | null): string | null {
  const from = parseDateTime(start);
  if (from === null) return null;
  const to = parseDateTime(end);
  if (from.dateOnly) {
    const dates = format(lang, 'date');
    return to?.dateOnly && to.ms > from.ms ? dates.formatRange(from.ms, to.ms) : dates.format(from.ms);
  }
  const viewerOffset = -new Date(from.ms).getTimezoneOffset();
  const times = format(lang, from.offset !== null && from.offset !== viewerOffset ? 'zoned' : 'time');
  return to !== null && !to.dateOnly && to.ms > from.ms ? times.formatRange(from.ms, to.ms) : times.format(from.ms);
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
