import { pluralOf } from './plural.js';
import type { BuiltInTranslation } from './types.js';

const many = pluralOf('en');

export const en: BuiltInTranslation = {
  $code: 'en',
  $name: 'English',
  $dir: 'ltr',

  status: {
    connecting: 'Connecting…',
    online: (peers) =>
      peers === 0 ? 'Connected · nobody else is here right now' : `Connected · ${peers} ${many(peers, 'other person', 'other people')} here`,
    offline: (saved) => (saved ? 'Offline · saved on this device' : 'Offline'),
    cannotSign: 'This browser cannot take part here: the page must be served over https.',
    saveFailed: 'That could not be saved. Please try again.',
  },
};
