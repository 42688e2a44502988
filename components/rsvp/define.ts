// The example widget is not part of the embed: import this module to define <gather-rsvp>.
import { define } from '../shared/define.js';
import { GatherRsvp } from './rsvp.js';

define('gather-rsvp', GatherRsvp);

export { GatherRsvp };
