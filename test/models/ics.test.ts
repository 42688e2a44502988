// "Add to calendar": the .ics file parsed back as a calendar reads it (RFC 5545: unfold, split
// name;params:value, unescape), and the ISO dates pages write.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDateTime } from '../../src/models/date-time.js';
import { calendarFile, escapeText, foldLine } from '../../src/models/ics.js';

interface Property {
  readonly name: string;
  readonly params: Readonly<Record<string, string>>;
  readonly value: string;
}

/** A minimal RFC 5545 reader: CRLF lines, unfolded, each `NAME;PARAM=V:value`. */
function parseIcs(text: string): Property[] {
  assert.ok(text.endsWith('\r\n'), 'ends with CRLF');
  assert.equal(/(?<!\r)\n/.test(text), false, 'every line ends with CRLF');
  for (const line of text.split('\r\n')) assert.ok(new TextEncoder().encode(line).length <= 75, `line over 75 octets: ${line}`);
  const unfolded = text.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
  return unfolded.map((line) => {
    const colon = line.search(/:(?=(?:[^"]*"[^"]*")*[^"]*$)/);
    const [name, ...params] = line.slice(0, colon).split(';');
    return { name: name!, params: Object.fromEntries(params.map((p) => p.split('=') as [string, string])), value: line.slice(colon + 1) };
  });
}

/** TEXT unescaped. */
const unescape = (value: string): string => value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

const get = (props: Property[], name: string) => props.find((p) => p.name === name);

describe('calendar file', () => {
  test('one event in UTC, with summary, place, description and a stable UID', () => {
    const text = calendarFile({
      uid: 'signup:food-drive/pickup@eastside',
      summary: 'Saturday food drive: Pick-up drivers',
      start: '2026-12-05T09:00-05:00',
      end: '2026-12-05T11:00-05:00',
      location: 'Church hall, 12 Main St; side door',
      description: 'Bring gloves\nand a jacket \\ hat',
      stamp: Date.UTC(2026, 10, 1, 12, 0, 0),
    })!;
    const props = parseIcs(text);
    assert.deepEqual(props.map((p) => p.name), ['BEGIN', 'VERSION', 'PRODID', 'CALSCALE', 'METHOD', 'BEGIN', 'UID', 'DTSTAMP', 'DTSTART', 'DTEND', 'SUMMARY', 'LOCATION', 'DESCRIPTION', 'END', 'END']);
    assert.equal(get(props, 'VERSION')!.value, '2.0');
    assert.equal(get(props, 'DTSTART')!.value, '20261205T140000Z', '9:00 at UTC-5 is 14:00 UTC');
    assert.equal(get(props, 'DTEND')!.value, '20261205T160000Z');
    assert.equal(get(props, 'DTSTAMP')!.value, '20261101T120000Z');
    assert.equal(unescape(get(props, 'SUMMARY')!.value), 'Saturday food drive: Pick-up drivers');
    assert.equal(get(props, 'LOCATION')!.value, 'Church hall\\, 12 Main St\\; side door');
    assert.equal(unescape(get(props, 'LOCATION')!.value), 'Church hall, 12 Main St; side door');
    assert.equal(unescape(get(props, 'DESCRIPTION')!.value), 'Bring gloves\nand a jacket \\ hat');
    assert.equal(unescape(get(props, 'UID')!.value), 'signup:food-drive/pickup@eastside');
    assert.deepEqual(props.filter((p) => p.name === 'BEGIN').map((p) => p.value), ['VCALENDAR', 'VEVENT']);
  });

  test('offsets east of UTC, Z times, no end, and a date without a time (all day, VALUE=DATE)', () => {
    const tokyo = parseIcs(calendarFile({ uid: 'u', summary: 's', start: '2026-12-05T09:30+09:00', stamp: 0 })!);
    assert.equal(get(tokyo, 'DTSTART')!.value, '20261205T003000Z');
    assert.equal(get(tokyo, 'DTEND'), undefined, 'no end: none invented');
    const z = parseIcs(calendarFile({ uid: 'u', summary: 's', start: '2026-03-29T01:30:00Z', end: '2026-03-29T02:30:00Z', stamp: 0 })!);
    assert.equal(get(z, 'DTEND')!.value, '20260329T023000Z');
    const allDay = parseIcs(calendarFile({ uid: 'u', summary: 's', start: '2026-12-31', end: '2027-01-01', stamp: 0 })!);
    assert.deepEqual(get(allDay, 'DTSTART'), { name: 'DTSTART', params: { VALUE: 'DATE' }, value: '20261231' });
    assert.deepEqual(get(allDay, 'DTEND'), { name: 'DTEND', params: { VALUE: 'DATE' }, value: '20270102' }, 'the day after the last, exclusive');
    assert.equal(calendarFile({ uid: 'u', summary: 's', start: 'next week' }), null);
  });

  test('long and non-Latin text is folded at 75 octets without splitting a character, and unfolds to the same', () => {
    const summary = 'Reparto de alimentos — conductores 🚐 '.repeat(6) + 'توزيع الطعام';
    const text = calendarFile({ uid: 'u', summary, start: '2026-12-05T09:00Z', stamp: 0 })!;
    const props = parseIcs(text);
    assert.equal(unescape(get(props, 'SUMMARY')!.value), summary);
    assert.ok(text.split('\r\n').some((line) => line.startsWith(' ')), 'it was folded');
    assert.equal(foldLine('a'.repeat(75)), 'a'.repeat(75));
    assert.equal(foldLine('a'.repeat(76)), `${'a'.repeat(75)}\r\n a`);
    assert.equal(escapeText('a\r\nb\u0007c'), 'a\\nbc', 'CRLF as one newline; control characters dropped');
  });
});

describe('ISO dates as pages write them', () => {
  test('date-times with offsets, Z, without offset, dates; nonsense refused', () => {
    assert.deepEqual(parseDateTime('2026-12-05T09:00-05:00'), { ms: Date.UTC(2026, 11, 5, 14), dateOnly: false, offset: -300 });
    assert.deepEqual(parseDateTime('2026-12-05T09:00:30.5+0530'), { ms: Date.UTC(2026, 11, 5, 3, 30, 30, 500), dateOnly: false, offset: 330 });
    assert.deepEqual(parseDateTime('2026-12-05T09:00Z'), { ms: Date.UTC(2026, 11, 5, 9), dateOnly: false, offset: 0 });
    assert.deepEqual(parseDateTime('2026-12-05'), { ms: Date.UTC(2026, 11, 5), dateOnly: true, offset: null });
    assert.equal(parseDateTime('2026-12-05T09:00')!.offset, null);
    assert.equal(parseDateTime('2026-12-05T09:00')!.ms, new Date(2026, 11, 5, 9).getTime(), 'without an offset: this device\'s zone');
    for (const bad of ['2026-02-30', '2026-13-01', '2026-12-05T25:00Z', '2026-12-05T09:00+15:00', 'soon', '', '2026-12-05 09:00', 12, null, '2026-12-05T09:00-05:00'.padEnd(40, '0')]) {
      assert.equal(parseDateTime(bad), null, String(bad));
    }
  });
});
