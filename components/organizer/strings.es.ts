// <gather-organizer>'s strings in Spanish: loaded the first time a widget on the page is in Spanish
// (registered beside the others by ./strings.ts).
import { pluralOf } from '../../src/i18n/plural.js';
import { registerBuiltInTranslation } from '../../src/i18n/registry.js';

const es = pluralOf('es');

registerBuiltInTranslation({
  $code: 'es',
  organizer: {
    identityLegend: 'Tu clave de organización',
    noKey: 'Este navegador no tiene clave de organización: participa con su propia clave de dispositivo.',
    create: 'Crear una clave de organización',
    created: 'Clave de organización creada. Pon su clave pública en tu página y haz una copia de seguridad ahora.',
    hasKey: 'Este navegador participa con la clave de organización de abajo, en todos los widgets de Gather de este sitio.',
    standing: (standing) =>
      standing === 'root'
        ? 'Esta página la nombra como organizadora.'
        : standing === 'added'
          ? 'Alguien que organiza la añadió a esta sala.'
          : 'Esta página aún no la nombra: ponla en organizer="…" en tus widgets, o pide a quien organiza esta sala que la añada.',
    publicKey: 'Clave pública',
    snippet: 'Para tu página',
    copy: 'Copiar',
    copied: 'Copiado.',
    keptOnPage: 'Este navegador no guarda datos de sitios: la clave solo dura mientras esta página esté abierta. Haz una copia antes de cerrarla.',
    backupLegend: 'Copia de seguridad de la clave',
    backupHelp:
      'El archivo contiene tu clave privada, sellada con una frase de contraseña. Guarda el archivo y la frase por separado; quien tenga ambos puede actuar como tú. Sin ellos, perder el navegador es perder la clave.',
    passphrase: 'Frase de contraseña',
    passphraseAgain: 'La misma frase otra vez',
    passphraseHint: (min, shown) => `Al menos ${shown} caracteres; unas palabras sin relación son fáciles de recordar y difíciles de adivinar.`,
    passphraseShort: (min, shown) => `La frase necesita al menos ${shown} caracteres.`,
    passphraseDiffer: 'Las dos frases no coinciden.',
    download: 'Descargar el archivo de copia',
    downloaded: (file) => `Copia guardada como ${file}.`,
    restoreLegend: 'Recuperar una clave desde un archivo de copia',
    restoreHelp: 'En otro dispositivo, o tras borrar este navegador: elige el archivo y escribe su frase.',
    file: 'Archivo de copia',
    restore: 'Recuperar',
    restored: 'Clave de organización recuperada: este navegador participa ahora con ella.',
    noFile: 'Elige primero el archivo de copia.',
    wrongPassphrase: 'Esa frase no abre este archivo.',
    notABackup: 'Este no es un archivo de clave de organización de Gather.',
    unsupported: 'Este navegador no puede usar ese tipo de clave.',
    forget: 'Olvidar la clave en este navegador',
    forgetConfirm: 'Tengo una copia de esta clave',
    forgotten: 'La clave de organización ya no está en este navegador: vuelve a participar con su propia clave de dispositivo.',
    organizersLegend: 'Quienes organizan esta sala',
    namedByPage: 'nombrada por la página',
    you: 'tú',
    addLabel: 'Clave pública de otra persona que organiza',
    add: 'Añadir',
    remove: (key) => `Quitar a ${key} de la organización`,
    removeVisible: 'Quitar',
    notAKey: 'Eso no es una clave pública.',
    organizersHelp: 'Quienes organizan pueden cerrar, ocultar y moderar, crear enlaces de invitación y retirar miembros. Las claves que nombra la página siempre se quedan; cuando una de ellas quita a alguien, eso se mantiene.',
    invitesLegend: 'Enlaces de invitación',
    invitesHelp:
      'Quien abra el enlace entra en esta sala como miembro, hasta que lo hayan hecho tantos dispositivos como permitas. La invitación va después del # del enlace, que los navegadores nunca envían a ningún servidor.',
    max: 'Dispositivos que admite',
    expires: 'Deja de admitir',
    never: 'Nunca',
    days: (days, shown) => `A los ${shown} ${es(days, 'día', 'días')}`,
    includePassword: 'Incluir la contraseña de la sala en el enlace',
    makeInvite: 'Crear un enlace de invitación',
    inviteLink: 'Enlace de invitación',
    inviteMade: (max, shown) => `Enlace creado: admite ${shown} ${es(max, 'dispositivo', 'dispositivos')}. Envíalo a las personas a quienes va dirigido.`,
    inviteUse: (admitted, max, admittedText, maxText) => `${admittedText} de ${maxText} ${es(max, 'plaza ocupada', 'plazas ocupadas')}`,
    withdraw: (id) => `Retirar la invitación ${id}`,
    withdrawVisible: 'Retirar',
    reopen: (id) => `Reabrir la invitación ${id}`,
    reopenVisible: 'Reabrir',
    membersNow: (members, shown) => `La sala tiene ahora ${shown} ${es(members, 'miembro', 'miembros')}.`,
    withdrawn: 'retirada',
    noInvitesUsed: 'Nadie ha entrado todavía con una invitación.',
    membersLegend: 'Miembros',
    noMembers: 'Todavía no hay miembros.',
    memberState: (state) => {
      switch (state) {
        case 'member':
          return 'miembro';
        case 'revoked':
          return 'retirado';
        case 'over-limit':
          return 'entró cuando el enlace estaba completo';
        case 'refused':
          return 'invitación no válida';
        case 'checking':
          return 'comprobando';
        case 'organizer':
          return 'organiza';
        case 'none':
          return 'no es miembro';
      }
    },
    revoke: (key) => `Retirar al miembro ${key}`,
    revokeVisible: 'Retirar',
    restoreMember: (key) => `Readmitir al miembro ${key}`,
    restoreMemberVisible: 'Readmitir',
    more: (count, shown) => `y ${shown} más`,
    passwordLegend: 'Contraseña de la sala',
    passwordNone: 'Esta sala no tiene contraseña.',
    passwordHeld: 'Este navegador usa esta contraseña para la sala:',
    passwordFromPage: 'La página fija ella misma la contraseña de esta sala.',
    passwordLabel: 'Contraseña de la sala',
    passwordProtects: 'Una contraseña deja fuera a quien solo conoce el nombre de la sala, y el servidor que presenta a los navegadores entre sí no puede leer lo que intercambian.',
    passwordDoesNot: 'No protege de miembros que la pasen, o pasen un enlace que la lleve, a otra persona: quien la tenga puede leer la sala.',
    passwordNewRoom: 'Una contraseña crea una sala aparte: lo que la sala tiene sin ella se queda ahí. Fíjala antes de enviar enlaces de invitación, e inclúyela en ellos.',
    generate: 'Crear una contraseña larga nueva',
    stopPassword: 'Dejar de usar la contraseña aquí',
    passwordSet: 'Contraseña fijada: este navegador la usa ahora para la sala.',
    passwordStopped: 'Este navegador ya no usa contraseña para la sala.',
    failed: 'No ha funcionado. Inténtalo de nuevo.',
    notOrganizer: 'Solo quien organiza esta sala puede hacer esto.',
  },
});
