// Leaves the URL of the embed's own script tag on the page, for the core to read its options
// (`data-signaling`, `data-ice-servers`, `data-password`, `data-keeper`) when the first widget asks
// (components/shared/page-options.ts). It imports nothing, so gather.js loads no chunk before it
// runs: on a slow network the widgets' code is asked for a round trip sooner.
// In the bundle, import.meta.url is the URL of dist/gather.js itself.
import type { RoomOptions } from '../src/room/types.js';

const page = ((globalThis as unknown as Record<symbol, { scriptUrl?: string; options?: Partial<RoomOptions> } | undefined>)[Symbol.for('gather.pageOptions')] ??= {});
page.scriptUrl ??= import.meta.url;

/** Sets the page's default room options (in place of the script tag's), as components/shared/page-options.ts does. */
export function setPageOptions(options: Partial<RoomOptions>): void {
  page.options = Object.freeze({ ...options });
}
