/** `detail` of `gather-invite`: the invite link an organizer just made. */
export interface GatherInviteDetail {
  /** The whole link (the page's address with `#invite=…`, and `&password=…` when chosen). */
  readonly link: string;
  /** The invite's id (to find it in the panel's list, or withdraw it). */
  readonly id: string;
  /** How many devices it admits. */
  readonly max: number;
  /** When it stops admitting (ms since the epoch), or null. */
  readonly expires: number | null;
  /** Whether the link carries the room's password. */
  readonly password: boolean;
  readonly origin: 'local';
}

/** Fired by `<gather-organizer>` when this organizer makes an invite link. Bubbles and crosses shadow roots. */
export class GatherInviteEvent extends CustomEvent<GatherInviteDetail> {
  constructor(detail: Omit<GatherInviteDetail, 'origin'>) {
    super('gather-invite', { bubbles: true, composed: true, detail: { ...detail, origin: 'local' } });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'gather-invite': GatherInviteEvent;
  }
}
