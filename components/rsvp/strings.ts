// The RSVP's own section of the translation: registered by the widget, in English and Spanish,
// without touching any other widget's strings.
import { pluralOf } from '../../src/i18n/plural.js';
import { registerTranslation } from '../../src/i18n/registry.js';

/** `<gather-rsvp>`'s strings. */
export interface RsvpStrings {
  readonly yes: string;
  readonly maybe: string;
  readonly no: string;
  readonly legend: (event: string) => string;
  readonly summary: (yes: string, maybe: string, no: string) => string;
  readonly closed: string;
  readonly close: string;
  readonly reopen: string;
  readonly replyFailed: string;
  readonly updated: (yes: number, shown: string) => string;
}

declare module '../../src/i18n/types.js' {
  interface TranslationSections {
    readonly rsvp: RsvpStrings;
  }
}

const en = pluralOf('en');
const es = pluralOf('es');

registerTranslation(
  {
    $code: 'en',
    rsvp: {
      yes: 'Going',
      maybe: 'Maybe',
      no: 'Not going',
      legend: (event) => `Are you coming to ${event}?`,
      summary: (yes, maybe, no) => `${yes} going · ${maybe} maybe · ${no} not going`,
      closed: 'Replies are closed.',
      close: 'Close replies',
      reopen: 'Reopen replies',
      replyFailed: 'Your reply could not be saved. Please try again.',
      updated: (yes, shown) => `Replies updated: ${shown} ${en(yes, 'person', 'people')} going.`,
    },
  },
  {
    $code: 'es',
    rsvp: {
      yes: 'Voy',
      maybe: 'Quizás',
      no: 'No voy',
      legend: (event) => `¿Vienes a ${event}?`,
      summary: (yes, maybe, no) => `${yes} van · ${maybe} quizás · ${no} no van`,
      closed: 'Las respuestas están cerradas.',
      close: 'Cerrar respuestas',
      reopen: 'Reabrir respuestas',
      replyFailed: 'No se pudo guardar tu respuesta. Inténtalo de nuevo.',
      updated: (yes, shown) => `Respuestas actualizadas: ${shown} ${es(yes, 'persona va', 'personas van')}.`,
    },
  },
);
