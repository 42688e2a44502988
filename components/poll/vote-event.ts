/** `detail` of `gather-vote`: the option this visitor chose, or null when they withdrew their vote. */
export interface GatherVoteDetail {
  readonly choice: string | null;
  readonly origin: 'local';
}

/** Fired by `<gather-poll>` when this visitor votes, changes or withdraws a vote. Bubbles and crosses shadow roots. */
export class GatherVoteEvent extends CustomEvent<GatherVoteDetail> {
  constructor(choice: string | null) {
    super('gather-vote', { bubbles: true, composed: true, detail: { choice, origin: 'local' } });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'gather-vote': GatherVoteEvent;
  }
}
