import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { Signer } from '../../src/identity/types.js';
import { PollModel, type BallotEntry } from '../../src/models/poll.js';
import type { PollConfig, PollExport, PollOption, PollView } from '../../src/models/poll.types.js';
import type { ChangeOrigin } from '../../src/models/model.types.js';
import type { Room } from '../../src/room/types.js';
import { GatherVoteEvent } from '../shared/events.js';
import { GatherWidget } from '../shared/gather-widget.js';
import { renderStatus } from '../shared/status.js';
import { baseStyles } from '../shared/tokens.styles.js';
import { pollStyles } from './poll.styles.js';

/** Remote changes are announced to screen readers at most this often. */
const ANNOUNCE_INTERVAL_MS = 3000;

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

/**
 * A single-choice poll that everyone on the page shares, peer to peer, with no account.
 *
 * @summary A poll: radio buttons and a Vote button, then results as bars with counts and percentages.
 *
 * @fires gather-change - The view changed (`detail.view`, `detail.origin`: `'local'` or `'remote'`).
 * @fires gather-vote - This visitor voted, changed or withdrew a vote (`detail.choice`, null when withdrawn).
 *
 * @csspart base - The wrapper of everything.
 * @csspart header - The question.
 * @csspart item - An option (in the form) or a result row.
 * @csspart input - A radio button.
 * @csspart button - The Vote, Change vote, Withdraw vote and Cancel buttons.
 * @csspart status - The connection status line.
 *
 * @cssprop --gather-poll-bar-color - Fill of a result bar.
 * @cssprop --gather-poll-bar-track - Track behind a result bar.
 * @cssprop --gather-poll-bar-height - Height of a result bar.
 *
 * @customState voted - This visitor has a counted vote.
 * @customState offline - The room reaches no signaling server.
 */
export class GatherPoll extends GatherWidget<PollView, PollModel> {
  static override styles = [baseStyles, pollStyles];

  static override properties: PropertyDeclarations = {
    question: {},
    options: { state: true },
    editing: { state: true },
    busy: { state: true },
    error: { state: true },
    announcement: { state: true },
  };

  /** The question, shown as the legend of the choices. */
  declare question: string;
  /** Options read from the child `<option>` elements (kept in step with them). */
  private declare options: readonly PollOption[];
  /** Showing the form again to change an existing vote. */
  private declare editing: boolean;
  private declare busy: boolean;
  private declare error: string;
  private declare announcement: string;

  private readonly optionsObserver = new MutationObserver(() => this.readConfig());
  private announceTimer: ReturnType<typeof setTimeout> | undefined;
  private lastAnnounced = 0;

  constructor() {
    super();
    this.question = '';
    this.options = [];
    this.editing = false;
    this.busy = false;
    this.error = '';
    this.announcement = '';
  }

  private get form(): HTMLFormElement | null {
    return this.renderRoot.querySelector('form');
  }

  private get resultsRegion(): HTMLElement | null {
    return this.renderRoot.querySelector('section.results-region');
  }

  private get config(): PollConfig {
    return { question: this.question, options: this.options };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.readConfig();
    this.optionsObserver.observe(this, { childList: true, subtree: true, characterData: true, attributes: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.optionsObserver.disconnect();
    clearTimeout(this.announceTimer);
  }

  /**
   * The results and every signed ballot behind them, for taking away: anyone can verify the
   * signatures and count again. Null until the poll has loaded.
   */
  export(): PollExport<BallotEntry> | null {
    return this.models.model?.export() ?? null;
  }

  protected createModel(room: Room, signer: Signer): PollModel {
    return new PollModel(room.doc, this.name, this.config, signer);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('question') || changed.has('options')) this.models.model?.setConfig(this.config);
  }

  override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.toggleState('voted', (this.view?.mine ?? null) !== null);
  }

  protected override viewChanged(view: PollView, origin: ChangeOrigin): void {
    if (origin === 'remote') this.announce(this.localize.t.pollUpdated(view.total));
  }

  private readConfig(): void {
    const options = readOptions(this);
    const same = options.length === this.options.length && options.every((o, i) => o.id === this.options[i].id && o.label === this.options[i].label);
    if (!same) this.options = options;
  }

  /** Tells screen readers about remote changes, at most once per interval. */
  private announce(text: string): void {
    clearTimeout(this.announceTimer);
    const wait = Math.max(0, this.lastAnnounced + ANNOUNCE_INTERVAL_MS - Date.now());
    this.announceTimer = setTimeout(async () => {
      this.lastAnnounced = Date.now();
      if (this.announcement === text) {
        // The same words again (a peer changed their vote): empty the region first so it is read out.
        this.announcement = '';
        await this.updateComplete;
      }
      this.announcement = text;
    }, wait);
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const model = this.models.model;
    if (!model || this.busy) return;
    const choice = new FormData(this.form!).get('choice');
    if (typeof choice !== 'string') {
      this.error = this.localize.t.pollChooseFirst;
      this.form?.querySelector('input')?.focus();
      return;
    }
    await this.run(() => model.vote(choice), choice);
  }

