import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { ChangeOrigin } from '../../src/models/model.types.js';
import type { RsvpModel } from '../../src/models/rsvp.js';
import { emptyRsvpView, RSVP_ANSWERS, type RsvpAnswer, type RsvpView } from '../../src/models/rsvp-view.js';
import { CommandController } from '../shared/command-controller.js';
import { GatherWidget, type ModelArgs } from '../shared/gather-widget.js';
import { lazyModule } from '../shared/sync-loader.js';
import { rsvpStyles } from './rsvp.styles.js';
import './strings.js';

/** The RSVP's model (src/models/rsvp.ts, with Yjs), loaded with `import()`: the element paints first. */
const rsvpModel = lazyModule(() => import('../../src/models/rsvp.js'));

/**
 * Who is coming: each visitor answers going, maybe or not going; organizers can close the replies.
 * The example widget of docs/widgets.md: a model (parse, derive, commands) plus this render.
 *
 * @summary An RSVP: three answers and a count of each.
 *
 * @fires gather-change - The shared view changed (`detail.view`, `detail.origin`).
 *
 * @csspart base - The wrapper of everything.
 * @csspart legend - The question.
 * @csspart option - An answer.
 * @csspart input - A radio button.
 * @csspart button - The organizers' Close / Reopen button.
 * @csspart status - The connection status line.
 * @csspart progress - While a large room arrives from a peer, or its signatures are checked: how far it got, with a progress bar.
 *
 * @cssprop --gather-rsvp-gap - Space between the answers.
 */
export class GatherRsvp extends GatherWidget<RsvpView, RsvpModel> {
  static override styles = rsvpStyles;

  static override properties: PropertyDeclarations = {
    event: {},
  };

  /** What the replies are for ("the December assembly"). */
  declare event: string;

  private readonly command = new CommandController(this);

  constructor() {
    super();
    this.event = '';
  }

  /** The model's code (it needs Yjs) comes with `import()`: the RSVP paints before it, its answers disabled until then. */
  protected override loadModel(): Promise<unknown> {
    return rsvpModel.load();
  }

  protected createModel({ room, signer, name, organizers, cache }: ModelArgs): RsvpModel {
    return new rsvpModel.value!.RsvpModel(room.doc, name, { event: this.event }, signer, { organizers, cache, room: room.name });
  }

  protected emptyView(): RsvpView {
    return emptyRsvpView({ event: this.event });
  }

  protected nameSource(): string {
    return this.event;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('event')) this.model.value?.setConfig({ event: this.event });
  }

  protected override viewChanged(view: RsvpView, origin: ChangeOrigin): void {
    if (origin === 'remote') this.announcer.announce(this.localize.t.rsvp.updated(view.counts.yes, this.localize.number(view.counts.yes)));
  }

  private handleAnswer(answer: RsvpAnswer): void {
    const model = this.model.value;
    if (model) void this.command.run(() => model.reply(answer), { failure: this.localize.t.rsvp.replyFailed });
  }

  private handleClose(): void {
    const model = this.model.value;
    if (model) void this.command.run(() => model.close(!model.view.closed), { failure: this.localize.t.status.saveFailed });
  }

  override render(): TemplateResult {
    const t = this.localize.t.rsvp;
    const view = this.shownView;
    const model = this.model.value;
    const locked = !model || !this.takesPart || view.closed || this.command.busy;
    return this.renderFrame(
      'rsvp',
      html`
        <fieldset ?disabled=${locked}>
          <legend part="legend">${t.legend(view.event)}</legend>
          ${RSVP_ANSWERS.map(
            (answer) => html`
              <label part="option" class="choice">
                <input part="input" type="radio" name="answer" .checked=${view.mine === answer} @change=${() => this.handleAnswer(answer)} />
                ${t[answer]}
              </label>
            `,
          )}
        </fieldset>
        <p class="summary">${t.summary(this.localize.number(view.counts.yes), this.localize.number(view.counts.maybe), this.localize.number(view.counts.no))}${view.closed ? html` · ${t.closed}` : nothing}</p>
        ${this.command.renderError()}
        ${model?.signsAsOrganizer
          ? html`<div class="actions">
              <button part="button" type="button" ?disabled=${this.command.busy} @click=${this.handleClose}>${view.closed ? t.reopen : t.close}</button>
            </div>`
          : nothing}
      `,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gather-rsvp': GatherRsvp;
  }
}
