// registerTranslation() for pages that use the script tag: a module script on the page imports it
// from the same gather.js URL (one module instance, so the same widgets):
//   <script type="module">
//     import { registerTranslation } from 'https://…/gather.js';
//     registerTranslation({ $code: 'pt', $name: 'Português', $dir: 'ltr', poll: { vote: 'Votar' } });
//   </script>
// The registry is in the chunk the widgets share, so it is fetched here rather than imported: the
// loader stays small, and a page that registers nothing loads nothing more.
import type { TranslationPatch } from '../src/i18n/types.js';

/**
 * Adds or replaces translations, whole or a section at a time, as `registerTranslation` from
 * `gather-widgets` does; widgets already on the page re-render in them. Resolves once they are
 * registered (the widgets' shared code has arrived).
 */
export function registerTranslation(...patches: TranslationPatch[]): Promise<void> {
  return import('../src/i18n/registry.js').then(({ registerTranslation }) => registerTranslation(...patches));
}
