import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import type { ChangeOrigin } from '../../src/models/model.types.js';
import type { BallotEntry, PollModel } from '../../src/models/poll.js';
import { derivePollView } from '../../src/models/poll-view.js';
import type { Ballot, PollConfig, PollExport, PollKind, PollOption, PollView, ResultsVisibility } from '../../src/models/poll.types.js';
import { ChildConfigController } from '../shared/child-config-controller.js';
import { childText } from '../shared/child-text.js';
import { CommandController } from '../shared/command-controller.js';
import { MadeOf } from '../shared/made-of.js';
import { GatherWidget, type ModelArgs } from '../shared/gather-widget.js';
import { lazyModule } from '../shared/sync-loader.js';
import { readBallot, renderBallotControls, renderReason } from './ballot-form.js';
import { pollStyles } from './poll.styles.js';
import { renderResults } from './results.js';
import './strings.js';
import { GatherVoteEvent } from './vote-event.js';
import { formatWhen } from './when.js';

/** The poll's options as the page declares them: child `<option value="id">Label</option>` elements. */
export function readOptions(host: Element): PollOption[] {
  const seen = new Set<string>();
  const options: PollOption[] = [];
  for (const element of host.querySelectorAll(':scope > option')) {
    const label = (element.textContent ?? '').trim();
    const id = (element.getAttribute('value') ?? label).trim();
    if (!id || !label || seen.has(id)) continue;
    seen.add(id);
    options.push({ id, label });
  }
  return options;
}

/** A child that gives the poll its question when it has no `question` attribute. */
export const QUESTION_CHILD = 'legend, [slot="question"]';

/** What the poll reads from its children: its options, and its question when a child gives it. */
export interface PollChildren {
  readonly options: PollOption[];
  readonly question: string;
}

/** The poll's options and its question child (`<legend>` or `slot="question"`), as {@link ChildConfigController} reads them. */
export function readPollChildren(host: Element): PollChildren {
  return { options: readOptions(host), question: childText(host, QUESTION_CHILD) };
}

/** The poll's model (it needs Yjs): a chunk of its own in the embed, fetched alongside the sync stack; the poll paints before it comes. */
const pollModel = lazyModule(() => import('../../src/models/poll.js'));

