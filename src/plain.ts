/**
 * Checks and helpers for plain data (what JSON and Yjs maps hold): shared by identity, which
 * checks entry headers, and models, which check entry bodies and freeze their views. Knows
 * nothing of any widget.
 */

/** Whether `value`'s prototype is Object.prototype or null (no class instances, no arrays). */
export const isPlainObject = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** A plain (JSON) object: not null, not an array, prototype Object.prototype or null. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && isPlainObject(value);

/** A string of at most `maxLength` UTF-16 code units (and, unless `allowEmpty`, at least one). */
export const isBoundedString = (value: unknown, maxLength: number, allowEmpty = false): value is string =>
  typeof value === 'string' && value.length <= maxLength && (allowEmpty || value.length > 0);

/** An array of at most `maxItems` non-empty strings of at most `maxLength` code units each. */
export const isBoundedStringList = (value: unknown, maxItems: number, maxLength: number): value is readonly string[] => {
  if (!Array.isArray(value) || value.length > maxItems) return false;
  for (let i = 0; i < value.length; i++) if (!isBoundedString(value[i], maxLength)) return false;
  return true;
};

/** Freezes a plain value and everything reachable from it; returns it. */
export const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
};

/** Structural equality of plain data (objects, arrays, primitives). */
export const plainEqual = (a: unknown, b: unknown): boolean => {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (const key of keysA) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (!plainEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
};
