import { pluralOf } from './plural.js';
import type { BuiltInTranslation } from './types.js';

const many = pluralOf('es');

export const es: BuiltInTranslation = {
  $code: 'es',
  $name: 'Español',
  $dir: 'ltr',

  status: {
    connecting: 'Conectando…',
    online: (peers) =>
      peers === 0 ? 'Conectado · no hay nadie más ahora' : `Conectado · ${peers} ${many(peers, 'persona más', 'personas más')} aquí`,
    offline: (saved) => (saved ? 'Sin conexión · guardado en este dispositivo' : 'Sin conexión'),
    cannotSign: 'Este navegador no puede participar aquí: la página debe servirse por https.',
    saveFailed: 'No se pudo guardar. Inténtalo de nuevo.',
  },

  poll: {
    vote: 'Votar',
    changeVote: 'Cambiar voto',
    retract: 'Retirar voto',
    cancel: 'Cancelar',
    chooseFirst: 'Elige una opción primero.',
    voteFailed: 'No se pudo guardar tu voto. Inténtalo de nuevo.',
    results: 'Resultados',
    yourChoice: (label) => `Votaste por ${label}.`,
    notVoted: 'No has votado.',
    optionResult: (count, percent) => `${count} ${many(count, 'voto', 'votos')}, ${percent}`,
    total: (count) => `${count} ${many(count, 'voto', 'votos')} en total`,
    noOptions: 'Esta encuesta no tiene opciones.',
    updated: (total) => `Resultados actualizados: ${total} ${many(total, 'voto', 'votos')} en total.`,
  },
};
