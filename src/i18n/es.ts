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
};
