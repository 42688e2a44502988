import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { GatherError } from '../../src/errors.js';
import { getDisplayName, MAX_DISPLAY_NAME, onDisplayNameChange, setDisplayName } from '../../src/identity/display-name.js';
import type { ChangeOrigin } from '../../src/models/model.types.js';
import { MAX_REASON_LENGTH } from '../../src/models/tally/ballots.js';
import { STANCES, type Stance } from '../../src/models/tally/types.js';
import type { ThreadModel } from '../../src/models/thread.js';
import {
  MAX_COMMENT_LENGTH,
  MAX_HIDE_REASON_LENGTH,
  MAX_OUTCOME_LENGTH,
  REACTIONS,
  type CommentView,
  type ProposalView,
  type Reaction,
  type ThreadView,
} from '../../src/models/thread.types.js';
import { ChildConfigController } from '../shared/child-config-controller.js';
import { childText } from '../shared/child-text.js';
import { CommandController } from '../shared/command-controller.js';
import { GatherWidget, type ModelArgs } from '../shared/gather-widget.js';
import { dateTimeFormat } from '../shared/localize.js';
import { GatherCommentEvent } from './comment-event.js';
import { reblock, type Block } from './blocks.js';
import { threadModel } from './lazy-model.js';
import { lastVisit, rememberVisit } from './last-visit.js';
import { linkParts, renderLinkedText, type TextPart } from './linkify.js';
import { PresenceController } from './presence-controller.js';
import { threadStyles } from './thread.styles.js';
import type { ThreadStrings } from './strings.js';
import './strings.js';

/** How comments are ordered: top-level comments oldest or newest first (replies always oldest first under what they answer). */
export const THREAD_ORDERS = ['oldest', 'newest'] as const;
export type ThreadOrder = (typeof THREAD_ORDERS)[number];

/** Comments shown at first; "show more" adds this many again. */
const PAGE = 200;

/** The language's strings and formats, made once per language. */
interface Formats {
  readonly lang: string;
  readonly t: ThreadStrings;
  readonly date: Intl.DateTimeFormat;
  readonly number: Intl.NumberFormat;
  readonly list: Intl.ListFormat;
  /** Small numbers as formatted (reaction counts: thousands of them, mostly the same few). */
  readonly numbers: Map<number, string>;
  /** Dates as formatted, by minute (the format shows minutes; comments in a busy thread share them). */
  readonly dates: Map<number, string>;
  /** {@link OTHERS_COMMENT} with this language's words for Reply and Add reaction written in. */
  readonly othersComment: TemplateStringsArray;
  /** The same as elements to clone ({@link othersRowProto}), made at its first use. */
  othersRow: HTMLLIElement | null;
}

/** A tag that keeps a template's strings (the values are placeholders naming what goes there). */
const stringsOf = (strings: TemplateStringsArray, ..._names: unknown[]): TemplateStringsArray => strings;

/**
 * Someone else's comment as it stands, for a visitor who may talk (most of a long thread; see
 * renderComment). Its two fixed words (`reply`, `addReaction`) are written into the template once
 * per language ({@link withWords}), not bound: thousands of comments then make no part, marker or
 * text node for them. Values, in order: the others named here.
 */
const OTHERS_COMMENT = stringsOf`<li part="comment" role="listitem" class=${'classes'} data-id=${'id'} tabindex="-1" aria-label=${'label'}
  ><p class="byline"><span class="name">${'name'}</span> <time datetime=${'datetime'}>${'date'}</time>${'badges'}</p
  >${'replying'}<p class="text">${'body'}</p
  >${'reactions'}<div class="actions"
    ><button part="button" type="button" data-action="reply">${'reply'}</button
    ><button part="button" type="button" data-action="react" aria-expanded="false">${'addReaction'}</button></div
  >${'below'}</li
>`;
/** The holes of {@link OTHERS_COMMENT} that take fixed words. */
const OTHERS_COMMENT_WORDS = [10, 11] as const;

/**
 * {@link OTHERS_COMMENT} as it stands on most comments of a long thread (no badges, no "replying
 * to", no reactions, nothing open under it, a body without links), as elements made once per
 * language and cloned ({@link othersRow}): the same markup, but no Lit template instance, parts,
 * marker comments or walk for each of thousands of comments. Text goes in as text (Text.data),
 * never as markup.
 */
const othersRowProto = (reply: string, addReaction: string): HTMLLIElement => {
  const element = (name: string, attributes: Record<string, string>, ...children: Node[]) => {
    const made = document.createElement(name);
    for (const [attribute, value] of Object.entries(attributes)) made.setAttribute(attribute, value);
    made.append(...children);
    return made;
  };
  const text = (data = '') => document.createTextNode(data);
  return element(
    'li',
    { part: 'comment', role: 'listitem', class: '', 'data-id': '', tabindex: '-1', 'aria-label': '' },
    element('p', { class: 'byline' }, element('span', { class: 'name' }, text()), text(' '), element('time', { datetime: '' }, text())),
    element('p', { class: 'text' }, text()),
    element(
      'div',
      { class: 'actions' },
      element('button', { part: 'button', type: 'button', 'data-action': 'reply' }, text(reply)),
      element('button', { part: 'button', type: 'button', 'data-action': 'react', 'aria-expanded': 'false' }, text(addReaction)),
    ),
  ) as HTMLLIElement;
};

/**
 * A clone of `proto` ({@link othersRowProto}) with one comment's values set, as attributes and
 * text: its body's links (already parsed: http(s) and mailto only) as linkify's template makes
 * them, and a "replying to" line if it has one.
 */
const othersRow = (
  proto: HTMLLIElement,
  classes: string,
  id: string,
  label: string,
  name: string,
  datetime: string,
  date: string,
  body: string | readonly TextPart[],
  replying: string | null,
): HTMLLIElement => {
  const li = proto.cloneNode(true) as HTMLLIElement;
  li.className = classes;
  li.setAttribute('data-id', id);
  li.setAttribute('aria-label', label);
  const byline = li.firstChild!;
  (byline.firstChild!.firstChild as Text).data = name;
  const time = byline.lastChild as HTMLTimeElement;
  time.setAttribute('datetime', datetime);
  (time.firstChild as Text).data = date;
  const text = byline.nextSibling as HTMLParagraphElement;
  if (typeof body === 'string') (text.firstChild as Text).data = body;
  else {
    text.firstChild!.remove();
    for (const part of body) {
      if (part.href === undefined) text.append(part.text);
      else {
        const link = document.createElement('a');
        link.setAttribute('part', 'link');
        link.setAttribute('href', part.href);
        link.setAttribute('rel', 'noopener noreferrer ugc');
        link.append(part.text);
        text.append(link);
      }
    }
  }
  if (replying !== null) {
    const line = document.createElement('p');
    line.className = 'replying';
    line.append(replying);
    li.insertBefore(line, text);
  }
  return li;
};

