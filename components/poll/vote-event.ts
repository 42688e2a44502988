import type { Ballot } from '../../src/models/tally/types.js';

/** `detail` of `gather-vote`: this visitor's ballot in the shape `vote()` takes (null when they withdrew). */
export interface GatherVoteDetail {
  readonly ballot: Ballot | null;
  /** The same ballot (0.1's name for a single-choice poll's option id). */
  readonly choice: Ballot | null;
  readonly origin: 'local';
}

/** Fired by `<gather-poll>` when this visitor votes, changes or withdraws a vote. Bubbles and crosses shadow roots. */
export class GatherVoteEvent extends CustomEvent<GatherVoteDetail> {
  constructor(ballot: Ballot | null) {
    super('gather-vote', { bubbles: true, composed: true, detail: { ballot, choice: ballot, origin: 'local' } });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'gather-vote': GatherVoteEvent;
  }
}
