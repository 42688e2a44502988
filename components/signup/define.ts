import { define } from '../shared/define.js';
import { GatherSignup } from './signup.js';
import { GatherSignupChangeEvent, type GatherSignupChangeDetail } from './signup-change-event.js';
import { GatherSlot } from './slot.js';

// <gather-slot> first: a sheet reads its slots as it upgrades.
define('gather-slot', GatherSlot);
define('gather-signup', GatherSignup);

export { GatherSignup, GatherSlot, GatherSignupChangeEvent, type GatherSignupChangeDetail };
