// A large room's state on its way from a peer (RoomStatus.receiving): every widget shows how much
// of it has come, with a native progress bar, in the visitor's language, outside the live status line
// (which says "Connecting…" meanwhile), and nothing once it has come. Simulated on an in-memory room
// (MemoryRoom.simulateReceiving): this is about what the widget shows; the real frames are counted
// in test/p2p/transport.test.ts.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/index.js';
import type { GatherPoll } from '../../components/poll/poll.js';
import type { GatherRoom } from '../../components/room/room.js';
import { createSigner } from '../../src/identity/keys.js';
import { MemoryNetwork, type MemoryRoom } from '../../src/room/memory-room.js';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';

let roomCount = 0;

async function mount(lang: string) {
  const source = new MemoryNetwork().source();
  const name = `receiving-${++roomCount}`;
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
  return { poll, room: source.rooms.get(name) as MemoryRoom };
}

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
      await waitUntil(() => words.test(shown()), `${lang}: "${shown()}" ${JSON.stringify(poll.status)} ${part(poll, 'base')?.outerHTML.slice(0, 400)}`);
    }
  });
});
