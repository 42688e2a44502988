import { scriptTagOptions } from '../../src/room/script-options.js';
import type { RoomOptions } from '../../src/room/types.js';

/**
 * The page's default room options live on the page, not in this module, so that gather.js (which
 * imports no chunk, so that it runs a round trip sooner) can leave there the URL of its own script
 * tag (components/embed-options.ts): its `data-*` options are read when a widget first asks, unless
 * the page set its own with {@link setPageOptions}.
 */
interface PageOptionsStore {
  scriptUrl?: string;
  options?: Partial<RoomOptions>;
}

const store = (): PageOptionsStore => ((globalThis as unknown as Record<symbol, PageOptionsStore | undefined>)[Symbol.for('gather.pageOptions')] ??= {});

/** Options the embed read from its own script tag (`data-signaling`, `data-password`, …): the page's defaults. */
export function setPageOptions(options: Partial<RoomOptions>): void {
  store().options = Object.freeze({ ...options });
}

export function getPageOptions(): Partial<RoomOptions> {
  const page = store();
  return (page.options ??= Object.freeze(page.scriptUrl === undefined ? {} : scriptTagOptions(page.scriptUrl)));
}
