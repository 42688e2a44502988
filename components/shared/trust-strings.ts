// Every widget's "How this room is protected" panel and membership line: the kit's `trust`
// section of the translation, registered in English (other languages in their own modules, loaded when shown) without touching another section.
import { registerBuiltInTranslation, registerTranslationLoaders } from '../../src/i18n/registry.js';
import type { MemberState } from '../../src/models/membership.js';

/** Where this browser stands in a members-only room, as the widget says it. */
export type MembershipLine = MemberState | 'not-kept' | 'invalid-invite' | 'outdated-invite';

/** The `trust` section: the protection panel, and where this browser stands. */
export interface TrustStrings {
  /** The disclosure's summary, with who counts: open to anyone, or members only. */
  readonly summary: (membersOnly: boolean) => string;
  readonly openRoom: string;
  readonly membersOnlyRoom: string;
  readonly organizers: (count: number, shown: string) => string;
  readonly password: string;
  readonly noPassword: string;
  readonly keeper: string;
  readonly noKeeper: string;
  readonly seen: string;
  readonly relayOnly: string;
  readonly direct: string;
  readonly storageKept: string;
  /** Where this browser stands in a members-only widget. */
  readonly membership: (line: MembershipLine) => string;
  /** This browser put back `entries` entries of the room's organizers and members that another participant deleted or damaged. */
  readonly repaired: (entries: number, shown: string) => string;
}

declare module '../../src/i18n/types.js' {
  interface TranslationSections {
    readonly trust: TrustStrings;
  }
}

registerBuiltInTranslation(
  {
    $code: 'en',
    trust: {
      summary: (membersOnly) => (membersOnly ? 'How this room is protected · members only' : 'How this room is protected · open to anyone'),
      openRoom:
        'Open: anyone who opens this page can take part, and one person can take part several times from different browsers. The counts are open to anyone: read them as a show of hands, not a ballot.',
      membersOnlyRoom:
        'Members only: what counts here comes from the organizers and from the devices they invited. Each invite link admits a set number of devices, and an organizer can remove a member.',
      organizers: (count, shown) =>
        count === 0
          ? 'No organizers are named: nobody can close or moderate, and nobody has more say than anyone else.'
          : count === 1
            ? 'One organizer key can close, hide or moderate; nobody else has more say than anyone else.'
            : `${shown} organizer keys can close, hide or moderate; nobody else has more say than anyone else.`,
      password:
        'This room has a password: browsers without it cannot join, and the server that introduces browsers to each other cannot read what they exchange. It does not protect against a member who passes the password, or an invite link carrying it, to someone else.',
      noPassword: 'No password: anyone who knows the name of this room can join it and read what it holds.',
      keeper: "The group's own server keeps a copy of this room, so it is there when nobody else is online. Whoever runs that server can read it.",
      noKeeper: 'No server keeps this room: it lives only in the browsers of the people taking part.',
      seen: 'Everyone in the room sees what you do here, under this browser\u2019s key (a string of letters, not your name, unless you give one), except what is sealed for one person.',
      relayOnly: 'Browsers reach each other only through a relay server, so other participants do not see your IP address; the relay\u2019s operator does.',
      direct:
        'Browsers connect directly to each other, so other participants can see your IP address (roughly where you are, and your internet provider). A page can send everything through a relay server instead (relay-only mode).',
      storageKept: 'This browser keeps your key and a copy of the room, so you are the same person when you come back.',
      membership: (line) => {
        switch (line) {
          case 'organizer':
            return 'You are an organizer of this room.';
          case 'member':
            return 'You are a member of this room: what you do here counts.';
          case 'revoked':
            return 'An organizer has removed you from the members: what you do here now does not count.';
          case 'over-limit':
            return 'Your invite link had already admitted as many devices as it may: what you do here does not count. Ask an organizer for a new link.';
          case 'refused':
          case 'invalid-invite':
            return 'Your invite link does not admit anyone here (it expired, was withdrawn, or is for another room): what you do here does not count.';
          case 'outdated-invite':
            return 'Your invite link was made by an earlier version of Gather and no longer admits anyone: ask an organizer for a new link.';
          case 'checking':
            return 'Checking your invite…';
          case 'not-kept':
            return 'This browser will not remember you, so it cannot join as a member: what you do here does not count. Open your invite link in a browser that keeps site data.';
          case 'none':
            return 'Only members count here. To take part, ask an organizer for an invite link.';
        }
      },
      repaired: (entries, shown) =>
        entries === 1 ? 'Restored 1 entry of the room\u2019s organizers and members a peer removed' : `Restored ${shown} entries of the room\u2019s organizers and members a peer removed`,
    },
  },
);

// The other languages' strings load the first time a widget on the page is in that language
// (their modules register themselves); the shared status line's too (../../src/i18n/languages.js).
registerTranslationLoaders('*', {
  es: () => import('./trust-strings.es.js'),
  fr: () => import('./trust-strings.fr.js'),
  ar: () => import('./trust-strings.ar.js'),
});
