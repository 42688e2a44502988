/**
 * The keeper's hint to a new visitor of a large room, sent (a Hocuspocus stateless message) just
 * before the room itself: `{"gather":"expect","bytes":N}`, N the room's stored bytes (at least the
 * size of the answer to come). The answer is one WebSocket message, whose progress a page cannot
 * see; with the hint, the page gets ready for it meanwhile (its verifier's workers boot: the room's
 * `receiving` event). Framework-free; written by src/server/keeper.ts, read by
 * src/room/keeper-link.ts.
 *
 * @module
 */

/** Largest size a hint may announce (a keeper's --max-doc-bytes is 16 MiB by default). */
const MAX_EXPECTED_BYTES = 256 * 1024 * 1024;

/** The hint announcing a room of `bytes`. */
export const expectHint = (bytes: number): string => JSON.stringify({ gather: 'expect', bytes });

/** The bytes a keeper's stateless message announces, or null when it is not a well-formed hint. */
export function expectedBytes(payload: unknown): number | null {
  if (typeof payload !== 'string' || payload.length > 100) return null;
  let hint: unknown;
  try {
    hint = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof hint !== 'object' || hint === null || (hint as { gather?: unknown }).gather !== 'expect') return null;
  const bytes = (hint as { bytes?: unknown }).bytes;
  return Number.isSafeInteger(bytes) && (bytes as number) > 0 && (bytes as number) <= MAX_EXPECTED_BYTES ? (bytes as number) : null;
}
