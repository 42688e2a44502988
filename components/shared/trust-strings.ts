// Every widget's "How this room is protected" panel and membership line: the kit's `trust`
// section of the translation, registered in English and Spanish without touching another section.
import { registerTranslation } from '../../src/i18n/registry.js';
import './trust-strings.ar.js'; // French and Arabic, in their own modules
import './trust-strings.fr.js';
import type { MemberState } from '../../src/models/membership.js';

/** Where this browser stands in a members-only room, as the widget says it. */
export type MembershipLine = MemberState | 'not-kept' | 'invalid-invite';

/** The `trust` section: the protection panel, and where this browser stands. */
export interface TrustStrings {
  /** The disclosure's summary, with who counts: open to anyone, or members only. */
  readonly summary: (membersOnly: boolean) => string;
  readonly openRoom: string;
  readonly membersOnlyRoom: string;
  readonly organizers: (count: number) => string;
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
}

declare module '../../src/i18n/types.js' {
  interface TranslationSections {
    readonly trust: TrustStrings;
  }
}

registerTranslation(
  {
    $code: 'en',
    trust: {
      summary: (membersOnly) => (membersOnly ? 'How this room is protected · members only' : 'How this room is protected · open to anyone'),
      openRoom:
        'Open: anyone who opens this page can take part, and one person can take part several times from different browsers. The counts are open to anyone: read them as a show of hands, not a ballot.',
      membersOnlyRoom:
        'Members only: what counts here comes from the organizers and from the devices they invited. Each invite link admits a set number of devices, and an organizer can remove a member.',
      organizers: (count) =>
        count === 0
          ? 'No organizers are named: nobody can close or moderate, and nobody has more say than anyone else.'
          : count === 1
            ? 'One organizer key can close, hide or moderate; nobody else has more say than anyone else.'
            : `${count} organizer keys can close, hide or moderate; nobody else has more say than anyone else.`,
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
          case 'checking':
            return 'Checking your invite…';
          case 'not-kept':
            return 'This browser will not remember you, so it cannot join as a member: what you do here does not count. Open your invite link in a browser that keeps site data.';
          case 'none':
            return 'Only members count here. To take part, ask an organizer for an invite link.';
        }
      },
    },
  },
  {
    $code: 'es',
    trust: {
      summary: (membersOnly) => (membersOnly ? 'Cómo se protege esta sala · solo miembros' : 'Cómo se protege esta sala · abierta a cualquiera'),
      openRoom:
        'Abierta: cualquiera que abra esta página puede participar, y una persona puede participar varias veces desde distintos navegadores. Los recuentos están abiertos a cualquiera: léelos como una votación a mano alzada, no como un voto secreto.',
      membersOnlyRoom:
        'Solo miembros: lo que cuenta aquí viene de quienes organizan y de los dispositivos que invitaron. Cada enlace de invitación admite un número fijo de dispositivos, y quien organiza puede retirar a un miembro.',
      organizers: (count) =>
        count === 0
          ? 'No se nombra a nadie para organizar: nadie puede cerrar ni moderar, y nadie tiene más voz que los demás.'
          : count === 1
            ? 'Una clave de organización puede cerrar, ocultar o moderar; nadie más tiene más voz que los demás.'
            : `${count} claves de organización pueden cerrar, ocultar o moderar; nadie más tiene más voz que los demás.`,
      password:
        'Esta sala tiene contraseña: los navegadores sin ella no pueden entrar, y el servidor que presenta a los navegadores entre sí no puede leer lo que intercambian. No protege de un miembro que pase la contraseña, o un enlace de invitación que la lleve, a otra persona.',
      noPassword: 'Sin contraseña: cualquiera que sepa el nombre de esta sala puede entrar y leer lo que contiene.',
      keeper: 'El servidor propio del grupo guarda una copia de esta sala, para que siga ahí cuando no haya nadie conectado. Quien gestiona ese servidor puede leerla.',
      noKeeper: 'Ningún servidor guarda esta sala: vive solo en los navegadores de quienes participan.',
      seen: 'Todas las personas de la sala ven lo que haces aquí, bajo la clave de este navegador (una serie de letras, no tu nombre, salvo que lo des), excepto lo que está sellado para una sola persona.',
      relayOnly: 'Los navegadores se comunican solo a través de un servidor de retransmisión, así que los demás no ven tu dirección IP; quien gestiona ese servidor sí.',
      direct:
        'Los navegadores se conectan directamente entre sí, así que los demás pueden ver tu dirección IP (aproximadamente dónde estás y tu proveedor de internet). Una página puede enviar todo a través de un servidor de retransmisión (modo solo retransmisión).',
      storageKept: 'Este navegador guarda tu clave y una copia de la sala, así que sigues siendo la misma persona cuando vuelves.',
      membership: (line) => {
        switch (line) {
          case 'organizer':
            return 'Organizas esta sala.';
          case 'member':
            return 'Eres miembro de esta sala: lo que haces aquí cuenta.';
          case 'revoked':
            return 'Quien organiza te ha retirado de los miembros: lo que hagas aquí ya no cuenta.';
          case 'over-limit':
            return 'Tu enlace de invitación ya había admitido todos los dispositivos que puede: lo que hagas aquí no cuenta. Pide un enlace nuevo a quien organiza.';
          case 'refused':
          case 'invalid-invite':
            return 'Tu enlace de invitación no admite a nadie aquí (caducó, se retiró o es de otra sala): lo que hagas aquí no cuenta.';
          case 'checking':
            return 'Comprobando tu invitación…';
          case 'not-kept':
            return 'Este navegador no te recordará, así que no puede entrar como miembro: lo que hagas aquí no cuenta. Abre tu enlace de invitación en un navegador que guarde los datos de los sitios.';
          case 'none':
            return 'Aquí solo cuentan los miembros. Para participar, pide un enlace de invitación a quien organiza.';
        }
      },
    },
  },
);
