// The signup sheet's own section of the translation, registered by the widget in English
// (other languages in their own modules, loaded when shown), without touching any other widget's strings (components/rsvp/strings.ts does the same).
import { pluralOf } from '../../src/i18n/plural.js';
import { registerBuiltInTranslation, registerTranslationLoaders } from '../../src/i18n/registry.js';
import '../../src/i18n/languages.js';

/** `<gather-signup>`'s strings. Numbers arrive formatted for the language (Intl). */
export interface SignupStrings {
  readonly noSlots: string;
  /** The Sign up button's text, and its accessible name (with the slot's label). */
  readonly signUp: string;
  readonly signUpFor: (label: string) => string;
  /** The same button on a full slot. */
  readonly joinWaitlist: string;
  readonly joinWaitlistFor: (label: string) => string;
  readonly withdraw: string;
  readonly withdrawFrom: (label: string) => string;
  /** The signup form. */
  readonly joinLegend: (label: string) => string;
  readonly nameLabel: string;
  readonly noteLabel: string;
  readonly nameHint: string;
  readonly confirmJoin: string;
  readonly cancel: string;
  readonly nameRequired: string;
  readonly nameTooLong: (max: string) => string;
  /** Places. */
  readonly taken: (taken: number, capacity: number, takenText: string, capacityText: string) => string;
  readonly left: (left: number, leftText: string) => string;
  readonly full: string;
  readonly waiting: (count: number, countText: string) => string;
  readonly signedUp: (count: number, countText: string) => string;
  /** Where this visitor stands. */
  readonly youConfirmed: string;
  readonly youWaitlisted: (position: string) => string;
  readonly closed: string;
  readonly over: string;
  readonly confirmedList: (label: string) => string;
  readonly waitlistList: (label: string) => string;
  readonly addToCalendar: string;
  readonly addToCalendarFor: (label: string) => string;
  /** Organizers and open sheets. */
  readonly closeSlot: (label: string) => string;
  readonly reopenSlot: (label: string) => string;
  readonly remove: string;
  readonly removePerson: (name: string, label: string) => string;
  readonly waitlistHeading: string;
  readonly someone: string;
  readonly removeSlot: (label: string) => string;
  readonly addedByVisitor: string;
  readonly downloadCsv: string;
  readonly addSlot: string;
  readonly addSlotLegend: string;
  readonly slotLabel: string;
  readonly capacityLabel: string;
  readonly capacityHint: string;
  readonly startLabel: string;
  readonly endLabel: string;
  readonly locationLabel: string;
  readonly addSlotSubmit: string;
  readonly slotsLeftToAdd: (count: number, countText: string) => string;
  /** Failures. */
  readonly joinFailed: string;
  readonly leaveFailed: string;
  readonly addFailed: string;
  readonly slotClosedNow: string;
  /** Announced (polite live region) when where this visitor stands changes. */
  readonly nowConfirmed: (label: string) => string;
  readonly movedUp: (label: string) => string;
  readonly nowWaitlisted: (label: string, position: string) => string;
  readonly nowOff: (label: string) => string;
}

declare module '../../src/i18n/types.js' {
  interface TranslationSections {
    readonly signup: SignupStrings;
  }
}

const en = pluralOf('en');

registerBuiltInTranslation(
  {
    $code: 'en',
    signup: {
      noSlots: 'No slots yet.',
      signUp: 'Sign up',
      signUpFor: (label) => `Sign up for ${label}`,
      joinWaitlist: 'Join the waitlist',
      joinWaitlistFor: (label) => `Join the waitlist for ${label}`,
      withdraw: 'Withdraw',
      withdrawFrom: (label) => `Withdraw from ${label}`,
      joinLegend: (label) => `Sign up for ${label}`,
      nameLabel: 'Your name',
      noteLabel: 'Note (optional)',
      nameHint: 'Remembered on this device for next time.',
      confirmJoin: 'Sign up',
      cancel: 'Cancel',
      nameRequired: 'Enter your name to sign up.',
      nameTooLong: (max) => `Your name can be at most ${max} characters.`,
      taken: (_taken, capacity, takenText, capacityText) => `${takenText} of ${capacityText} ${en(capacity, 'place', 'places')} taken`,
      left: (left, leftText) => `${leftText} left`,
      full: 'Full',
      waiting: (count, countText) => `${countText} on the waitlist`,
      signedUp: (count, countText) => `${countText} signed up`,
      youConfirmed: 'You’re confirmed',
      youWaitlisted: (position) => `You’re number ${position} on the waitlist`,
      closed: 'Closed',
      over: 'This slot is over',
      confirmedList: (label) => `Signed up for ${label}`,
      waitlistList: (label) => `Waitlist for ${label}`,
      addToCalendar: 'Add to calendar',
      addToCalendarFor: (label) => `Add to calendar: ${label}`,
      closeSlot: (label) => `Close ${label}`,
      reopenSlot: (label) => `Reopen ${label}`,
      remove: 'Remove',
      removePerson: (name, label) => `Remove ${name} from ${label}`,
      waitlistHeading: 'Waitlist',
      someone: 'someone',
      removeSlot: (label) => `Remove the slot ${label}`,
      addedByVisitor: 'Added by a participant',
      downloadCsv: 'Download the roster (CSV)',
      addSlot: 'Add a slot',
      addSlotLegend: 'Add a slot',
      slotLabel: 'What',
      capacityLabel: 'Places',
      capacityHint: 'Leave empty for no limit.',
      startLabel: 'Starts',
      endLabel: 'Ends',
      locationLabel: 'Where (optional)',
      addSlotSubmit: 'Add the slot',
      slotsLeftToAdd: (count, countText) => `You can add ${countText} more ${en(count, 'slot', 'slots')}.`,
      joinFailed: 'Your signup could not be saved. Please try again.',
      leaveFailed: 'Your withdrawal could not be saved. Please try again.',
      addFailed: 'The slot could not be added. Check what you entered and try again.',
      slotClosedNow: 'This slot has just closed.',
      nowConfirmed: (label) => `You’re confirmed for ${label}.`,
      movedUp: (label) => `A place freed up: you’re now confirmed for ${label}.`,
      nowWaitlisted: (label, position) => `You’re number ${position} on the waitlist for ${label}.`,
      nowOff: (label) => `You’re no longer signed up for ${label}.`,
    },
  },
);

// The other languages' strings load the first time a widget on the page is in that language
// (their modules register themselves); the shared status line's too (../../src/i18n/languages.js).
registerTranslationLoaders('gather-signup', {
  es: () => import('./strings.es.js'),
  fr: () => import('./strings.fr.js'),
  ar: () => import('./strings.ar.js'),
});
