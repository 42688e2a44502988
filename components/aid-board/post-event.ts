/** What this visitor did on the board. */
export type AidAction = 'post' | 'respond' | 'accept' | 'unmatch' | 'done' | 'withdrawn' | 'hide' | 'unhide';

/** `detail` of `gather-post`: what this visitor did, to which post. Never a contact or a message. */
export interface GatherPostDetail {
  readonly action: AidAction;
  readonly postId: string;
  readonly origin: 'local';
}

/**
 * Fired by `<gather-aid-board>` when this visitor posts, responds, accepts, un-matches, marks a
 * post done or withdrawn, or (as an organizer) hides or shows one. Bubbles and crosses shadow roots.
 */
export class GatherPostEvent extends CustomEvent<GatherPostDetail> {
  constructor(action: AidAction, postId: string) {
    super('gather-post', { bubbles: true, composed: true, detail: { action, postId, origin: 'local' } });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'gather-post': GatherPostEvent;
  }
}
