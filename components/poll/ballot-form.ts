/**
 * The controls of each poll kind, inside the poll's form, and reading a ballot back from them.
 * Native controls only: radios, checkboxes, selects, a textarea. Every control is named.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { MAX_REASON_LENGTH, scoreRange } from '../../src/models/tally/ballots.js';
import { AVAILABILITY, STANCES, type Availability, type Ballot, type ConsentBallot } from '../../src/models/tally/types.js';
import type { PollConfig, PollOptionView, PollView } from '../../src/models/poll.types.js';
import type { PollStrings } from './strings.js';
import { numberFormat } from '../shared/localize.js';
import { formatWhen } from './when.js';

/** `value` as `lang` writes numbers (Intl). */
const count = (lang: string, value: number): string => numberFormat(lang).format(value);

/** What the controls need to render. */
export interface BallotFormContext {
  readonly t: PollStrings;
  readonly view: PollView;
  readonly config: PollConfig;
  readonly lang: string;
  /** The id of the error line, when one is shown. */
  readonly errorId: string | undefined;
}

/** A ballot read from the form, or the words to say why it is not one yet. */
export type ReadBallot = { readonly ballot: Ballot } | { readonly problem: string };

/** The option's label, and its time in the viewer's zone when its id is a date-time (time polls). */
const optionLabel = (option: PollOptionView, view: PollView, lang: string): TemplateResult => {
  const when = view.kind === 'time' ? formatWhen(option.id, lang) : null;
  return html`<span dir="auto">${option.label}</span>${when && when !== option.label ? html` <span class="when">${when}</span>` : nothing}`;
};

const choiceList = (ctx: BallotFormContext, type: 'radio' | 'checkbox', checked: (id: string) => boolean, hintId?: string): TemplateResult => html`
  <fieldset aria-describedby=${[hintId, ctx.errorId].filter(Boolean).join(' ') || nothing}>
    <legend part="legend header">${ctx.view.question}</legend>
    ${ctx.view.options.map(
      (option) => html`
        <label part="option item" class="choice">
          <input part="input" type=${type} name="choice" .value=${option.id} ?checked=${checked(option.id)} />
          ${optionLabel(option, ctx.view, ctx.lang)}
        </label>
      `,
    )}
  </fieldset>
`;

/** A group of radios for one option (score, time): its own fieldset, named by the option. */
const optionGroup = (ctx: BallotFormContext, option: PollOptionView, index: number, legend: TemplateResult, values: readonly { value: string; label: string }[], current: string): TemplateResult => html`
  <fieldset class="option-group" part="option">
    <legend>${legend}</legend>
    <div class="scale">
      ${values.map(
        ({ value, label }) => html`
          <label class="choice">
            <input part="input" type="radio" name=${`option-${index}`} .value=${value} ?checked=${value === current} />
            <span>${label}</span>
          </label>
        `,
      )}
    </div>
  </fieldset>
`;

