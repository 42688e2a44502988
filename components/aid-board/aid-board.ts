import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { GatherError } from '../../src/errors.js';
import { filterPosts, NO_FILTER, type AidFilter } from '../../src/models/aid-board-filter.js';
import type { AidBoardModel } from '../../src/models/aid-board.js';
import { emptyAidView, parseList } from '../../src/models/aid-board-view.js';
import {
  AID_KINDS,
  AID_ORDERS,
  AID_STATUSES,
  type AidBoardConfig,
  type AidBoardView,
  type AidContact,
  type AidOrder,
  type AidPostInput,
  type AidPostView,
  type AidResponseInput,
} from '../../src/models/aid-board.types.js';
import type { ChangeOrigin } from '../../src/models/model.types.js';
import { CommandController } from '../shared/command-controller.js';
import { GatherWidget, type ModelArgs } from '../shared/gather-widget.js';
import { dateTimeFormat } from '../shared/localize.js';
import { lazyModule } from '../shared/sync-loader.js';
import { aidBoardStyles } from './aid-board.styles.js';
import { readPostForm, renderPostForm } from './post-form.js';
import { GatherPostEvent, type AidAction } from './post-event.js';
import { domId, renderPost, type PostItemContext, type ShownContacts } from './post-item.js';
import { WindowController } from './window-controller.js';
import './strings.js';

/**
 * Above this many posts, the list renders only what is on screen, in a scrolling box
 * (window-controller.ts); below it, every post is in the page, which is as quick and keeps
 * find-in-page working.
 */
export const WINDOW_AT = 60;

/** The board's model and contact sealing (they need Yjs): a chunk of its own in the embed, fetched alongside the sync stack; the board paints before it comes. */
const boardModel = lazyModule(() => import('./model.js'));

/**
 * A mutual-aid board: neighbours post offers and requests, respond to each other's, and the poster
 * accepts one responder. Contact details are sealed on each device (ECDH + AES-GCM) and readable
 * by the one person they are for: a responder's by the poster, the poster's by the responder they
 * accept, and by nobody else — not other visitors, not the site, not a keeper.
 *
 * @summary Offers and requests, matched by the people themselves, contacts kept private.
 *
 * @fires gather-change - The shared view changed (`detail.view`, `detail.origin`).
 * @fires gather-post - This visitor posted, responded, accepted, un-matched, closed, hid or showed a post (`detail.action`, `detail.postId`).
 *
 * @csspart base - The wrapper of everything.
 * @csspart header - The board's heading.
 * @csspart post-form - The "Post an offer or a request" disclosure.
 * @csspart filters - The filters and search.
 * @csspart posts - The list of posts.
 * @csspart post - A post.
 * @csspart post-status - A post's status.
 * @csspart responses - A post's responses.
 * @csspart response - A response.
 * @csspart respond-form - The form to respond to a post.
 * @csspart my-response - Where this visitor's own response stands.
 * @csspart contacts - The contact details this visitor may read.
 * @csspart input - A text field, select, radio button.
 * @csspart button - A button.
 * @csspart status - The connection status line.
 * @csspart progress - While a large room arrives from a peer, or its signatures are checked: how far it got, with a progress bar.
 * @csspart storage - Says that this browser keeps nothing of what the visitor does (its storage is blocked or full).
 * @csspart membership - In a members-only room: where this visitor stands (organizer, member, not a member yet, …).
 * @csspart repaired - How many of the widget's entries this browser put back after a peer removed or damaged them.
 * @csspart trust-repaired - In a members-only room: how many of the room's organizer and member entries this browser put back.
 * @csspart protection - "How this room is protected": a disclosure under the status line.
 *
 * @cssprop --gather-aid-board-list-height - Height of the scrolling list on a large board.
 * @cssprop --gather-aid-board-post-border - Border of a post card.
 * @cssprop --gather-aid-board-offer-color - The mark of an offer.
 * @cssprop --gather-aid-board-request-color - The mark of a request.
 *
 * @customState offline - The room reaches nobody.
 *
 * @attr {'light' | 'dark'} theme - Fixes the colour scheme (the widget then paints its own surface); without it, the visitor's prefers-color-scheme decides.
 *
 * @cssprop --gather-color-accent - Buttons, focus rings, chosen options (default #1d4ed8; #93c5fd when dark).
 * @cssprop --gather-color-accent-text - Text on the accent (primary buttons).
 * @cssprop --gather-color-text - Text (default: the scheme's CanvasText).
 * @cssprop --gather-color-surface - Buttons' background, and the widget's when it paints its own (default: the scheme's Canvas).
 * @cssprop --gather-color-background - Behind the widget (default: transparent, so the page's; the surface with `theme` or when dark).
 * @cssprop --gather-color-muted - Secondary text: hints, counts, the status line.
 * @cssprop --gather-color-border - Borders of choices and cards.
 * @cssprop --gather-color-danger - Errors.
 * @cssprop --gather-font-family - Font (default: inherit, the page's own).
 * @cssprop --gather-font-size - Base size; everything else is relative to it (default 1rem).
 * @cssprop --gather-space-s - Small space (default 0.5rem).
 * @cssprop --gather-space-m - Space (default 1rem).
 * @cssprop --gather-radius-m - Corner radius (default 0.5rem).
 */
