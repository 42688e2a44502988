import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { getDisplayName, MAX_DISPLAY_NAME, onDisplayNameChange, setDisplayName } from '../../src/identity/display-name.js';
import { GatherError } from '../../src/errors.js';
import { calendarFile } from '../../src/models/ics.js';
import type { ChangeOrigin } from '../../src/models/model.types.js';
import {
  MAX_LABEL_LENGTH,
  MAX_NOTE_LENGTH,
  normalizeSignupConfig,
  settleRoster,
  signupView,
  slotOverAt,
  SignupModel,
  type SignupEntry,
} from '../../src/models/signup.js';
import type { NewSlot, SignupConfig, SignupExport, SignupPerson, SignupSlotConfig, SignupSlotView, SignupStanding, SignupView } from '../../src/models/signup.types.js';
import { ChildConfigController } from '../shared/child-config-controller.js';
import { childText } from '../shared/child-text.js';
import { CommandController } from '../shared/command-controller.js';
import { GatherWidget, type ModelArgs } from '../shared/gather-widget.js';
import { readSlots } from './read-slots.js';
import { GatherSignupChangeEvent } from './signup-change-event.js';
import { signupStyles } from './signup.styles.js';
import { peopleRows, type PeopleRow } from './people-rows.js';
import { localInputToIso, slotTime } from './slot-time.js';
import type { SignupStrings } from './strings.js';
import './strings.js';

/** `show-names` is on unless the page writes `show-names="false"` (or `off`, `no`, `0`). */
const onUnlessFalse = {
  fromAttribute: (value: string | null): boolean => value === null || !/^(false|off|no|0)$/i.test(value.trim()),
  toAttribute: (value: boolean): string => String(value),
};

