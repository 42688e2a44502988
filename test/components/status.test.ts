// What the status line says about the keeper (the group's server), in English and Spanish, and what
// every widget's and <gather-room>'s `status` property reports; and how a large room's state on its
// way from a peer shows (RoomStatus.receiving). The keeper link and the arriving state are simulated
// on an in-memory room (MemoryRoom.simulateKeeper, simulateReceiving): this is about what the widget
// shows; the real link is tested against a real keeper in test/p2p/keeper.test.ts, the real frames
// in test/p2p/transport.test.ts.
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

const part = (poll: GatherPoll, name: string) => poll.shadowRoot!.querySelector(`[part=${name}]`);

describe('a large room arriving', () => {
  failOnLitWarnings();

  it('shows how much has come, with a progress bar, while the status line says "Connecting…"; nothing once it has come', async () => {
    const { poll, room } = await mount('en');
    expect(part(poll, 'progress')).to.equal(null);
    room.simulateReceiving({ received: 300_000, total: 1_200_000 });
    await waitUntil(() => part(poll, 'progress') !== null, 'the progress shows');
    expect(poll.status).to.deep.include({ state: 'connecting', receiving: { received: 300_000, total: 1_200_000 } });
    expect(part(poll, 'status')!.textContent!.trim()).to.equal('Connecting…');
    const progress = part(poll, 'progress')!;
    expect(progress.textContent!.trim()).to.equal('Receiving the room: 25%…');
    const bar = progress.querySelector('progress')!;
    expect([bar.max, bar.value]).to.deep.equal([1_200_000, 300_000]);
    // The bar is named by its words (a native control in its label), and the widget is busy.
    expect(bar.closest('label')!.textContent!.trim()).to.equal('Receiving the room: 25%…');
    expect(part(poll, 'base')!.getAttribute('aria-busy')).to.equal('true');
    // Not a live region: a frame every few ms would be read out each time.
    expect(progress.closest('[role=status], [aria-live]')).to.equal(null);
    await expect(poll).to.be.accessible();

    // 99.9% is not yet all of it.
    room.simulateReceiving({ received: 1_198_800, total: 1_200_000 });
    await waitUntil(() => progress.textContent!.includes('99%'), `"${progress.textContent!.trim()}"`);

    room.simulateReceiving(null);
    await waitUntil(() => part(poll, 'progress') === null, 'the progress goes once the room has come');
    expect(poll.status.state).to.equal('online');
    expect(poll.status.receiving).to.equal(undefined);
    expect(part(poll, 'base')!.getAttribute('aria-busy')).to.equal('false');
  });

  it('in Spanish, French and Arabic', async () => {
    const expected: Record<string, RegExp> = {
      ar: /^جارٍ استلام الغرفة: [\u200e\u200f\u061c]*[٤4][٠0][\u200e\u200f\u061c\s]*[٪%][\u200e\u200f\u061c]*…$/,
      es: /^Recibiendo la sala: 40\s?%…$/,
      fr: /^Réception du salon : 40\s?%…$/,
    };
    for (const [lang, words] of Object.entries(expected)) {
      const { poll, room } = await mount(lang);
      room.simulateReceiving({ received: 400, total: 1000 });
      const shown = () => part(poll, 'progress')?.textContent?.trim() ?? '';
      await waitUntil(() => words.test(shown()), `${lang}: "${shown()}"`);
    }
  });
});