export class GatherAidBoard extends GatherWidget<AidBoardView, AidBoardModel> {
  static override styles = aidBoardStyles;

  static override properties: PropertyDeclarations = {
    heading: {},
    categories: {},
    areas: {},
    order: { reflect: true },
    filter: { state: true },
    responding: { state: true },
    hiding: { state: true },
    contacts: { state: true },
  };

  /** The board's title (also what its name is derived from when it has none). */
  declare heading: string;
  /** The categories a post can have, comma-separated (`food, rides, childcare`). */
  declare categories: string;
  /** The areas offered, comma-separated; a poster may also type another. */
  declare areas: string;
  /** The order shown (and of `view.posts`): `newest` (default) or `urgent`. */
  declare order: AidOrder;

  private declare filter: AidFilter;
  private declare responding: string | null;
  private declare hiding: string | null;
  private declare contacts: ReadonlyMap<string, ShownContacts>;
  /** Where the last command's failure shows. */
  private failureIn: 'form' | 'list' = 'list';
  private memo: { posts: readonly AidPostView[]; filter: AidFilter; me: string | null; result: readonly AidPostView[]; keys: readonly string[] } | null = null;

  private readonly command = new CommandController(this);
  private readonly window = new WindowController(this);

  constructor() {
    super();
    this.heading = '';
    this.categories = '';
    this.areas = '';
    this.order = 'newest';
    this.filter = NO_FILTER;
    this.responding = null;
    this.hiding = null;
    this.contacts = new Map();
  }

  private get config(): AidBoardConfig {
    return { categories: parseList(this.categories), areas: parseList(this.areas), order: (AID_ORDERS as readonly string[]).includes(this.order) ? this.order : 'newest' };
  }

  private get me(): string | null {
    return this.identity.signer?.publicKey ?? null;
  }

  /* ---------------------------------------------------------------- public API */

  /** The model, once loaded (read-only when this browser cannot sign). */
  private async loadedModel(): Promise<AidBoardModel> {
    await this.ready;
    return this.model.value!;
  }

  /**
   * Posts an offer or a request; resolves with its id and fires `gather-post`. The contact is
   * sealed on this device. Rejects with a GatherError (`invalid-field`, `unknown-option`,
   * `limit-reached`, `no-signer`).
   */
  async post(input: AidPostInput): Promise<string> {
    const id = await (await this.loadedModel()).post(input);
    this.emit(new GatherPostEvent('post', id));
    return id;
  }

