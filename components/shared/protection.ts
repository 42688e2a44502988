import { css, html, nothing, type TemplateResult } from 'lit';
import type { StorageVerdict } from '../../src/identity/storage-check.js';
import type { Translation } from '../../src/i18n/types.js';
import type { NumberFormatter } from './status.js';
import type { MembershipLine } from './trust-strings.js';
import './trust-strings.js';

/** What the protection panel says: facts about the room, as this browser sees them. */
export interface ProtectionFacts {
  /** Only members' entries count. */
  readonly membersOnly: boolean;
  /** How many organizer keys the page names and added. */
  readonly organizers: number;
  /** The room has a password. */
  readonly password: boolean;
  /** The group's keeper keeps the room. */
  readonly keeper: boolean;
  /** WebRTC goes through a TURN relay only (`ice-transport="relay"`). */
  readonly relayOnly: boolean;
  /** Whether this browser keeps what the visitor does (null while checking). */
  readonly storage: StorageVerdict | null;
  /** Where this browser stands in a members-only room (null: not members-only, or loading). */
  readonly membership: MembershipLine | null;
}

/**
 * What every widget shows under its status line: that this browser keeps nothing (if so), where it
 * stands in a members-only room, and "How this room is protected", a disclosure that says in plain
 * words who counts, what a password does and does not do, who keeps the room and what other
 * participants can see. Counts are written by `number` (the widget's language's Intl format).
 */
export function renderProtection(t: Translation, facts: ProtectionFacts, number: NumberFormatter = (n) => new Intl.NumberFormat(t.$code).format(n)): TemplateResult {
  const notKept = facts.storage === 'blocked' || facts.storage === 'full' ? t.status.notKept(facts.storage) : null;
  return html`
    ${notKept === null ? nothing : html`<p part="storage" class="storage" role="note">${notKept}</p>`}
    ${facts.membership === null ? nothing : html`<p part="membership" class="membership" data-state=${facts.membership}>${t.trust.membership(facts.membership)}</p>`}
    <details part="protection" class="protection">
      <summary>${t.trust.summary(facts.membersOnly)}</summary>
      <ul>
        <li>${facts.membersOnly ? t.trust.membersOnlyRoom : t.trust.openRoom}</li>
        <li>${t.trust.organizers(facts.organizers, number(facts.organizers))}</li>
        <li>${facts.password ? t.trust.password : t.trust.noPassword}</li>
        <li>${facts.keeper ? t.trust.keeper : t.trust.noKeeper}</li>
        <li>${t.trust.seen}</li>
        <li>${facts.relayOnly ? t.trust.relayOnly : t.trust.direct}</li>
        ${facts.storage === 'kept' ? html`<li>${t.trust.storageKept}</li>` : notKept === null ? nothing : html`<li>${notKept}</li>`}
      </ul>
    </details>
  `;
}

/** The panel's styles, after the shared ones (only shared tokens). */
export const protectionStyles = css`
  @layer gather {
    .storage {
      margin: var(--_space-s) 0 0;
      color: var(--_color-danger);
    }

    .membership {
      margin: var(--_space-s) 0 0;
    }

    .protection {
      margin-block-start: var(--_space-s);
      font-size: 0.875em;
      color: var(--_color-muted);
    }

    /* The summary is a target like any other: the shared summary rule sizes it (tokens.styles.ts). */

    .protection ul {
      margin: var(--_space-s) 0 0;
      padding-inline-start: var(--_space-m);
      color: var(--_color-text);
    }
  }
`;