/** Offers `text` as a file download (`export()` as JSON, CSV). */
function download(text: string, type: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * A poll that everyone on the page shares, peer to peer, with no account: single choice,
 * approval (`multiple`), ranked (instant-runoff), score, consent or time, counted the same on every
 * peer and recountable by anyone from its export.
 *
 * The question is the `question` attribute or, without one, the text of a child `<legend>` or
 * `slot="question"` element (the attribute wins when both are there). The options are child
 * `<option>`s. Before the code arrives, all of them show as plain HTML.
 *
 * @summary A poll: the controls of its kind and a Vote button, then its results.
 *
 * @slot question - The question as a child element (`<legend>`, or any element with `slot="question"`), read as text when there is no `question` attribute; shown as plain HTML before the code arrives, then as the legend of the choices.
 *
 * @fires gather-change - The shared view changed (`detail.view`, `detail.origin`: `'local'` or `'remote'`).
 * @fires gather-vote - This visitor voted, changed or withdrew a vote (`detail.ballot`, null when withdrawn).
 *
 * @csspart base - The wrapper of everything.
 * @csspart legend - The question, as the legend of the choices (also named `header`, its old name).
 * @csspart question - The question above the results (also named `header`, its old name).
 * @csspart option - An option in the form (also named `item`, its old name).
 * @csspart result - A result row, a round, a table (also named `item` where it is a row).
 * @csspart bar - A result bar (SVG).
 * @csspart reason - A reason given with a ballot.
 * @csspart closed - Says that the poll is closed (and when it closed).
 * @csspart input - A radio button, checkbox, select or the reason.
 * @csspart button - The buttons.
 * @csspart status - The connection status line.
 * @csspart progress - While a large room arrives from a peer, or its signatures are checked: how far it got, with a progress bar.
 * @csspart storage - Says that this browser keeps nothing of what the visitor does (its storage is blocked or full).
 * @csspart membership - In a members-only room: where this visitor stands (organizer, member, not a member yet, …).
 * @csspart repaired - How many of the widget's entries this browser put back after a peer removed or damaged them.
 * @csspart trust-repaired - In a members-only room: how many of the room's organizer and member entries this browser put back.
 * @csspart protection - "How this room is protected": a disclosure under the status line.
 *
 * @cssprop --gather-poll-bar-color - Fill of a result bar.
 * @cssprop --gather-poll-bar-track - Track behind a result bar.
 * @cssprop --gather-poll-bar-height - Height of a result bar.
 *
 * @customState voted - This visitor has a counted vote.
 * @customState closed - The poll is closed.
 * @customState offline - The room reaches no signaling server.
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
export class GatherPoll extends GatherWidget<PollView, PollModel> {
  static override styles = pollStyles;

  static override properties: PropertyDeclarations = {
    question: {},
    kind: {},
    max: { type: Number },
    min: { type: Number },
    closes: {},
    results: {},
    quorum: { type: Number },
    anonymous: { type: Boolean },
    exportAccess: { attribute: 'export' },
    editing: { state: true },
    reason: { state: true },
  };

  /**
   * The question, shown as the legend of the choices (and the form's accessible name). Without it,
   * the text of a child `<legend>` or `slot="question"` element is the question; with both, this
   * attribute wins.
   */
  declare question: string;
  /** How the poll decides: `single` (default), `multiple`, `ranked`, `score`, `consent` or `time`. */
  declare kind: PollKind | undefined;
  /** `multiple`: most choices per ballot. `score`: highest score (default 5). */
  declare max: number | undefined;
  /** `score`: lowest score (default 0). */
  declare min: number | undefined;
  /** ISO date-time after which ballots no longer count. */
  declare closes: string | undefined;
  /** When results show: `always`, `after-vote` (default) or `after-close`. */
  declare results: ResultsVisibility | undefined;
  /** Voters needed, shown as progress. */
  declare quorum: number | undefined;
  /** Who voted what stays out of the view and the page. */
  declare anonymous: boolean;
  /** `export="everyone"`: every visitor gets the download buttons (organizers only, by default). */
  declare exportAccess: 'organizers' | 'everyone' | undefined;
  /** Showing the form again to change an existing vote. */
  private declare editing: boolean;
  /** The reason being typed. */
  private declare reason: string;

  private readonly childConfig = new ChildConfigController(this, readPollChildren);
  private readonly command = new CommandController(this);
  /** The model {@link willUpdate} last handed the configuration to, and that configuration. */
  private configured: PollModel | null = null;
  private configuredWith: PollConfig | null = null;
  /** {@link config}, and what it was made of. */
  private readonly configMade = new MadeOf<PollConfig>();

  constructor() {
    super();
    this.question = '';
    this.anonymous = false;
    this.editing = false;
    this.reason = '';
  }

  private get form(): HTMLFormElement | null {
    return this.renderRoot.querySelector('form');
  }

  private get resultsRegion(): HTMLElement | null {
    return this.renderRoot.querySelector('section.results-region');
  }

  /** The poll's configuration from its attributes and options: the same object while they are the same (read several times per render). */
  private get config(): PollConfig {
    const { options, question } = this.childConfig.value;
    const of = [this.question, options, question, this.kind, this.max, this.min, this.closes, this.results, this.quorum, this.anonymous, this.exportAccess];
    return this.configMade.get(of, () => ({
      question: this.question || question,
      options,
      ...(this.kind ? { kind: this.kind } : {}),
      ...(this.max !== undefined ? { max: this.max } : {}),
      ...(this.min !== undefined ? { min: this.min } : {}),
      ...(this.closes ? { closes: this.closes } : {}),
      ...(this.results ? { results: this.results } : {}),
      ...(this.quorum !== undefined ? { quorum: this.quorum } : {}),
      ...(this.anonymous ? { anonymous: true } : {}),
      ...(this.exportAccess ? { export: this.exportAccess } : {}),
    }));
  }

  /** The model, once loaded (read-only when this browser cannot sign). */
  private async loadedModel(): Promise<PollModel> {
    await this.ready;
    return this.model.value!;
  }

  /**
   * Casts (or changes) this visitor's ballot, in the shape of the poll's kind (see `view`). Rejects
   * with a `GatherError`: `unknown-option`, `invalid-ballot`, `closed`, `no-signer`. Fires
   * `gather-vote` once saved. Waits for the poll to load.
   */
  async vote(ballot: Ballot, options: { reason?: string } = {}): Promise<void> {
    await (await this.loadedModel()).vote(ballot, options);
    this.emit(new GatherVoteEvent(ballot));
  }

  /** Withdraws this visitor's ballot. Rejects like {@link vote}. */
  async retract(): Promise<void> {
    await (await this.loadedModel()).retract();
    this.emit(new GatherVoteEvent(null));
  }

  /** Closes the poll (organizers only: rejects with `not-organizer` otherwise), freezing what it counted. */
  async close(): Promise<void> {
    await (await this.loadedModel()).close();
  }

  /** Reopens the poll (organizers only). */
  async reopen(): Promise<void> {
    await (await this.loadedModel()).reopen();
  }

  /**
   * The configuration, results and every counted signed ballot, for taking away: anyone can verify
   * the signatures and recount with `tally(config, ballots)`. Null until the poll has loaded.
   */
  export(): PollExport<BallotEntry> | null {
    return this.model.value?.export() ?? null;
  }

  /** The counted ballots as CSV (one row per ballot). Null until the poll has loaded. */
  exportCsv(): string | null {
    return this.model.value?.exportCsv() ?? null;
  }

  protected override loadModel(): Promise<unknown> {
    return pollModel.load();
  }

  protected createModel({ room, signer, name, organizers, cache }: ModelArgs): PollModel {
    return new pollModel.value!.PollModel(room.doc, name, this.config, signer, { organizers, cache, room: room.name });
  }

  protected emptyView(): PollView {
    return derivePollView(this.config, { ballots: [], closed: false }, null);
  }

  protected nameSource(): string {
    return this.config.question;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // Handed over when it changed (not on a peer's ballot, which re-renders the poll too).
    const model = this.model.value;
    const config = this.config;
    if (model === null || (model === this.configured && config === this.configuredWith)) return;
    this.configured = model;
    this.configuredWith = config;
    model.setConfig(config);
  }

  override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.toggleState('voted', (this.view?.mine ?? null) !== null);
    this.toggleState('closed', this.view?.closed ?? false);
  }

  protected override viewChanged(view: PollView, origin: ChangeOrigin): void {
    if (origin === 'remote') this.announcer.announce(() => this.localize.t.poll.updated(view.total, this.localize.number(view.total)));
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    // A vote cast before the poll has loaded (its code, room and this visitor's key) waits for it, the button saying so.
    const read = readBallot(this.form!, this.shownView, this.config, this.localize.t.poll, this.localize.lang);
    if ('problem' in read) {
      this.command.fail(read.problem);
      this.form?.querySelector<HTMLElement>('input, select')?.focus();
      return;
    }
    const reason = this.reason.trim();
    await this.runVote(async () => (await this.loadedModel()).vote(read.ballot, reason ? { reason } : {}), read.ballot);
  }

  private async handleRetract(): Promise<void> {
    const model = this.model.value;
    if (model) await this.runVote(() => model.retract(), null);
  }

  private handleChange(): void {
    this.editing = true;
    this.command.clear();
    this.updateComplete.then(() => (this.form?.querySelector<HTMLElement>('input:checked') ?? this.form?.querySelector<HTMLElement>('input, select'))?.focus());
  }

  private handleCancel(): void {
    this.editing = false;
    this.command.clear();
    this.updateComplete.then(() => this.resultsRegion?.focus());
  }

  private handleClose(): void {
    const model = this.model.value;
    if (model) void this.command.run(() => (model.view.closed ? model.reopen() : model.close()), { failure: this.localize.t.status.saveFailed });
  }

  /** Votes or withdraws; then focus goes to the results (after a vote) or the choices (after withdrawing). */
  private async runVote(command: () => Promise<void>, ballot: Ballot | null): Promise<void> {
    await this.command.run(
      async () => {
        await command();
        this.editing = false;
        this.reason = '';
      },
      {
        failure: this.localize.t.poll.voteFailed,
        event: () => new GatherVoteEvent(ballot),
        focus: () => (ballot === null ? this.form?.querySelector<HTMLElement>('input, select') : this.resultsRegion),
      },
    );
  }

  private renderForm(view: PollView): TemplateResult {
    const t = this.localize.t.poll;
    if (view.kind !== 'consent' && view.options.length === 0) return html`<p class="summary">${t.noOptions}</p>`;
    const failed = this.command.status === 'error';
    const config = this.config;
    const lang = this.localize.lang;
    // The controls show the options, the question and this visitor's ballot, not the counts: made
    // again only when one of those changed, not on every peer's ballot.
    return html`
      <form @submit=${this.handleSubmit} @change=${() => this.command.clear()} novalidate>
        ${guard([config, view.kind, view.question, view.mine, lang, t, failed], () => renderBallotControls({ t, view, config, lang, errorId: failed ? 'error' : undefined }))}
        ${guard([t, lang, this.reason], () => renderReason(t, lang, this.reason, (event) => (this.reason = (event.target as HTMLTextAreaElement).value)))}
        ${this.command.renderError('error')}
        <div class="actions">
          <button part="button" class="primary" type="submit" ?disabled=${this.command.busy} aria-busy=${this.command.busy ? 'true' : 'false'}>${this.command.busy && this.model.value === null ? t.saving : t.vote}</button>
          ${this.editing ? html`<button part="button" type="button" @click=${this.handleCancel}>${t.cancel}</button>` : nothing}
        </div>
      </form>
    `;
  }

  /** The results (or how many have voted while they are hidden); `question` false when the form above already asks it. */
  private renderResultsRegion(view: PollView, question = true): TemplateResult {
    const t = this.localize.t.poll;
    const visibility = this.config.results ?? 'after-vote';
    const voted = view.mine !== null;
    const mayVote = this.takesPart && !view.closed;
    const single = view.kind === 'single' ? view.options.find((option) => option.id === view.mine) : undefined;
    return html`
      <section class="results-region" role="group" tabindex="-1" aria-label=${t.results}>
        ${question ? html`<p part="question header" class="question">${view.question}</p>` : nothing}
        ${view.resultsVisible
          ? renderResults({ t, view, config: this.config, lang: this.localize.lang, number: (v, o) => this.localize.number(v, o) })
          : html`<p class="summary hidden-results">${visibility === 'after-close' ? t.hiddenUntilClose(view.total, this.localize.number(view.total)) : t.hiddenUntilVote(view.total, this.localize.number(view.total))}</p>`}
        ${view.resultsVisible ? html`<p class="summary total">${t.total(view.total, this.localize.number(view.total))}${this.canSign ? html` · ${single ? t.yourChoice(single.label) : voted ? t.youVoted : t.notVoted}` : nothing}</p>` : nothing}
        ${this.command.renderError()}
        ${mayVote && voted
          ? html`<div class="actions">
              <button part="button" type="button" @click=${this.handleChange} ?disabled=${this.command.busy}>${t.changeVote}</button>
              <button part="button" type="button" @click=${this.handleRetract} ?disabled=${this.command.busy}>${t.retract}</button>
            </div>`
          : nothing}
      </section>
    `;
  }

  /** Closing time, quorum, anonymity, organizers' buttons and downloads. */
  private renderFooter(view: PollView): TemplateResult {
    const t = this.localize.t.poll;
    const model = this.model.value;
    const organizer = model?.signsAsOrganizer ?? false;
    const when = view.closes ? formatWhen(view.closes, this.localize.lang, { dateStyle: 'long', timeStyle: 'short' }) : null;
    const mayExport = model !== null && (organizer || this.config.export === 'everyone');
    return html`
      ${view.closed ? html`<p class="summary" part="closed">${when && Date.parse(view.closes!) < Date.now() ? t.closedOn(when) : t.closed}</p>` : nothing}
      ${!view.closed && when ? html`<p class="summary">${t.closes(when)}${(model?.organizers.length ?? 0) === 0 ? html` ${t.clockNote}` : nothing}</p>` : nothing}
      ${view.quorum !== null
        ? html`<div class="quorum">
            <label for="quorum">${t.quorum(view.total, view.quorum, this.localize.number(view.total), this.localize.number(view.quorum))}</label>
            <progress id="quorum" max=${view.quorum} .value=${Math.min(view.total, view.quorum)} aria-label=${t.quorumLabel}></progress>
          </div>`
        : nothing}
      ${this.config.anonymous ? html`<p class="summary">${t.anonymousNote}</p>` : nothing}
      ${organizer || mayExport
        ? html`<div class="actions">
            ${organizer ? html`<button part="button" type="button" ?disabled=${this.command.busy} @click=${this.handleClose}>${view.closed ? t.reopen : t.closeNow}</button>` : nothing}
            ${mayExport
              ? html`
                  <button part="button" type="button" @click=${() => download(JSON.stringify(model!.export(), null, 2), 'application/json', `${model!.scope.replace(':', '-')}.json`)}>${t.exportJson}</button>
                  <button part="button" type="button" @click=${() => download(model!.exportCsv(), 'text/csv', `${model!.scope.replace(':', '-')}.csv`)}>${t.exportCsv}</button>
                `
              : nothing}
          </div>`
        : nothing}
    `;
  }

  override render(): TemplateResult {
    const view = this.shownView;
    // The form while this visitor can still vote and has not (or is changing their vote), with the
    // results under it when they are shown to everyone; else the results.
    const showForm = this.takesPart && !view.closed && (view.mine === null || this.editing);
    const body = showForm ? html`${this.renderForm(view)}${view.resultsVisible && !this.editing ? this.renderResultsRegion(view, false) : nothing}` : this.renderResultsRegion(view);
    return this.renderFrame('poll', html`${body} ${this.renderFooter(view)}`);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gather-poll': GatherPoll;
  }
}
