import type { ChangeOrigin } from '../../src/models/model.types.js';

/** `detail` of `gather-change`: the widget's new view and where the change came from. */
export interface GatherChangeDetail<View> {
  readonly view: View;
  readonly origin: ChangeOrigin;
}

/**
 * Fired by every widget when its shared view changes: this visitor acted (`origin: 'local'`) or a
 * peer's or the device's stored entries arrived (`'remote'`). Not fired when the page itself
 * changes the widget's configuration (its options, question, organizers), as native and Shoelace
 * controls fire no change event for a change the page made. Bubbles and crosses shadow roots.
 * Each widget types it with its own view (`GatherChangeEvent<PollView>` on `<gather-poll>`).
 */
export class GatherChangeEvent<View = unknown> extends CustomEvent<GatherChangeDetail<View>> {
  constructor(detail: GatherChangeDetail<View>) {
    super('gather-change', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'gather-change': GatherChangeEvent;
  }
}
