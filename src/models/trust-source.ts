/**
 * Where widget models get their room's trust map (membership.ts) when the page names organizers:
 * here at once. The embed (rollup.config.js) builds trust-source.lazy.ts in this module's place,
 * which fetches membership.ts's chunk first ({@link loadTrust}), so that a page naming no
 * organizer never loads the trust-map code. Same exports, same behaviour once loaded.
 */
export { acquireTrust, releaseTrust } from './membership.js';

/** Whether {@link acquireTrust} can be called now. */
export const trustLoaded = (): boolean => true;

/** Resolves once {@link acquireTrust} can be called. */
export const loadTrust = (): Promise<void> => Promise.resolve();
