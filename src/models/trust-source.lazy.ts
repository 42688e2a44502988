/**
 * trust-source.ts as the embed builds it (rollup.config.js): membership.ts (the trust map, with
 * capability.ts) is a chunk of its own, fetched by {@link loadTrust}. A widget naming organizers
 * awaits it before building its model (gather-widget.ts); the loader asks for it as soon as the
 * page's markup names organizers or members-only widgets (components/embed.ts).
 */
import type * as Y from 'yjs';
import type { MembershipModel, MembershipOptions } from './membership.js';

let membership: typeof import('./membership.js') | null = null;
let loading: Promise<void> | null = null;

/** Whether {@link acquireTrust} can be called now. */
export const trustLoaded = (): boolean => membership !== null;

/** Fetches the trust map's code (once); resolves once {@link acquireTrust} can be called. */
export const loadTrust = (): Promise<void> =>
  (loading ??= import('./membership.js').then(
    (module) => {
      membership = module;
    },
    (error: unknown) => {
      loading = null; // asked again next time
      throw error;
    },
  ));

/** membership.ts's acquireTrust; throws before {@link loadTrust} has resolved. */
export const acquireTrust = (doc: Y.Doc, roots: readonly string[], options: Omit<MembershipOptions, 'roots'> = {}): MembershipModel => {
  if (membership === null) throw new Error('gather: the trust map is not loaded yet (await loadTrust() first)');
  return membership.acquireTrust(doc, roots, options);
};

/** membership.ts's releaseTrust. */
export const releaseTrust = (doc: Y.Doc, model: MembershipModel): void => membership?.releaseTrust(doc, model);
