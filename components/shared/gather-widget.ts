import { ContextConsumer } from '@lit/context';
import { html, nothing, type CSSResultGroup, type CSSResultOrNative, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { Signer } from '../../src/identity/types.js';
import type { VerificationCache } from '../../src/identity/verification.js';
import type { ChangeOrigin, Model } from '../../src/models/model.types.js';
import { DEFAULT_ROOM_OPTIONS, resolveRoomOptions } from '../../src/room/options.js';
import type { Room, RoomOptions, RoomSource, RoomStatus } from '../../src/room/types.js';
import { AnnouncerController } from './announcer-controller.js';
import { GatherChangeEvent } from './change-event.js';
import { GatherElement } from './gather-element.js';
import { LocalizeController } from './localize.js';
import { MadeOf } from './made-of.js';
import type { MembershipController } from './membership-controller.js';
import { ModelController } from './model-controller.js';
import { getPageOptions } from './page-options.js';
import { protectionStyles, renderProtection, type ProtectionFacts } from './protection.js';
import { elementRoomOptions, roomProperties } from './room-attributes.js';
import { roomContext } from './room-context.js';
import { RoomController } from './room-controller.js';
import { SignerController } from './signer-controller.js';
import { renderStatus } from './status.js';
import { loadSyncStack, syncStack } from './sync-loader.js';
import { baseStyles } from './tokens.styles.js';
import { refreshVisitorSigner, visitorSigner } from './visitor-signer.js';
import { nameFromText } from './widget-name.js';

/** The room a widget joins when neither it nor an enclosing `<gather-room>` names one: this page. */
export function defaultRoomName(): string {
  return `${location.host}${location.pathname}`;
}

/** A first sync shows its progress while at least this many signatures are left to check. */
const PROGRESS_FROM = 200;

/** The room a widget asks for: its name, options and source, and this browser's part of the options (null until known). */
interface RoomRequestMade {
  readonly name: string;
  readonly options: RoomOptions;
  readonly source: RoomSource | null;
  readonly browser: object | null;
}

/** What a widget's model is built from. */
export interface ModelArgs {
  readonly room: Room;
  /** Null when this browser cannot sign: the model is read-only. */
  readonly signer: Signer | null;
  /** The widget's id in its room (its `name`, or one derived from its question or title). */
  readonly name: string;
  /** The organizers' public keys the page names. */
  readonly organizers: readonly string[];
  /** The page's verdict cache, for the model to share. */
  readonly cache: VerificationCache;
}

/**
 * What every widget shares: where its room comes from (attributes, then an enclosing
 * `<gather-room>`, then the script tag, then defaults), the signer, its model's lifetime (built
 * from `[room, signer, name, organizer]`), its `view` and `ready`, `gather-change` events, its
 * language, the shared styles and its connection status. A widget is its model plus a render.
 *
 * A widget paints before the sync stack (rooms, identity, models: sync-stack.ts) has loaded: its
 * code imports none of it statically. It shows its kind's view over no entries and a true status
 * ("Connecting…"), loads the stack and its model's code ({@link loadModel}) with `import()`, and
 * attaches its room and model when they have come.
 */
export abstract class GatherWidget<View, M extends Model<View>> extends GatherElement {
  static override properties: PropertyDeclarations = {
    ...roomProperties,
    name: { reflect: true },
    organizer: {},
    membersOnly: { type: Boolean, attribute: 'members-only' },
  };

  /** Adds the shared tokens and rules in front of each widget's own styles. */
  protected static override finalizeStyles(styles?: CSSResultGroup): CSSResultOrNative[] {
    return super.finalizeStyles([baseStyles, protectionStyles, styles ?? []]);
  }

  /** Room name. Defaults to the enclosing `<gather-room>`'s, else this page's address. */
  declare room: string | undefined;
  /**
   * The widget's id within its room. Without one, the widget derives it from its question or
   * title and warns in the console: two widgets of a kind must never share entries.
   */
  declare name: string;
  /** Public keys (space-separated) of the organizers whose signed entries can close, hide or moderate. */
  declare organizer: string | undefined;
  /**
   * Count and show only members' entries: the organizers', and those of devices admitted with an
   * organizer's invite link (`<gather-organizer>`). Without it, the widget says its counts are open to anyone.
   */
  declare membersOnly: boolean;
  /** Signaling servers (space-separated ws:// or wss:// URLs, or paths on this site). */
  declare signaling: string | undefined;
  /** STUN/TURN servers: a JSON array of RTCIceServer, or space-separated stun:/turn: URLs. */
  declare iceServers: string | undefined;
  /**
   * `relay`: WebRTC only through the TURN servers in `ice-servers`, so other participants do not
   * see this visitor's IP address (the relay's operator does). Default: direct where possible.
   */
  declare iceTransport: string | undefined;
  /** Room password: only visitors who have it can sync with this room. */
  declare password: string | undefined;
  /**
   * The group's keeper, which stores the room (`wss://keeper.example/sync`, or `/sync` on this
   * site); empty: none, even if the script tag names one.
   */
  declare keeper: string | undefined;
  /**
   * Where rooms come from, overriding the enclosing `<gather-room>`.
   * @internal Tests and stories use linked in-memory rooms.
   */
  declare source: RoomSource | undefined;
  /**
   * The identity that signs this visitor's entries, overriding the device's own key.
   * @internal Tests and stories.
   */
  declare signer: Promise<Signer> | undefined;

  protected readonly localize = new LocalizeController(this);

  /** Tells screen readers about changes from elsewhere (a peer's vote), throttled. */
  protected readonly announcer = new AnnouncerController(this);

  private readonly context = new ContextConsumer(this, { context: roomContext, subscribe: true });

  protected readonly connection = new RoomController(this, () => {
    const { name, options, source, browser } = this.roomRequest();
    return browser === null || source === null ? null : { name, options, source };
  });

  /**
   * The room this widget asks for: its name, options and source. Between the attributes and the
   * script tag's options come this browser's (page-invite.ts): an invite's or remembered password,
   * no IndexedDB where storage refuses writes (`browser` is null until that is known, and while
   * the sync stack loads).
   */
  private roomRequest(): RoomRequestMade {
    const context = this.context.value;
    const name = this.room || context?.room || defaultRoomName();
    const sync = syncStack();
    const browser = sync?.browserRoomOptions(name) ?? null;
    // Asked on every update (a peer's vote is one) and by the protection panel: the same request
    // while what it is made of is the same (parsing the attributes and layering the options again
    // was ~0.05 ms of each live vote's re-render).
    const of = [name, context, sync, browser === null, browser?.password, browser?.persist, this.signaling, this.iceServers, this.iceTransport, this.password, this.keeper, this.source, getPageOptions(), document.baseURI];
    return this.requestMade.get(of, () => ({
      name,
      options: resolveRoomOptions(elementRoomOptions(this), context?.options ?? {}, browser ?? {}, getPageOptions(), DEFAULT_ROOM_OPTIONS),
      source: this.source ?? context?.source ?? sync?.webrtcRooms ?? null,
      browser,
    }));
  }

  /** The last {@link roomRequest}, and what it was made of. */
  private readonly requestMade = new MadeOf<RoomRequestMade>();

  protected readonly identity = new SignerController(
    this,
    () => this.signer ?? this.context.value?.signer ?? visitorSigner(),
    () => this.attachSigner(),
  );

  protected readonly model = new ModelController(this, {
    args: () => {
      const room = this.connection.room;
      // The room comes with the sync stack; the model's own code may come a little later.
      if (room === null || !this.codeLoaded) return null;
      // Organizers named: the room's trust map first (its code is a chunk of its own in the embed).
      if (!this.trustReady()) return null;
      // A model that takes its signer later is built at once (its signer is not one of its arguments).
      if (this.signerLater) return [room, null, this.modelName, this.organizer ?? ''] as const;
      if (!this.identity.settled) return null;
      return [room, this.identity.signer, this.modelName, this.organizer ?? ''] as const;
    },
    create: (room, signer, name, organizer) => {
      const { parseOrganizers, pageCache, SignedEntryModel } = syncStack()!;
      const model = this.createModel({ room, signer: this.signerLater ? this.identity.signer : signer, name, organizers: parseOrganizers(organizer), cache: pageCache });
      if (model instanceof SignedEntryModel) model.setMembersOnly(this.membersOnly);
      return model;
    },
    changed: (view: View, origin) => this.handleViewChange(view, origin),
    showsProgress: ({ verified, total }) => total - verified >= PROGRESS_FROM,
  });

  /**
   * Joins with the page's invite, says whether this browser keeps anything and where it stands
   * among members (its code is the sync stack's: added when it has come).
   */
  private membership: MembershipController | null = null;

  /** Whether the sync stack and this widget's model code ({@link loadModel}) have come. */
  private codeLoaded = false;
  private codeLoading = false;
  /** The last load of that code: rejects when it could not be loaded. */
  private code: Promise<void> | null = null;

  private warnedName = '';

  constructor() {
    super();
    this.name = '';
    this.membersOnly = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.loadCode();
  }

  /** Loads the sync stack and this widget's model code (once; again after a failure: see `ready`), then attaches them. */
  private loadCode(): void {
    if (this.codeLoaded || this.codeLoading) return;
    // The stack has come already (the embed asks for it as the page loads) and the model's code
    // comes with the widget's: attached now, so that the first update builds the model (a stored
    // room is read, and the verifier's workers boot, while the sheet paints), not a later one.
    const loaded = syncStack();
    if (loaded !== null && this.loadModel === GatherWidget.prototype.loadModel) {
      this.attachStack(loaded);
      this.codeLoaded = true;
      this.code = Promise.resolve();
      return;
    }
    this.codeLoading = true;
    const stack = loadSyncStack().then((sync) => {
      this.attachStack(sync);
      this.requestUpdate(); // the room can be asked for now
    });
    this.code = Promise.all([stack, this.loadModel()]).then(
      () => {
        this.codeLoading = false;
        this.codeLoaded = true;
        this.requestUpdate();
      },
      (error: unknown) => {
        this.codeLoading = false; // tried again on the next connection, or when `ready` is asked for (a vote)
        throw error;
      },
    );
    this.code.catch(() => undefined); // said in the console once by sync-loader.ts; `ready` rejects with it
  }

  /** The sync stack's part of the widget: its membership controller (once). */
  private attachStack(sync: NonNullable<ReturnType<typeof syncStack>>): void {
    this.membership ??= new sync.MembershipController(this, () => {
      const model = this.signedModel;
      return {
        room: this.connection.room,
        signer: this.identity.signer,
        trust: model?.trust ?? null,
        organizers: sync.parseOrganizers(this.organizer),
        membersOnly: this.membersOnly,
      };
    });
  }

  /**
   * Loads the code of this widget's model with `import()` (the poll's: src/models/poll.ts, a chunk
   * fetched alongside the sync stack), so that the widget's own code does not import it statically
   * and paints first; {@link createModel} is called once it and the sync stack have come. Widgets
   * whose code imports their model statically leave it as it is.
   */
  protected loadModel(): Promise<unknown> {
    return Promise.resolve();
  }

  /** The model, when it signs its entries (SignedEntryModel: every widget's but the organizer's panel); else null. */
  private get signedModel() {
    const model = this.model.value;
    const sync = syncStack();
    return model !== null && sync !== null && model instanceof sync.SignedEntryModel ? model : null;
  }

  /** The shared view (frozen); null until the room and identity have loaded. */
  get view(): View | null {
    return this.model.view;
  }

  /**
   * Resolves once the widget's model has loaded what its room holds (then `view` is not null) and
   * this visitor's identity has; rejects if its code could not be loaded.
   */
  get ready(): Promise<void> {
    // Its code could not be loaded: try again (a vote, say, waits for it), the visitor's identity too.
    if (!this.codeLoaded && !this.codeLoading && this.code !== null && this.isConnected) {
      this.loadCode();
      if (this.identity.status === 'error') refreshVisitorSigner();
    }
    const ready = this.signerLater ? this.model.ready.then(() => this.identity.whenSettled()) : this.model.ready;
    // Rejects when the widget's code could not be loaded (said in the console), rather than waiting for ever.
    return this.code === null ? ready : this.code.then(() => ready);
  }

  /** The room's connection status: peers, this device, and the keeper (`keeper`, `unsaved`). */
  get status(): RoomStatus {
    return this.connection.status;
  }

  /**
   * Whether the model can be built as far as the room's trust map goes: it is needed only where
   * organizers are named (room-trust.ts), and its code is fetched first (trust-source.lazy.ts),
   * the widget rendering again once it has come.
   */
  private trustReady(): boolean {
    const { trustLoaded, parseOrganizers, loadTrust } = syncStack()!;
    if (trustLoaded() || parseOrganizers(this.organizer).length === 0) return true;
    loadTrust().then(
      () => this.requestUpdate(),
      (error: unknown) => console.error(`gather: the code of <${this.localName}>'s organizers and members could not be loaded. Serve the whole dist/ folder (dist/chunks/ too) from where gather.js is.`, error),
    );
    return false;
  }

  /** Builds the widget's model. */
  protected abstract createModel(args: ModelArgs): M;

  /**
   * Whether the model is built as soon as the room is there, before this visitor's identity has
   * loaded (the device's key: an IndexedDB read), and given its signer once it has
   * (`SignedEntryModel.setSigner`): a stored room is then read and checked while the key loads and
   * the first render is made, and the first render is the model's own. Off for widgets whose model
   * needs its signer to be built.
   */
  protected get signerLater(): boolean {
    return false;
  }

  /** Called after the model was given a new signer (see {@link signerLater}). */
  protected signerAttached(): void {}

  /** Gives the model this visitor's signer, or takes it back while a new identity loads (see {@link signerLater}). */
  private attachSigner(): void {
    const model = this.signedModel;
    if (!this.signerLater || model === null || model.signer === this.identity.signer) return;
    model.setSigner(this.identity.signer);
    this.signerAttached();
  }

  /** What the widget shows before its model has loaded: its kind's derive over no entries. */
  protected abstract emptyView(): View;

  /** The question or title a name is derived from when the page gives none. */
  protected abstract nameSource(): string;

  /** The view to render: the model's, or {@link emptyView} while it loads. */
  protected get shownView(): View {
    return this.model.render({ pending: () => this.emptyView(), complete: (view) => view })!;
  }

  /**
   * Whether this browser can sign (and so act); false when making an identity failed (not when its
   * code could not be loaded: a command then fails, and tries again).
   */
  protected get canSign(): boolean {
    return this.identity.status !== 'error' || !this.codeLoaded;
  }

  /**
   * Whether what this visitor does would count: they can sign, and in a members-only room they are
   * a member or an organizer. Widgets offer their controls only then.
   */
  protected get takesPart(): boolean {
    if (!this.canSign) return false;
    if (!this.membersOnly) return true;
    const line = this.membership?.line;
    return line === 'organizer' || line === 'member';
  }

  /** Called after each change of the view from this visitor or a peer, before `gather-change`. */
  protected viewChanged(_view: View, _origin: ChangeOrigin): void {}

  /**
   * The widget's frame: the `base` part (in the widget's language and direction, busy while the
   * model loads) around `body`, then why this browser cannot take part (if so), the status line
   * and the live region.
   */
  protected renderFrame(className: string, body: unknown): TemplateResult {
    const { verified, total } = this.model.progress;
    const t = this.localize.t.status;
    // Signatures being checked (a long first sync), else the room's state on its way (a large room, over WebRTC).
    const receiving = this.connection.status.receiving;
    const progress =
      total - verified >= PROGRESS_FROM
        ? { words: t.checking(this.localize.number(verified), this.localize.number(total)), value: verified, max: total }
        : receiving !== undefined
          ? { words: t.receiving(this.localize.number(Math.floor((100 * receiving.received) / receiving.total) / 100, { style: 'percent' })), value: receiving.received, max: receiving.total }
          : null;
    return html`
      <div part="base" class=${className} dir=${this.localize.dir} lang=${this.localize.lang} aria-busy=${this.model.status === 'pending' || progress !== null ? 'true' : 'false'}>
        ${body}
        ${progress !== null
          ? html`<p class="summary checking" part="progress">
              <label>${progress.words}
                <progress max=${progress.max} .value=${progress.value}></progress></label>
            </p>`
          : nothing}
        ${this.model.repaired > 0 ? html`<p class="summary" part="repaired">${this.localize.t.status.repaired(this.model.repaired, this.localize.number(this.model.repaired))}</p>` : nothing}
        ${this.trustRepaired > 0 ? html`<p class="summary" part="trust-repaired">${this.localize.t.trust.repaired(this.trustRepaired, this.localize.number(this.trustRepaired))}</p>` : nothing}
        ${renderStatus(this.localize.t, this.connection.status, this.canSign, this.formatCount)} ${renderProtection(this.localize.t, this.protectionFacts, this.formatCount)}
        ${this.announcer.render()}
      </div>
    `;
  }

  /** A count in the widget's language (Intl), for the shared status and protection lines. */
  private readonly formatCount = (value: number): string => this.localize.number(value);

  /**
   * Entries of the room's organizers and members (its trust map) this browser put back after a peer
   * removed or damaged them: said by a members-only widget, whose counts rest on them.
   */
  private get trustRepaired(): number {
    return this.membersOnly ? (this.signedModel?.trust.repaired ?? 0) : 0;
  }

  /** What the "How this room is protected" panel says about this widget's room. */
  protected get protectionFacts(): ProtectionFacts {
    const trust = this.signedModel?.trust ?? null;
    const { options } = this.roomRequest();
    return {
      membersOnly: this.membersOnly,
      organizers: trust?.view.organizers.length ?? syncStack()?.parseOrganizers(this.organizer).length ?? 0,
      password: options.password !== null,
      keeper: this.connection.status.keeper !== 'none',
      relayOnly: (options as { readonly iceTransportPolicy?: string }).iceTransportPolicy === 'relay',
      storage: this.membership?.storage ?? null,
      membership: this.membership?.line ?? null,
    };
  }

  /** `name`, or one derived from {@link nameSource} (with a warning, once per derived name). */
  private get modelName(): string {
    if (this.name) return this.name;
    const kind = this.localName.replace(/^gather-/, '');
    const derived = nameFromText(this.nameSource(), kind);
    if (this.warnedName !== derived) {
      this.warnedName = derived;
      console.warn(
        `gather: a <${this.localName}> has no name="…", so it keeps its entries under "${derived}" (from its question or title). ` +
          `Give each widget its own name, e.g. <${this.localName} name="${derived}">: then editing the text never starts it afresh, and two widgets never share entries.`,
      );
    }
    return derived;
  }

  private handleViewChange(view: View, origin: ChangeOrigin): void {
    this.viewChanged(view, origin);
    this.emit(new GatherChangeEvent<View>({ view, origin }));
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('membersOnly')) this.signedModel?.setMembersOnly(this.membersOnly);
  }

  override updated(changed: PropertyValues): void {
    super.updated(changed);
    const { state, keeper } = this.connection.status;
    // With the keeper synced, the widget is not offline even when no peer is reachable.
    this.toggleState('offline', state === 'offline' && keeper !== 'synced');
  }
}

/** `gather-change` typed with each widget's own view. */
export interface GatherWidget<View, M extends Model<View>> {
  addEventListener(type: 'gather-change', listener: (this: this, event: GatherChangeEvent<View>) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: this, event: HTMLElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener(type: 'gather-change', listener: (this: this, event: GatherChangeEvent<View>) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: this, event: HTMLElementEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}