const escapeText = (text: string): string => text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));

/**
 * `strings` with `words` written in (escaped, as text) at the holes `at`, ascending. Lit keys a
 * template by its strings array, so this is made once per language; it carries its `raw`, as
 * lit/static-html's arrays do.
 */
function withWords(strings: TemplateStringsArray, at: readonly number[], words: readonly string[]): TemplateStringsArray {
  const out: string[] = [strings[0]!];
  for (let hole = 0; hole < strings.length - 1; hole++) {
    const word = at.indexOf(hole);
    if (word === -1) out.push(strings[hole + 1]!);
    else out[out.length - 1] += escapeText(words[word]!) + strings[hole + 1]!;
  }
  return Object.freeze(Object.assign(out, { raw: Object.freeze([...out]) })) as unknown as TemplateStringsArray;
}

/**
 * The comments of `next` that are not in `last` as the same object (new, or changed), if `next`
 * holds every comment of `last`, in the same order; else null. A pass comparing objects, no map.
 */
const changedSince = (last: readonly CommentView[], next: readonly CommentView[]): CommentView[] | null => {
  const changed: CommentView[] = [];
  if (last === next) return changed;
  let j = 0;
  for (let i = 0; i < next.length; i++) {
    const comment = next[i]!;
    if (comment === last[j]) {
      j++;
      continue;
    }
    changed.push(comment);
    // The same comment, changed (else a new one).
    if (j < last.length && comment.id === last[j]!.id) j++;
  }
  return j === last.length ? changed : null;
};

/** An inline panel under a comment: a reply, an edit, a hide with its reason, a retraction to confirm. */
interface Panel {
  readonly kind: 'reply' | 'edit' | 'hide' | 'retract';
  readonly id: string;
  /** Characters typed so far (for the count shown while typing). */
  readonly length: number;
}