/** The controls of the poll's kind. */
export function renderBallotControls(ctx: BallotFormContext): TemplateResult {
  const { t, view, config } = ctx;
  const mine = view.mine;
  switch (view.kind) {
    case 'single':
      return choiceList(ctx, 'radio', (id) => mine === id);
    case 'multiple': {
      const chosen = new Set(Array.isArray(mine) ? (mine as string[]) : []);
      return html`
        ${config.max !== undefined ? html`<p id="hint" class="summary">${t.chooseUpTo(config.max, count(ctx.lang, config.max))}</p>` : nothing}
        ${choiceList(ctx, 'checkbox', (id) => chosen.has(id), config.max !== undefined ? 'hint' : undefined)}
      `;
    }
    case 'ranked': {
      const ranks = new Map((Array.isArray(mine) ? (mine as string[]) : []).map((id, i) => [id, i + 1]));
      return html`
        <fieldset aria-describedby=${['hint', ctx.errorId].filter(Boolean).join(' ')}>
          <legend part="legend header">${view.question}</legend>
          <p id="hint" class="summary">${t.rankHint}</p>
          ${view.options.map(
            (option, index) => html`
              <div class="rank-row" part="option">
                <label for=${`rank-${index}`}>${optionLabel(option, view, ctx.lang)}</label>
                <select part="input" id=${`rank-${index}`} name=${`rank-${index}`} aria-label=${t.rankFor(option.label)}>
                  <option value="" ?selected=${!ranks.has(option.id)}>${t.notRanked}</option>
                  ${view.options.map((_, r) => html`<option value=${r + 1} ?selected=${ranks.get(option.id) === r + 1}>${t.rank(r + 1, count(ctx.lang, r + 1))}</option>`)}
                </select>
              </div>
            `,
          )}
        </fieldset>
      `;
    }
    case 'score': {
      const { min, max } = scoreRange(config);
      const scores = (mine ?? {}) as Record<string, number>;
      const values = [{ value: '', label: t.noScore }, ...Array.from({ length: max - min + 1 }, (_, i) => ({ value: String(min + i), label: String(min + i) }))];
      return html`
        <fieldset aria-describedby=${ctx.errorId ?? nothing}>
          <legend part="legend header">${view.question}</legend>
          ${view.options.map((option, index) =>
            optionGroup(ctx, option, index, html`${t.scoreFor(option.label)}`, values, scores[option.id] === undefined ? '' : String(scores[option.id])),
          )}
        </fieldset>
      `;
    }
    case 'consent': {
      const stance = (mine as ConsentBallot | null)?.stance;
      return html`
        <fieldset aria-describedby=${ctx.errorId ?? nothing}>
          <legend part="legend header">${view.question}</legend>
          ${STANCES.map(
            (s) => html`
              <label part="option item" class="choice stance" data-stance=${s}>
                <input part="input" type="radio" name="stance" .value=${s} ?checked=${stance === s} aria-describedby=${`help-${s}`} />
                <span><strong>${t.stances[s]}</strong> <span id=${`help-${s}`} class="help">${t.stanceHelp[s]}</span></span>
              </label>
            `,
          )}
        </fieldset>
      `;
    }
    case 'time': {
      const answers = (mine ?? {}) as Record<string, Availability>;
      const values = AVAILABILITY.map((a) => ({ value: a, label: t.availability[a] }));
      return html`
        <fieldset aria-describedby=${ctx.errorId ?? nothing}>
          <legend part="legend header">${view.question}</legend>
          ${view.options.map((option, index) => optionGroup(ctx, option, index, optionLabel(option, view, ctx.lang), values, answers[option.id] ?? ''))}
        </fieldset>
      `;
    }
  }
}

/** The optional reason, with what is left of its length (a number written as `lang` writes it). */
export function renderReason(t: PollStrings, lang: string, value: string, onInput: (event: Event) => void): TemplateResult {
  return html`
    <label class="reason">
      <span>${t.reason}</span>
      <textarea part="input" name="reason" maxlength=${MAX_REASON_LENGTH} rows="2" aria-describedby="reason-left" .value=${value} @input=${onInput}></textarea>
    </label>
    <p id="reason-left" class="summary">${t.reasonLeft(MAX_REASON_LENGTH - value.length, count(lang, MAX_REASON_LENGTH - value.length))}</p>
  `;
}

/** Reads the ballot the form holds, in the shape `vote()` takes. */
export function readBallot(form: HTMLFormElement, view: PollView, config: PollConfig, t: PollStrings, lang: string): ReadBallot {
  const data = new FormData(form);
  const ids = view.options.map((o) => o.id);
  switch (view.kind) {
    case 'single': {
      const choice = data.get('choice');
      return typeof choice === 'string' ? { ballot: choice } : { problem: t.chooseFirst };
    }
    case 'multiple': {
      const chosen = data.getAll('choice').filter((v): v is string => typeof v === 'string');
      if (config.max !== undefined && chosen.length > config.max) return { problem: t.tooMany(config.max, count(lang, config.max)) };
      return { ballot: chosen };
    }
    case 'ranked': {
      const ranked = ids.map((id, i) => ({ id, rank: Number(data.get(`rank-${i}`) || 0) })).filter((r) => r.rank > 0);
      if (ranked.length === 0) return { problem: t.rankOne };
      if (new Set(ranked.map((r) => r.rank)).size !== ranked.length) return { problem: t.rankTwice };
      return { ballot: ranked.sort((a, b) => a.rank - b.rank).map((r) => r.id) };
    }
    case 'score': {
      const scores: Record<string, number> = {};
      ids.forEach((id, i) => {
        const value = data.get(`option-${i}`);
        if (typeof value === 'string' && value !== '') scores[id] = Number(value);
      });
      return { ballot: scores };
    }
    case 'consent': {
      const stance = data.get('stance');
      return typeof stance === 'string' ? { ballot: { stance: stance as ConsentBallot['stance'] } } : { problem: t.chooseStance };
    }
    case 'time': {
      const answers: Record<string, Availability> = {};
      ids.forEach((id, i) => {
        const value = data.get(`option-${i}`);
        if (typeof value === 'string' && value !== '') answers[id] = value as Availability;
      });
      return Object.keys(answers).length > 0 ? { ballot: answers } : { problem: t.chooseFirst };
    }
  }
}
