// The framework-free exports of `gather-widgets` are what people's scripts call: names may gain
// company, never go away. This list is the contract as it stood before the widget kit (0.1.0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as api from '../../src/index.js';

const SINCE_0_1 = [
  'DEFAULT_ROOM_OPTIONS', 'attributeOptions', 'parseIceServers', 'parseSignaling', 'resolveRoomOptions', 'sameRoomOptions',
  'scriptTagOptions', 'WebrtcRoom', 'clearStoredRoom', 'roomTopic', 'createRoomSource', 'webrtcRooms', 'MemoryNetwork',
  'createSigner', 'loadDeviceSigner', 'signEntry', 'verifyEntry', 'canonicalEncode', 'VerificationCache', 'GatherError',
  'PollModel', 'en', 'es', 'registerTranslation', 'getTranslation', 'onTranslationsChange',
];

test('every export of 0.1.0 is still there', () => {
  assert.deepEqual(SINCE_0_1.filter((name) => !(name in api)), []);
});

test('the widget kit, the recount and every widget\'s model are exported beside it', () => {
  for (const name of ['SignedEntryModel', 'EntryModel', 'parseOrganizers', 'entryKey', 'ownsKey', 'compareEntries', 'sortEntries', 'MAX_CLOCK_SKEW_MS', 'tally', 'SignupModel', 'AidBoardModel', 'ThreadModel']) {
    assert.ok(name in api, name);
  }
});

test('trust: organizer keys, invites and the room\'s members are exported', () => {
  for (const name of ['createOrganizerKey', 'exportOrganizerKey', 'restoreOrganizerKey', 'createCapability', 'verifyCapability', 'inviteLink', 'readInviteFragment', 'MembershipModel', 'checkStorage']) {
    assert.ok(name in api, name);
  }
});

test('a translation registered whole, the 0.1 way, still takes effect section by section', () => {
  api.registerTranslation({ ...api.es, $code: 'es-test', status: { ...api.es.status, connecting: '¡Conectando!' } });
  assert.equal(api.getTranslation('es-test').status.connecting, '¡Conectando!');
  assert.equal(api.getTranslation('es-test').status.cannotSign, api.es.status.cannotSign);
  assert.equal(api.getTranslation('xx').status.connecting, 'Connecting…', 'an unknown language falls back to English');
});
