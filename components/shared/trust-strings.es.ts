// The kit's `trust` strings in Spanish: loaded the first time a widget on the page is in Spanish
// (registered beside the others by ./trust-strings.ts).
import { pluralOf } from '../../src/i18n/plural.js';
import { registerBuiltInTranslation } from '../../src/i18n/registry.js';

const many = pluralOf('es');

registerBuiltInTranslation({
  $code: 'es',
  trust: {
    summary: (membersOnly) => (membersOnly ? 'Cómo se protege esta sala · solo miembros' : 'Cómo se protege esta sala · abierta a cualquiera'),
    openRoom:
      'Abierta: cualquiera que abra esta página puede participar, y una persona puede participar varias veces desde distintos navegadores. Los recuentos están abiertos a cualquiera: léelos como una votación a mano alzada, no como un voto secreto.',
    membersOnlyRoom:
      'Solo miembros: lo que cuenta aquí viene de quienes organizan y de los dispositivos que invitaron. Cada enlace de invitación admite un número fijo de dispositivos, y quien organiza puede retirar a un miembro.',
    organizers: (count, shown) =>
      count === 0
        ? 'No se nombra a nadie para organizar: nadie puede cerrar ni moderar, y nadie tiene más voz que los demás.'
        : count === 1
          ? 'Una clave de organización puede cerrar, ocultar o moderar; nadie más tiene más voz que los demás.'
          : `${shown} claves de organización pueden cerrar, ocultar o moderar; nadie más tiene más voz que los demás.`,
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
        case 'outdated-invite':
          return 'Tu enlace de invitación se hizo con una versión anterior de Gather y ya no admite a nadie: pide un enlace nuevo a una persona organizadora.';
        case 'checking':
          return 'Comprobando tu invitación…';
        case 'not-kept':
          return 'Este navegador no te recordará, así que no puede entrar como miembro: lo que hagas aquí no cuenta. Abre tu enlace de invitación en un navegador que guarde los datos de los sitios.';
        case 'none':
          return 'Aquí solo cuentan los miembros. Para participar, pide un enlace de invitación a quien organiza.';
      }
    },
    repaired: (entries, shown) =>
      `${many(entries, 'Se restauró', 'Se restauraron')} ${shown} ${many(entries, 'entrada', 'entradas')} de la organización y los miembros de la sala que otra persona había quitado`,
  },
});
