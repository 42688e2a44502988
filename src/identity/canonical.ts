/**
 * Canonical encoding: the one byte string a signature covers, the same on every peer.
 */
import { GatherError } from '../errors.js';
import { isPlainObject } from '../plain.js';

/** Deepest nesting canonical encoding accepts. */
export const MAX_DEPTH = 16;

const encodeValue = (value: unknown, depth: number): string => {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new GatherError('invalid-entry', 'Non-finite numbers cannot be encoded');
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) throw new GatherError('invalid-entry', 'Value is nested too deeply');
      if (Array.isArray(value)) {
        const parts: string[] = [];
        for (let i = 0; i < value.length; i++) {
          if (!(i in value) || value[i] === undefined) throw new GatherError('invalid-entry', 'Arrays cannot hold undefined');
          parts.push(encodeValue(value[i], depth + 1));
        }
        return '[' + parts.join(',') + ']';
      }
      if (!isPlainObject(value)) throw new GatherError('invalid-entry', 'Only plain objects can be encoded');
      const record = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const field = record[key];
        if (field === undefined) continue;
        parts.push(JSON.stringify(key) + ':' + encodeValue(field, depth + 1));
      }
      return '{' + parts.join(',') + '}';
    }
    default:
      throw new GatherError('invalid-entry', `Values of type ${typeof value} cannot be encoded`);
  }
};

/**
 * Deterministic JSON: object keys sorted (by UTF-16 code unit) at every level, `undefined`
 * object fields left out, no whitespace. Throws a {@link GatherError} (`invalid-entry`) on
 * non-finite numbers, `undefined` in arrays, non-plain objects, bigint/function/symbol values,
 * and nesting deeper than {@link MAX_DEPTH}.
 */
export const canonicalEncode = (value: unknown): string => encodeValue(value, 0);

const textEncoder = new TextEncoder();

/** The UTF-8 bytes of {@link canonicalEncode}. Throws like it. */
export const canonicalBytes = (value: unknown): Uint8Array<ArrayBuffer> => textEncoder.encode(canonicalEncode(value));
