// The example widget's model: built only from the kit (SignedEntryModel, entry keys, organizers).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import { GatherError } from '../../src/errors.js';
import { createSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';
import { RSVP_ANSWERS, RsvpModel, type RsvpAnswer } from '../../src/models/rsvp.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import type { RoomOptions } from '../../src/room/types.js';

const ROOM_OPTIONS: RoomOptions = { signaling: [], iceServers: [], password: null, persist: false };
const config = { event: 'the December assembly' };
const isCode = (code: string) => (error: unknown) => error instanceof GatherError && error.code === code;

let signers: Signer[] = [];
before(async () => {
  signers = await Promise.all([createSigner('Ed25519'), createSigner('ECDSA-P256'), createSigner('Ed25519'), createSigner('Ed25519')]);
});

describe('rsvp', () => {
  test('answers count once per person; a new answer replaces the old', async () => {
    const doc = new Y.Doc();
    const [a, b] = [new RsvpModel(doc, 'dec', config, signers[0]!), new RsvpModel(doc, 'dec', config, signers[1]!)];
    await a.reply('yes');
    await b.reply('maybe');
    await a.reply('no');
    await b.settled();
    assert.deepEqual(b.view, { event: config.event, counts: { yes: 0, maybe: 1, no: 1 }, mine: 'maybe', closed: false });
    assert.equal(a.view.mine, 'no');
    await assert.rejects(a.reply('perhaps' as RsvpAnswer), isCode('unknown-option'));
    await assert.rejects(new RsvpModel(doc, 'dec', config, null).reply('yes'), isCode('no-signer'));
    a.destroy();
    b.destroy();
  });

  test('only an organizer closes; answers signed after the close do not count; reopening counts them', async () => {
    const doc = new Y.Doc();
    const organizers = [signers[0]!.publicKey];
    let clock = Date.now();
    const now = () => (clock += 10); // every action a little later than the one before
    const [organizer, member] = [new RsvpModel(doc, 'dec', config, signers[0]!, { organizers, now }), new RsvpModel(doc, 'dec', config, signers[1]!, { organizers, now })];
    await member.reply('yes');
    await assert.rejects(member.close(), isCode('not-organizer'));
    await organizer.close();
    await member.reply('no'); // after the close: replaces the yes, and does not count
    await member.settled();
    assert.deepEqual(member.view.counts, { yes: 0, maybe: 0, no: 0 });
    assert.equal(member.view.closed, true);
    await organizer.close(false);
    await member.settled();
    assert.deepEqual(member.view.counts, { yes: 0, maybe: 0, no: 1 });
    assert.equal(member.view.closed, false);
    organizer.destroy();
    member.destroy();
  });

  test('two rsvp widgets in one room never share answers', async () => {
    const doc = new Y.Doc();
    const [x, y] = [new RsvpModel(doc, 'x', config, signers[0]!), new RsvpModel(doc, 'y', config, signers[0]!)];
    await x.reply('yes');
    await y.settled();
    assert.equal(y.view.counts.yes, 0);
    x.destroy();
    y.destroy();
  });

  test('peers with random delivery and disconnects agree, with an organizer closing midway', async () => {
    for (let seed = 1; seed <= 5; seed++) {
      const network = new MemoryNetwork({ delivery: 'manual', seed });
      const gen = prng.create(seed);
      const sources = [network.source(), network.source(), network.source()];
      const organizers = [signers[0]!.publicKey];
      const models = signers.map((signer, i) => new RsvpModel(sources[i % 3]!.acquire('r', ROOM_OPTIONS).doc, 'dec', config, signer, { organizers }));
      for (let step = 0; step < 40; step++) {
        const r = prng.real53(gen);
        if (r < 0.4) await prng.oneOf(gen, models).reply(prng.oneOf(gen, [...RSVP_ANSWERS]));
        else if (r < 0.45) await models[0]!.close(prng.bool(gen));
        else if (r < 0.85) for (let n = prng.int32(gen, 1, 5); n > 0; n--) network.deliverRandom();
        else if (r < 0.93) network.disconnect(prng.oneOf(gen, sources));
        else network.reconnect(prng.oneOf(gen, sources));
      }
      network.reconnectAll();
      network.flushAll();
      await Promise.all(models.map((m) => m.settled()));
      const strip = (m: RsvpModel) => ({ ...m.view, mine: null });
      for (const model of models) assert.deepEqual(strip(model), strip(models[0]!), `seed ${seed}`);
      models.forEach((m) => m.destroy());
      network.destroy();
    }
  });
});
