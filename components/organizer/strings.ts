// <gather-organizer>'s own section of the translation, registered in English (Spanish, French and
// Arabic in their own modules, loaded when shown).
import { pluralOf } from '../../src/i18n/plural.js';
import { registerBuiltInTranslation, registerTranslationLoaders } from '../../src/i18n/registry.js';
import type { MemberState } from '../../src/models/membership.js';

/** How this browser's organizer key stands in the room. */
export type KeyStanding = 'root' | 'added' | 'not-named';

/** `<gather-organizer>`'s strings. */
export interface OrganizerStrings {
  // Identity
  readonly identityLegend: string;
  readonly noKey: string;
  readonly create: string;
  readonly created: string;
  readonly hasKey: string;
  readonly standing: (standing: KeyStanding) => string;
  readonly publicKey: string;
  readonly snippet: string;
  readonly copy: string;
  readonly copied: string;
  readonly keptOnPage: string;
  // Backup
  readonly backupLegend: string;
  readonly backupHelp: string;
  readonly passphrase: string;
  readonly passphraseAgain: string;
  readonly passphraseHint: (min: number, shown: string) => string;
  readonly passphraseShort: (min: number, shown: string) => string;
  readonly passphraseDiffer: string;
  readonly download: string;
  readonly downloaded: (file: string) => string;
  // Restore
  readonly restoreLegend: string;
  readonly restoreHelp: string;
  readonly file: string;
  readonly restore: string;
  readonly restored: string;
  readonly noFile: string;
  readonly wrongPassphrase: string;
  readonly notABackup: string;
  readonly unsupported: string;
  readonly forget: string;
  readonly forgetConfirm: string;
  readonly forgotten: string;
  // Organizers
  readonly organizersLegend: string;
  readonly namedByPage: string;
  readonly you: string;
  readonly addLabel: string;
  readonly add: string;
  readonly remove: (key: string) => string;
  readonly removeVisible: string;
  readonly notAKey: string;
  readonly organizersHelp: string;
  // Invites
  readonly invitesLegend: string;
  readonly invitesHelp: string;
  readonly max: string;
  readonly expires: string;
  readonly never: string;
  readonly days: (days: number, shown: string) => string;
  readonly includePassword: string;
  readonly makeInvite: string;
  readonly inviteLink: string;
  readonly inviteMade: (max: number, shown: string) => string;
  readonly inviteUse: (admitted: number, max: number, admittedText: string, maxText: string) => string;
  readonly withdraw: (id: string) => string;
  readonly withdrawVisible: string;
  readonly reopen: (id: string) => string;
  readonly reopenVisible: string;
  /** Announced when members change from elsewhere. */
  readonly membersNow: (members: number, shown: string) => string;
  readonly withdrawn: string;
  readonly noInvitesUsed: string;
  // Members
  readonly membersLegend: string;
  readonly noMembers: string;
  readonly memberState: (state: MemberState) => string;
  readonly revoke: (key: string) => string;
  readonly revokeVisible: string;
  readonly restoreMember: (key: string) => string;
  readonly restoreMemberVisible: string;
  readonly more: (count: number, shown: string) => string;
  // Password
  readonly passwordLegend: string;
  readonly passwordNone: string;
  readonly passwordHeld: string;
  readonly passwordFromPage: string;
  readonly passwordLabel: string;
  readonly passwordProtects: string;
  readonly passwordDoesNot: string;
  readonly passwordNewRoom: string;
  readonly generate: string;
  readonly stopPassword: string;
  readonly passwordSet: string;
  readonly passwordStopped: string;
  // Failures and read-only
  readonly failed: string;
  readonly notOrganizer: string;
}

declare module '../../src/i18n/types.js' {
  interface TranslationSections {
    readonly organizer: OrganizerStrings;
  }
}

const en = pluralOf('en');

