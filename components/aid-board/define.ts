import { define } from '../shared/define.js';
import { GatherAidBoard } from './aid-board.js';

define('gather-aid-board', GatherAidBoard);

export { GatherAidBoard };
export { GatherPostEvent, type GatherPostDetail, type AidAction } from './post-event.js';