/**
 * A deliberation thread: comments with replies, reactions, proposals that are consent polls, and
 * the group's recorded decision pinned on top; organizers can hide a comment or lock the thread.
 *
 * @summary Talk, propose, decide, in place.
 *
 * @slot context - What the thread is about, beyond its topic (a paragraph, a link).
 * @slot topic - The topic as a child element (`<h2 slot="topic">…</h2>`), read as text when there is no `topic` attribute (the attribute wins when both are there); shown as plain HTML before the code arrives, then as the thread's heading.
 *
 * @fires gather-change - The shared view changed (`detail.view`, `detail.origin`).
 * @fires gather-comment - This visitor posted a comment or a reply (`detail.id`, `detail.replyTo`).
 *
 * @csspart base - The wrapper of everything.
 * @csspart header - The topic, context, who is reading and what is new.
 * @csspart topic - The topic.
 * @csspart decision - The pinned decision.
 * @csspart proposal - A proposal.
 * @csspart stances - A proposal's stance counts.
 * @csspart comment - A comment.
 * @csspart reaction - A reaction toggle.
 * @csspart link - A link in a comment.
 * @csspart form - The form for a new comment.
 * @csspart input - A text field.
 * @csspart button - A button.
 * @csspart status - The connection status line.
 * @csspart progress - While a large room arrives from a peer, or its signatures are checked: how far it got, with a progress bar.
 * @csspart storage - Says that this browser keeps nothing of what the visitor does (its storage is blocked or full).
 * @csspart membership - In a members-only room: where this visitor stands (organizer, member, not a member yet, …).
 * @csspart repaired - How many of the widget's entries this browser put back after a peer removed or damaged them.
 * @csspart trust-repaired - In a members-only room: how many of the room's organizer and member entries this browser put back.
 * @csspart protection - "How this room is protected": a disclosure under the status line.
 *
 * @cssprop --gather-thread-indent - How far each level of replies is indented.
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
export class GatherThread extends GatherWidget<ThreadView, ThreadModel> {
  static override styles = threadStyles;

  static override properties: PropertyDeclarations = {
    topic: {},
    order: { reflect: true },
    panel: { state: true },
    menu: { state: true },
    limit: { state: true },
    draftLength: { state: true },
    displayName: { state: true },
  };

  /**
   * What the thread is about. Without it, the text of a child `slot="topic"` element is the topic;
   * with both, this attribute wins.
   */
  declare topic: string;
  /** `oldest` (default) or `newest` first. */
  declare order: ThreadOrder;
  declare private panel: Panel | null;
  /** The comment whose "Add reaction" menu is open (rendered only then), or null. */
  declare private menu: string | null;
  declare private limit: number;
  declare private draftLength: number;
  declare private displayName: string;

  private readonly command = new CommandController(this);
  /** The topic a child `slot="topic"` element gives. */
  private readonly topicChild = new ChildConfigController(this, (host) => childText(host, '[slot="topic"]'));
  private readonly presence = new PresenceController(this);
  /** When this visitor last looked, read once per room and thread (kept while they are here). */
  private seen: { readonly key: string; readonly at: number | null } | null = null;
  private offName: (() => void) | null = null;
  private formats: Formats | null = null;
  /** The formats of the render in progress. */
  private rendering: Formats | null = null;
  /** Where the last command's failure is shown: `compose`, `panel`, `proposal:<id>`, `organizer`. */
  private errorPlace = 'compose';
  private arrangedFor: { comments: readonly CommentView[]; order: ThreadOrder; limit: number; shown: readonly CommentView[]; more: number } | null = null;
  private namesFor: { view: ThreadView; names: Map<string, { readonly name: string; readonly at: number }> } | null = null;
  private byIdFor: { view: ThreadView; byId: Map<string, CommentView> } | null = null;
  private blocksFor: { shown: readonly CommentView[]; blocks: readonly Block<CommentView>[] } | null = null;
  /** The key of the next new block. */
  private nextBlock = 0;

  constructor() {
    super();
    this.topic = '';
    this.order = 'oldest';
    this.panel = null;
    this.menu = null;
    this.limit = PAGE;
    this.draftLength = 0;
    this.displayName = getDisplayName();
  }

  /* ------------------------------------------------------------ model */

  protected createModel({ room, signer, name, organizers, cache }: ModelArgs): ThreadModel {
    const key = JSON.stringify([room.name, name]);
    if (this.seen?.key !== key) this.seen = { key, at: lastVisit(room.name, name) };
    rememberVisit(room.name, name);
    return new threadModel.value!.ThreadModel(room.doc, name, { topic: this.shownTopic, seenUntil: this.seen.at }, signer, { organizers, cache, room: room.name });
  }

  protected override loadModel(): Promise<unknown> {
    return threadModel.load();
  }

  protected emptyView(): ThreadView {
    return { topic: this.shownTopic, locked: false, comments: [], proposals: [], decision: null, unread: 0 };
  }

  protected nameSource(): string {
    return this.shownTopic;
  }

  /** The topic: the attribute's, else a `slot="topic"` child's text. */
  private get shownTopic(): string {
    return this.topic || this.topicChild.value;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.offName = onDisplayNameChange((name) => {
      this.displayName = name;
      this.presence.refresh();
    });
    document.addEventListener('visibilitychange', this.handleVisibility);
  }

  override disconnectedCallback(): void {
    this.rememberNow();
    this.offName?.();
    this.offName = null;
    document.removeEventListener('visibilitychange', this.handleVisibility);
    super.disconnectedCallback();
  }

  private readonly handleVisibility = (): void => {
    if (document.visibilityState === 'hidden') this.rememberNow();
  };

  /** Remembers that this visitor has seen the thread up to now (the marks of this visit stay). */
  private rememberNow(): void {
    const model = this.model.value;
    if (model?.room !== undefined) rememberVisit(model.room, model.name);
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const model = this.model.value;
    const topic = this.shownTopic;
    if (model && model.threadConfig.topic !== topic) model.setConfig({ ...model.threadConfig, topic });
  }

  /**
   * A comment shown as a clone (othersRow) becomes a template's element as it changes (a reaction,
   * an edit, a badge: see renderComment), and back: if the comment, or one of its buttons, had
   * focus, the new one takes it (by its id and action), as the kept element used to keep it.
   */
  protected override update(changed: PropertyValues): void {
    const active = (this.renderRoot as ShadowRoot).activeElement as HTMLElement | null;
    const item = active?.closest<HTMLElement>('li[part=comment]');
    super.update(changed);
    if (active === null || item == null || active.isConnected) return;
    const id = item.dataset['id'];
    const now = id === undefined ? null : this.commentElement(id);
    const action = active === item ? undefined : active.dataset['action'];
    const target = now == null || active === item ? now : action === undefined ? null : now.querySelector<HTMLElement>(`[data-action="${action}"]`);
    target?.focus({ preventScroll: true });
  }

  override updated(changed: PropertyValues): void {
    super.updated(changed);
    const model = this.model.value;
    // Who is reading now waits for the thread itself: a long thread's first render does not also
    // sign and publish a presence on the way (bound, and announced, once the view has loaded).
    this.presence.bind(this.view !== null ? this.connection.room : null, model?.scope ?? '', this.identity.signer); // no model: no view, so no room bound
    this.toggleState('locked', this.shownView.locked);
  }

  protected override viewChanged(view: ThreadView, origin: ChangeOrigin): void {
    if (origin === 'remote') this.announcer.announce(this.localize.t.thread.updated(view.comments.length, this.number(view.comments.length)));
  }

  /* ------------------------------------------------------------ public API */

  private async requireModel(): Promise<ThreadModel> {
    await this.ready;
    const model = this.model.value;
    if (model === null) throw new GatherError('destroyed', 'This thread has no model (it left the page)');
    return model;
  }

  /** Posts a comment (a reply with `replyTo`) as this visitor, with their display name; resolves with its id. */
  async comment(text: string, { replyTo }: { replyTo?: string | null } = {}): Promise<string> {
    return (await this.requireModel()).comment(text, { replyTo: replyTo ?? null, name: getDisplayName() });
  }

  /** Rewords one of this visitor's comments. */
  async edit(id: string, text: string): Promise<void> {
    return (await this.requireModel()).edit(id, text);
  }

  /** Takes back one of this visitor's comments. */
  async retract(id: string): Promise<void> {
    return (await this.requireModel()).retract(id);
  }

  /** Turns a reaction to a comment on or off. */
  async react(id: string, reaction: Reaction): Promise<void> {
    return (await this.requireModel()).react(id, reaction);
  }

  /** Puts a proposal to the thread; resolves with its id. */
  async propose(text: string): Promise<string> {
    return (await this.requireModel()).propose(text, { name: getDisplayName() });
  }

  /** Takes (or changes) this visitor's stance on an open proposal. */
  async stance(proposalId: string, stance: { stance: Stance; reason?: string }): Promise<void> {
    return (await this.requireModel()).stance(proposalId, stance);
  }

  /** Records the outcome of a proposal (the proposer or an organizer). */
  async decide(proposalId: string, outcome: string): Promise<void> {
    return (await this.requireModel()).decide(proposalId, outcome);
  }

  /** Hides a comment, with a reason everyone sees (organizers). */
  async hide(id: string, reason: string): Promise<void> {
    return (await this.requireModel()).hide(id, reason);
  }

  /** Locks or unlocks the thread (organizers). */
  async lock(locked = true): Promise<void> {
    return (await this.requireModel()).lock(locked);
  }

  /** The topic, the view and every signed entry behind it (see ThreadModel.export). */
  export(): ReturnType<ThreadModel['export']> | null {
    return this.model.value?.export() ?? null;
  }

  /* ------------------------------------------------------------ handlers */

  /** Runs a command from the UI, with the failure in words for what went wrong. */
  private async act(
    place: string,
    command: () => Promise<unknown>,
    options: { event?: () => Event; focus?: () => HTMLElement | null | undefined } = {},
  ): Promise<boolean> {
    const t = this.localize.t.thread;
    if (this.command.busy) return false;
    this.errorPlace = place;
    const failure = (error: unknown): string =>
      error instanceof GatherError && error.code === 'rate-limited' ? t.tooFast : error instanceof GatherError && error.code === 'locked' ? t.lockedFailed : t.failed;
    return this.command.run(command, { failure, ...options });
  }

  private field(selector: string): HTMLTextAreaElement | HTMLInputElement | null {
    return this.renderRoot.querySelector<HTMLTextAreaElement | HTMLInputElement>(selector);
  }

  private commentElement(id: string): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"]`);
  }

  private handleName(event: Event): void {
    this.displayName = setDisplayName((event.target as HTMLInputElement).value);
  }

  private async handlePost(event: Event, asProposal: boolean): Promise<void> {
    event.preventDefault();
    const model = this.model.value;
    const box = this.field('#new-comment') as HTMLTextAreaElement | null;
    if (!model || !box) return;
    const text = box.value;
    let id = '';
    const ok = await this.act(
      'compose',
      async () => {
        id = asProposal ? await model.propose(text, { name: getDisplayName() }) : await model.comment(text, { name: getDisplayName() });
      },
      asProposal ? { focus: () => box } : { event: () => new GatherCommentEvent(id, null), focus: () => box },
    );
    if (ok) {
      box.value = '';
      this.draftLength = 0;
      this.announcer.announce(this.localize.t.thread.posted);
    }
  }

  private openPanel(kind: Panel['kind'], id: string): void {
    this.command.clear();
    this.menu = null;
    this.panel = { kind, id, length: kind === 'edit' ? (this.view?.comments.find((c) => c.id === id)?.text.length ?? 0) : 0 };
    void this.updateComplete.then(() => this.field('.panel textarea, .panel input')?.focus());
  }

  private closePanel(id: string, focusAction: string): void {
    this.panel = null;
    this.command.clear();
    void this.updateComplete.then(() => this.commentElement(id)?.querySelector<HTMLElement>(`[data-action="${focusAction}"]`)?.focus());
  }

  private async handlePanelSubmit(event: Event, comment: CommentView): Promise<void> {
    event.preventDefault();
    const model = this.model.value;
    const panel = this.panel;
    if (!model || panel === null) return;
    const value = (this.field('.panel textarea, .panel input') as HTMLTextAreaElement | HTMLInputElement | null)?.value ?? '';
    switch (panel.kind) {
      case 'reply': {
        let id = '';
        const ok = await this.act(
          'panel',
          async () => {
            id = await model.comment(value, { replyTo: comment.id, name: getDisplayName() });
            this.panel = null;
          },
          { event: () => new GatherCommentEvent(id, comment.id), focus: () => this.commentElement(id) },
        );
        if (ok) this.ensureShown(id);
        break;
      }
      case 'edit':
        if (await this.act('panel', () => model.edit(comment.id, value))) this.closePanel(comment.id, 'edit');
        break;
      case 'hide':
        if (await this.act('panel', () => model.hide(comment.id, value))) this.closePanel(comment.id, 'reply');
        break;
      case 'retract':
        if (await this.act('panel', () => model.retract(comment.id))) this.closePanel(comment.id, 'reply');
        break;
    }
  }

  /**
   * Toggles a reaction from its button (a count's toggle, or one in the "Add reaction" menu). Focus
   * stays on a toggle that is still there; else (its count fell to 0, or the menu closed) it goes
   * back to the comment's "Add reaction" button.
   */
  private handleReact(comment: CommentView, reaction: Reaction, button: HTMLButtonElement): void {
    const model = this.model.value;
    if (!model || this.command.busy) return;
    const fromMenu = button.closest('.reaction-menu') !== null;
    if (fromMenu) this.closeMenu(comment.id);
    const focus = () => (button.isConnected && !fromMenu ? button : this.reactButton(comment.id));
    void this.act(`comment:${comment.id}`, () => model.react(comment.id, reaction), { focus });
  }

  private reactButton(id: string): HTMLButtonElement | null | undefined {
    return this.commentElement(id)?.querySelector<HTMLButtonElement>('[data-action="react"]');
  }

  /** Opens (or, if open, closes) a comment's "Add reaction" menu; focus goes to its first reaction. */
  private toggleMenu(id: string): void {
    if (this.menu === id) {
      this.closeMenu(id);
      return;
    }
    this.command.clear();
    this.menu = id;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('.reaction-menu button')?.focus());
  }

  /** Closes the open "Add reaction" menu, focus back on the button that opened it. */
  private closeMenu(id: string): void {
    this.menu = null;
    void this.updateComplete.then(() => this.reactButton(id)?.focus());
  }

  /** Escape in an open "Add reaction" menu (or on its button) closes it. */
  private handleListKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || this.menu === null) return;
    const target = event.target as Element | null;
    if (!target?.closest?.('.reaction-menu, [data-action="react"]')) return;
    event.preventDefault();
    event.stopPropagation();
    this.closeMenu(this.menu);
  }

  /**
   * Every comment's reaction and action buttons, through one listener on the list (a long thread
   * would otherwise add and keep thousands of listeners): the button says what, its comment which.
   */
  private handleListClick(event: Event): void {
    const button = (event.target as Element | null)?.closest?.('button[data-reaction], button[data-action]');
    if (!(button instanceof HTMLButtonElement) || button.disabled) return;
    const id = button.closest<HTMLElement>('li[part=comment]')?.dataset['id'];
    const comment = id === undefined ? undefined : this.lookups().byId.get(id);
    if (comment === undefined) return;
    const reaction = button.dataset['reaction'];
    const action = button.dataset['action'];
    if (reaction !== undefined) {
      if ((REACTIONS as readonly string[]).includes(reaction)) this.handleReact(comment, reaction as Reaction, button);
    } else if (action === 'react') {
      this.toggleMenu(comment.id);
    } else if (action === 'reply' || action === 'edit' || action === 'retract' || action === 'hide') {
      this.openPanel(action, comment.id);
    }
  }

  private handleStance(event: Event, proposal: ProposalView): void {
    event.preventDefault();
    const model = this.model.value;
    const form = event.currentTarget as HTMLFormElement;
    const stance = (form.querySelector<HTMLInputElement>('input[type=radio]:checked')?.value ?? '') as Stance;
    const reason = form.querySelector<HTMLTextAreaElement>('textarea')?.value ?? '';
    if (!model) return;
    if (!(STANCES as readonly string[]).includes(stance)) {
      this.errorPlace = `proposal:${proposal.id}`;
      this.command.fail(this.localize.t.thread.chooseStance);
      return;
    }
    void this.act(`proposal:${proposal.id}`, () => model.stance(proposal.id, { stance, reason }));
  }

  private handleDecide(event: Event, proposal: ProposalView): void {
    event.preventDefault();
    const model = this.model.value;
    const outcome = (event.currentTarget as HTMLFormElement).querySelector<HTMLTextAreaElement>('textarea')?.value ?? '';
    if (model) void this.act(`proposal:${proposal.id}`, () => model.decide(proposal.id, outcome), { focus: () => this.renderRoot.querySelector<HTMLElement>('[part=decision]') });
  }

  private handleLock(): void {
    const model = this.model.value;
    if (model) void this.act('organizer', () => model.lock(!this.shownView.locked));
  }

  private handleOrder(event: Event): void {
    this.order = (event.target as HTMLSelectElement).value === 'newest' ? 'newest' : 'oldest';
  }

  /** Shows every comment if `id` is not among those shown (a jump, a new reply). */
  private ensureShown(id: string): void {
    if (!this.arranged().shown.some((c) => c.id === id)) this.limit = Number.MAX_SAFE_INTEGER;
  }

  private async handleJump(): Promise<void> {
    const first = this.arranged(Number.MAX_SAFE_INTEGER).shown.find((c) => c.unread);
    if (!first) return;
    this.ensureShown(first.id);
    await this.updateComplete;
    const element = this.commentElement(first.id);
    element?.scrollIntoView({ block: 'center' });
    element?.focus();
  }

  /* ------------------------------------------------------------ derived for rendering */

  /** The comments in display order (top-level blocks oldest or newest first), the most recent `limit` of them shown. */
  private arranged(limit = this.limit): { shown: readonly CommentView[]; more: number } {
    const { comments } = this.shownView;
    const cached = this.arrangedFor;
    if (cached && cached.comments === comments && cached.order === this.order && cached.limit === limit) return cached;
    if (this.order === 'oldest' && comments.length <= limit) {
      // Every comment, as the model orders them: no blocks to make (one more comment in a long thread).
      this.arrangedFor = { comments, order: this.order, limit, shown: comments, more: 0 };
      return this.arrangedFor;
    }
    // The most recent top-level blocks (a comment and its replies) that hold `limit` comments,
    // walked back from the end: one more comment costs the comments shown, not a pass over all.
    const starts: number[] = [];
    let start = comments.length;
    let count = 0;
    while (start > 0 && count < limit) {
      let at = start - 1;
      while (at > 0 && comments[at]!.depth !== 0) at--;
      starts.push(at);
      count += start - at;
      start = at;
    }
    let shown: readonly CommentView[];
    if (this.order === 'oldest') {
      // At the end, oldest first.
      shown = comments.slice(start);
    } else {
      // At the start, newest first (replies oldest first under what they answer).
      const newest: CommentView[] = [];
      let end = comments.length;
      for (const at of starts) {
        for (let i = at; i < end; i++) newest.push(comments[i]!);
        end = at;
      }
      shown = newest;
    }
    this.arrangedFor = { comments, order: this.order, limit, shown, more: comments.length - shown.length };
    return this.arrangedFor;
  }

  /** The comments shown, in blocks of the list (blocks.ts): made from the last render's blocks. */
  private blocks(shown: readonly CommentView[]): readonly Block<CommentView>[] {
    const last = this.blocksFor;
    if (last?.shown === shown) return last.blocks;
    const blocks = reblock(last?.blocks ?? [], shown, () => this.nextBlock++);
    this.blocksFor = { shown, blocks };
    return blocks;
  }

  /**
   * Comments by id, for the view shown: the last view's map, with the comments that are new or
   * changed since (one more comment: one entry set after a pass comparing objects, not thousands).
   */
  private lookups(): { byId: Map<string, CommentView> } {
    const view = this.shownView;
    const last = this.byIdFor;
    if (last?.view === view) return last;
    const changed = last === null ? null : changedSince(last.view.comments, view.comments);
    let byId: Map<string, CommentView>;
    if (last !== null && changed !== null) {
      byId = last.byId;
      for (const comment of changed) byId.set(comment.id, comment);
    } else {
      // A comment no longer shown (moderated away, a lock), or the first view: made again.
      byId = new Map(view.comments.map((c) => [c.id, c]));
    }
    this.byIdFor = { view, byId };
    return this.byIdFor;
  }

  /**
   * Names by author key, each the one their latest signed comment or proposal gives (made when a
   * comment or proposal without one is shown; then brought up to date with the new comments, as
   * {@link lookups} is).
   */
  private names(): Map<string, { readonly name: string; readonly at: number }> {
    const view = this.shownView;
    const last = this.namesFor;
    if (last?.view === view) return last.names;
    // Names only come (a comment's name never changes): a view with fewer comments or proposals is read again.
    const changed = last === null || view.proposals.length < last.view.proposals.length ? null : changedSince(last.view.comments, view.comments);
    const names = last !== null && changed !== null ? last.names : new Map<string, { readonly name: string; readonly at: number }>();
    const note = (item: { readonly author: string; readonly name: string; readonly at: number }) => {
      if (!item.name) return;
      const known = names.get(item.author);
      if (known === undefined || item.at > known.at || (item.at === known.at && item.name > known.name)) names.set(item.author, { name: item.name, at: item.at });
    };
    for (const item of view.proposals) note(item);
    for (const item of changed ?? view.comments) note(item);
    this.namesFor = { view, names };
    return names;
  }

  private nameOf(author: string, signed = ''): string {
    return signed || this.names().get(author)?.name || `${(this.rendering ?? this.fmt).t.someone} (${author.slice(0, 6)})`;
  }

  /**
   * The language, its strings and its formats, read once per render (the nearest `lang` is a walk
   * up the tree, and an Intl format is costly to make): a long thread renders thousands of dates.
   */
  private get fmt(): Formats {
    const lang = this.localize.lang;
    const t = this.localize.t;
    if (this.formats?.lang !== lang || this.formats.t !== t.thread) {
      this.formats = {
        lang,
        t: t.thread,
        date: dateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }),
        number: new Intl.NumberFormat(lang),
        list: new Intl.ListFormat(lang, { type: 'conjunction' }),
        numbers: new Map(),
        dates: new Map(),
        othersComment: withWords(OTHERS_COMMENT, OTHERS_COMMENT_WORDS, [t.thread.reply, t.thread.addReaction]),
        othersRow: null,
      };
    }
    return this.formats;
  }

  private date(ms: number): string {
    const { date, dates } = this.rendering ?? this.fmt;
    // Every time zone's offset is whole minutes (since 1972): one minute of signed time is one minute on the clock.
    const minute = Math.floor(ms / 60_000);
    let text = dates.get(minute);
    if (text === undefined) {
      if (dates.size >= 10_000) dates.clear();
      dates.set(minute, (text = date.format(minute * 60_000)));
    }
    return text;
  }

  private number(value: number): string {
    const { number, numbers } = this.rendering ?? this.fmt;
    if (!Number.isSafeInteger(value) || value < 0 || value > 100) return number.format(value);
    let text = numbers.get(value);
    if (text === undefined) numbers.set(value, (text = number.format(value)));
    return text;
  }

  private get canAct(): boolean {
    return this.model.value !== null && this.takesPart && this.identity.signer !== null;
  }

  /* ------------------------------------------------------------ render */

  /** The last command's failure, if it belongs at `place`. */
  private errorAt(place: string): unknown {
    return this.errorPlace === place ? this.command.renderError() : nothing;
  }

  private renderHeader(view: ThreadView): TemplateResult {
    const t = (this.rendering ?? this.fmt).t;
    const presence = this.presence.view;
    let reading: string | typeof nothing = nothing;
    if (presence !== null && presence.count > 0) {
      const names = presence.people.map((p) => (p.author === this.identity.signer?.publicKey ? t.you : p.name)).filter(Boolean);
      const count = presence.capped ? t.atLeast(this.number(presence.count)) : this.number(presence.count);
      reading = names.length > 0 ? t.readingNamed(count, (this.rendering ?? this.fmt).list.format(names)) : t.reading(count);
    }
    // A div, not a <header>: outside a sectioning element a header is the page's banner landmark, one per thread (two threads: two banners).
    return html`
      <div part="header" class="header">
        <h2 part="topic" class="topic">${view.topic}</h2>
        <slot name="context"></slot>
        <p class="meta">
          ${reading !== nothing ? html`<span class="reading">${reading}</span>` : nothing}
          ${view.unread > 0
            ? html`<span class="unread">${t.unread(view.unread, this.number(view.unread))}</span>
                <button part="button" type="button" class="link-button" @click=${this.handleJump}>${t.jumpToUnread}</button>`
            : nothing}
        </p>
      </div>
    `;
  }

  private renderStances(stances: Readonly<Record<Stance, number>>): TemplateResult {
    const t = (this.rendering ?? this.fmt).t;
    return html`<ul part="stances" class="stances">
      ${STANCES.map((s) => html`<li class="stance-${s}">${t.stanceCount(t.stance[s], this.number(stances[s]))}</li>`)}
    </ul>`;
  }

  private renderDecision(view: ThreadView): TemplateResult | typeof nothing {
    const decision = view.decision;
    if (decision === null) return nothing;
    const t = (this.rendering ?? this.fmt).t;
    const proposal = view.proposals.find((p) => p.id === decision.proposalId);
    return html`
      <div part="decision" class="decision" tabindex="-1">
        <h3>${t.decision}</h3>
        <p class="outcome">${renderLinkedText(decision.outcome)}</p>
        ${proposal ? html`<p class="on">${t.decisionOn(proposal.text)}</p>` : nothing}
        <p class="when"><time datetime=${new Date(decision.decidedAt).toISOString()}>${t.decided(this.date(decision.decidedAt))}</time></p>
        ${this.renderStances(decision.stances)}
      </div>
    `;
  }

  private renderProposal(proposal: ProposalView, index: number): TemplateResult {
    const t = (this.rendering ?? this.fmt).t;
    const model = this.model.value;
    const me = this.identity.signer?.publicKey;
    const canDecide = proposal.open && this.canAct && (proposal.author === me || model?.signsAsOrganizer === true);
    const titleId = `proposal-${index}`;
    return html`
      <article part="proposal" class="proposal" aria-labelledby=${titleId}>
        <p class="byline" id=${titleId}>
          <span class="name">${t.proposalBy(this.nameOf(proposal.author, proposal.name))}</span>
          <time datetime=${new Date(proposal.at).toISOString()}>${this.date(proposal.at)}</time>
          <span class="state">${proposal.open ? t.open : t.decided(this.date(proposal.decidedAt!))}</span>
        </p>
        <p class="text">${renderLinkedText(proposal.text)}</p>
        ${this.renderStances(proposal.stances)}
        ${proposal.reasons.length > 0
          ? html`<details class="reasons">
              <summary>${t.reasons}</summary>
              <ul>
                ${proposal.reasons.map((r) => html`<li><strong>${this.nameOf(r.author ?? '')}</strong> · ${t.stance[r.stance ?? 'agree']}: ${r.reason}</li>`)}
              </ul>
            </details>`
          : nothing}
        ${proposal.outcome !== null ? html`<p class="outcome"><strong>${t.outcome}:</strong> ${proposal.outcome}</p>` : nothing}
        ${proposal.mine !== null ? html`<p class="mine">${t.youTook(t.stance[proposal.mine])}</p>` : nothing}
        ${proposal.open && this.canAct
          ? html`<form class="stance-form" @submit=${(e: Event) => this.handleStance(e, proposal)}>
              <fieldset ?disabled=${this.command.busy}>
                <legend>${t.yourStance}</legend>
                <div class="choices">
                  ${STANCES.map(
                    (s) => html`<label class="choice"><input part="input" type="radio" name=${`stance-${index}`} value=${s} .checked=${proposal.mine === s} />${t.stance[s]}</label>`,
                  )}
                </div>
              </fieldset>
              <label class="field">${t.reason}<textarea part="input" rows="2" maxlength=${MAX_REASON_LENGTH}></textarea></label>
              <div class="actions"><button part="button" type="submit" ?disabled=${this.command.busy}>${t.saveStance}</button></div>
            </form>`
          : nothing}
        ${this.errorAt(`proposal:${proposal.id}`)}
        ${canDecide
          ? html`<form class="decide-form" @submit=${(e: Event) => this.handleDecide(e, proposal)}>
              <label class="field">${t.outcome}<textarea part="input" rows="2" maxlength=${MAX_OUTCOME_LENGTH}></textarea></label>
              <div class="actions"><button part="button" type="submit" ?disabled=${this.command.busy}>${t.recordOutcome}</button></div>
            </form>`
          : nothing}
      </article>
    `;
  }

  private renderPanel(comment: CommentView, panel: Panel): TemplateResult {
    const t = (this.rendering ?? this.fmt).t;
    const busy = this.command.busy;
    const onInput = (event: Event) => (this.panel = { ...panel, length: (event.target as HTMLTextAreaElement).value.length });
    const cancel = html`<button part="button" type="button" @click=${() => this.closePanel(comment.id, panel.kind === 'edit' ? 'edit' : 'reply')}>${t.cancel}</button>`;
    const countId = `count-${panel.kind}`;
    const textBox = (label: string, value: string, max: number, submit: string) => html`
      <label class="field">${label}<textarea part="input" rows="3" maxlength=${max} aria-describedby=${countId} .value=${value} @input=${onInput}></textarea></label>
      <p class="count" id=${countId}>${t.charactersLeft(max - panel.length, this.number(max - panel.length))}</p>
      <div class="actions"><button part="button" class="primary" type="submit" ?disabled=${busy}>${submit}</button>${cancel}</div>
    `;
    let body: TemplateResult;
    switch (panel.kind) {
      case 'reply':
        body = textBox(t.yourReply(this.nameOf(comment.author, comment.name)), '', MAX_COMMENT_LENGTH, t.postReply);
        break;
      case 'edit':
        body = textBox(t.editComment, comment.text, MAX_COMMENT_LENGTH, t.save);
        break;
      case 'hide':
        body = html`<label class="field">${t.hideReason}<input part="input" type="text" maxlength=${MAX_HIDE_REASON_LENGTH} /></label>
          <div class="actions"><button part="button" class="primary" type="submit" ?disabled=${busy}>${t.hide}</button>${cancel}</div>`;
        break;
      case 'retract':
        body = html`<div class="actions"><button part="button" class="primary" type="submit" ?disabled=${busy}>${t.retractConfirm}</button>${cancel}</div>`;
        break;
    }
    return html`<form class="panel" @submit=${(e: Event) => this.handlePanelSubmit(e, comment)}>${body} ${this.errorAt('panel')}</form>`;
  }

  /**
   * A comment's reactions that someone gave, as toggles with their counts (none at all on most
   * comments of a long thread: the four kinds are offered by one "Add reaction" button instead).
   * Keyed by reaction, so a toggle keeps its element (and focus) as counts come and go.
   */
  private renderReactions(comment: CommentView, talk: boolean): TemplateResult | typeof nothing {
    const { reactions } = comment;
    if (reactions.agree === 0 && reactions.disagree === 0 && reactions.question === 0 && reactions.thanks === 0) return nothing;
    const t = (this.rendering ?? this.fmt).t;
    const given = REACTIONS.filter((r) => reactions[r] > 0);
    return html`<div class="reactions" role="group" aria-label=${t.reactions}>${repeat(
      given,
      (r) => r,
      (r) =>
        html`<button part="reaction" type="button" data-reaction=${r} aria-pressed=${comment.reacted.includes(r) ? 'true' : 'false'} ?disabled=${!talk}>${t.reactionLabel(
          t.reaction[r],
          this.number(reactions[r]),
        )}</button>`,
    )}</div>`;
  }

  /** The open "Add reaction" menu: the four reactions as toggles, with their counts. */
  private renderReactionMenu(comment: CommentView): TemplateResult {
    const t = (this.rendering ?? this.fmt).t;
    return html`<div class="reaction-menu" role="group" aria-label=${t.reactions}>${REACTIONS.map(
      (r) =>
        html`<button part="reaction" type="button" data-reaction=${r} aria-pressed=${comment.reacted.includes(r) ? 'true' : 'false'}>${t.reactionLabel(
          t.reaction[r],
          this.number(comment.reactions[r]),
        )}</button>`,
    )}</div>`;
  }

  /**
   * A comment's buttons under it: Reply and Add reaction, and Edit, Retract, Hide where this
   * visitor may.
   */
  private renderActions(comment: CommentView, talk: boolean, organizer: boolean, menuOpen: boolean): TemplateResult {
    const t = (this.rendering ?? this.fmt).t;
    const gone = comment.retracted || comment.hidden;
    const reply = talk && !gone;
    const edit = talk && comment.mine && !gone;
    const retract = comment.mine && !comment.retracted;
    const hide = organizer && !comment.hidden;
    const expanded = menuOpen ? 'true' : 'false';
    return html`<div class="actions"
      >${reply
        ? html`<button part="button" type="button" data-action="reply">${t.reply}</button><button part="button" type="button" data-action="react" aria-expanded=${expanded}>${t.addReaction}</button>`
        : nothing}${edit
        ? html`<button part="button" type="button" data-action="edit">${t.edit}</button>`
        : nothing}${retract ? html`<button part="button" type="button" data-action="retract">${t.retract}</button>` : nothing}${hide
        ? html`<button part="button" type="button" data-action="hide">${t.hide}</button>`
        : nothing}</div
    >`;
  }

  /**
   * One comment. A long thread renders thousands, so the template keeps few parts and nested
   * templates, and no white space between its blocks (the item is a grid, the rows flex boxes:
   * white space there shows nothing, but every text node costs to make, style and lay out).
   */
  private renderComment(comment: CommentView, panel: Panel | null, menuOpen: boolean, locked: boolean, organizer: boolean, canAct: boolean): TemplateResult | HTMLLIElement {
    const formats = this.rendering ?? this.fmt;
    const t = formats.t;
    const talk = canAct && !locked;
    const parent = comment.replyTo === null ? undefined : this.lookups().byId.get(comment.replyTo);
    const flattened = parent !== undefined && parent.depth === comment.depth;
    const name = this.nameOf(comment.author, comment.name);
    const gone = comment.retracted || comment.hidden;
    const errorHere = this.errorPlace === `comment:${comment.id}`;
    const { reactions: counts } = comment;
    if (
      talk &&
      !comment.mine &&
      !organizer &&
      !gone &&
      panel === null &&
      !menuOpen &&
      !errorHere &&
      !comment.edited &&
      !comment.unread &&
      counts.agree === 0 &&
      counts.disagree === 0 &&
      counts.question === 0 &&
      counts.thanks === 0
    ) {
      // Someone else's comment as it stands, with no badge, reaction or anything open under it:
      // most of a long thread. OTHERS_COMMENT's markup, cloned (othersRowProto), not a template.
      formats.othersRow ??= othersRowProto(t.reply, t.addReaction);
      const replyingTo = flattened ? t.replyingTo(this.nameOf(parent.author, parent.name)) : null;
      return othersRow(formats.othersRow, `comment depth-${comment.depth}`, comment.id, t.commentBy(name), name, new Date(comment.at).toISOString(), this.date(comment.at), linkParts(comment.text), replyingTo);
    }
    const body = comment.retracted
      ? t.retracted
      : comment.hidden
        ? comment.hiddenReason
          ? t.hiddenBy(comment.hiddenReason)
          : t.hiddenNoReason
        : renderLinkedText(comment.text);
    const classes = `comment depth-${comment.depth}${comment.unread ? ' unread' : ''}`;
    const badges =
      comment.edited || comment.unread
        ? html`${comment.edited ? html` <span class="edited">(${t.edited})</span>` : nothing}${comment.unread ? html` <span class="new">${t.newBadge}</span>` : nothing}`
        : nothing;
    const replying = flattened ? html`<p class="replying">${t.replyingTo(this.nameOf(parent.author, parent.name))}</p>` : nothing;
    const reactions = gone ? nothing : this.renderReactions(comment, talk);
    // What opens under it (the reaction menu, a panel) and a failure there: one part, nothing on most comments.
    const open = menuOpen && talk && !gone && panel === null ? this.renderReactionMenu(comment) : panel !== null ? this.renderPanel(comment, panel) : nothing;
    const below = errorHere ? html`${open}${this.command.renderError()}` : open;
    if (talk && !comment.mine && !organizer && !gone && panel === null && !menuOpen) {
      // Someone else's comment with a badge, reactions or an error under it (without: the clone
      // above): OTHERS_COMMENT, with Reply and Add reaction in it rather than in a template of
      // their own, and as few parts as can be (counts changing keep its elements; its first
      // reaction, or its last taken back, makes it a new element, focus following: update()).
      // Opening a panel or the menu, which moves focus, renders it with the template below.
      const strings = formats.othersComment;
      return html(strings, classes, comment.id, t.commentBy(name), name, new Date(comment.at).toISOString(), this.date(comment.at), badges, replying, body, reactions, below);
    }
    return html`<li part="comment" role="listitem" class=${classes} data-id=${comment.id} tabindex="-1" aria-label=${t.commentBy(name)}
      ><p class="byline"><span class="name">${name}</span> <time datetime=${new Date(comment.at).toISOString()}>${this.date(comment.at)}</time>${badges}</p
      >${replying}<p class=${gone ? 'gone' : 'text'}>${body}</p
      >${reactions}${canAct && panel === null ? this.renderActions(comment, talk, organizer, menuOpen) : nothing}${below}</li
    >`;
  }

  /**
   * A block of the list: a list of its own for layout, with no role (its comments are the items
   * of the list around it).
   */
  private renderBlock(block: Block<CommentView>, locked: boolean, organizer: boolean, canAct: boolean, errorAt: string | null): TemplateResult {
    const formats = this.rendering ?? this.fmt;
    const busy = this.command.busy;
    return html`<ol class="block" role="none">${repeat(
      block.items,
      (comment) => comment.id,
      (comment) => {
        const panel = this.panel?.id === comment.id ? this.panel : null;
        const menuOpen = this.menu === comment.id;
        // Re-rendered only when the comment, its panel or menu, or what every comment depends on
        // changed (the formats: the language, or its strings once they have loaded).
        // (Compared without a string made for each of thousands of comments at every render.)
        const error = errorAt !== null && comment.id === errorAt ? this.command.status : null;
        return guard([comment, panel, panel ? busy : false, menuOpen, error, locked, organizer, canAct, formats], () => this.renderComment(comment, panel, menuOpen, locked, organizer, canAct));
      },
    )}</ol>`;
  }

  private renderComments(view: ThreadView): TemplateResult {
    const formats = this.rendering ?? this.fmt;
    const t = formats.t;
    const { shown, more } = this.arranged();
    const organizer = this.model.value?.signsAsOrganizer === true;
    const canAct = this.canAct;
    const busy = this.command.busy;
    const errorAt = this.errorPlace.startsWith('comment:') ? this.errorPlace.slice('comment:'.length) : null;
    const showMore = more > 0 ? html`<button part="button" type="button" class="more" @click=${() => (this.limit += PAGE)}>${t.showEarlier(more, this.number(more))}</button>` : nothing;
    return html`
      <div class="comments">
        <div class="toolbar">
          <h3>${t.comments(view.comments.length, this.number(view.comments.length))}</h3>
          <label class="order">${t.order}
            <select part="input" @change=${this.handleOrder}>
              ${THREAD_ORDERS.map((o) => html`<option value=${o} ?selected=${this.order === o}>${o === 'oldest' ? t.oldest : t.newest}</option>`)}
            </select>
          </label>
        </div>
        ${view.comments.length === 0 ? html`<p class="summary">${t.noComments}</p>` : nothing}
        ${this.order === 'oldest' ? showMore : nothing}
        <div class="list" role=${shown.length > 0 ? 'list' : nothing} @click=${this.handleListClick} @keydown=${this.handleListKeydown}>
          ${repeat(
            this.blocks(shown),
            (block) => block.key,
            (block) => {
              // What one of its comments depends on apart from itself, if that comment is in this block.
              const holds = (id: string | null) => id !== null && block.items.some((c) => c.id === id);
              const panel = this.panel !== null && holds(this.panel.id) ? this.panel : null;
              const menu = holds(this.menu) ? this.menu : null;
              const error = holds(errorAt) ? this.command.status : null;
              // Rendered again only when one of its comments changed or came or went, or what they depend on.
              return guard([block.items, panel, panel ? busy : false, menu, error, view.locked, organizer, canAct, formats], () => this.renderBlock(block, view.locked, organizer, canAct, errorAt));
            },
          )}
        </div>
        ${this.order === 'newest' ? showMore : nothing}
      </div>
    `;
  }

  private renderCompose(view: ThreadView): TemplateResult {
    const t = (this.rendering ?? this.fmt).t;
    if (view.locked) return html`<p class="locked" role="note">${t.locked}</p>`;
    if (!this.canAct) return html``;
    const left = MAX_COMMENT_LENGTH - this.draftLength;
    const busy = this.command.busy;
    return html`
      <form part="form" class="compose" @submit=${(e: Event) => this.handlePost(e, false)}>
        <label class="field">${t.yourName}<input part="input" type="text" autocomplete="nickname" maxlength=${MAX_DISPLAY_NAME} .value=${this.displayName} @change=${this.handleName} /></label>
        <label class="field">${t.yourComment}<textarea
            id="new-comment"
            part="input"
            rows="4"
            maxlength=${MAX_COMMENT_LENGTH}
            aria-describedby="new-count"
            @input=${(e: Event) => (this.draftLength = (e.target as HTMLTextAreaElement).value.length)}
          ></textarea></label>
        <p class="count" id="new-count">${t.charactersLeft(left, this.number(left))}</p>
        <div class="actions">
          <button part="button" class="primary" type="submit" ?disabled=${busy}>${t.post}</button>
          <button part="button" type="button" ?disabled=${busy} @click=${(e: Event) => this.handlePost(e, true)}>${t.propose}</button>
        </div>
        ${this.errorAt('compose')}
      </form>
    `;
  }

  override render(): TemplateResult {
    this.rendering = this.fmt;
    const t = this.rendering.t;
    const view = this.shownView;
    const organizer = this.model.value?.signsAsOrganizer === true;
    return this.renderFrame(
      'thread',
      html`
        ${this.renderHeader(view)} ${this.renderDecision(view)}
        ${view.proposals.length > 0
          ? html`<div class="proposals">
              <h3>${t.proposals}</h3>
              ${view.proposals.map((p, i) => this.renderProposal(p, i))}
            </div>`
          : nothing}
        ${this.renderComments(view)} ${this.renderCompose(view)}
        ${organizer && this.canAct
          ? html`<div class="actions organizer">
              <button part="button" type="button" ?disabled=${this.command.busy} @click=${this.handleLock}>${view.locked ? t.unlock : t.lock}</button>
            </div>
            ${this.errorAt('organizer')}`
          : nothing}
      `,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gather-thread': GatherThread;
  }
}
