import type { ChangeOrigin } from '../../src/models/model.types.js';

/** `detail` of `gather-change`: the widget's new view and where the change came from. */
export interface GatherChangeDetail<View> {
  readonly view: View;
  readonly origin: ChangeOrigin;
}

/** Fired by every widget whenever its view changes. Bubbles and crosses shadow roots. */
export class GatherChangeEvent<View = unknown> extends CustomEvent<GatherChangeDetail<View>> {
  constructor(detail: GatherChangeDetail<View>) {
    super('gather-change', { bubbles: true, composed: true, detail });
  }
}

/** `detail` of `gather-vote`: the option this visitor chose, or null when they withdrew their vote. */
export interface GatherVoteDetail {
  readonly choice: string | null;
  readonly origin: 'local';
}

/** Fired by `<gather-poll>` when this visitor votes, changes or withdraws a vote. */
export class GatherVoteEvent extends CustomEvent<GatherVoteDetail> {
  constructor(choice: string | null) {
    super('gather-vote', { bubbles: true, composed: true, detail: { choice, origin: 'local' } });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'gather-change': GatherChangeEvent;
    'gather-vote': GatherVoteEvent;
  }
}
