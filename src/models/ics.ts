/**
 * One event as an iCalendar file (RFC 5545): what "Add to calendar" downloads. Times are written
 * in UTC (`DTSTART:20261205T140000Z`), which every calendar shows in its own zone; a date without
 * a time is an all-day event (`VALUE=DATE`). Text is escaped and lines folded as the RFC says.
 */
import { parseDateTime } from './date-time.js';

export interface CalendarEvent {
  /** Stable and unique: the same slot gives the same UID, so a second download updates the event. */
  readonly uid: string;
  readonly summary: string;
  /** ISO 8601 date or date-time (with its offset). */
  readonly start: string;
  readonly end?: string | null;
  readonly location?: string | null;
  readonly description?: string | null;
  /** When the file was made (`DTSTAMP`); now by default. */
  readonly stamp?: number;
}

/** TEXT as RFC 5545 §3.3.11 escapes it: backslash, semicolon, comma, newline; other control characters dropped. */
export const escapeText = (text: string): string =>
  text
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex -- control characters are what is dropped
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n');

const encoder = new TextEncoder();

/** Folds a content line at 75 octets (§3.1), never inside a UTF-8 sequence. */
export const foldLine = (line: string): string => {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    // The first line holds 75 octets; continuation lines start with a space, so 74 more.
    if (octets + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
};

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `20261205T140000Z`. */
export const utcStamp = (ms: number): string => {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
};

/** `20261205` for the date of a date-only value (its UTC midnight). */
const dateStamp = (ms: number): string => utcStamp(ms).slice(0, 8);

/** The property line of a date or date-time. */
const dateProperty = (name: string, ms: number, dateOnly: boolean): string => (dateOnly ? `${name};VALUE=DATE:${dateStamp(ms)}` : `${name}:${utcStamp(ms)}`);

const DAY_MS = 86_400_000;

/** The calendar file of `event` (CRLF line ends), or null when its start is not a valid date. */
export function calendarFile(event: CalendarEvent): string | null {
  const start = parseDateTime(event.start);
  if (start === null) return null;
  const end = parseDateTime(event.end ?? null);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Gather//Signup sheet//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${utcStamp(event.stamp ?? Date.now())}`,
    dateProperty('DTSTART', start.ms, start.dateOnly),
  ];
  if (start.dateOnly) {
    // An all-day event ends (exclusively) the day after its last day.
    const last = end?.dateOnly && end.ms >= start.ms ? end.ms : start.ms;
    lines.push(dateProperty('DTEND', last + DAY_MS, true));
  } else if (end !== null && !end.dateOnly && end.ms >= start.ms) {
    lines.push(dateProperty('DTEND', end.ms, false));
  }
  lines.push(`SUMMARY:${escapeText(event.summary)}`);
  if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`);
  if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
  lines.push('END:VEVENT', 'END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
