import { pluralOf } from './plural.js';
import type { BuiltInTranslation } from './types.js';

const many = pluralOf('en');

export const en: BuiltInTranslation = {
  $code: 'en',
  $name: 'English',
  $dir: 'ltr',

  status: {
    connecting: 'Connecting…',
    online: (peers, shown) =>
      peers === 0 ? 'Connected · nobody else is here right now' : `Connected · ${shown} ${many(peers, 'other person', 'other people')} here`,
    offline: (saved) => (saved ? 'Offline · saved on this device' : 'Offline'),
    cannotSign: 'This browser cannot take part here: the page must be served over https.',
    saveFailed: 'That could not be saved. Please try again.',
    keeperSaved: "Saved on the group's server",
    keeperWaiting: (changes, shown) => `${shown} ${many(changes, 'change', 'changes')} waiting for the server`,
    keeperConnecting: "Reaching the group's server…",
    keeperOffline: (changes, shown) =>
      changes === 0
        ? 'Server unreachable — changes are kept on this device'
        : `Server unreachable — ${shown} ${many(changes, 'change', 'changes')} kept on this device`,
    keeperRefused: (reason) => {
      switch (reason) {
        case 'permission-denied':
          return "The group's server refused this room: the password does not match — changes are kept on this device";
        case 'room-not-allowed':
          return "The group's server does not keep this room — changes are kept on this device";
        case 'too-many-rooms':
          return "The group's server is full right now — changes are kept on this device";
        case 'room-too-large':
          return "This room is too large for the group's server — changes are kept on this device";
      }
    },
    checking: (verified, total) => `Checking signatures: ${verified} of ${total}…`,
    receiving: (part) => `Receiving the room: ${part}…`,
    repaired: (entries, shown) => `Restored ${shown} ${many(entries, 'entry', 'entries')} a peer removed`,
    withKeeper: (peers, keeper) => `${peers} · ${keeper}`,
    notKept: (reason) =>
      reason === 'full'
        ? 'This browser will not remember your vote, or anything else you do here, once the page closes: its storage is full.'
        : 'This browser will not remember your vote, or anything else you do here, once the page closes: it keeps no site data for this page.',
  },
};