  /** Responds to an open post with a message and a contact, sealed for the poster alone. */
  async respond(postId: string, input: AidResponseInput): Promise<void> {
    await (await this.loadedModel()).respond(postId, input);
    this.emit(new GatherPostEvent('respond', postId));
  }

  /** Accepts a responder to this visitor's post: only they can then read this visitor's contact. */
  async accept(postId: string, responderKey: string): Promise<void> {
    await (await this.loadedModel()).accept(postId, responderKey);
    this.emit(new GatherPostEvent('accept', postId));
  }

  /** Un-matches this visitor's matched post (open again). */
  async unmatch(postId: string): Promise<void> {
    await (await this.loadedModel()).unmatch(postId);
    this.emit(new GatherPostEvent('unmatch', postId));
  }

  /** Marks this visitor's post done or withdrawn. */
  async setStatus(postId: string, status: 'done' | 'withdrawn'): Promise<void> {
    await (await this.loadedModel()).setStatus(postId, status);
    this.emit(new GatherPostEvent(status, postId));
  }

  /** Hides a post, with a reason everyone sees (organizers only). */
  async hide(postId: string, reason: string): Promise<void> {
    await (await this.loadedModel()).hide(postId, reason);
    this.emit(new GatherPostEvent('hide', postId));
  }

  /** Shows a hidden post again (organizers only). */
  async unhide(postId: string): Promise<void> {
    await (await this.loadedModel()).unhide(postId);
    this.emit(new GatherPostEvent('unhide', postId));
  }

  /**
   * The contacts this visitor may read for `postId`, decrypted on this device (the poster: each
   * responder's; the accepted responder: the poster's), or null. Never stored anywhere.
   */
  async contact(postId: string): Promise<readonly AidContact[] | null> {
    return (await this.loadedModel()).contact(postId);
  }

  /* ---------------------------------------------------------------- the widget kit */

  protected override loadModel(): Promise<unknown> {
    return boardModel.load();
  }

  protected createModel({ room, signer, name, organizers, cache }: ModelArgs): AidBoardModel {
    this.contacts = new Map();
    const { AidBoardModel, encryptionFor } = boardModel.value!;
    return new AidBoardModel(room.doc, name, this.config, signer, {
      organizers,
      cache,
      room: room.name,
      encryption: signer === null ? null : encryptionFor(signer.publicKey),
    });
  }

  protected emptyView(): AidBoardView {
    return emptyAidView(this.config);
  }

  protected nameSource(): string {
    return this.heading;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    this.model.value?.setConfig(this.config);
  }

  protected override viewChanged(view: AidBoardView, origin: ChangeOrigin): void {
    if (origin === 'remote') this.announcer.announce(this.localize.t.aidBoard.updated(view.counts.total, this.localize.number(view.counts.total)));
    // Contacts on screen follow the post (an un-match takes them away).
    for (const id of this.contacts.keys()) void this.loadContacts(id);
  }

  /* ---------------------------------------------------------------- handlers */

  /** Runs a command on the model: busy meanwhile, the failure in words, `gather-post`, focus. */
  private async act(action: AidAction, run: (model: AidBoardModel) => Promise<string | void>, failure: string, focus?: (id: string) => HTMLElement | null): Promise<boolean> {
    let postId = '';
    let error: unknown = null;
    this.failureIn = action === 'post' ? 'form' : 'list';
    const ok = await this.command.run(
      async () => {
        try {
          // A post made before the board has loaded (its code, room and this visitor's key) waits for it, the button saying so.
          postId = (await run(await this.loadedModel())) ?? '';
        } catch (caught) {
          error = caught;
          throw caught;
        }
      },
      { failure, event: () => new GatherPostEvent(action, postId), focus: focus && (() => focus(postId)) },
    );
    if (!ok && error instanceof GatherError && error.code === 'limit-reached') this.command.fail(this.localize.t.aidBoard.limitReached);
    return ok;
  }

