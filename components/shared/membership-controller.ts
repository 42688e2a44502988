import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { onRoomPasswordChange } from '../../src/identity/room-passwords.js';
import { checkStorage, type StorageVerdict } from '../../src/identity/storage-check.js';
import type { Signer } from '../../src/identity/types.js';
import type { MemberState } from '../../src/models/membership.js';
import type { RoomTrust } from '../../src/models/room-trust.js';
import type { Room } from '../../src/room/types.js';
import { inviteFor, joinWithPageInvite, readPageInvite } from './page-invite.js';
import type { MembershipLine } from './trust-strings.js';

/** What the controller reads from its widget on each update. */
export interface MembershipSource {
  readonly room: Room | null;
  /** Null while loading, or when this browser cannot sign. */
  readonly signer: Signer | null;
  /** The model's view of the room's organizers and members (SignedEntryModel.trust), or null. */
  readonly trust: RoomTrust | null;
  readonly organizers: readonly string[];
  readonly membersOnly: boolean;
}

/**
 * A widget's part in the room's membership: checks whether this browser keeps anything, joins the
 * room with the page's invite (only from a browser that keeps its identity: one that keeps nothing
 * would come back as a new device every visit), re-renders when organizers or members change, and
 * says where this browser stands.
 */
export class MembershipController implements ReactiveController {
  /** Whether this browser keeps what the visitor does; null while checking. */
  storage: StorageVerdict | null = null;
  private joined: MemberState | 'invalid-invite' | null = null;
  private joining: Promise<unknown> | null = null;
  private followed: RoomTrust | null = null;
  private unfollow: (() => void) | null = null;
  private unwatchPasswords: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly source: () => MembershipSource,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    // A password remembered for a room (an organizer's panel) changes the room this widget asks for.
    this.unwatchPasswords ??= onRoomPasswordChange(() => this.host.requestUpdate());
    // No room opens before both are known (page-invite.ts browserRoomOptions).
    void Promise.all([checkStorage(), readPageInvite()]).then(([verdict]) => {
      this.storage = verdict;
      this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.unwatchPasswords?.();
    this.unwatchPasswords = null;
    this.follow(null);
  }

  hostUpdated(): void {
    const { room, signer, trust, organizers } = this.source();
    this.follow(trust);
    if (room === null || signer === null || this.storage !== 'kept') return;
    const joining = joinWithPageInvite(room, signer, organizers);
    if (joining === null || joining === this.joining) return;
    this.joining = joining;
    this.joined = null;
    void joining.then((state) => {
      if (this.joining !== joining) return;
      this.joined = state;
      this.host.requestUpdate();
    });
  }

  /** Where this browser stands, for a members-only widget (null otherwise, or while loading). */
  get line(): MembershipLine | null {
    const { room, signer, trust, membersOnly, organizers } = this.source();
    if (!membersOnly || room === null || signer === null || trust === null) return null;
    const state = trust.stateOf(signer.publicKey);
    if (state === 'organizer' || state === 'member' || state === 'revoked' || state === 'over-limit') return state;
    const invite = inviteFor(room.name);
    // A link made before invites had keys of their own: say so, in words.
    if (invite !== null && invite.invite === null && invite.outdated !== null) return 'outdated-invite';
    if (invite?.invite != null) {
      if (this.storage === 'blocked' || this.storage === 'full') return 'not-kept';
      // With no organizer named, no invite admits anyone (room-trust.ts NO_TRUST): say so rather than "checking" for ever.
      if (this.joined === 'invalid-invite' || organizers.length === 0) return 'invalid-invite';
      if (state === 'none') return 'checking';
    }
    return state;
  }

  private follow(trust: RoomTrust | null): void {
    if (trust === this.followed) return;
    this.unfollow?.();
    this.followed = trust;
    const unsubscribe = trust?.subscribe(() => this.host.requestUpdate());
    // A repair of the trust map is said in the widget (gather-widget.ts).
    const unsubscribeRepaired = trust?.subscribeRepaired(() => this.host.requestUpdate());
    this.unfollow =
      unsubscribe === undefined
        ? null
        : () => {
            unsubscribe();
            unsubscribeRepaired?.();
          };
  }
}
