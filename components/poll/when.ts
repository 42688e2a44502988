import { dateTimeFormat } from '../shared/localize.js';

/** A date-time the page wrote (ISO 8601) in the viewer's language and time zone, or null if it is not one. */
export function formatWhen(iso: string, lang: string, options: Intl.DateTimeFormatOptions = { dateStyle: 'full', timeStyle: 'short' }): string | null {
  const time = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || !Number.isFinite(time)) return null;
  return dateTimeFormat(lang, options).format(time);
}
