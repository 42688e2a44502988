/**
 * The results of each poll kind: a list or table a screen reader reads as it is, with SVG bars
 * beside it for the eye (hidden from assistive technology, drawn in system colours when forced).
 */
import { html, nothing, svg, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { scoreRange } from '../../src/models/tally/ballots.js';
import { AVAILABILITY, STANCES, type RankedRound } from '../../src/models/tally/types.js';
import type { PollConfig, PollView } from '../../src/models/poll.types.js';
import type { PollStrings } from './strings.js';
import { formatWhen } from './when.js';

/** What the results need to render. */
export interface ResultsContext {
  readonly t: PollStrings;
  readonly view: PollView;
  readonly config: PollConfig;
  readonly lang: string;
  readonly number: (value: number, options?: Intl.NumberFormatOptions) => string;
}

/**
 * A bar's filled width (of 100) for `share` (0…1), to the nearest tenth: a thousandth of the bar,
 * under a pixel on any screen. In a large poll one more ballot moves a share by less than that, so
 * the bars' SVG is not touched on most ballots (an SVG length set is the costliest DOM write of a
 * re-render); the words beside the bar give the exact figures.
 */
export const barWidth = (share: number): number => Math.round(Math.max(0, Math.min(1, share)) * 1000) / 10;

/** A horizontal bar for `share` (0…1), decorative: the words beside it say the same. */
export const bar = (share: number): TemplateResult => html`
  <svg class="bar" part="bar" aria-hidden="true" viewBox="0 0 100 4" preserveAspectRatio="none" focusable="false">
    ${svg`<rect class="track" x="0" y="0" width="100" height="4"></rect><rect class="fill" x="0" y="0" width=${barWidth(share)} height="4"></rect>`}
  </svg>
`;

const PERCENT: Intl.NumberFormatOptions = Object.freeze({ style: 'percent' });

/** Percent texts by language and whole percent (0…100). */
const percentTexts = new Map<string, Map<number, string>>();

/**
 * `share` (0…1) as a percent in the page's language, as `number(share, { style: 'percent' })`
 * writes it (whole percents): the text of its whole percent, made once. A ballot changes every
 * share of a poll but seldom a whole percent, and formatting one costs ~10 µs. A share within a
 * hair of a half percent is formatted as it is (its rounding is the formatter's).
 */
const percentText = (ctx: ResultsContext, share: number): string => {
  const scaled = share * 100;
  const whole = Math.round(scaled);
  if (!(whole >= 0 && whole <= 100) || Math.abs(Math.abs(scaled - Math.trunc(scaled)) - 0.5) < 1e-6) return ctx.number(share, PERCENT);
  let texts = percentTexts.get(ctx.lang);
  if (texts === undefined) percentTexts.set(ctx.lang, (texts = new Map()));
  let text = texts.get(whole);
  if (text === undefined) texts.set(whole, (text = ctx.number(whole / 100, PERCENT)));
  return text;
};

const labelOf = (view: PollView, id: string): string => view.options.find((o) => o.id === id)?.label ?? id;

const countRows = (ctx: ResultsContext): TemplateResult => {
  const { t, view } = ctx;
  const mine = new Set(typeof view.mine === 'string' ? [view.mine] : Array.isArray(view.mine) ? (view.mine as string[]) : []);
  return html`
    <ul class="results">
      ${view.options.map((option) => {
        const count = option.count ?? 0;
        const share = view.total === 0 ? 0 : count / view.total;
        return html`
          <li part="result item" class=${mine.has(option.id) ? 'mine' : ''}>
            <div class="result-row">
              <span class="label" dir="auto">${option.label}</span>
              <span class="count">${t.optionResult(count, ctx.number(count), percentText(ctx, share))}</span>
            </div>
            ${bar(share)}
          </li>
        `;
      })}
    </ul>
  `;
};

/** Where an eliminated option's votes went in the next round. */
const transfers = (ctx: ResultsContext, round: RankedRound, next: RankedRound | undefined): string => {
  const { t, view } = ctx;
  if (!next) return t.movedNowhere;
  const moved = Object.keys(next.counts)
    .map((id) => ({ id, gained: next.counts[id]! - (round.counts[id] ?? 0) }))
    .filter((m) => m.gained > 0)
    .map((m) => t.movedTo(labelOf(view, m.id), ctx.number(m.gained)));
  const lost = next.exhausted - round.exhausted;
  if (lost > 0) moved.push(t.exhausted(lost, ctx.number(lost)));
  return moved.length > 0 ? new Intl.ListFormat(ctx.lang, { type: 'conjunction' }).format(moved) : t.movedNowhere;
};

const ranked = (ctx: ResultsContext): TemplateResult => {
  const { t, view } = ctx;
  const rounds = view.rounds ?? [];
  const winner = view.winner ? labelOf(view, view.winner) : null;
  const condorcet = view.condorcet ? labelOf(view, view.condorcet) : null;
  return html`
    <p class="headline" part="result">${winner ? t.winner(winner) : t.noWinner}</p>
    ${winner ? html`<p class="summary">${condorcet ? (view.condorcet === view.winner ? t.condorcetSame(condorcet) : t.condorcetOther(condorcet)) : t.noCondorcet}</p>` : nothing}
    ${rounds.length > 0
      ? html`
          <h3 class="subhead">${t.rounds}</h3>
          <ol class="rounds">
            ${rounds.map((round, r) => {
              const live = Object.values(round.counts).reduce((a, b) => a + b, 0);
              return html`
                <li part="result">
                  <p class="round-title">${t.round(r + 1, ctx.number(r + 1))}</p>
                  <ul class="results">
                    ${Object.entries(round.counts).map(
                      ([id, count]) => html`
                        <li class=${round.eliminated.includes(id) ? 'eliminated' : id === view.winner && r === rounds.length - 1 ? 'mine' : ''}>
                          <div class="result-row"><span class="label">${labelOf(view, id)}</span> <span class="count">${ctx.number(count)}</span></div>
                          ${bar(live === 0 ? 0 : count / live)}
                        </li>
                      `,
                    )}
                  </ul>
                  ${round.exhausted > 0 ? html`<p class="summary">${t.exhausted(round.exhausted, ctx.number(round.exhausted))}</p>` : nothing}
                  <p class="summary">
                    ${round.eliminated.length > 0
                      ? t.eliminated(labelOf(view, round.eliminated[0]!), transfers(ctx, round, rounds[r + 1]))
                      : winner
                        ? t.wins(winner)
                        : nothing}
                  </p>
                </li>
              `;
            })}
          </ol>
        `
      : nothing}
  `;
};

const score = (ctx: ResultsContext): TemplateResult => {
  const { t, view, config } = ctx;
  const { min, max } = scoreRange(config);
  const values = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  return html`
    <table class="table" part="result">
      <caption class="visually-hidden">${t.results}</caption>
      <thead>
        <tr><th scope="col">${t.option}</th><th scope="col">${t.average}</th>${values.map((v) => html`<th scope="col" class="num">${ctx.number(v)}</th>`)}</tr>
      </thead>
      <tbody>
        ${view.options.map(
          (option) => html`
            <tr>
              <th scope="row">${option.label}</th>
              <td>
                ${option.mean === null || option.mean === undefined ? t.notScored : ctx.number(option.mean, { maximumFractionDigits: 1 })}
                ${option.mean === null || option.mean === undefined ? nothing : bar((option.mean - min) / Math.max(1, max - min))}
              </td>
              ${(option.distribution ?? []).map((n) => html`<td class="num">${ctx.number(n)}</td>`)}
            </tr>
          `,
        )}
      </tbody>
    </table>
  `;
};

const consent = (ctx: ResultsContext): TemplateResult => {
  const { t, view } = ctx;
  const stances = view.stances!;
  return html`
    <ul class="results">
      ${STANCES.map(
        (s) => html`
          <li part="result item" data-stance=${s} class=${(view.mine as { stance?: string } | null)?.stance === s ? 'mine' : ''}>
            <div class="result-row"><span class="label">${t.stances[s]}</span> <span class="count">${ctx.number(stances[s])}</span></div>
            ${bar(view.total === 0 ? 0 : stances[s] / view.total)}
          </li>
        `,
      )}
    </ul>
  `;
};

const time = (ctx: ResultsContext): TemplateResult => {
  const { t, view } = ctx;
  const best = new Set(view.best ?? []);
  return html`
    <table class="table" part="result">
      <caption class="visually-hidden">${t.results}</caption>
      <thead>
        <tr><th scope="col">${t.option}</th>${AVAILABILITY.map((a) => html`<th scope="col" class="num">${t.availability[a]}</th>`)}</tr>
      </thead>
      <tbody>
        ${view.options.map(
          (option) => html`
            <tr class=${best.has(option.id) ? 'best' : ''}>
              <th scope="row">
                ${option.label}
                ${formatWhen(option.id, ctx.lang) && formatWhen(option.id, ctx.lang) !== option.label ? html`<span class="when">${formatWhen(option.id, ctx.lang)}</span>` : nothing}
                ${best.has(option.id) ? html`<span class="badge">${t.best}</span>` : nothing}
              </th>
              ${AVAILABILITY.map((a) => html`<td class="num">${ctx.number(option[a] ?? 0)}</td>`)}
            </tr>
          `,
        )}
      </tbody>
    </table>
    ${best.size > 0 ? html`<p class="summary">${t.bestTimes(new Intl.ListFormat(ctx.lang).format([...best].map((id) => labelOf(view, id))))}</p>` : nothing}
  `;
};

/**
 * The reasons given with counted ballots. The model hands the same list until a reason comes or
 * goes, so one more ballot in a large poll does not go over thousands of them again.
 */
const reasons = (ctx: ResultsContext): unknown => {
  const list = ctx.view.reasons ?? [];
  if (list.length === 0) return nothing;
  const { t } = ctx;
  return html`
    <h3 class="subhead">${t.reasons}</h3>
    <ul class="reasons">
      ${guard([list, t], () => list.map((r) => html`<li part="reason">${r.stance ? html`<strong>${t.stances[r.stance]}:</strong> ` : nothing}<span class="reason-text" dir="auto">${r.reason}</span></li>`))}
    </ul>
  `;
};

/** The results of the poll's kind (shown only while `view.resultsVisible`). */
export function renderResults(ctx: ResultsContext): TemplateResult {
  const body = (() => {
    switch (ctx.view.kind) {
      case 'single':
      case 'multiple':
        return countRows(ctx);
      case 'ranked':
        return ranked(ctx);
      case 'score':
        return score(ctx);
      case 'consent':
        return consent(ctx);
      case 'time':
        return time(ctx);
    }
  })();
  return html`${body}${reasons(ctx)}`;
}
