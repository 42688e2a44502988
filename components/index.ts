// Every Gather element, defined on import. `<gather-room>` first, so widgets inside it find their room as they upgrade.
import { ContextRoot } from '@lit/context';
import { registerTranslation } from '../src/i18n/registry.js';
import { es } from '../src/i18n/es.js';

if (typeof document !== 'undefined') new ContextRoot().attach(document.documentElement);
registerTranslation(es);

export { GatherRoom } from './room/define.js';
export { GatherPoll } from './poll/define.js';
export { GatherChangeEvent, GatherVoteEvent } from './shared/events.js';
export type { GatherChangeDetail, GatherVoteDetail } from './shared/events.js';
export { setPageOptions } from './shared/page-options.js';
