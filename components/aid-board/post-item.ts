// One post of the board, as a list item: its text (inert: Lit text bindings only), its state, and
// what this visitor can do with it — respond, or as the poster accept, un-match, close; as an
// organizer hide it.
import { html, nothing, type TemplateResult } from 'lit';
import type { AidContact, AidPostView } from '../../src/models/aid-board.types.js';
import type { AidBoardStrings } from './strings.js';

/** Contacts opened for a post: loading, none, or the list. */
export type ShownContacts = 'loading' | readonly AidContact[] | null;

/** What a post needs from the board to render and act. */
export interface PostItemContext {
  readonly t: AidBoardStrings;
  /** This visitor's key (null: read-only). */
  readonly me: string | null;
  /** Whether this visitor can act now (a model, a signer, no command running). */
  readonly canAct: boolean;
  readonly organizer: boolean;
  /** The post whose response form is open. */
  readonly responding: string | null;
  /** The post whose hide form is open. */
  readonly hiding: string | null;
  readonly contacts: ReadonlyMap<string, ShownContacts>;
  readonly day: (day: string) => string;
  readonly dateTime: (ms: number) => string;
  readonly number: (n: number) => string;
  readonly onRespond: (post: AidPostView) => void;
  readonly onCancel: () => void;
  readonly onSubmitResponse: (post: AidPostView, event: SubmitEvent) => void;
  readonly onAccept: (post: AidPostView, responder: string) => void;
  readonly onUnmatch: (post: AidPostView) => void;
  readonly onStatus: (post: AidPostView, status: 'done' | 'withdrawn') => void;
  readonly onToggleContacts: (post: AidPostView) => void;
  readonly onHide: (post: AidPostView) => void;
  readonly onSubmitHide: (post: AidPostView, event: SubmitEvent) => void;
  readonly onUnhide: (post: AidPostView) => void;
}

/** An id for elements of a post inside the shadow root (post ids hold `:` and base64url). */
export const domId = (postId: string, part: string): string => `${part}-${postId.replace(/[^A-Za-z0-9_-]/g, '_')}`;

function renderContacts(post: AidPostView, ctx: PostItemContext): TemplateResult | typeof nothing {
  const shown = ctx.contacts.get(post.id);
  if (shown === undefined) return nothing;
  const { t } = ctx;
  if (shown === 'loading') return html`<p class="meta" role="status">…</p>`;
  if (shown === null) return html`<p class="meta" role="status">${t.noContacts}</p>`;
  const label = (contact: AidContact) => {
    if (contact.author === post.author) return t.posterContact;
    const index = post.responses.findIndex((r) => r.author === contact.author);
    return t.responseNumber(ctx.number(index + 1));
  };
  return html`
    <section class="contacts-region" aria-labelledby=${domId(post.id, 'contacts')}>
      <h4 id=${domId(post.id, 'contacts')}>${t.contactsHeading}</h4>
      <dl class="contacts" part="contacts">
        ${shown.map((c) => html`<dt>${t.contactOf(label(c))}</dt><dd class="contact-text" dir="auto">${c.contact}</dd>`)}
      </dl>
    </section>
  `;
}

function renderResponseForm(post: AidPostView, ctx: PostItemContext): TemplateResult {
  const { t } = ctx;
  const privacy = domId(post.id, 'respond-privacy');
  return html`
    <form class="respond" part="respond-form" @submit=${(e: SubmitEvent) => ctx.onSubmitResponse(post, e)} aria-labelledby=${domId(post.id, 'respond')}>
      <h4 id=${domId(post.id, 'respond')}>${t.respondTo[post.kind]}</h4>
      <p class="privacy" id=${privacy}>${t.respondPrivacy}</p>
      <label class="field">
        <span>${t.message}</span>
        <textarea part="input" name="message" rows="3" maxlength="500" aria-describedby=${privacy}></textarea>
      </label>
      <label class="field">
        <span>${t.respondContact}</span>
        <input part="input" name="contact" required maxlength="200" autocomplete="off" aria-describedby=${privacy} />
      </label>
      <div class="actions">
        <button part="button" class="primary" type="submit" ?disabled=${!ctx.canAct}>${t.send}</button>
        <button part="button" type="button" @click=${ctx.onCancel}>${t.cancel}</button>
      </div>
    </form>
  `;
}

function renderHideForm(post: AidPostView, ctx: PostItemContext): TemplateResult {
  const { t } = ctx;
  return html`
    <form class="hide" @submit=${(e: SubmitEvent) => ctx.onSubmitHide(post, e)}>
      <label class="field">
        <span>${t.hideReason}</span>
        <input part="input" name="reason" maxlength="300" autocomplete="off" />
      </label>
      <div class="actions">
        <button part="button" class="primary" type="submit" ?disabled=${!ctx.canAct}>${t.confirmHide}</button>
        <button part="button" type="button" @click=${ctx.onCancel}>${t.cancel}</button>
      </div>
    </form>
  `;
}