  private postHeading(id: string): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`#${domId(id, 'title')}`);
  }

  private async handlePost(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const input = readPostForm(form);
    const ok = await this.act('post', (model) => model.post(input), this.localize.t.aidBoard.postFailed, () => this.renderRoot.querySelector<HTMLElement>('.new-post > summary'));
    if (ok) {
      form.reset();
      (form.closest('details') as HTMLDetailsElement | null)?.removeAttribute('open');
      this.announcer.announce(this.localize.t.aidBoard.posted);
    }
  }

  private handleFilter(event: Event): void {
    const form = (event.currentTarget as HTMLElement).closest('form') ?? (event.currentTarget as HTMLFormElement);
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '');
    const status = text('status');
    const kind = text('kind');
    this.filter = {
      kind: (AID_KINDS as readonly string[]).includes(kind) ? (kind as AidFilter['kind']) : '',
      category: text('category'),
      area: text('area'),
      status: status === 'expired' || (AID_STATUSES as readonly string[]).includes(status) ? (status as AidFilter['status']) : '',
      search: text('search').slice(0, 200),
      mine: this.filter.mine,
    };
    const order = text('order');
    if ((AID_ORDERS as readonly string[]).includes(order)) this.order = order as AidOrder;
  }

  private handleMine(mine: boolean): void {
    this.filter = { ...this.filter, mine };
  }

  override updated(changed: PropertyValues): void {
    super.updated(changed);
    // Another filter: back to the top of the list.
    if (changed.has('filter')) {
      const scroller = this.renderRoot.querySelector<HTMLElement>('.scroller');
      if (scroller && scroller.scrollTop > 0) scroller.scrollTop = 0;
    }
  }

  private handleClearFilters(): void {
    this.filter = { ...NO_FILTER, mine: this.filter.mine };
    this.renderRoot.querySelector<HTMLFormElement>('form.filters')?.reset();
  }

  private async loadContacts(postId: string): Promise<void> {
    const model = this.model.value;
    if (!model) return;
    const contacts = await model.contact(postId).catch(() => null);
    if (!this.contacts.has(postId)) return; // closed meanwhile
    this.contacts = new Map(this.contacts).set(postId, contacts);
  }

  private readonly itemContext = (): PostItemContext => {
    const t = this.localize.t.aidBoard;
    const lang = this.localize.lang;
    const model = this.model.value;
    return {
      t,
      me: this.me,
      canAct: model !== null && this.takesPart && !this.command.busy,
      organizer: model?.signsAsOrganizer ?? false,
      responding: this.responding,
      hiding: this.hiding,
      contacts: this.contacts,
      day: (day) => {
        const [y, m, d] = day.split('-').map(Number) as [number, number, number];
        return dateTimeFormat(lang, { dateStyle: 'medium' }).format(new Date(y, m - 1, d));
      },
      dateTime: (ms) => dateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms)),
      number: (n) => this.localize.number(n),
      onRespond: (post) => {
        this.responding = post.id;
        this.hiding = null;
        this.command.clear();
        void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`li[data-key="${CSS.escape(post.id)}"] form.respond textarea`)?.focus());
      },
      onCancel: () => {
        const id = this.responding ?? this.hiding;
        this.responding = null;
        this.hiding = null;
        if (id) void this.updateComplete.then(() => this.postHeading(id)?.focus());
      },
      onSubmitResponse: (post, event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget as HTMLFormElement);
        const input = { message: String(data.get('message') ?? ''), contact: String(data.get('contact') ?? '') };
        void this.act(
          'respond',
          async (m) => {
            await m.respond(post.id, input);
            this.responding = null;
            return post.id;
          },
          t.respondFailed,
          (id) => this.postHeading(id),
        );
      },
      onAccept: (post, responder) => void this.act('accept', async (m) => (await m.accept(post.id, responder), post.id), t.actionFailed, (id) => this.postHeading(id)),
      onUnmatch: (post) => void this.act('unmatch', async (m) => (await m.unmatch(post.id), post.id), t.actionFailed, (id) => this.postHeading(id)),
      onStatus: (post, status) => void this.act(status, async (m) => (await m.setStatus(post.id, status), post.id), t.actionFailed, (id) => this.postHeading(id)),
      onToggleContacts: (post) => {
        if (this.contacts.has(post.id)) {
          const next = new Map(this.contacts);
          next.delete(post.id);
          this.contacts = next;
          return;
        }
        this.contacts = new Map(this.contacts).set(post.id, 'loading');
        void this.loadContacts(post.id);
      },
      onHide: (post) => {
        this.hiding = post.id;
        this.responding = null;
        void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`li[data-key="${CSS.escape(post.id)}"] form.hide input`)?.focus());
      },
      onSubmitHide: (post, event) => {
        event.preventDefault();
        const reason = String(new FormData(event.currentTarget as HTMLFormElement).get('reason') ?? '');
        void this.act(
          'hide',
          async (m) => {
            await m.hide(post.id, reason);
            this.hiding = null;
            return post.id;
          },
          t.actionFailed,
          (id) => this.postHeading(id),
        );
      },
      onUnhide: (post) => void this.act('unhide', async (m) => (await m.unhide(post.id), post.id), t.actionFailed, (id) => this.postHeading(id)),
    };
  };

  /* ---------------------------------------------------------------- rendering */

  /** The posts the filters keep (the same array while nothing changed: the list does not re-render). */
  private shown(view: AidBoardView): { items: readonly AidPostView[]; keys: readonly string[] } {
    const me = this.me;
    const memo = this.memo;
    if (memo !== null && memo.posts === view.posts && memo.filter === this.filter && memo.me === me) return { items: memo.result, keys: memo.keys };
    const result = filterPosts(view.posts, this.filter, me);
    this.memo = { posts: view.posts, filter: this.filter, me, result, keys: result.map((post) => post.id) };
    return { items: result, keys: this.memo.keys };
  }

  private renderFilters(view: AidBoardView): TemplateResult {
    const t = this.localize.t.aidBoard;
    const n = (count: number) => this.localize.number(count);
    const { counts } = view;
    const config = this.config;
    const f = this.filter;
    return html`
      <form class="filters" part="filters" @input=${this.handleFilter} @change=${this.handleFilter} @submit=${(e: Event) => e.preventDefault()}>
        <fieldset>
          <legend class="visually-hidden">${t.filters}</legend>
          <label class="field">
            <span>${t.search}</span>
            <input part="input" type="search" name="search" .value=${f.search} autocomplete="off" />
          </label>
          <label class="field">
            <span>${t.kindFilter}</span>
            <select part="input" name="kind">
              <option value="" ?selected=${f.kind === ''}>${t.anyKind}</option>
              ${AID_KINDS.map((k) => html`<option value=${k} ?selected=${f.kind === k}>${t.kindPlural[k](n(counts.kind[k]))}</option>`)}
            </select>
          </label>
          ${config.categories.length > 0
            ? html`<label class="field">
                <span>${t.category}</span>
                <select part="input" name="category">
                  <option value="" ?selected=${f.category === ''}>${t.anyCategory}</option>
                  ${config.categories.map((c) => html`<option value=${c} ?selected=${f.category === c}>${t.withCount(c, n(counts.category[c] ?? 0))}</option>`)}
                </select>
              </label>`
            : nothing}
          ${config.areas.length > 0
            ? html`<label class="field">
                <span>${t.area}</span>
                <select part="input" name="area">
                  <option value="" ?selected=${f.area === ''}>${t.anyArea}</option>
                  ${config.areas.map((a) => html`<option value=${a} ?selected=${f.area === a}>${t.withCount(a, n(counts.area[a] ?? 0))}</option>`)}
                </select>
              </label>`
            : nothing}
          <label class="field">
            <span>${t.statusFilter}</span>
            <select part="input" name="status">
              <option value="" ?selected=${f.status === ''}>${t.anyStatus}</option>
              ${AID_STATUSES.map((s) => html`<option value=${s} ?selected=${f.status === s}>${t.withCount(t.status[s], n(counts.status[s]))}</option>`)}
              <option value="expired" ?selected=${f.status === 'expired'}>${t.withCount(t.expired, n(counts.expired))}</option>
            </select>
          </label>
          <label class="field">
            <span>${t.order}</span>
            <select part="input" name="order">
              <option value="newest" ?selected=${this.order !== 'urgent'}>${t.newest}</option>
              <option value="urgent" ?selected=${this.order === 'urgent'}>${t.urgent}</option>
            </select>
          </label>
        </fieldset>
      </form>
    `;
  }

  private renderList(view: AidBoardView): TemplateResult {
    const t = this.localize.t.aidBoard;
    const { items, keys } = this.shown(view);
    const all = view.posts.length;
    const filtered = items !== view.posts;
    const summary = html`<p class="summary" role="status">
      ${t.showing(this.localize.number(items.length), this.localize.number(all), all)}
      ${filtered ? html`<button part="button" type="button" @click=${this.handleClearFilters}>${t.clearFilters}</button>` : nothing}
    </p>`;
    if (items.length === 0) return html`${filtered ? summary : nothing}<p class="empty">${all === 0 ? t.empty : t.noMatches}</p>`;
    const ctx = this.itemContext();
    if (items.length <= WINDOW_AT) {
      return html`${summary}
        <ul class="posts" part="posts" role="list" aria-label=${t.posts}>
          ${repeat(items, (post) => post.id, (post, i) => renderPost(post, i, items.length, ctx))}
        </ul>`;
    }
    const { start, end, before, after } = this.window.window(keys);
    // `.style` (CSSOM), not a style attribute (nor styleMap, which writes one first): strict CSPs refuse style attributes.
    return html`${summary}
      <div class="scroller" @scroll=${this.window.onScroll}>
        <ul class="posts windowed" part="posts" role="list" aria-label=${t.posts} data-window .style=${`padding-block-start: ${before}px; padding-block-end: ${after}px`}>
          ${repeat(items.slice(start, end), (post) => post.id, (post, i) => renderPost(post, start + i, items.length, ctx))}
        </ul>
      </div>`;
  }

  override render(): TemplateResult {
    const t = this.localize.t.aidBoard;
    const view = this.shownView;
    const model = this.model.value;
    // The form is offered before the model has come: a post made meanwhile waits for it ('Saving…').
    const disabled = !this.takesPart || this.command.busy;
    const error = this.command.renderError();
    return this.renderFrame(
      'aid-board',
      html`
        <h2 part="header">${this.heading || t.heading}</h2>
        <p class="intro">${t.intro}</p>
        ${this.takesPart ? renderPostForm({ t, config: this.config, disabled, saving: this.command.busy && model === null, error: this.failureIn === 'form' ? error : nothing, onSubmit: (e) => void this.handlePost(e) }) : nothing}
        <div class="views" role="group" aria-label=${t.viewsLabel}>
          <button part="button" type="button" aria-pressed=${this.filter.mine ? 'false' : 'true'} @click=${() => this.handleMine(false)}>${t.all(this.localize.number(view.posts.length))}</button>
          <button part="button" type="button" aria-pressed=${this.filter.mine ? 'true' : 'false'} @click=${() => this.handleMine(true)}>${t.mine(this.localize.number(view.counts.mine))}</button>
        </div>
        ${this.renderFilters(view)} ${this.failureIn === 'list' ? error : nothing} ${this.renderList(view)}
      `,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gather-aid-board': GatherAidBoard;
  }
}
