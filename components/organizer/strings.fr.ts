// <gather-organizer>'s section in French.
import { pluralOf } from '../../src/i18n/plural.js';
import { registerBuiltInTranslation } from '../../src/i18n/registry.js';
import type { OrganizerStrings } from './strings.js';

const fr = pluralOf('fr');

export const organizerFr: OrganizerStrings = {
  identityLegend: 'Votre clé d’organisation',
  noKey: 'Ce navigateur n’a pas de clé d’organisation : il participe avec sa propre clé d’appareil.',
  create: 'Créer une clé d’organisation',
  created: 'Clé d’organisation créée. Mettez sa clé publique dans votre page, et sauvegardez-la maintenant.',
  hasKey: 'Ce navigateur participe avec la clé d’organisation ci-dessous, sur tous les widgets Gather de ce site.',
  standing: (standing) =>
    standing === 'root'
      ? 'Cette page la nomme comme organisatrice.'
      : standing === 'added'
        ? 'Un·e organisateur·ice l’a ajoutée à ce salon.'
        : 'Cette page ne la nomme pas encore : mettez-la dans organizer="…" sur vos widgets, ou demandez à un·e organisateur·ice de ce salon de l’ajouter.',
  publicKey: 'Clé publique',
  snippet: 'Pour votre page',
  copy: 'Copier',
  copied: 'Copié.',
  keptOnPage: 'Ce navigateur ne garde aucune donnée de site : la clé ne dure que tant que cette page est ouverte. Sauvegardez-la avant de la fermer.',
  backupLegend: 'Sauvegarder la clé',
  backupHelp:
    'Le fichier contient votre clé privée, scellée par une phrase secrète. Gardez le fichier et la phrase séparément ; qui a les deux peut agir en votre nom. Sans eux, un navigateur perdu est une clé perdue.',
  passphrase: 'Phrase secrète',
  passphraseAgain: 'La même phrase secrète',
  passphraseHint: (min, shown) => `Au moins ${shown} caractères ; quelques mots sans rapport sont faciles à retenir et difficiles à deviner.`,
  passphraseShort: (min, shown) => `La phrase secrète doit compter au moins ${shown} caractères.`,
  passphraseDiffer: 'Les deux phrases secrètes diffèrent.',
  download: 'Télécharger le fichier de sauvegarde',
  downloaded: (file) => `Sauvegarde enregistrée sous ${file}.`,
  restoreLegend: 'Restaurer une clé depuis un fichier de sauvegarde',
  restoreHelp: 'Sur un autre appareil, ou après avoir vidé ce navigateur : choisissez le fichier et tapez sa phrase secrète.',
  file: 'Fichier de sauvegarde',
  restore: 'Restaurer',
  restored: 'Clé d’organisation restaurée : ce navigateur participe désormais avec elle.',
  noFile: 'Choisissez d’abord le fichier de sauvegarde.',
  wrongPassphrase: 'Cette phrase secrète n’ouvre pas ce fichier.',
  notABackup: 'Ce n’est pas un fichier de clé d’organisation Gather.',
  unsupported: 'Ce navigateur ne peut pas utiliser ce type de clé.',
  forget: 'Oublier la clé dans ce navigateur',
  forgetConfirm: 'J’ai une sauvegarde de cette clé',
  forgotten: 'La clé d’organisation n’est plus dans ce navigateur : il participe de nouveau avec sa propre clé d’appareil.',
  organizersLegend: 'Organisation de ce salon',
  namedByPage: 'nommée par la page',
  you: 'vous',
  addLabel: 'Clé publique d’un·e autre organisateur·ice',
  add: 'Ajouter',
  remove: (key) => `Retirer ${key} de l’organisation`,
  removeVisible: 'Retirer',
  notAKey: 'Ce n’est pas une clé publique.',
  organizersHelp:
    'L’organisation peut fermer, masquer et modérer, créer des liens d’invitation et retirer des membres. Les clés que nomme la page restent toujours ; quand l’une d’elles retire quelqu’un, cela tient.',
  invitesLegend: 'Liens d’invitation',
  invitesHelp:
    'Quiconque ouvre le lien rejoint ce salon comme membre, jusqu’à ce qu’autant d’appareils que vous le permettez l’aient fait. L’invitation voyage après le # du lien, que les navigateurs n’envoient jamais à aucun serveur.',
  max: 'Appareils admis',
  expires: 'Cesse d’admettre',
  never: 'Jamais',
  days: (days, shown) => `Après ${shown} ${fr(days, 'jour', 'jours')}`,
  includePassword: 'Inclure le mot de passe du salon dans le lien',
  makeInvite: 'Créer un lien d’invitation',
  inviteLink: 'Lien d’invitation',
  inviteMade: (max, shown) => `Lien créé : il admet ${shown} ${fr(max, 'appareil', 'appareils')}. Envoyez-le aux personnes à qui il est destiné.`,
  inviteUse: (admitted, max, admittedText, maxText) => `${admittedText} sur ${maxText} ${fr(max, 'place prise', 'places prises')}`,
  withdraw: (id) => `Retirer l’invitation ${id}`,
  withdrawVisible: 'Retirer',
  reopen: (id) => `Rouvrir l’invitation ${id}`,
  reopenVisible: 'Rouvrir',
  membersNow: (members, shown) => `Le salon compte maintenant ${shown} ${fr(members, 'membre', 'membres')}.`,
  withdrawn: 'retirée',
  noInvitesUsed: 'Personne n’a encore rejoint avec une invitation.',
  membersLegend: 'Membres',
  noMembers: 'Pas encore de membres.',
  memberState: (state) => {
    switch (state) {
      case 'member':
        return 'membre';
      case 'revoked':
        return 'retiré·e';
      case 'over-limit':
        return 'arrivé·e quand le lien était complet';
      case 'refused':
        return 'invitation non valable';
      case 'checking':
        return 'vérification';
      case 'organizer':
        return 'organisation';
      case 'none':
        return 'pas membre';
    }
  },
  revoke: (key) => `Retirer le membre ${key}`,
  revokeVisible: 'Retirer',
  restoreMember: (key) => `Réadmettre le membre ${key}`,
  restoreMemberVisible: 'Réadmettre',
  more: (count, shown) => `et ${shown} de plus`,
  passwordLegend: 'Mot de passe du salon',
  passwordNone: 'Ce salon n’a pas de mot de passe.',
  passwordHeld: 'Ce navigateur utilise ce mot de passe pour le salon :',
  passwordFromPage: 'La page fixe elle-même le mot de passe de ce salon.',
  passwordLabel: 'Mot de passe du salon',
  passwordProtects:
    'Un mot de passe tient à l’écart les inconnu·es qui ne connaissent que le nom du salon, et le serveur qui présente les navigateurs les uns aux autres ne peut pas lire ce qu’ils échangent.',
  passwordDoesNot: 'Il ne protège pas des membres qui le transmettent, ou transmettent un lien qui le contient : qui l’a peut lire le salon.',
  passwordNewRoom: 'Un mot de passe crée un salon à part : ce que le salon contient sans lui y reste. Fixez-le avant d’envoyer des liens d’invitation, et mettez-le dedans.',
  generate: 'Créer un nouveau mot de passe long',
  stopPassword: 'Ne plus utiliser le mot de passe ici',
  passwordSet: 'Mot de passe fixé : ce navigateur l’utilise désormais pour le salon.',
  passwordStopped: 'Ce navigateur n’utilise plus de mot de passe pour le salon.',
  failed: 'Cela n’a pas marché. Veuillez réessayer.',
  notOrganizer: 'Seule l’organisation de ce salon peut faire cela.',
};

registerBuiltInTranslation({ $code: 'fr', organizer: organizerFr });
