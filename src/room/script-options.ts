/**
 * Options from the embed's own `<script>` tag (`data-signaling`, `data-ice-servers`, `data-password`, `data-keeper`).
 * Kept apart from options.ts because it touches `document`.
 * @module
 */
import { attributeOptions } from './options.js';
import type { RoomOptions } from './types.js';

/**
 * Finds the `<script>` whose resolved `src` is `scriptUrl` (pass the embed's `import.meta.url`) and
 * reads its `data-*` room options. Relative URLs resolve against the page (`document.baseURI`), as
 * any other attribute in the page would.
 * @returns `{}` when there is no document or no such script tag.
 */
export function scriptTagOptions(scriptUrl: string): Partial<RoomOptions> {
  if (typeof document === 'undefined') return {};
  let wanted: string;
  try {
    wanted = new URL(scriptUrl, document.baseURI).href;
  } catch {
    return {};
  }
  for (const script of document.querySelectorAll<HTMLScriptElement>('script[src]')) {
    if (script.src === wanted) {
      return attributeOptions((name) => script.getAttribute(`data-${name}`), document.baseURI);
    }
  }
  return {};
}
