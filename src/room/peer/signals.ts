/**
 * The signals two peers exchange through the signaling server, and the checks on what arrives.
 * Anything arriving here came from the network: it is checked field by field, never trusted.
 * @module
 */

/** A session description: what `RTCPeerConnection.localDescription` holds, as JSON. */
export interface DescriptionSignal {
  readonly type: 'offer' | 'answer';
  readonly sdp: string;
}

/** One trickled ICE candidate (simple-peer's shape, which y-webrtc relays as it is). */
export interface CandidateSignal {
  readonly type: 'candidate';
  readonly candidate: {
    readonly candidate: string;
    readonly sdpMid?: string | null;
    readonly sdpMLineIndex?: number | null;
    readonly usernameFragment?: string | null;
  };
}

export type Signal = DescriptionSignal | CandidateSignal;

/** Generous bounds: an SDP for one data channel is about 600 bytes, a candidate line about 100. */
export const MAX_SDP_LENGTH = 64 * 1024;
export const MAX_CANDIDATE_LENGTH = 1024;
const MAX_MID_LENGTH = 256;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isOptional = (value: unknown, check: (v: unknown) => boolean): boolean => value === undefined || value === null || check(value);

const isBoundedString = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;

/**
 * `value` as a signal this layer can act on, or null. Accepts `{type: 'offer'|'answer', sdp}` and
 * `{type: 'candidate', candidate: {candidate, sdpMid?, sdpMLineIndex?, usernameFragment?}}` (also
 * simple-peer's candidates, which carry the candidate without `type`, and the same as a JSON string).
 * Returns a fresh object holding only the known fields.
 */
export function parseSignal(value: unknown): Signal | null {
  if (typeof value === 'string') {
    if (value.length > MAX_SDP_LENGTH + 1024) return null;
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (!isRecord(value)) return null;
  const { type } = value;
  if (type === 'offer' || type === 'answer') {
    const { sdp } = value;
    if (!isBoundedString(sdp, MAX_SDP_LENGTH) || sdp.length === 0) return null;
    return { type, sdp };
  }
  if (type !== undefined && type !== 'candidate') return null;
  const { candidate } = value;
  if (!isRecord(candidate)) return null;
  const { candidate: line, sdpMid, sdpMLineIndex, usernameFragment } = candidate;
  if (!isBoundedString(line, MAX_CANDIDATE_LENGTH)) return null;
  if (!isOptional(sdpMid, (v) => isBoundedString(v, MAX_MID_LENGTH))) return null;
  if (!isOptional(sdpMLineIndex, (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 65536)) return null;
  if (!isOptional(usernameFragment, (v) => isBoundedString(v, MAX_MID_LENGTH))) return null;
  if ((sdpMid === undefined || sdpMid === null) && (sdpMLineIndex === undefined || sdpMLineIndex === null)) return null;
  return {
    type: 'candidate',
    candidate: {
      candidate: line,
      ...(sdpMid == null ? {} : { sdpMid: sdpMid as string }),
      ...(sdpMLineIndex == null ? {} : { sdpMLineIndex: sdpMLineIndex as number }),
      ...(usernameFragment == null ? {} : { usernameFragment: usernameFragment as string }),
    },
  };
}
