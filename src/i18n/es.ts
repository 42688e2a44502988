import { pluralOf } from './plural.js';
import type { Translation } from './types.js';

const many = pluralOf('es');

export const es: Translation = {
  $code: 'es',
  $name: 'Español',
  $dir: 'ltr',

  statusConnecting: 'Conectando…',
  statusOnline: (peers) =>
    peers === 0 ? 'Conectado · no hay nadie más ahora' : `Conectado · ${peers} ${many(peers, 'persona más', 'personas más')} aquí`,
  statusOffline: (saved) => (saved ? 'Sin conexión · guardado en este dispositivo' : 'Sin conexión'),
  identityUnavailable: 'Este navegador no puede participar aquí: la página debe servirse por https.',

  pollVote: 'Votar',
  pollChangeVote: 'Cambiar voto',
  pollRetract: 'Retirar voto',
  pollCancel: 'Cancelar',
  pollChooseFirst: 'Elige una opción primero.',
  pollVoteFailed: 'No se pudo guardar tu voto. Inténtalo de nuevo.',
  pollResults: 'Resultados',
  pollYourChoice: (label) => `Votaste por ${label}.`,
  pollNotVoted: 'No has votado.',
  pollVotes: (count) => `${count} ${many(count, 'voto', 'votos')}`,
  pollOptionResult: (count, percent) => `${count} ${many(count, 'voto', 'votos')}, ${percent}`,
  pollTotal: (count) => `${count} ${many(count, 'voto', 'votos')} en total`,
  pollNoOptions: 'Esta encuesta no tiene opciones.',
  pollUpdated: (total) => `Resultados actualizados: ${total} ${many(total, 'voto', 'votos')} en total.`,
};
