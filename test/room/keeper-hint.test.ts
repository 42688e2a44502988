// The keeper's "room on its way" hint (src/keeper/hint.ts), written by the keeper and read by a
// page: only a well-formed hint of a plausible size counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectedBytes, expectHint } from '../../src/keeper/hint.js';

test('a keeper hint is read back as the bytes it announces', () => {
  for (const bytes of [65_536, 1_500_000, 16 * 1024 * 1024]) assert.equal(expectedBytes(expectHint(bytes)), bytes);
});

test('anything else from the keeper is no hint', () => {
  for (const payload of [
    undefined,
    42,
    '',
    'not json',
    'null',
    '[]',
    '"expect"',
    '{"gather":"other","bytes":1000}',
    '{"bytes":1000}',
    '{"gather":"expect"}',
    '{"gather":"expect","bytes":"1000"}',
    '{"gather":"expect","bytes":-1}',
    '{"gather":"expect","bytes":0}',
    '{"gather":"expect","bytes":1.5}',
    '{"gather":"expect","bytes":1e300}',
    `{"gather":"expect","bytes":${2 ** 40}}`,
    `{"gather":"expect","bytes":1000,"pad":"${'x'.repeat(200)}"}`,
  ]) {
    assert.equal(expectedBytes(payload), null, JSON.stringify(payload));
  }
});
