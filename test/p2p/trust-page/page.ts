// The page of the trust p2p test (bundled by ./index.ts): a members-only poll and the organizer
// panel in the room the address names (?room=…&organizer=<public key>; &open=1: not members-only;
// &relay=1: ice-transport="relay"), synced through /signal.
import '../../../components/index.js';
import '../../../components/organizer/define.js';

const query = new URLSearchParams(location.search);
const room = document.createElement('gather-room');
room.setAttribute('room', query.get('room') ?? 'trust-p2p');
room.setAttribute('signaling', '/signal');
room.setAttribute('keeper', '');
if (query.get('relay') === '1') room.setAttribute('ice-transport', 'relay');
const organizer = query.get('organizer') ?? '';
const poll = document.createElement('gather-poll');
poll.setAttribute('name', 'strike');
poll.setAttribute('question', 'Strike on Monday?');
poll.setAttribute('results', 'always');
poll.toggleAttribute('members-only', query.get('open') !== '1');
if (organizer) poll.setAttribute('organizer', organizer);
for (const [value, label] of [['yes', 'Yes'], ['no', 'No']] as const) {
  const option = document.createElement('option');
  option.value = value;
  option.textContent = label;
  poll.append(option);
}
const panel = document.createElement('gather-organizer');
if (organizer) panel.setAttribute('organizer', organizer);
room.append(poll, panel);
document.body.append(room);
