import { define } from '../shared/define.js';
import { GatherAidBoard } from './aid-board.js';

define('gather-aid-board', GatherAidBoard);

export { GatherAidBoard };
