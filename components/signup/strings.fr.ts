// The signup sheet's strings in French (registered beside English and Spanish by ./strings.ts).
import { pluralsOf } from '../../src/i18n/plural.js';
import { registerBuiltInTranslation } from '../../src/i18n/registry.js';
import type { SignupStrings } from './strings.js';

const plural = pluralsOf('fr');

export const signupFr: SignupStrings = {
  noSlots: 'Aucun créneau pour l’instant.',
  signUp: 'M’inscrire',
  signUpFor: (label) => `M’inscrire à ${label}`,
  joinWaitlist: 'M’inscrire sur la liste d’attente',
  joinWaitlistFor: (label) => `M’inscrire sur la liste d’attente de ${label}`,
  withdraw: 'Me désinscrire',
  withdrawFrom: (label) => `Me désinscrire de ${label}`,
  joinLegend: (label) => `M’inscrire à ${label}`,
  nameLabel: 'Votre nom',
  noteLabel: 'Note (facultatif)',
  nameHint: 'Mémorisé sur cet appareil pour la prochaine fois.',
  confirmJoin: 'M’inscrire',
  cancel: 'Annuler',
  nameRequired: 'Indiquez votre nom pour vous inscrire.',
  nameTooLong: (max) => `Votre nom peut compter au plus ${max} caractères.`,
  taken: (taken, _capacity, takenText, capacityText) =>
    `${takenText} ${plural(taken, { one: 'place prise', other: 'places prises' })} sur ${capacityText}`,
  left: (left, leftText) => `${plural(left, { one: 'Reste', other: 'Restent' })} ${leftText}`,
  full: 'Complet',
  waiting: (count, countText) => `${countText} en liste d’attente`,
  signedUp: (count, countText) => `${countText} ${plural(count, { one: 'inscrit·e', other: 'inscrit·es' })}`,
  youConfirmed: 'Votre place est confirmée',
  youWaitlisted: (position) => `Vous êtes n° ${position} sur la liste d’attente`,
  closed: 'Fermé',
  over: 'Ce créneau est passé',
  confirmedList: (label) => `Inscrit·es à ${label}`,
  waitlistList: (label) => `Liste d’attente de ${label}`,
  addToCalendar: 'Ajouter à l’agenda',
  addToCalendarFor: (label) => `Ajouter à l’agenda : ${label}`,
  closeSlot: (label) => `Fermer ${label}`,
  reopenSlot: (label) => `Rouvrir ${label}`,
  remove: 'Retirer',
  removePerson: (name, label) => `Retirer ${name} de ${label}`,
  waitlistHeading: 'Liste d’attente',
  someone: 'quelqu’un',
  removeSlot: (label) => `Supprimer le créneau ${label}`,
  addedByVisitor: 'Ajouté par un·e participant·e',
  downloadCsv: 'Télécharger la liste (CSV)',
  addSlot: 'Ajouter un créneau',
  addSlotLegend: 'Ajouter un créneau',
  slotLabel: 'Quoi',
  capacityLabel: 'Places',
  capacityHint: 'Laissez vide pour ne pas limiter.',
  startLabel: 'Début',
  endLabel: 'Fin',
  locationLabel: 'Où (facultatif)',
  addSlotSubmit: 'Ajouter le créneau',
  slotsLeftToAdd: (count, countText) =>
    `Vous pouvez encore ajouter ${countText} ${plural(count, { one: 'créneau', other: 'créneaux' })}.`,
  joinFailed: 'Votre inscription n’a pas pu être enregistrée. Veuillez réessayer.',
  leaveFailed: 'Votre désinscription n’a pas pu être enregistrée. Veuillez réessayer.',
  addFailed: 'Le créneau n’a pas pu être ajouté. Vérifiez ce que vous avez saisi et réessayez.',
  slotClosedNow: 'Ce créneau vient de fermer.',
  nowConfirmed: (label) => `Votre place est confirmée pour ${label}.`,
  movedUp: (label) => `Une place s’est libérée : votre place est confirmée pour ${label}.`,
  nowWaitlisted: (label, position) => `Vous êtes n° ${position} sur la liste d’attente de ${label}.`,
  nowOff: (label) => `Vous n’êtes plus inscrit·e à ${label}.`,
};

registerBuiltInTranslation({ $code: 'fr', signup: signupFr });
