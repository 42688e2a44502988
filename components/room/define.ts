import { define } from '../shared/define.js';
import { GatherRoom } from './room.js';

define('gather-room', GatherRoom);

export { GatherRoom };
