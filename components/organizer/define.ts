import { define } from '../shared/define.js';
import { GatherInviteEvent, type GatherInviteDetail } from './invite-event.js';
import { GatherOrganizer } from './organizer.js';

define('gather-organizer', GatherOrganizer);

export { GatherOrganizer, GatherInviteEvent, type GatherInviteDetail };
