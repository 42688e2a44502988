// What the status line says about the keeper (the group's server), in English and Spanish, and what
// every widget's and <gather-room>'s `status` property reports. The keeper link is simulated on an
// in-memory room (MemoryRoom.simulateKeeper): this is about the words; the real link is tested
// against a real keeper in test/p2p/keeper.test.ts.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import type { GatherPoll } from '../../components/poll/poll.js';
import type { GatherRoom } from '../../components/room/room.js';
import { statusText } from '../../components/shared/status.js';
import { en } from '../../src/i18n/en.js';
import { es } from '../../src/i18n/es.js';
import type { Translation } from '../../src/i18n/types.js';
import { createSigner } from '../../src/identity/keys.js';
import { MemoryNetwork, type MemoryRoom } from '../../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../../src/room/options.js';
import type { RoomStatus } from '../../src/room/types.js';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';

let roomCount = 0;

const statusLine = (element: Element) => element.shadowRoot!.querySelector('[part=status]')!.textContent!.trim();

async function mount(lang = 'en') {
  const network = new MemoryNetwork();
  const source = network.source();
  const name = `keeper-words-${++roomCount}`;
  const wrapper = await fixture<GatherRoom>(html`
    <gather-room room=${name} .source=${source} .signer=${createSigner()} lang=${lang}>
      <gather-poll name="evening" question="Which evening works?">
        <option value="tue">Tuesday</option>
        <option value="thu">Thursday</option>
      </gather-poll>
    </gather-room>
  `);
  const poll = wrapper.querySelector('gather-poll') as GatherPoll;
  await poll.ready;
  await poll.updateComplete;
  const room = source.rooms.get(name) as MemoryRoom;
  return { network, wrapper, poll, room, name };
}

/** Sets the simulated keeper and waits for the poll's status line to say `words`. */
async function expectWords(poll: GatherPoll, room: MemoryRoom, keeper: Parameters<MemoryRoom['simulateKeeper']>[0], words: string) {
  room.simulateKeeper(keeper);
  await waitUntil(() => statusLine(poll) === words, `${JSON.stringify(keeper)}: "${statusLine(poll)}", expected "${words}"`);
  expect(poll.status.keeper).to.equal(keeper.keeper);
  expect(poll.status.unsaved).to.equal(keeper.unsaved ?? 0);
  expect(poll.status.keeperRefusal).to.equal(keeper.keeperRefusal);
}

describe('the status line and the keeper', () => {
  failOnLitWarnings();

  it('without a keeper: the peers line alone, and status.keeper is none with nothing unsaved', async () => {
    const { poll, wrapper } = await mount();
    expect(statusLine(poll)).to.equal('Connected · nobody else is here right now');
    expect(poll.status).to.deep.include({ state: 'online', peers: 0, keeper: 'none', unsaved: 0 });
    await waitUntil(() => wrapper.status.state === 'online', '<gather-room> holds its room');
    expect(wrapper.status).to.deep.include({ keeper: 'none', unsaved: 0 });
  });

  it('says each keeper state in English, beside the peers line', async () => {
    const { poll, room, network, name } = await mount();
    const peer = network.source();
    peer.acquire(name, DEFAULT_ROOM_OPTIONS);
    await waitUntil(() => poll.status.peers === 1);
    await expectWords(poll, room, { keeper: 'connecting' }, "Connected · 1 other person here · Reaching the group's server…");
    await expectWords(poll, room, { keeper: 'synced', unsaved: 0 }, "Connected · 1 other person here · Saved on the group's server");
    await expectWords(poll, room, { keeper: 'synced', unsaved: 1 }, 'Connected · 1 other person here · 1 change waiting for the server');
    await expectWords(poll, room, { keeper: 'synced', unsaved: 3 }, 'Connected · 1 other person here · 3 changes waiting for the server');
    await expectWords(poll, room, { keeper: 'offline' }, 'Connected · 1 other person here · Server unreachable — changes are kept on this device');
    await expectWords(poll, room, { keeper: 'offline', unsaved: 2 }, 'Connected · 1 other person here · Server unreachable — 2 changes kept on this device');
    await expect(poll).to.be.accessible();
  });

  it('with no peers to reach, the keeper says it all; the widget is not offline while the keeper holds the room', async () => {
    const { poll, room, network } = await mount();
    network.disconnectAll();
    await waitUntil(() => poll.status.state === 'offline');
    expect(statusLine(poll)).to.equal('Offline');
    await expectWords(poll, room, { keeper: 'synced' }, "Saved on the group's server");
    expect(poll.hasState('offline')).to.be.false;
    await expectWords(poll, room, { keeper: 'offline', unsaved: 1 }, 'Server unreachable — 1 change kept on this device');
    expect(poll.hasState('offline')).to.be.true;
    await expectWords(poll, room, { keeper: 'connecting' }, "Reaching the group's server…");
  });

  it('says plainly why the keeper refused the room', async () => {
    const { poll, room } = await mount();
    await expectWords(
      poll,
      room,
      { keeper: 'offline', unsaved: 1, keeperRefusal: 'permission-denied' },
      "Connected · nobody else is here right now · The group's server refused this room: the password does not match — changes are kept on this device",
    );
    await expectWords(
      poll,
      room,
      { keeper: 'offline', keeperRefusal: 'room-not-allowed' },
      "Connected · nobody else is here right now · The group's server does not keep this room — changes are kept on this device",
    );
    expect(poll.shadowRoot!.querySelector('[part=status]')!.getAttribute('data-keeper')).to.equal('offline');
  });

  it('speaks Spanish', async () => {
    const { poll, room } = await mount('es');
    await expectWords(poll, room, { keeper: 'synced' }, 'Conectado · no hay nadie más ahora · Guardado en el servidor del grupo');
    await expectWords(poll, room, { keeper: 'synced', unsaved: 3 }, 'Conectado · no hay nadie más ahora · 3 cambios a la espera del servidor');
    await expectWords(poll, room, { keeper: 'offline' }, 'Conectado · no hay nadie más ahora · Servidor inalcanzable — los cambios se guardan en este dispositivo');
    await expectWords(
      poll,
      room,
      { keeper: 'offline', keeperRefusal: 'permission-denied' },
      'Conectado · no hay nadie más ahora · El servidor del grupo rechazó esta sala: la contraseña no coincide — los cambios se guardan en este dispositivo',
    );
  });

  it('has words for every refusal in both languages, and while everything connects says only "Connecting…"', () => {
    const base: RoomStatus = { state: 'connecting', peers: 0, saved: false, keeper: 'connecting', unsaved: 1 };
    for (const t of [en, es] as unknown as Translation[]) {
      expect(statusText(t, base)).to.equal(t.status.connecting);
      for (const keeperRefusal of ['permission-denied', 'room-not-allowed', 'too-many-rooms', 'room-too-large'] as const) {
        const words = statusText(t, { ...base, state: 'offline', keeper: 'offline', keeperRefusal });
        expect(words).to.equal(t.status.keeperRefused(keeperRefusal));
        expect(words.length).to.be.greaterThan(20);
      }
    }
  });
});