/** The poster's view of the responses: messages, Accept, the accepted one marked. */
function renderResponses(post: AidPostView, ctx: PostItemContext): TemplateResult | typeof nothing {
  const { t } = ctx;
  if (post.responses.length === 0) return nothing;
  const mayAccept = post.mine && (post.status === 'open' || post.status === 'matched') && post.hidden === null;
  return html`
    <ul class="responses" part="responses">
      ${post.responses.map((response, i) => {
        const label = t.responseNumber(ctx.number(i + 1));
        return html`
          <li class="response" part="response">
            <strong>${label}${response.accepted ? html` · ${t.acceptedMark}` : nothing}</strong>
            ${response.message !== null
              ? response.message
                ? html`<p class="message" dir="auto">${response.message}</p>`
                : nothing
              : html`<p class="meta">${t.posterOnly}</p>`}
            ${mayAccept && !response.accepted
              ? html`<div class="actions">
                  <button part="button" type="button" ?disabled=${!ctx.canAct} @click=${() => ctx.onAccept(post, response.author)}>
                    ${t.accept}<span class="visually-hidden"> · ${label}</span>
                  </button>
                </div>`
              : nothing}
          </li>
        `;
      })}
    </ul>
  `;
}

function renderActions(post: AidPostView, ctx: PostItemContext): TemplateResult | typeof nothing {
  const { t, me } = ctx;
  const buttons: TemplateResult[] = [];
  const title = html`<span class="visually-hidden"> · ${post.title || t.hiddenByOrganizers}</span>`;
  const active = post.status === 'open' || post.status === 'matched';
  const mine = me !== null && post.responses.find((r) => r.author === me);
  if (post.mine) {
    if (post.status === 'matched') buttons.push(html`<button part="button" type="button" ?disabled=${!ctx.canAct} @click=${() => ctx.onUnmatch(post)}>${t.unmatch}${title}</button>`);
    if (post.status === 'matched') buttons.push(html`<button part="button" type="button" ?disabled=${!ctx.canAct} @click=${() => ctx.onStatus(post, 'done')}>${t.markDone}${title}</button>`);
    if (active) buttons.push(html`<button part="button" type="button" ?disabled=${!ctx.canAct} @click=${() => ctx.onStatus(post, 'withdrawn')}>${t.withdraw}${title}</button>`);
  } else if (me !== null && !mine && post.status === 'open' && !post.expired && post.hidden === null && ctx.responding !== post.id) {
    buttons.push(html`<button part="button" class="primary" type="button" ?disabled=${!ctx.canAct} @click=${() => ctx.onRespond(post)}>${t.respondTo[post.kind]}${title}</button>`);
  }
  const mayRead = post.mine ? post.responses.length > 0 : mine && mine.accepted;
  if (mayRead) {
    const open = ctx.contacts.has(post.id);
    buttons.push(html`<button part="button" type="button" aria-expanded=${open ? 'true' : 'false'} @click=${() => ctx.onToggleContacts(post)}>${open ? t.hideContacts : t.showContacts}${title}</button>`);
  }
  if (ctx.organizer) {
    if (post.hidden === null && ctx.hiding !== post.id) buttons.push(html`<button part="button" type="button" ?disabled=${!ctx.canAct} @click=${() => ctx.onHide(post)}>${t.hide}${title}</button>`);
    if (post.hidden !== null) buttons.push(html`<button part="button" type="button" ?disabled=${!ctx.canAct} @click=${() => ctx.onUnhide(post)}>${t.unhide}${title}</button>`);
  }
  return buttons.length > 0 ? html`<div class="actions">${buttons}</div>` : nothing;
}

/** A post as a list item (`index` of `size`, for assistive technology when the list is virtualized). */
export function renderPost(post: AidPostView, index: number, size: number, ctx: PostItemContext): TemplateResult {
  const { t, me } = ctx;
  const titleId = domId(post.id, 'title');
  const mine = me !== null && !post.mine ? post.responses.find((r) => r.author === me) : undefined;
  const accepted = post.responses.some((r) => r.accepted);
  const closed = post.status === 'done' || post.status === 'withdrawn' || post.expired;
  return html`
    <li part="post" class="post ${closed ? 'closed' : ''}" data-kind=${post.kind} data-key=${post.id} aria-posinset=${index + 1} aria-setsize=${size}>
      <div class="post-body">
        <div class="badges">
          <span class="badge kind">${t.kind[post.kind]}</span>
          <span class="badge status" part="post-status">${post.hidden !== null ? t.hiddenByOrganizers : t.status[post.status]}</span>
          ${post.expired ? html`<span class="badge">${t.expired}</span>` : nothing}
          <span dir="auto">${post.category}</span>
          ${post.area ? html`<span dir="auto">${post.area}</span>` : nothing}
          <span>${t.urgency[post.urgency]}</span>
          ${post.neededBy ? html`<span>${t.neededByDate(ctx.day(post.neededBy))}</span>` : nothing}
        </div>
        ${post.hidden !== null
          ? html`<h3 id=${titleId} class="hidden-note">${post.hidden ? t.hiddenReason(post.hidden) : t.hiddenByOrganizers}</h3>`
          : html`<h3 id=${titleId} dir="auto">${post.title}</h3>
              ${post.description ? html`<p class="description" dir="auto">${post.description}</p>` : nothing}`}
        <p class="meta">
          ${t.postedOn(ctx.dateTime(post.posted))} · ${t.responses(post.responses.length, ctx.number(post.responses.length))}${post.mine ? html` · ${t.postedByYou}` : nothing}
        </p>
        ${mine ? html`<p class="meta" part="my-response">${mine.accepted ? t.respondedAccepted : accepted ? t.respondedOther : t.responded}</p>` : nothing}
        ${renderResponses(post, ctx)}
        ${renderActions(post, ctx)} ${renderContacts(post, ctx)}
        ${ctx.responding === post.id ? renderResponseForm(post, ctx) : nothing} ${ctx.hiding === post.id ? renderHideForm(post, ctx) : nothing}
      </div>
    </li>
  `;
}