/**
 * A signup sheet: shifts and slots with places that fill fairly across peers, with a waitlist,
 * calendar files and an organizer's roster. Slots are the child `<gather-slot>` elements.
 *
 * @summary A signup sheet: each slot with its time, place, places left and a Sign up / Withdraw button.
 *
 * @slot - `<gather-slot>` elements: the sheet's configuration (not shown as such once the script runs).
 * @slot title - The title as a child element (`<h2 slot="title">…</h2>`), read as text when there is no `title` attribute (the attribute wins when both are there); shown as plain HTML before the code arrives, then as the sheet's heading.
 *
 * @fires gather-change - The shared view changed (`detail.view`, `detail.origin`).
 * @fires gather-signup-change - Where this visitor stands on a slot changed (`detail.slot`, `detail.state`, `detail.position`, `detail.origin`).
 *
 * @csspart base - The wrapper of everything.
 * @csspart header - The sheet's title.
 * @csspart slot - A slot.
 * @csspart badge - Where this visitor stands on a slot (confirmed, or their place on the waitlist).
 * @csspart people - The list of who signed up (or waits) for a slot.
 * @csspart button - Every button.
 * @csspart input - A text field.
 * @csspart status - The connection status line.
 * @csspart progress - While a large room arrives from a peer, or its signatures are checked: how far it got, with a progress bar.
 * @csspart storage - Says that this browser keeps nothing of what the visitor does (its storage is blocked or full).
 * @csspart membership - In a members-only room: where this visitor stands (organizer, member, not a member yet, …).
 * @csspart repaired - How many of the widget's entries this browser put back after a peer removed or damaged them.
 * @csspart trust-repaired - In a members-only room: how many of the room's organizer and member entries this browser put back.
 * @csspart protection - "How this room is protected": a disclosure under the status line.
 *
 * @cssprop --gather-signup-gap - Space between slots.
 * @cssprop --gather-signup-bar-color - Fill of a slot's places bar.
 * @cssprop --gather-signup-bar-track - Track behind it.
 * @cssprop --gather-signup-confirmed-color - The "You're confirmed" badge.
 * @cssprop --gather-signup-waitlisted-color - The waitlist badge.
 *
 * @customState signed-up - This visitor is on at least one slot.
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
export class GatherSignup extends GatherWidget<SignupView, SignupModel> {
  static override styles = signupStyles;

  static override properties: PropertyDeclarations = {
    title: {},
    open: { type: Boolean, reflect: true },
    showNames: { attribute: 'show-names', converter: onUnlessFalse },
    joining: { state: true },
    adding: { state: true },
    displayName: { state: true },
  };

  /**
   * The sheet's title. Without it, the text of a child `slot="title"` element is the title; with
   * both, this attribute wins.
   */
  declare title: string;
  /** Visitors may add slots of their own. */
  declare open: boolean;
  /** Who signed up is shown (default); `show-names="false"` shows only counts. */
  declare showNames: boolean;
  /** The slot whose signup form is open, or null. */
  private declare joining: string | null;
  /** The add-a-slot form is open. */
  private declare adding: boolean;
  /** The name remembered on this device. */
  private declare displayName: string;

  private readonly childConfig = new ChildConfigController(this, (host) => ({ slots: readSlots(host), title: childText(host, '[slot="title"]') }));
  /** What the model's configuration was last made of. */
  private handed: { model: SignupModel; slots: readonly SignupSlotConfig[]; title: string; open: boolean; showNames: boolean } | null = null;
  private readonly command = new CommandController(this);
  /** Where this visitor stood when last told; null while the model loads (nothing to tell then). */
  private standing: Readonly<Record<string, SignupStanding>> | null = null;
  private stopNameWatch: (() => void) | undefined;
  private numbers: { lang: string; format: Intl.NumberFormat } | undefined;
  /** The language and strings of the render under way (looked up once per render, not per slot). */
  private renderLang = 'en';
  private strings: SignupStrings | undefined;

  constructor() {
    super();
    this.title = '';
    this.open = false;
    this.showNames = true;
    this.joining = null;
    this.adding = false;
    this.displayName = getDisplayName();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.displayName = getDisplayName();
    this.stopNameWatch = onDisplayNameChange((name) => (this.displayName = name));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopNameWatch?.();
  }

  private get config(): SignupConfig {
    return { title: this.shownTitle, slots: this.childConfig.value.slots, open: this.open, showNames: this.showNames };
  }

  /** The title: the attribute's, else a `slot="title"` child's text. */
  private get shownTitle(): string {
    return this.title || this.childConfig.value.title;
  }

  /* ------------------------------------------------------------------ public API */

  /**
   * Signs this visitor up for a slot, under `name` (the name remembered on this device by
   * default; remembered once it succeeds) with an optional note. Rejects with a `GatherError`:
   * `unknown-slot`, `closed`, `invalid-name`, `no-signer`.
   */
  async join(slotName: string, { name = this.displayName, note = '' }: { name?: string; note?: string } = {}): Promise<void> {
    const model = await this.loadedModel();
    await model.join(slotName, { name, note });
    setDisplayName(name);
  }

  /** Withdraws this visitor from a slot. Rejects like {@link join}. */
  async leave(slotName: string): Promise<void> {
    await (await this.loadedModel()).leave(slotName);
  }

  /** Closes (or reopens) a slot, as an organizer. Rejects with `not-organizer`, `unknown-slot`. */
  async close(slotName: string, closed = true): Promise<void> {
    await (await this.loadedModel()).close(slotName, closed);
  }

  /** Removes someone's signup, as an organizer. Rejects with `not-organizer`, `unknown-slot`. */
  async removeSignup(slotName: string, author: string): Promise<void> {
    await (await this.loadedModel()).removeSignup(slotName, author);
  }

  /** Adds a slot to an `open` sheet; resolves with its name. */
  async addSlot(slot: NewSlot): Promise<string> {
    return (await this.loadedModel()).addSlot(slot);
  }

  /** Removes a slot a visitor added (its author, or an organizer). */
  async removeSlot(slotName: string): Promise<void> {
    await (await this.loadedModel()).removeSlot(slotName);
  }

  /** The roster and every signed entry behind it. Null until the sheet has loaded. */
  export(): SignupExport<SignupEntry> | null {
    return this.model.value?.export() ?? null;
  }

  /** The roster as CSV. Null until the sheet has loaded. */
  exportCsv(): string | null {
    return this.model.value?.exportCsv() ?? null;
  }

  private async loadedModel(): Promise<SignupModel> {
    await this.ready;
    const model = this.model.value;
    if (model === null) throw new GatherError('destroyed', 'This sheet is not on the page');
    return model;
  }

  /* ------------------------------------------------------------------ widget */

  protected createModel({ room, signer, name, organizers, cache }: ModelArgs): SignupModel {
    const model = new SignupModel(room.doc, name, this.config, signer, { organizers, cache, room: room.name });
    this.standing = null;
    // Once loaded, with this visitor's identity (the model takes it later: see signerLater).
    void this.ready.then(() => {
      if (this.model.value === model) this.standing = model.view.mine;
    });
    return model;
  }

  /** The sheet is read and checked while the device's key loads; it is given the key when it has. */
  protected override get signerLater(): boolean {
    return true;
  }

  /** Another identity: where this visitor stands is theirs from now on (nothing to tell). */
  protected override signerAttached(): void {
    if (this.standing !== null) this.standing = this.model.value?.view.mine ?? null;
  }

  protected emptyView(): SignupView {
    const config = normalizeSignupConfig(this.config);
    return signupView(config, settleRoster(config, new Map(), () => false), null, Date.now());
  }

  protected nameSource(): string {
    return this.shownTitle;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // Handed over when something it is made of changed (a long first sync renders many times over).
    const model = this.model.value;
    const handed = this.handed;
    const slots = this.childConfig.value.slots;
    const title = this.shownTitle;
    if (model === null || (handed?.model === model && handed.slots === slots && handed.title === title && handed.open === this.open && handed.showNames === this.showNames)) return;
    model.setConfig(this.config);
    this.handed = { model, slots, title, open: this.open, showNames: this.showNames };
  }

  override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.toggleState('signed-up', Object.keys(this.view?.mine ?? {}).length > 0);
  }

  /** Tells this visitor (event, live region) where they now stand, slot by slot. */
  protected override viewChanged(view: SignupView, origin: ChangeOrigin): void {
    const before = this.standing;
    if (before === null) return;
    this.standing = view.mine;
    const t = this.localize.t.signup;
    const said: string[] = [];
    for (const slot of view.slots) {
      const was = before[slot.name];
      const now = view.mine[slot.name];
      if (was?.state === now?.state && (now?.state !== 'waitlisted' || was?.position === now.position)) continue;
      this.emit(new GatherSignupChangeEvent({ slot: slot.name, state: now?.state ?? null, position: now?.position ?? null, origin }));
      if (now === undefined) said.push(t.nowOff(slot.label));
      else if (now.state === 'confirmed') said.push(was?.state === 'waitlisted' ? t.movedUp(slot.label) : t.nowConfirmed(slot.label));
      else said.push(t.nowWaitlisted(slot.label, this.number(now.position)));
    }
    // A slot that went away (an organizer removed a visitor's slot) while this visitor was on it.
    for (const name of Object.keys(before)) {
      if (view.slots.some((slot) => slot.name === name)) continue;
      this.emit(new GatherSignupChangeEvent({ slot: name, state: null, position: null, origin }));
    }
    if (said.length > 0) this.announcer.announce(said.join(' '));
  }

  /* ------------------------------------------------------------------ handlers */

  private slotItem(index: number): HTMLElement | null {
    return this.renderRoot.querySelector(`[data-index="${index}"]`);
  }

  private handleOpenJoin(slot: SignupSlotView, index: number): void {
    this.command.clear();
    this.joining = slot.name;
    void this.updateComplete.then(() => this.slotItem(index)?.querySelector<HTMLInputElement>('input[name=name]')?.focus());
  }

  private handleCancelJoin(index: number): void {
    this.joining = null;
    this.command.clear();
    void this.updateComplete.then(() => this.slotItem(index)?.querySelector<HTMLButtonElement>('button.join')?.focus());
  }

  private async handleJoin(event: SubmitEvent, slot: SignupSlotView, index: number): Promise<void> {
    event.preventDefault();
    const model = this.model.value;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').replace(/\s+/g, ' ').trim();
    const note = String(data.get('note') ?? '');
    const t = this.localize.t.signup;
    if (!model) return;
    if (name === '' || name.length > MAX_DISPLAY_NAME) {
      this.command.fail(name === '' ? t.nameRequired : t.nameTooLong(this.number(MAX_DISPLAY_NAME)));
      form.querySelector<HTMLInputElement>('input[name=name]')?.focus();
      return;
    }
    let closed = false;
    const done = await this.command.run(
      async () => {
        try {
          await model.join(slot.name, { name, note });
        } catch (error) {
          closed = error instanceof GatherError && error.code === 'closed';
          throw error;
        }
        setDisplayName(name);
        this.joining = null;
      },
      { failure: t.joinFailed, focus: () => this.slotItem(index)?.querySelector<HTMLButtonElement>('button.withdraw') },
    );
    if (!done && closed) {
      // Closed while the form was open (an organizer, or its time passed): say so where the form was.
      this.joining = null;
      this.command.fail(t.slotClosedNow);
    }
  }

  private async handleLeave(slot: SignupSlotView, index: number): Promise<void> {
    const model = this.model.value;
    if (!model) return;
    await this.command.run(() => model.leave(slot.name), {
      failure: this.localize.t.signup.leaveFailed,
      focus: () => this.slotItem(index)?.querySelector<HTMLButtonElement>('button.join'),
    });
  }

  private async handleClose(slot: SignupSlotView): Promise<void> {
    const model = this.model.value;
    if (model) await this.command.run(() => model.close(slot.name, !slot.closed), { failure: this.localize.t.status.saveFailed });
  }

  private async handleRemove(slot: SignupSlotView, person: SignupPerson): Promise<void> {
    const model = this.model.value;
    if (model) await this.command.run(() => model.removeSignup(slot.name, person.author), { failure: this.localize.t.status.saveFailed });
  }

  private async handleRemoveSlot(slot: SignupSlotView): Promise<void> {
    const model = this.model.value;
    if (model) await this.command.run(() => model.removeSlot(slot.name), { failure: this.localize.t.status.saveFailed, focus: () => this.renderRoot.querySelector<HTMLElement>('.title') });
  }

  private handleOpenAdd(): void {
    this.command.clear();
    this.adding = true;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('form.add input[name=label]')?.focus());
  }

  private handleCancelAdd(): void {
    this.adding = false;
    this.command.clear();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('button.add')?.focus());
  }

  private async handleAdd(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const model = this.model.value;
    if (!model) return;
    const data = new FormData(event.target as HTMLFormElement);
    const text = (field: string) => String(data.get(field) ?? '').trim();
    const capacity = text('capacity');
    const slot: NewSlot = {
      label: text('label'),
      capacity: capacity === '' ? null : Number(capacity),
      start: localInputToIso(text('start')),
      end: localInputToIso(text('end')),
      location: text('location') || null,
    };
    await this.command.run(
      async () => {
        await model.addSlot(slot);
        this.adding = false;
      },
      { failure: this.localize.t.signup.addFailed, focus: () => this.renderRoot.querySelector<HTMLButtonElement>('button.add') },
    );
  }

  private handleDownloadCsv(): void {
    const csv = this.exportCsv();
    if (csv === null) return;
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${this.name || 'signup'}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  /* ------------------------------------------------------------------ render */

  /** A count in the widget's language (one formatter kept per language: a sheet shows hundreds of numbers). */
  private number(value: number): string {
    const lang = this.renderLang;
    if (this.numbers?.lang !== lang) this.numbers = { lang, format: new Intl.NumberFormat(lang) };
    return this.numbers.format.format(value);
  }

  /** The .ics of a slot this visitor joined, as a data: URL; null without a start. */
  private calendarHref(slot: SignupSlotView, title: string): string | null {
    if (slot.start === null) return null;
    const text = calendarFile({
      uid: `${slot.name}.${this.name || 'signup'}.${this.connection.room?.name ?? ''}@gather`,
      summary: title ? `${title}: ${slot.label}` : slot.label,
      start: slot.start,
      end: slot.end,
      location: slot.location,
    });
    return text === null ? null : `data:text/calendar;charset=utf-8,${encodeURIComponent(text)}`;
  }

  private renderPlaces(slot: SignupSlotView): TemplateResult {
    const t = this.strings!;
    const n = (value: number) => this.number(value);
    const taken = slot.confirmed.length;
    if (slot.capacity === null) return html`<p class="places">${t.signedUp(taken, n(taken))}</p>`;
    const parts = [t.taken(taken, slot.capacity, n(taken), n(slot.capacity)), slot.left === 0 ? t.full : t.left(slot.left!, n(slot.left!))];
    if (slot.waitlist.length > 0) parts.push(t.waiting(slot.waitlist.length, n(slot.waitlist.length)));
    // `.style` (CSSOM), not a style attribute: a strict CSP (style-src without 'unsafe-inline') refuses the attribute.
    return html`
      <p class="places">${parts.join(' · ')}</p>
      <div class="bar" aria-hidden="true"><div class="fill" .style=${`inline-size: ${Math.min(1, taken / slot.capacity) * 100}%`}></div></div>
    `;
  }

  private renderPeople(slot: SignupSlotView, list: readonly SignupPerson[], waiting: boolean): unknown {
    if (list.length === 0) return nothing;
    const t = this.strings!;
    const organizer = this.model.value?.signsAsOrganizer ?? false;
    if (!this.showNames && !organizer) return nothing;
    const nameOf = (person: SignupPerson) => person.name ?? `${t.someone} (${person.author.slice(0, 8)})`;
    // A visitor's lists (a sheet shows thousands of people): plain rows, cloned (people-rows.ts).
    // An organizer's: one flat template per row, with its Remove button.
    const items = !organizer
      ? peopleRows(list.map((person): PeopleRow => [nameOf(person), person.note ?? '']))
      : list.map((person) => {
          const name = nameOf(person);
          return html`
            <li>
              <span class="person"><bdi>${name}</bdi>${person.note ? html` <span class="note">— <bdi>${person.note}</bdi></span>` : nothing}</span>
              <button part="button" type="button" class="remove" aria-label=${t.removePerson(name, slot.label)} ?disabled=${this.command.busy} @click=${() => this.handleRemove(slot, person)}>
                ${t.remove}
              </button>
            </li>
          `;
        });
    if (!waiting) return html`<ul part="people" class="people" aria-label=${t.confirmedList(slot.label)}>${items}</ul>`;
    return html`
      <p class="list-heading" aria-hidden="true">${t.waitlistHeading}</p>
      <ol part="people" class="people waitlist" aria-label=${t.waitlistList(slot.label)}>${items}</ol>
    `;
  }

  private renderJoinForm(slot: SignupSlotView, index: number): TemplateResult {
    const t = this.strings!;
    const failed = this.command.status === 'error';
    return html`
      <form class="join-form" novalidate @submit=${(event: SubmitEvent) => this.handleJoin(event, slot, index)} @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && this.handleCancelJoin(index)}>
        <fieldset ?disabled=${this.command.busy} aria-describedby=${failed ? `error-${index}` : nothing}>
          <legend>${t.joinLegend(slot.label)}</legend>
          <div class="field">
            <label for="name-${index}">${t.nameLabel}</label>
            <input part="input" id="name-${index}" name="name" autocomplete="name" maxlength=${MAX_DISPLAY_NAME} required aria-describedby="hint-${index}" .value=${this.displayName} />
            <p class="hint" id="hint-${index}">${t.nameHint}</p>
          </div>
          <div class="field">
            <label for="note-${index}">${t.noteLabel}</label>
            <input part="input" id="note-${index}" name="note" maxlength=${MAX_NOTE_LENGTH} />
          </div>
          ${this.command.renderError(`error-${index}`)}
          <div class="actions">
            <button part="button" class="primary" type="submit">${t.confirmJoin}</button>
            <button part="button" type="button" @click=${() => this.handleCancelJoin(index)}>${t.cancel}</button>
          </div>
        </fieldset>
      </form>
    `;
  }

  private renderSlot(slot: SignupSlotView, index: number, view: SignupView): TemplateResult {
    const t = this.strings!;
    const model = this.model.value;
    const standing = view.mine[slot.name];
    const time = slotTime(this.renderLang, slot.start, slot.end);
    const overAt = slotOverAt(slot);
    const over = overAt !== null && Date.now() > overAt;
    const mayJoin = model !== null && model.signer !== null && this.takesPart && !slot.closed;
    const calendar = standing ? this.calendarHref(slot, view.title) : null;
    const badge = standing ? (standing.state === 'confirmed' ? t.youConfirmed : t.youWaitlisted(this.number(standing.position))) : null;
    return html`
      <li part="slot" class="slot ${standing ? 'mine' : ''}" data-index=${index} data-slot=${slot.name}>
        <div class="slot-head">
          <span class="label" dir="auto">${slot.label}</span>
          ${badge ? html`<span part="badge" class="badge ${standing!.state}" id="badge-${index}">${badge}</span>` : nothing}
        </div>
        ${time ? html`<p class="when"><time datetime=${slot.start ?? ''}>${time}</time></p>` : nothing}
        ${slot.location ? html`<p class="where" dir="auto">${slot.location}</p>` : nothing}
        ${this.renderPlaces(slot)}
        ${this.renderPeople(slot, slot.confirmed, false)} ${this.renderPeople(slot, slot.waitlist, true)}
        ${index >= (model?.signupConfig.slots.length ?? Infinity) ? html`<p class="added-by">${t.addedByVisitor}</p>` : nothing}
        ${slot.closed ? html`<p class="closed-note">${over ? t.over : t.closed}</p>` : nothing}
        ${this.joining === slot.name && mayJoin && !standing
          ? this.renderJoinForm(slot, index)
          : html`
              <div class="actions">
                ${standing
                  ? html`<button part="button" type="button" class="withdraw" aria-label=${t.withdrawFrom(slot.label)} aria-describedby="badge-${index}" ?disabled=${this.command.busy || slot.closed} @click=${() => this.handleLeave(slot, index)}>${t.withdraw}</button>`
                  : mayJoin
                    ? html`<button part="button" type="button" class="join primary" aria-label=${slot.left === 0 ? t.joinWaitlistFor(slot.label) : t.signUpFor(slot.label)} ?disabled=${this.command.busy} @click=${() => this.handleOpenJoin(slot, index)}>
                        ${slot.left === 0 ? t.joinWaitlist : t.signUp}
                      </button>`
                    : nothing}
                ${calendar ? html`<a href=${calendar} download="${slot.name.replace(/[^\w-]+/g, '-')}.ics" aria-label=${t.addToCalendarFor(slot.label)}>${t.addToCalendar}</a>` : nothing}
                ${model?.signsAsOrganizer && !over
                  ? html`<button part="button" type="button" class="close" ?disabled=${this.command.busy} @click=${() => this.handleClose(slot)}>${slot.closed ? t.reopenSlot(slot.label) : t.closeSlot(slot.label)}</button>`
                  : nothing}
                ${model?.mayRemoveSlot(slot.name)
                  ? html`<button part="button" type="button" class="remove-slot" ?disabled=${this.command.busy} @click=${() => this.handleRemoveSlot(slot)}>${t.removeSlot(slot.label)}</button>`
                  : nothing}
              </div>
            `}
      </li>
    `;
  }

  private renderAdd(): TemplateResult | typeof nothing {
    const model = this.model.value;
    if (!this.open || !model || model.signer === null || !this.takesPart) return nothing;
    const t = this.strings!;
    const left = model.slotsLeftToAdd;
    if (!this.adding) {
      return left > 0
        ? html`<div class="actions"><button part="button" type="button" class="add" ?disabled=${this.command.busy} @click=${this.handleOpenAdd}>${t.addSlot}</button></div>`
        : nothing;
    }
    return html`
      <form class="add" novalidate @submit=${this.handleAdd} @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && this.handleCancelAdd()}>
        <fieldset ?disabled=${this.command.busy}>
          <legend>${t.addSlotLegend}</legend>
          <p class="hint">${t.slotsLeftToAdd(left, this.number(left))}</p>
          <div class="field">
            <label for="add-label">${t.slotLabel}</label>
            <input part="input" id="add-label" name="label" required maxlength=${MAX_LABEL_LENGTH} />
          </div>
          <div class="fields">
            <div class="field">
              <label for="add-capacity">${t.capacityLabel}</label>
              <input part="input" id="add-capacity" name="capacity" type="number" min="1" inputmode="numeric" aria-describedby="add-capacity-hint" />
              <p class="hint" id="add-capacity-hint">${t.capacityHint}</p>
            </div>
            <div class="field">
              <label for="add-start">${t.startLabel}</label>
              <input part="input" id="add-start" name="start" type="datetime-local" />
            </div>
            <div class="field">
              <label for="add-end">${t.endLabel}</label>
              <input part="input" id="add-end" name="end" type="datetime-local" />
            </div>
          </div>
          <div class="field">
            <label for="add-location">${t.locationLabel}</label>
            <input part="input" id="add-location" name="location" maxlength=${MAX_LABEL_LENGTH} />
          </div>
          ${this.command.renderError()}
          <div class="actions">
            <button part="button" class="primary" type="submit">${t.addSlotSubmit}</button>
            <button part="button" type="button" @click=${this.handleCancelAdd}>${t.cancel}</button>
          </div>
        </fieldset>
      </form>
    `;
  }

  /**
   * Every slot, rendered again only when something a slot shows changed: a long first sync
   * re-renders the widget for its progress line many times over the same (empty) sheet, and a
   * sheet of 50 slots is ~1 ms of templates each time. The minute is among the inputs: whether a
   * slot is over depends on the clock.
   */
  private renderSlots(view: SignupView): unknown {
    const model = this.model.value;
    const { command } = this;
    return guard(
      [view, model, model?.signer, model?.signsAsOrganizer, this.strings, this.renderLang, this.joining, command.status, command.message, this.displayName, this.takesPart, this.showNames, this.name, this.connection.room?.name, Math.floor(Date.now() / 60_000)],
      () => view.slots.map((slot, i) => this.renderSlot(slot, i, view)),
    );
  }

  override render(): TemplateResult {
    this.renderLang = this.localize.lang;
    const t = (this.strings = this.localize.t.signup);
    const view = this.shownView;
    const model = this.model.value;
    // A failure shows in the open form; any other (withdraw, close, remove) shows under the list.
    const joining = view.slots.find((slot) => slot.name === this.joining);
    const formOpen = (joining !== undefined && !joining.closed && view.mine[joining.name] === undefined) || this.adding;
    return this.renderFrame(
      'signup',
      html`
        ${view.title ? html`<p part="header" class="title" id="title" dir="auto">${view.title}</p>` : nothing}
        ${view.slots.length === 0
          ? html`<p class="summary">${t.noSlots}</p>`
          : html`<ul class="slots" aria-labelledby=${view.title ? 'title' : nothing}>${this.renderSlots(view)}</ul>`}
        ${formOpen ? nothing : this.command.renderError()} ${this.renderAdd()}
        ${model?.signsAsOrganizer
          ? html`<div class="actions"><button part="button" type="button" class="csv" @click=${this.handleDownloadCsv}>${t.downloadCsv}</button></div>`
          : nothing}
      `,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gather-signup': GatherSignup;
  }
}
