/**
 * Keeps this page's own awareness state its own.
 *
 * An awareness update (y-protocols) names a client id, a clock and a state, and any peer can send
 * one for any client id: with a clock above the owner's, a forged state replaces the owner's
 * everywhere, the owner's own page included (y-protocols only refuses a remote *removal* of the
 * local state). So a hostile peer could put words in a visitor's presence, or make a reader
 * vanish, until that visitor next set its state. The guard puts the local state back at once, with
 * a clock above the forged one, which every peer then takes. Framework-free; knows nothing of any
 * widget.
 * @module
 */
import type { Awareness } from 'y-protocols/awareness';

/** Local states put back per second at most (a peer forging in a loop must not make this one flood the room); more wait for the next second. */
const MAX_RESTORES_PER_SECOND = 10;

/**
 * Guards `awareness`: a remote change of this client's own state is undone. Returns the function
 * that stops guarding.
 */
export function guardAwareness(awareness: Awareness): () => void {
  let own: Record<string, unknown> | null = awareness.getLocalState();
  let windowStart = 0;
  let restores = 0;
  let later: ReturnType<typeof setTimeout> | undefined;
  const restore = (): void => {
    if (own === null || awareness.getLocalState() === own) return;
    const now = Date.now();
    if (now - windowStart >= 1000) {
      windowStart = now;
      restores = 0;
    }
    if (restores >= MAX_RESTORES_PER_SECOND) {
      later ??= setTimeout(() => {
        later = undefined;
        restore();
      }, windowStart + 1000 - now);
      (later as { unref?: () => void }).unref?.();
      return;
    }
    restores++;
    // setLocalState takes the clock past the forged one and tells every peer (origin 'local').
    awareness.setLocalState(own);
  };
  const onUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    const id = awareness.clientID;
    if (origin === 'local' || removed.includes(id)) {
      // This page set its state, or it was removed here (a disconnect; y-protocols refuses a remote
      // removal and keeps the state): that is the state to keep.
      own = awareness.getLocalState();
      return;
    }
    if (added.includes(id) || updated.includes(id)) restore();
  };
  awareness.on('update', onUpdate);
  return () => {
    clearTimeout(later);
    awareness.off('update', onUpdate);
  };
}
