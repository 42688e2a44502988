import { html, nothing, type TemplateResult } from 'lit';
import type { Translation } from '../../src/i18n/types.js';
import type { RoomStatus } from '../../src/room/types.js';

/** The room's connection status in words: connecting, connected with N peers, offline (saved here). */
export function statusText(t: Translation, status: RoomStatus): string {
  switch (status.state) {
    case 'connecting':
      return t.status.connecting;
    case 'online':
      return t.status.online(status.peers);
    case 'offline':
      return t.status.offline(status.saved);
  }
}

/**
 * What every widget shows at its foot: why this browser cannot take part, when it cannot sign,
 * and the status line (a polite live region, role=status).
 */
export function renderStatus(t: Translation, status: RoomStatus, canSign: boolean): TemplateResult {
  return html`
    ${canSign ? nothing : html`<p class="error" role="alert">${t.status.cannotSign}</p>`}
    <p part="status" class="status" role="status" data-state=${status.state}>${statusText(t, status)}</p>
  `;
}
