import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { ChangeOrigin } from '../../src/models/model.types.js';
import { derivePollView, PollModel, type BallotEntry } from '../../src/models/poll.js';
import type { PollConfig, PollExport, PollKind, PollOption, PollView, ResultsVisibility } from '../../src/models/poll.types.js';
import { ChildConfigController } from '../shared/child-config-controller.js';
import { CommandController } from '../shared/command-controller.js';
import { GatherWidget, type ModelArgs } from '../shared/gather-widget.js';
import { pollStyles } from './poll.styles.js';
import { GatherVoteEvent } from './vote-event.js';

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
 * @fires gather-change - The shared view changed (`detail.view`, `detail.origin`: `'local'` or `'remote'`).
 * @fires gather-vote - This visitor voted, changed or withdrew a vote (`detail.choice`, null when withdrawn).
 *
 * @csspart base - The wrapper of everything.
 * @csspart legend - The question, as the legend of the choices (also named `header`, its old name).
 * @csspart question - The question above the results (also named `header`, its old name).
 * @csspart option - An option in the form (also named `item`, its old name).
 * @csspart result - A result row (also named `item`, its old name).
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
  };

  /** The question, shown as the legend of the choices. */
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
  /** `export="everyone"`: every visitor gets the export buttons (organizers only, by default). */
  declare exportAccess: 'organizers' | 'everyone' | undefined;
  /** Showing the form again to change an existing vote. */
  private declare editing: boolean;

  private readonly options = new ChildConfigController(this, readOptions);
  private readonly command = new CommandController(this);

  constructor() {
    super();
    this.question = '';
    this.anonymous = false;
    this.editing = false;
  }

  private get form(): HTMLFormElement | null {
    return this.renderRoot.querySelector('form');
  }

  private get resultsRegion(): HTMLElement | null {
    return this.renderRoot.querySelector('section.results-region');
  }

  private get config(): PollConfig {
    return {
      question: this.question,
      options: this.options.value,
      ...(this.kind ? { kind: this.kind } : {}),
      ...(this.max !== undefined ? { max: this.max } : {}),
      ...(this.min !== undefined ? { min: this.min } : {}),
      ...(this.closes ? { closes: this.closes } : {}),
      ...(this.results ? { results: this.results } : {}),
      ...(this.quorum !== undefined ? { quorum: this.quorum } : {}),
      ...(this.anonymous ? { anonymous: true } : {}),
      ...(this.exportAccess ? { export: this.exportAccess } : {}),
    };
  }

  /**
   * The results and every signed ballot behind them, for taking away: anyone can verify the
   * signatures and count again. Null until the poll has loaded.
   */
  export(): PollExport<BallotEntry> | null {
    return this.model.value?.export() ?? null;
  }

  protected createModel({ room, signer, name, organizers, cache }: ModelArgs): PollModel {
    return new PollModel(room.doc, name, this.config, signer, { organizers, cache, room: room.name });
  }

  protected emptyView(): PollView {
    return derivePollView(this.config, { ballots: [], closed: false }, null);
  }

  protected nameSource(): string {
    return this.question;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    this.model.value?.setConfig(this.config);
  }

  override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.toggleState('voted', (this.view?.mine ?? null) !== null);
  }

  protected override viewChanged(view: PollView, origin: ChangeOrigin): void {
    if (origin === 'remote') this.announcer.announce(this.localize.t.poll.updated(view.total));
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const model = this.model.value;
    if (!model) return;
    const choice = new FormData(this.form!).get('choice');
    if (typeof choice !== 'string') {
      this.command.fail(this.localize.t.poll.chooseFirst);
      this.form?.querySelector('input')?.focus();
      return;
    }
    await this.vote(() => model.vote(choice), choice);
  }

  private async handleRetract(): Promise<void> {
    const model = this.model.value;
    if (model) await this.vote(() => model.retract(), null);
  }

  private handleChange(): void {
    this.editing = true;
    this.command.clear();
    this.updateComplete.then(() => (this.form?.querySelector<HTMLInputElement>('input:checked') ?? this.form?.querySelector('input'))?.focus());
  }

  private handleCancel(): void {
    this.editing = false;
    this.command.clear();
    this.updateComplete.then(() => this.resultsRegion?.focus());
  }

  /** Votes or withdraws; then focus goes to the results (after a vote) or the choices (after withdrawing). */
  private async vote(command: () => Promise<void>, choice: string | null): Promise<void> {
    await this.command.run(
      async () => {
        await command();
        this.editing = false;
      },
      {
        failure: this.localize.t.poll.voteFailed,
        event: () => new GatherVoteEvent(choice),
        focus: () => (choice === null ? this.form?.querySelector('input') : this.resultsRegion),
      },
    );
  }

  private renderForm(view: PollView): TemplateResult {
    const t = this.localize.t.poll;
    if (view.options.length === 0) return html`<p class="summary">${t.noOptions}</p>`;
    const failed = this.command.status === 'error';
    return html`
      <form @submit=${this.handleSubmit} novalidate>
        <fieldset aria-describedby=${failed ? 'error' : nothing} @change=${() => this.command.clear()}>
          <legend part="legend header">${view.question}</legend>
          ${view.options.map(
            (option) => html`
              <label part="option item" class="choice">
                <input part="input" type="radio" name="choice" .value=${option.id} ?checked=${option.id === view.mine} />
                <span>${option.label}</span>
              </label>
            `,
          )}
        </fieldset>
        ${this.command.renderError('error')}
        <div class="actions">
          <button part="button" class="primary" type="submit" ?disabled=${this.command.busy || !this.model.value}>${t.vote}</button>
          ${this.editing ? html`<button part="button" type="button" @click=${this.handleCancel}>${t.cancel}</button>` : nothing}
        </div>
      </form>
    `;
  }

  private renderResults(view: PollView): TemplateResult {
    const t = this.localize.t.poll;
    const mine = view.options.find((option) => option.id === view.mine);
    return html`
      <section class="results-region" tabindex="-1" aria-label=${t.results}>
        <p part="question header" class="question">${view.question}</p>
        <ul class="results">
          ${view.options.map((option) => {
            const count = option.count ?? 0;
            const share = view.total === 0 ? 0 : count / view.total;
            return html`
              <li part="result item" class=${option.id === view.mine ? 'mine' : ''}>
                <div class="result-row">
                  <span class="label">${option.label}</span>
                  <span class="count">${t.optionResult(count, this.localize.number(share, { style: 'percent' }))}</span>
                </div>
                <div class="bar" aria-hidden="true"><div class="fill" style=${styleMap({ inlineSize: `${share * 100}%` })}></div></div>
              </li>
            `;
          })}
        </ul>
        <p class="summary">${t.total(view.total)}${this.canSign ? html` · ${mine ? t.yourChoice(mine.label) : t.notVoted}` : nothing}</p>
        ${this.command.renderError()}
        ${this.canSign
          ? html`<div class="actions">
              <button part="button" type="button" @click=${this.handleChange} ?disabled=${this.command.busy}>${t.changeVote}</button>
              <button part="button" type="button" @click=${this.handleRetract} ?disabled=${this.command.busy}>${t.retract}</button>
            </div>`
          : nothing}
      </section>
    `;
  }

  override render(): TemplateResult {
    const view = this.shownView;
    // A browser that cannot sign sees the results, read-only.
    const showResults = (view.mine !== null && !this.editing) || (!this.canSign && this.view !== null);
    return this.renderFrame('poll', showResults ? this.renderResults(view) : this.renderForm(view));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gather-poll': GatherPoll;
  }
}
