// The form to post an offer or a request. It says plainly who can read the contact, and has no
// street-address field: an area is a neighbourhood (one of the page's, or free text).
import { html, nothing, type TemplateResult } from 'lit';
import { AID_KINDS, AID_LIMITS, AID_URGENCIES, type AidBoardConfig, type AidPostInput } from '../../src/models/aid-board.types.js';
import type { AidBoardStrings } from './strings.js';

export interface PostFormContext {
  readonly t: AidBoardStrings;
  readonly config: AidBoardConfig;
  readonly disabled: boolean;
  /** A post made before the board loaded is waiting for it (the button says it is being saved). */
  readonly saving?: boolean;
  readonly error: unknown;
  readonly onSubmit: (event: SubmitEvent) => void;
}

/** What the form holds, as `post()` takes it. */
export function readPostForm(form: HTMLFormElement): AidPostInput {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '');
  return {
    kind: text('kind') as AidPostInput['kind'],
    title: text('title'),
    description: text('description'),
    category: text('category'),
    area: text('area'),
    urgency: (text('urgency') || 'whenever') as AidPostInput['urgency'],
    neededBy: text('neededBy') || null,
    contact: text('contact'),
  };
}

export function renderPostForm({ t, config, disabled, saving = false, error, onSubmit }: PostFormContext): TemplateResult {
  const today = new Date();
  const min = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  return html`
    <details class="new-post" part="post-form">
      <summary>${t.newPost}</summary>
      <form @submit=${onSubmit}>
        <fieldset class="choices" ?disabled=${disabled}>
          <legend>${t.kindLegend}</legend>
          ${AID_KINDS.map(
            (kind, i) => html`<label class="choice"><input part="input" type="radio" name="kind" value=${kind} ?checked=${i === 1} />${t.kindChoice[kind]}</label>`,
          )}
        </fieldset>
        <label class="field">
          <span>${t.title}</span>
          <input part="input" name="title" required maxlength=${AID_LIMITS.title} autocomplete="off" ?disabled=${disabled} />
        </label>
        <label class="field">
          <span>${t.description}</span>
          <textarea part="input" name="description" rows="3" maxlength=${AID_LIMITS.description} ?disabled=${disabled}></textarea>
        </label>
        <div class="row">
          <label class="field">
            <span>${t.category}</span>
            ${config.categories.length > 0
              ? html`<select part="input" name="category" required ?disabled=${disabled}>
                  ${config.categories.map((c) => html`<option value=${c}>${c}</option>`)}
                </select>`
              : html`<input part="input" name="category" required maxlength=${AID_LIMITS.category} ?disabled=${disabled} />`}
          </label>
          <label class="field">
            <span>${t.area}</span>
            <input part="input" name="area" list="aid-areas" maxlength=${AID_LIMITS.area} autocomplete="off" aria-describedby="area-hint" ?disabled=${disabled} />
            <span class="hint" id="area-hint">${t.areaHint}</span>
          </label>
          ${config.areas.length > 0 ? html`<datalist id="aid-areas">${config.areas.map((a) => html`<option value=${a}></option>`)}</datalist>` : nothing}
        </div>
        <div class="row">
          <fieldset class="choices" ?disabled=${disabled}>
            <legend>${t.urgencyLegend}</legend>
            ${AID_URGENCIES.map(
              (u) => html`<label class="choice"><input part="input" type="radio" name="urgency" value=${u} ?checked=${u === 'whenever'} />${t.urgency[u]}</label>`,
            )}
          </fieldset>
          <label class="field">
            <span>${t.neededBy}</span>
            <input part="input" type="date" name="neededBy" min=${min} ?disabled=${disabled} />
          </label>
        </div>
        <label class="field">
          <span>${t.contact}</span>
          <input part="input" name="contact" required maxlength=${AID_LIMITS.contact} autocomplete="off" aria-describedby="contact-hint post-privacy" ?disabled=${disabled} />
          <span class="hint" id="contact-hint">${t.contactHint}</span>
        </label>
        <p class="privacy" id="post-privacy">${t.postPrivacy}</p>
        ${error}
        <div class="actions">
          <button part="button" class="primary" type="submit" ?disabled=${disabled} aria-busy=${saving ? 'true' : 'false'}>${saving ? t.saving : t.submitPost}</button>
        </div>
      </form>
    </details>
  `;
}
