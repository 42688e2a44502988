import { pluralsOf } from './plural.js';
import { registerBuiltInTranslation } from './registry.js';
import type { BuiltInTranslation } from './types.js';

const plural = pluralsOf('fr');
const changes = (n: number, shown: string) => `${shown} ${plural(n, { one: 'modification', other: 'modifications' })}`;

export const fr: BuiltInTranslation = {
  $code: 'fr',
  $name: 'Français',
  $dir: 'ltr',

  status: {
    connecting: 'Connexion…',
    online: (peers, shown) =>
      peers === 0
        ? 'Connecté · personne d’autre pour l’instant'
        : `Connecté · ${shown} ${plural(peers, { one: 'autre personne', other: 'autres personnes' })} ici`,
    offline: (saved) => (saved ? 'Hors ligne · enregistré sur cet appareil' : 'Hors ligne'),
    cannotSign: 'Ce navigateur ne peut pas participer ici : la page doit être servie en https.',
    saveFailed: 'Impossible d’enregistrer. Veuillez réessayer.',
    keeperSaved: 'Enregistré sur le serveur du groupe',
    keeperWaiting: (n, shown) => `${changes(n, shown)} en attente du serveur`,
    keeperConnecting: 'Connexion au serveur du groupe…',
    keeperOffline: (n, shown) =>
      n === 0
        ? 'Serveur injoignable — les modifications sont gardées sur cet appareil'
        : `Serveur injoignable — ${changes(n, shown)} ${plural(n, { one: 'gardée', other: 'gardées' })} sur cet appareil`,
    keeperRefused: (reason) => {
      switch (reason) {
        case 'permission-denied':
          return 'Le serveur du groupe a refusé ce salon : le mot de passe ne correspond pas — les modifications sont gardées sur cet appareil';
        case 'room-not-allowed':
          return 'Le serveur du groupe ne garde pas ce salon — les modifications sont gardées sur cet appareil';
        case 'too-many-rooms':
          return 'Le serveur du groupe est plein pour l’instant — les modifications sont gardées sur cet appareil';
        case 'room-too-large':
          return 'Ce salon est trop volumineux pour le serveur du groupe — les modifications sont gardées sur cet appareil';
      }
    },
    checking: (verified, total) => `Vérification des signatures : ${verified} sur ${total}…`,
    receiving: (part) => `Réception du salon : ${part}…`,
    repaired: (entries, shown) =>
      `${shown} ${plural(entries, { one: 'entrée retirée par un autre participant a été rétablie', other: 'entrées retirées par un autre participant ont été rétablies' })}`,
    withKeeper: (peers, keeper) => `${peers} · ${keeper}`,
    notKept: (reason) =>
      reason === 'full'
        ? 'Ce navigateur ne se souviendra pas de votre vote, ni de rien de ce que vous faites ici, une fois la page fermée : son espace de stockage est plein.'
        : 'Ce navigateur ne se souviendra pas de votre vote, ni de rien de ce que vous faites ici, une fois la page fermée : il ne garde aucune donnée de ce site.',
  },
};

// Loaded the first time a widget on the page is in this language (./languages.ts).
registerBuiltInTranslation(fr);
