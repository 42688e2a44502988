/**
 * The RSVP model: the example widget of docs/widgets.md, built only from the kit. Each visitor
 * answers yes, maybe or no (a signed `reply` entry under `reply:<author>`; a new answer replaces
 * the old); an organizer can close the replies (a signed `close` entry under `close:<author>`),
 * after which later answers do not count.
 */
import type * as Y from 'yjs';
import { GatherError } from '../errors.js';
import type { SignedEntry, Signer } from '../identity/types.js';
import { entryKey } from './entry-key.js';
import { compareEntries } from './order.js';
import { SignedEntryModel, type SignedEntryModelOptions } from './signed-entry-model.js';
import { RSVP_ANSWERS, type RsvpAnswer, type RsvpConfig, type RsvpView } from './rsvp-view.js';

// The answers, configuration and view have no Yjs: the element paints from them before this module has come.
export { emptyRsvpView, RSVP_ANSWERS, type RsvpAnswer, type RsvpConfig, type RsvpView } from './rsvp-view.js';

type ReplyEntry = SignedEntry<{ readonly answer: RsvpAnswer }>;
type CloseEntry = SignedEntry<{ readonly closed: boolean }>;
type RsvpEntry = ReplyEntry | CloseEntry;

const REPLY = 'reply';
const CLOSE = 'close';

const isAnswer = (value: unknown): value is RsvpAnswer => (RSVP_ANSWERS as readonly unknown[]).includes(value);

/** Accepts a reply (a known answer) or a close (a boolean) stored under its author's key of that type. */
export const parseRsvpEntry = (key: string, entry: SignedEntry): RsvpEntry | null => {
  if (key !== entryKey(entry.type, entry.author)) return null;
  if (entry.type === REPLY && isAnswer(entry['answer'])) return entry as unknown as ReplyEntry;
  if (entry.type === CLOSE && typeof entry['closed'] === 'boolean') return entry as unknown as CloseEntry;
  return null;
};

/** An RSVP list over `doc`, in the root map `rsvp:<name>`. Read-only without a signer. */
export class RsvpModel extends SignedEntryModel<RsvpEntry, RsvpView> {
  private config: RsvpConfig;

  constructor(doc: Y.Doc, name: string, config: RsvpConfig, signer: Signer | null, options: SignedEntryModelOptions = {}) {
    super(doc, `rsvp:${name}`, signer, options);
    this.config = config;
  }

  protected parse(key: string, entry: SignedEntry): RsvpEntry | null {
    return parseRsvpEntry(key, entry);
  }

  protected derive(entries: ReadonlyMap<string, RsvpEntry>): RsvpView {
    // The organizers' latest word decides; replies after a close, in the shared order, do not count.
    const last = this.organizerEntries(entries, CLOSE).at(-1) as CloseEntry | undefined;
    const closing = last?.closed ? last : null;
    const counts: Record<RsvpAnswer, number> = { yes: 0, maybe: 0, no: 0 };
    let mine: RsvpAnswer | null = null;
    for (const entry of entries.values()) {
      if (entry.type !== REPLY || (closing !== null && compareEntries(entry, closing) > 0)) continue;
      const { answer } = entry as ReplyEntry;
      counts[answer]++;
      if (entry.author === this.signer?.publicKey) mine = answer;
    }
    return { event: this.config.event, counts, mine, closed: closing !== null };
  }

  /** Replaces the page's configuration (no change event: the page made it). */
  setConfig(config: RsvpConfig): void {
    this.config = config;
    this.refresh();
  }

  /** Answers (or changes this visitor's answer). Rejects with `unknown-option` for anything but yes, maybe, no. */
  async reply(answer: RsvpAnswer): Promise<void> {
    const signer = this.requireSigner();
    if (!isAnswer(answer)) throw new GatherError('unknown-option', `An answer is yes, maybe or no, not ${JSON.stringify(answer)}`);
    await this.write(entryKey(REPLY, signer.publicKey), REPLY, { answer });
  }

  /** Closes (or, with false, reopens) the replies. Rejects with `not-organizer` unless this visitor is an organizer. */
  async close(closed = true): Promise<void> {
    const signer = this.requireSigner();
    await this.writeAsOrganizer(entryKey(CLOSE, signer.publicKey), CLOSE, { closed });
  }
}
