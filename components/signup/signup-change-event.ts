import type { ChangeOrigin } from '../../src/models/model.types.js';
import type { SignupState } from '../../src/models/signup.types.js';

/** `detail` of `gather-signup-change`: where this visitor now stands on one slot. */
export interface GatherSignupChangeDetail {
  /** The slot's name. */
  readonly slot: string;
  /** `confirmed`, `waitlisted`, or null when they are no longer on it (withdrew, or an organizer removed them). */
  readonly state: SignupState | null;
  /** Their position among the confirmed or in the waitlist, from 1; null when not on the slot. */
  readonly position: number | null;
  /** `local` when this visitor's own action changed it; `remote` when a peer's did (a withdrawal promoted them). */
  readonly origin: ChangeOrigin;
}

/**
 * Fired by `<gather-signup>` when where this visitor stands on a slot changes: signed up
 * (confirmed or waitlisted), moved up the waitlist or promoted, withdrawn or removed. Not fired
 * while the sheet first loads. Bubbles and crosses shadow roots.
 */
export class GatherSignupChangeEvent extends CustomEvent<GatherSignupChangeDetail> {
  constructor(detail: GatherSignupChangeDetail) {
    super('gather-signup-change', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'gather-signup-change': GatherSignupChangeEvent;
  }
}
