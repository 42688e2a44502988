/**
 * The invite link this page was opened with (`#invite=…&password=…`), read once per page load:
 * a fragment is never sent to any server. Its password applies to the room its invite names;
 * once this browser has joined, the password is remembered on the device and the fragment leaves
 * the address bar, so that copying the address does not pass the invite on.
 */
import type { Invite } from '../../src/identity/capability.js';
import { roomTag } from '../../src/identity/entries.js';
import { rememberRoomPassword, roomPassword } from '../../src/identity/room-passwords.js';
import { storageVerdict } from '../../src/identity/storage-check.js';
import type { Signer } from '../../src/identity/types.js';
import type { MemberState } from '../../src/models/membership.js';
import type { Room } from '../../src/room/types.js';

/**
 * The page's invite: its capability and key (null when the fragment carries only a password, or an
 * outdated invite), its password, and the room tag of an invite made before invites had keys of
 * their own (it admits no one; a members-only widget of that room says so).
 */
export interface PageInvite {
  readonly invite: Invite | null;
  readonly password: string | null;
  readonly outdated: string | null;
}

let invite: PageInvite | null | undefined;
let reading: Promise<void> | null = null;

/**
 * Whether this page's address has invite or password parameters. Nearly none has: then the code
 * that reads invites (capability.ts, a chunk of its own in the embed) is not needed.
 */
function addressCarriesInvite(): boolean {
  if (typeof location === 'undefined') return false;
  const params = new URLSearchParams(location.hash.startsWith('#') ? location.hash.slice(1) : location.hash);
  return params.has('invite') || params.has('password');
}

/**
 * Reads the invite in this page's address, once (again after {@link resetPageInvite}): at once
 * where the address carries none, else once capability.ts has loaded. No room opens before
 * ({@link browserRoomOptions}).
 */
export function readPageInvite(): Promise<void> {
  if (pageInvite() !== undefined) return Promise.resolve();
  reading ??= import('../../src/identity/capability.js').then(
    ({ readInvite, readInviteFragment }) => {
      reading = null;
      if (invite !== undefined) return;
      const fragment = readInviteFragment(location.hash);
      invite = fragment === null ? null : { invite: readInvite(fragment.code), password: fragment.password, outdated: fragment.outdated };
    },
    (error: unknown) => {
      reading = null;
      invite = null; // the page works on without its invite
      console.error(`gather: the code that reads this page's invite link could not be loaded. Serve the whole dist/ folder (dist/chunks/ too) from where gather.js is.`, error);
    },
  );
  return reading;
}

/** The invite in this page's address; undefined while it is read ({@link readPageInvite}). */
export function pageInvite(): PageInvite | null | undefined {
  if (invite === undefined && !addressCarriesInvite()) invite = null;
  return invite;
}

/** Reads the address again (tests, and pages that change their fragment without reloading). */
export function resetPageInvite(): void {
  invite = undefined;
}

/** The page's invite if it is for the room `name`, else null (also while it is read). */
export function inviteFor(name: string): PageInvite | null {
  const found = pageInvite() ?? null;
  const tag = roomTag(name);
  return found !== null && (found.invite?.room === tag || found.outdated === tag) ? found : null;
}

/** The password this browser uses for the room `name`: the invite's, else one remembered on this device, else null. */
export function passwordFor(name: string): string | null {
  return inviteFor(name)?.password ?? roomPassword(name);
}

/**
 * What this browser adds to the options of the room `name`, between the elements' attributes and
 * the script tag's: the password an invite brought (or one remembered), and no IndexedDB copy
 * where storage refuses writes (y-indexeddb would fail with an uncaught `UnknownError` there).
 * Null while the page's storage check runs: open no room before it is known.
 */
export function browserRoomOptions(name: string): { password?: string; persist?: false } | null {
  const verdict = storageVerdict();
  if (verdict === null || pageInvite() === undefined) return null;
  const password = passwordFor(name);
  return { ...(password === null ? {} : { password }), ...(verdict === 'kept' ? {} : { persist: false as const }) };
}

const joins = new Map<string, Promise<MemberState | 'invalid-invite'>>();

/**
 * Joins the room with the page's invite as `signer` (once per page, room and signer, however many
 * widgets ask), after the room has loaded what this browser holds (so a device that joined before
 * does not join again). Then remembers the invite's password and takes the invite out of the
 * address. Resolves with where this browser stands, or `invalid-invite`.
 */
export function joinWithPageInvite(room: Room, signer: Signer, roots: readonly string[]): Promise<MemberState | 'invalid-invite'> | null {
  const found = inviteFor(room.name);
  if (found?.invite == null) return null;
  const code = found.invite.code;
  const key = `${room.name}\0${signer.publicKey}\0${code}`;
  let joining = joins.get(key);
  if (joining === undefined) {
    joining = (async () => {
      await room.whenLoaded();
      let model: InstanceType<typeof import('../../src/models/membership.js').MembershipModel> | undefined;
      try {
        const { MembershipModel } = await import('../../src/models/membership.js'); // asked for early by the loader (embed.ts)
        model = new MembershipModel(room.doc, signer, { roots, room: room.name });
        return await model.join(code);
      } catch {
        return 'invalid-invite' as const;
      } finally {
        model?.destroy();
        if (found.password !== null) rememberRoomPassword(room.name, found.password);
        await forgetFragment();
      }
    })();
    joins.set(key, joining);
  }
  return joining;
}

/** Takes the invite's parameters out of the address bar (not out of this page's memory). */
async function forgetFragment(): Promise<void> {
  try {
    if (typeof location === 'undefined' || typeof history === 'undefined') return;
    const { withoutInvite } = await import('../../src/identity/capability.js');
    const rest = withoutInvite(location.hash);
    if (rest === location.hash) return;
    history.replaceState(history.state, '', `${location.pathname}${location.search}${rest}`);
  } catch {
    /* a sandboxed frame: the address stays */
  }
}
