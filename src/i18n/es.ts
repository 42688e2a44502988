import { pluralOf } from './plural.js';
import { registerBuiltInTranslation } from './registry.js';
import type { BuiltInTranslation } from './types.js';

const many = pluralOf('es');

export const es: BuiltInTranslation = {
  $code: 'es',
  $name: 'Español',
  $dir: 'ltr',

  status: {
    connecting: 'Conectando…',
    online: (peers, shown) =>
      peers === 0 ? 'Conectado · no hay nadie más ahora' : `Conectado · ${shown} ${many(peers, 'persona más', 'personas más')} aquí`,
    offline: (saved) => (saved ? 'Sin conexión · guardado en este dispositivo' : 'Sin conexión'),
    cannotSign: 'Este navegador no puede participar aquí: la página debe servirse por https.',
    saveFailed: 'No se pudo guardar. Inténtalo de nuevo.',
    keeperSaved: 'Guardado en el servidor del grupo',
    keeperWaiting: (changes, shown) => `${shown} ${many(changes, 'cambio', 'cambios')} a la espera del servidor`,
    keeperConnecting: 'Conectando con el servidor del grupo…',
    keeperOffline: (changes, shown) =>
      changes === 0
        ? 'Servidor inalcanzable — los cambios se guardan en este dispositivo'
        : `Servidor inalcanzable — ${shown} ${many(changes, 'cambio guardado', 'cambios guardados')} en este dispositivo`,
    keeperRefused: (reason) => {
      switch (reason) {
        case 'permission-denied':
          return 'El servidor del grupo rechazó esta sala: la contraseña no coincide — los cambios se guardan en este dispositivo';
        case 'room-not-allowed':
          return 'El servidor del grupo no guarda esta sala — los cambios se guardan en este dispositivo';
        case 'too-many-rooms':
          return 'El servidor del grupo está lleno ahora — los cambios se guardan en este dispositivo';
        case 'room-too-large':
          return 'Esta sala es demasiado grande para el servidor del grupo — los cambios se guardan en este dispositivo';
      }
    },
    checking: (verified, total) => `Comprobando firmas: ${verified} de ${total}…`,
    receiving: (part) => `Recibiendo la sala: ${part}…`,
    repaired: (entries, shown) => `${many(entries, 'Se restauró', 'Se restauraron')} ${shown} ${many(entries, 'entrada', 'entradas')} que otra persona había quitado`,
    withKeeper: (peers, keeper) => `${peers} · ${keeper}`,
    notKept: (reason) =>
      reason === 'full'
        ? 'Este navegador no recordará tu voto, ni nada de lo que hagas aquí, cuando se cierre la página: su almacenamiento está lleno.'
        : 'Este navegador no recordará tu voto, ni nada de lo que hagas aquí, cuando se cierre la página: no guarda datos de este sitio.',
  },
};

// Loaded the first time a widget on the page is in this language (./languages.ts).
registerBuiltInTranslation(es);
