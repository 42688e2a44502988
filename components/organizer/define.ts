import { define } from '../shared/define.js';
import { GatherInviteEvent } from './invite-event.js';
import { GatherOrganizer } from './organizer.js';

define('gather-organizer', GatherOrganizer);

export { GatherOrganizer, GatherInviteEvent };
