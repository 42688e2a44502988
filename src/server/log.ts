/**
 * One JSON line per event: `{"time":"…","event":"…",…}`. Lines about the same
 * limit from the same address are throttled (one per `throttleMs`, the next
 * line says how many were suppressed), so a flood cannot flood the log.
 *
 * @module
 */

/** Where log lines go: anything with a `write(text)`, as `process.stdout` has. */
export interface LogOutput {
  write(text: string): unknown;
}

/** Writes one event; `fields` must be JSON-serialisable. */
export type Log = (event: string, fields?: Readonly<Record<string, unknown>>) => void;

/** A logger that writes nothing (the default of library users). */
export const silentLog: Log = () => {};

/**
 * A JSON-lines logger. `throttleKey(event, fields)` groups lines for throttling;
 * by default `limit` and `refused` events are grouped by `limit`/`reason` and `address`.
 */
export function createLog(output: LogOutput, { throttleMs = 10_000, now = Date.now } = {}): Log {
  const throttled = new Map<string, { until: number; suppressed: number }>();
  return (event, fields = {}) => {
    if (event === 'limit' || event === 'refused') {
      const key = `${event}|${String(fields.limit ?? fields.reason)}|${String(fields.address)}`;
      const time = now();
      const entry = throttled.get(key);
      if (entry && entry.until > time) {
        entry.suppressed++;
        return;
      }
      if (throttled.size > 10_000) throttled.clear();
      throttled.set(key, { until: time + throttleMs, suppressed: 0 });
      if (entry?.suppressed) fields = { ...fields, suppressed: entry.suppressed };
    }
    output.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
  };
}
