import type { RoomOptions } from '../../src/room/types.js';

let pageOptions: Partial<RoomOptions> = {};

/** Options the embed read from its own script tag (`data-signaling`, `data-password`, …): the page's defaults. */
export function setPageOptions(options: Partial<RoomOptions>): void {
  pageOptions = Object.freeze({ ...options });
}

export function getPageOptions(): Partial<RoomOptions> {
  return pageOptions;
}
