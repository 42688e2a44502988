import { html, type TemplateResult } from 'lit';
import type { Translation } from '../../src/i18n/types.js';
import type { RoomStatus } from '../../src/room/types.js';
import { numberFormat } from './localize.js';

/** A count as the widget's language writes it (its LocalizeController's `number`). */
export type NumberFormatter = (value: number) => string;

/** The translation's own language's format (made once per language: localize.ts), for callers that name none. */
const formatIn = (t: Translation): NumberFormatter => {
  const format = numberFormat(t.$code);
  return (value) => format.format(value);
};

/** The peers part of the status line: connecting, connected with N peers, offline (saved here). */
function peersText(t: Translation, status: RoomStatus, number: NumberFormatter): string {
  switch (status.state) {
    case 'connecting':
      return t.status.connecting;
    case 'online':
      return t.status.online(status.peers, number(status.peers));
    case 'offline':
      return t.status.offline(status.saved);
  }
}

/** The keeper part of the status line, or null when the page names no keeper. */
function keeperText(t: Translation, status: RoomStatus, number: NumberFormatter): string | null {
  if (status.keeperRefusal !== undefined) return t.status.keeperRefused(status.keeperRefusal);
  switch (status.keeper) {
    case 'none':
      return null;
    case 'connecting':
      return t.status.keeperConnecting;
    case 'synced':
      return status.unsaved === 0 ? t.status.keeperSaved : t.status.keeperWaiting(status.unsaved, number(status.unsaved));
    case 'offline':
      return t.status.keeperOffline(status.unsaved, number(status.unsaved));
  }
}

/**
 * The room's connection status in words: connecting, connected with N peers, offline (saved here);
 * with a keeper, what it holds ("Saved on the group's server", "3 changes waiting for the server",
 * "Server unreachable — changes are kept on this device", or why it refused the room). Without peers
 * to reach (no signaling, or none reachable), the keeper's part says it all. Counts are written by
 * `number` (the widget's language's Intl format; by default, the translation's language's).
 */
export function statusText(t: Translation, status: RoomStatus, number: NumberFormatter = formatIn(t)): string {
  const peers = peersText(t, status, number);
  const keeper = keeperText(t, status, number);
  if (keeper === null) return peers;
  if (status.state === 'offline') return keeper;
  if (status.state === 'connecting' && status.keeper === 'connecting' && status.keeperRefusal === undefined) return peers;
  return t.status.withKeeper(peers, keeper);
}

/**
 * What every widget shows at its foot: one status line (a polite live region, role=status): the
 * room's connection, or, when this browser cannot sign, why it cannot take part (the view stays
 * readable and live: that it is connected is then beside the point, and two lines would compete).
 */
export function renderStatus(t: Translation, status: RoomStatus, canSign: boolean, number: NumberFormatter = formatIn(t)): TemplateResult {
  const text = canSign ? statusText(t, status, number) : t.status.cannotSign;
  return html`<p part="status" class=${canSign ? 'status' : 'status error'} role="status" data-state=${status.state} data-keeper=${status.keeper}>${text}</p>`;
}
