/** `detail` of `gather-comment`: the comment this visitor posted, and what it answers (null for a top-level comment). */
export interface GatherCommentDetail {
  readonly id: string;
  readonly replyTo: string | null;
  readonly origin: 'local';
}

/** Fired by `<gather-thread>` when this visitor posts a comment or a reply. Bubbles and crosses shadow roots. */
export class GatherCommentEvent extends CustomEvent<GatherCommentDetail> {
  constructor(id: string, replyTo: string | null) {
    super('gather-comment', { bubbles: true, composed: true, detail: { id, replyTo, origin: 'local' } });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'gather-comment': GatherCommentEvent;
  }
}