registerBuiltInTranslation(
  {
    $code: 'en',
    organizer: {
      identityLegend: 'Your organizer key',
      noKey: 'This browser has no organizer key: it takes part with its own device key.',
      create: 'Create an organizer key',
      created: 'Organizer key created. Put its public key in your page, and back it up now.',
      hasKey: 'This browser takes part as the organizer key below, on every Gather widget of this site.',
      standing: (standing) =>
        standing === 'root'
          ? 'This page names it as an organizer.'
          : standing === 'added'
            ? 'An organizer added it to this room.'
            : 'This page does not name it yet: put it in organizer="…" on your widgets, or ask an organizer of this room to add it.',
      publicKey: 'Public key',
      snippet: 'For your page',
      copy: 'Copy',
      copied: 'Copied.',
      keptOnPage: 'This browser keeps no site data: the key stays only while this page is open. Back it up before you close it.',
      backupLegend: 'Back up the key',
      backupHelp:
        'The file holds your private key, sealed with a passphrase. Keep the file and the passphrase apart; anyone with both can act as you. Without them, a lost browser means a lost key.',
      passphrase: 'Passphrase',
      passphraseAgain: 'The same passphrase again',
      passphraseHint: (min, shown) => `At least ${shown} characters; a few unrelated words are easy to remember and hard to guess.`,
      passphraseShort: (min, shown) => `The passphrase needs at least ${shown} characters.`,
      passphraseDiffer: 'The two passphrases differ.',
      download: 'Download the backup file',
      downloaded: (file) => `Backup saved as ${file}.`,
      restoreLegend: 'Restore a key from a backup file',
      restoreHelp: 'On another device, or after clearing this browser: choose the file and type its passphrase.',
      file: 'Backup file',
      restore: 'Restore',
      restored: 'Organizer key restored: this browser now takes part as that organizer.',
      noFile: 'Choose the backup file first.',
      wrongPassphrase: 'That passphrase does not open this file.',
      notABackup: 'This is not a Gather organizer key file.',
      unsupported: 'This browser cannot use that kind of key.',
      forget: 'Forget the key on this browser',
      forgetConfirm: 'I have a backup of this key',
      forgotten: 'The organizer key is gone from this browser: it takes part with its own device key again.',
      organizersLegend: 'Organizers of this room',
      namedByPage: 'named by the page',
      you: 'you',
      addLabel: 'Public key of another organizer',
      add: 'Add organizer',
      remove: (key) => `Remove organizer ${key}`,
      removeVisible: 'Remove',
      notAKey: 'That is not a public key.',
      organizersHelp: 'Organizers can close, hide and moderate, make invite links and remove members. The keys the page names always stay; a removal by one of them always holds.',
      invitesLegend: 'Invite links',
      invitesHelp:
        'Anyone who opens the link joins this room as a member, until as many devices as you allow have. The invite travels after the # of the link, which browsers never send to any server.',
      max: 'Devices it admits',
      expires: 'Stops admitting',
      never: 'Never',
      days: (days, shown) => `After ${shown} ${en(days, 'day', 'days')}`,
      includePassword: 'Include the room password in the link',
      makeInvite: 'Make an invite link',
      inviteLink: 'Invite link',
      inviteMade: (max, shown) => `Invite link made: it admits ${shown} ${en(max, 'device', 'devices')}. Send it to the people it is for.`,
      inviteUse: (admitted, max, admittedText, maxText) => `${admittedText} of ${maxText} ${en(max, 'place', 'places')} taken`,
      withdraw: (id) => `Withdraw invite ${id}`,
      withdrawVisible: 'Withdraw',
      reopen: (id) => `Reopen invite ${id}`,
      reopenVisible: 'Reopen',
      membersNow: (members, shown) => `The room now has ${shown} ${en(members, 'member', 'members')}.`,
      withdrawn: 'withdrawn',
      noInvitesUsed: 'Nobody has joined with an invite yet.',
      membersLegend: 'Members',
      noMembers: 'No members yet.',
      memberState: (state) => {
        switch (state) {
          case 'member':
            return 'member';
          case 'revoked':
            return 'removed';
          case 'over-limit':
            return 'joined after the link was full';
          case 'refused':
            return 'invite not valid';
          case 'checking':
            return 'checking';
          case 'organizer':
            return 'organizer';
          case 'none':
            return 'not a member';
        }
      },
      revoke: (key) => `Remove member ${key}`,
      revokeVisible: 'Remove',
      restoreMember: (key) => `Take member ${key} back`,
      restoreMemberVisible: 'Take back',
      more: (count, shown) => `and ${shown} more`,
      passwordLegend: 'Room password',
      passwordNone: 'This room has no password.',
      passwordHeld: 'This browser uses this password for the room:',
      passwordFromPage: 'The page sets this room\u2019s password itself.',
      passwordLabel: 'Room password',
      passwordProtects: 'A password keeps out strangers who only know the room\u2019s name, and the server that introduces browsers to each other cannot read what they exchange.',
      passwordDoesNot: 'It does not protect against members who pass it, or an invite link carrying it, to someone else: anyone who has it can read the room.',
      passwordNewRoom: 'A password makes a separate room: what the room holds without it stays there. Set it before you send invite links, and put it in them.',
      generate: 'Make a new long password',
      stopPassword: 'Stop using the password here',
      passwordSet: 'Password set: this browser now uses it for the room.',
      passwordStopped: 'This browser no longer uses a password for the room.',
      failed: 'That did not work. Please try again.',
      notOrganizer: 'Only an organizer of this room can do this.',
    },
  },
);

// The other languages' strings load the first time a widget on the page is in that language
// (their modules register themselves); the shared status line's too (../../src/i18n/languages.js).
registerTranslationLoaders('gather-organizer', {
  es: () => import('./strings.es.js'),
  fr: () => import('./strings.fr.js'),
  ar: () => import('./strings.ar.js'),
});