  private async handleRetract(): Promise<void> {
    const model = this.models.model;
    if (!model || this.busy) return;
    await this.run(() => model.retract(), null);
  }

  private handleChange(): void {
    this.editing = true;
    this.error = '';
    this.updateComplete.then(() => (this.form?.querySelector<HTMLInputElement>('input:checked') ?? this.form?.querySelector('input'))?.focus());
  }

  private handleCancel(): void {
    this.editing = false;
    this.error = '';
    this.updateComplete.then(() => this.resultsRegion?.focus());
  }

  /** Runs a command, reports failure in words, and moves focus to what the visitor needs next. */
  private async run(command: () => Promise<void>, choice: string | null): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      await command();
      await this.models.model?.settled();
    } catch (error) {
      this.error = this.localize.t.pollVoteFailed;
      console.error(error);
      return;
    } finally {
      this.busy = false;
    }
    this.editing = false;
    this.emit(new GatherVoteEvent(choice));
    await this.updateComplete;
    if (choice === null) this.form?.querySelector('input')?.focus();
    else this.resultsRegion?.focus();
  }

  private renderForm(view: PollView): TemplateResult {
    const t = this.localize.t;
    if (view.options.length === 0) return html`<p class="summary">${t.pollNoOptions}</p>`;
    return html`
      <form @submit=${this.handleSubmit} novalidate>
        <fieldset aria-describedby=${this.error ? 'error' : nothing} @change=${() => (this.error = '')}>
          <legend part="header">${view.question}</legend>
          ${view.options.map(
            (option) => html`
              <label part="item" class="option">
                <input part="input" type="radio" name="choice" .value=${option.id} ?checked=${option.id === view.mine} />
                <span>${option.label}</span>
              </label>
            `,
          )}
        </fieldset>
        ${this.error ? html`<p id="error" class="error" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <button part="button" class="primary" type="submit" ?disabled=${this.busy || !this.models.model}>${t.pollVote}</button>
          ${this.editing ? html`<button part="button" type="button" @click=${this.handleCancel}>${t.pollCancel}</button>` : nothing}
        </div>
      </form>
    `;
  }

  private renderResults(view: PollView): TemplateResult {
    const t = this.localize.t;
    const mine = view.options.find((option) => option.id === view.mine);
    return html`
      <section class="results-region" tabindex="-1" aria-label=${t.pollResults}>
        <p part="header" class="question">${view.question}</p>
        <ul class="results">
          ${view.options.map((option) => {
            const share = view.total === 0 ? 0 : option.count / view.total;
            return html`
              <li part="item" class=${option.id === view.mine ? 'mine' : ''}>
                <div class="result-row">
                  <span class="label">${option.label}</span>
                  <span class="count">${t.pollOptionResult(option.count, this.localize.number(share, { style: 'percent' }))}</span>
                </div>
                <div class="bar" aria-hidden="true"><div class="fill" style=${styleMap({ inlineSize: `${share * 100}%` })}></div></div>
              </li>
            `;
          })}
        </ul>
        <p class="summary">${t.pollTotal(view.total)} · ${mine ? t.pollYourChoice(mine.label) : t.pollNotVoted}</p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <button part="button" type="button" @click=${this.handleChange} ?disabled=${this.busy}>${t.pollChangeVote}</button>
          <button part="button" type="button" @click=${this.handleRetract} ?disabled=${this.busy}>${t.pollRetract}</button>
        </div>
      </section>
    `;
  }

  override render(): TemplateResult {
    const t = this.localize.t;
    const view = this.view ?? emptyView(this.config);
    const showResults = view.mine !== null && !this.editing;
    return html`
      <div part="base" class="poll" dir=${this.localize.dir} lang=${this.localize.lang} aria-busy=${this.view ? 'false' : 'true'}>
        ${showResults ? this.renderResults(view) : this.renderForm(view)}
        ${renderStatus(t, this.rooms.status, !this.rooms.signerError)}
        <div class="visually-hidden" aria-live="polite">${this.announcement}</div>
      </div>
    `;
  }
}

/** What the poll shows before its room and identity have loaded: the page's options, nothing counted. */
function emptyView(config: PollConfig): PollView {
  return { question: config.question, options: config.options.map((o) => ({ ...o, count: 0 })), total: 0, mine: null };
}

declare global {
  interface HTMLElementTagNameMap {
    'gather-poll': GatherPoll;
  }
}
