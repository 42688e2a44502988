// The `trust` section (the protection panel, where this browser stands) in French.
import { pluralsOf } from '../../src/i18n/plural.js';
import { registerBuiltInTranslation } from '../../src/i18n/registry.js';
import type { TrustStrings } from './trust-strings.js';

const plural = pluralsOf('fr');

export const trustFr: TrustStrings = {
  summary: (membersOnly) => (membersOnly ? 'Comment ce salon est protégé · membres seulement' : 'Comment ce salon est protégé · ouvert à tous'),
  openRoom:
    'Ouvert : quiconque ouvre cette page peut participer, et une même personne peut participer plusieurs fois depuis différents navigateurs. Les décomptes sont ouverts à tous : lisez-les comme un vote à main levée, pas comme un scrutin.',
  membersOnlyRoom:
    'Membres seulement : ce qui compte ici vient des organisateur·ices et des appareils qu’ils ont invités. Chaque lien d’invitation admet un nombre fixé d’appareils, et un·e organisateur·ice peut retirer un membre.',
  organizers: (count, shown) =>
    count === 0
      ? 'Aucun·e organisateur·ice n’est désigné·e : personne ne peut clore ni modérer, et personne n’a plus de voix que les autres.'
      : count === 1
        ? 'Une clé d’organisation peut clore, masquer ou modérer ; personne d’autre n’a plus de voix que les autres.'
        : `${shown} clés d’organisation peuvent clore, masquer ou modérer ; personne d’autre n’a plus de voix que les autres.`,
  password:
    'Ce salon a un mot de passe : les navigateurs qui ne l’ont pas ne peuvent pas entrer, et le serveur qui présente les navigateurs les uns aux autres ne peut pas lire ce qu’ils échangent. Il ne protège pas d’un membre qui transmet le mot de passe, ou un lien d’invitation qui le contient, à quelqu’un d’autre.',
  noPassword: 'Pas de mot de passe : quiconque connaît le nom de ce salon peut y entrer et lire ce qu’il contient.',
  keeper: 'Le serveur du groupe garde une copie de ce salon, pour qu’il soit là quand personne d’autre n’est en ligne. Qui gère ce serveur peut la lire.',
  noKeeper: 'Aucun serveur ne garde ce salon : il n’existe que dans les navigateurs des participant·es.',
  seen: 'Toutes les personnes du salon voient ce que vous faites ici, sous la clé de ce navigateur (une suite de lettres, pas votre nom, sauf si vous en donnez un), sauf ce qui est scellé pour une seule personne.',
  relayOnly: 'Les navigateurs ne communiquent que par un serveur relais : les autres participant·es ne voient pas votre adresse IP ; qui gère le relais, si.',
  direct:
    'Les navigateurs se connectent directement entre eux : les autres participant·es peuvent voir votre adresse IP (à peu près où vous êtes, et votre fournisseur d’accès). Une page peut tout faire passer par un serveur relais (mode relais seul).',
  storageKept: 'Ce navigateur garde votre clé et une copie du salon : vous êtes la même personne quand vous revenez.',
  membership: (line) => {
    switch (line) {
      case 'organizer':
        return 'Vous organisez ce salon.';
      case 'member':
        return 'Vous êtes membre de ce salon : ce que vous faites ici compte.';
      case 'revoked':
        return 'Un·e organisateur·ice vous a retiré·e des membres : ce que vous faites ici ne compte plus.';
      case 'over-limit':
        return 'Votre lien d’invitation avait déjà admis autant d’appareils que permis : ce que vous faites ici ne compte pas. Demandez un nouveau lien à un·e organisateur·ice.';
      case 'refused':
      case 'invalid-invite':
        return 'Votre lien d’invitation n’admet personne ici (il a expiré, a été retiré ou concerne un autre salon) : ce que vous faites ici ne compte pas.';
      case 'outdated-invite':
        return 'Votre lien d’invitation a été créé par une version antérieure de Gather et n’admet plus personne : demandez un nouveau lien à un organisateur.';
      case 'checking':
        return 'Vérification de votre invitation…';
      case 'not-kept':
        return 'Ce navigateur ne se souviendra pas de vous : il ne peut pas entrer comme membre et ce que vous faites ici ne compte pas. Ouvrez votre lien d’invitation dans un navigateur qui garde les données des sites.';
      case 'none':
        return 'Ici, seuls les membres comptent. Pour participer, demandez un lien d’invitation à un·e organisateur·ice.';
    }
  },
  repaired: (entries, shown) =>
    `${shown} ${plural(entries, { one: 'entrée des organisateur·ices et membres du salon retirée par un autre participant a été rétablie', other: 'entrées des organisateur·ices et membres du salon retirées par un autre participant ont été rétablies' })}`,
};

registerBuiltInTranslation({ $code: 'fr', trust: trustFr });
