// The page of the signup sheet's p2p test (bundled by ./index.ts): one <gather-signup> with a
// one-place slot, in the room the address names (?room=…), synced through this site's /signal.
import '../../../components/index.js';
import '../../../components/signup/define.js';

const room = new URLSearchParams(location.search).get('room') ?? 'signup-p2p';
const signup = document.createElement('gather-signup');
signup.setAttribute('room', room);
signup.setAttribute('name', 'food-drive');
signup.setAttribute('title', 'Saturday food drive');
signup.setAttribute('signaling', '/signal');
const slot = document.createElement('gather-slot');
slot.setAttribute('name', 'pickup');
slot.setAttribute('capacity', '1');
slot.textContent = 'Pick-up driver';
signup.append(slot);
document.body.append(signup);
