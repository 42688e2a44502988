import { define } from '../shared/define.js';
import { GatherPoll } from './poll.js';

define('gather-poll', GatherPoll);

export { GatherPoll };
