import { define } from '../shared/define.js';
import { GatherThread } from './thread.js';

define('gather-thread', GatherThread);

export { GatherThread };
export { GatherCommentEvent, type GatherCommentDetail } from './comment-event.js';
