// The page the thread's p2p test drives (bundled by ./index.ts with esbuild, simple-peer aliased to
// the native peer exactly as the embed is): one <gather-thread> in the room the address names,
// signaling through the test server's own /signal.
import '../../../components/index.js';
import '../../../components/thread/define.js';

const room = new URLSearchParams(location.search).get('room') ?? 'thread-p2p';
const wrapper = document.createElement('gather-room');
wrapper.setAttribute('room', room);
wrapper.setAttribute('signaling', '/signal');
const thread = document.createElement('gather-thread');
thread.setAttribute('name', 'rent-strike');
thread.setAttribute('topic', 'Should we withhold December rent?');
wrapper.append(thread);
document.body.append(wrapper);
