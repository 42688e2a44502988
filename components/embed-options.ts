// Reads the embed's own script tag (`data-signaling`, `data-ice-servers`, `data-password`, `data-keeper`)
// as the page's default room options. Imported before the elements are defined, so the first widget already sees them.
// In the one-file bundle, import.meta.url is the URL of dist/gather.js itself.
import { scriptTagOptions } from '../src/room/script-options.js';
import { setPageOptions } from './shared/page-options.js';

setPageOptions(scriptTagOptions(import.meta.url));
