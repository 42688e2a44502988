import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { GatherError } from '../../src/errors.js';
import {
  backupFileName,
  createOrganizerKey,
  exportOrganizerKey,
  generatePassword,
  MAX_BACKUP_CHARS,
  MIN_PASSPHRASE_LENGTH,
  restoreOrganizerKey,
  type OrganizerKey,
} from '../../src/identity/backup.js';
import { inviteLink, MAX_INVITE_DEVICES, type Capability } from '../../src/identity/capability.js';
import { loadOrganizerKey, storeOrganizerKey } from '../../src/identity/organizer-store.js';
import { rememberRoomPassword, roomPassword } from '../../src/identity/room-passwords.js';
import { MembershipModel, type InviteView, type TrustView } from '../../src/models/membership.js';
import type { ChangeOrigin } from '../../src/models/model.types.js';
import { CommandController } from '../shared/command-controller.js';
import { GatherWidget, type ModelArgs } from '../shared/gather-widget.js';
import { passwordFor } from '../shared/page-invite.js';
import type { ProtectionFacts } from '../shared/protection.js';
import { refreshVisitorSigner } from '../shared/visitor-signer.js';
import { GatherInviteEvent } from './invite-event.js';
import { organizerStyles } from './organizer.styles.js';
import type { KeyStanding, OrganizerStrings } from './strings.js';
import './strings.js';

/** Members listed at most (the rest are counted). */
const MEMBERS_SHOWN = 200;
/** Expiry choices for an invite, in days (0: never). */
const EXPIRY_DAYS = [0, 1, 7, 30] as const;
const DAY_MS = 86_400_000;

const short = (key: string): string => (key.length > 12 ? `${key.slice(0, 10)}…` : key);

/**
 * An organizer's panel: make or restore the organizer key this browser acts as (and back it up
 * under a passphrase), add and remove the room's organizers, make invite links that admit a
 * bounded number of devices, remove members, and set a long room password that links carry.
 * Everyone sees who organizes the room; only an organizer sees the rest.
 *
 * @summary Organizer identity, invite links, members and the room password.
 *
 * @fires gather-change - The room's organizers or members changed (`detail.view`, `detail.origin`).
 * @fires gather-invite - This organizer made an invite link (`detail.link`, `id`, `max`, `expires`, `password`).
 *
 * @csspart base - The wrapper of everything.
 * @csspart identity - The organizer key section.
 * @csspart backup - The backup section.
 * @csspart restore - The restore section.
 * @csspart organizers - The room's organizers.
 * @csspart invites - Invite links.
 * @csspart members - The room's members.
 * @csspart password - The room password.
 * @csspart input - A text, number or file field.
 * @csspart button - A button.
 * @csspart notice - What just happened, in words.
 * @csspart status - The connection status line.
 * @csspart progress - While a large room arrives from a peer, or its signatures are checked: how far it got, with a progress bar.
 * @csspart storage - Says that this browser keeps nothing of what the visitor does (its storage is blocked or full).
 * @csspart membership - In a members-only room: where this visitor stands (organizer, member, not a member yet, …).
 * @csspart repaired - How many of the widget's entries this browser put back after a peer removed or damaged them.
 * @csspart trust-repaired - In a members-only room: how many of the room's organizer and member entries this browser put back.
 * @csspart protection - "How this room is protected".
 *
 * @cssprop --gather-organizer-gap - Space between the panel's sections.
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
export class GatherOrganizer extends GatherWidget<TrustView, MembershipModel> {
  static override styles = organizerStyles;

  static override properties: PropertyDeclarations = {
    key: { state: true },
    keyLoaded: { state: true },
    keptOnDevice: { state: true },
    notice: { state: true },
    link: { state: true },
    made: { state: true },
    forgetConfirmed: { state: true },
  };

  /** The organizer key this browser acts as; null when none (or not loaded yet). */
  declare key: OrganizerKey | null;
  declare keyLoaded: boolean;
  /** Whether the key is kept on this device (false: only while the page is open). */
  declare keptOnDevice: boolean;
  declare notice: string;
  /** The last invite link made here. */
  declare link: string;
  /** Invites made here, not yet used by anyone (so they can be withdrawn too). */
  declare made: readonly Capability[];
  declare forgetConfirmed: boolean;

  private readonly command = new CommandController(this);
  private restoreText: string | null = null;

  constructor() {
    super();
    // One panel per room: its entries are the room's, whatever its name.
    this.name = 'trust';
    this.key = null;
    this.keyLoaded = false;
    this.keptOnDevice = true;
    this.notice = '';
    this.link = '';
    this.made = [];
    this.forgetConfirmed = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadKey();
  }

  protected createModel({ room, signer, organizers, cache }: ModelArgs): MembershipModel {
    return new MembershipModel(room.doc, signer, { roots: organizers, room: room.name, cache });
  }

  protected emptyView(): TrustView {
    const roots = (this.organizer ?? '').split(/[\s,]+/).filter(Boolean);
    return { roots, organizers: roots, members: [], invites: [], withdrawn: [], unlisted: 0 };
  }

  protected nameSource(): string {
    return 'trust';
  }

  protected override get protectionFacts(): ProtectionFacts {
    return { ...super.protectionFacts, organizers: this.shownView.organizers.length };
  }

  protected override viewChanged(view: TrustView, origin: ChangeOrigin): void {
    if (origin !== 'remote') return;
    const members = view.members.filter((m) => m.state === 'member').length;
    this.announcer.announce(this.t.membersNow(members, this.localize.number(members)));
  }

  /* ---------------------------------------------------------------- helpers */

  private get t(): OrganizerStrings {
    return this.localize.t.organizer;
  }

  private get roomName(): string | null {
    return this.connection.room?.name ?? null;
  }

  /** Whether this browser signs as an organizer of the room. */
  private get isOrganizer(): boolean {
    const me = this.identity.signer?.publicKey;
    return me !== undefined && this.model.value?.isOrganizer(me) === true;
  }

  private say(text: string): void {
    this.notice = text;
    this.announcer.announce(text);
  }

  private field(id: string): HTMLInputElement | HTMLSelectElement | null {
    return this.renderRoot.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`);
  }

  private errorText(error: unknown): string {
    if (error instanceof GatherError) {
      switch (error.code) {
        case 'wrong-passphrase':
          return this.t.wrongPassphrase;
        case 'invalid-backup':
          return this.t.notABackup;
        case 'unsupported-algorithm':
          return this.t.unsupported;
        case 'not-organizer':
          return this.t.notOrganizer;
        case 'invalid-field':
          return this.t.notAKey;
        default:
          break;
      }
    }
    return this.t.failed;
  }

  /** Runs `command`; a failure is shown in words chosen for its error. */
  private act(command: () => Promise<unknown>): Promise<boolean> {
    return this.command.run(command, { failure: (error) => this.errorText(error) });
  }

  private async loadKey(): Promise<void> {
    this.key = await loadOrganizerKey();
    this.keyLoaded = true;
  }

  /** Holds `key` as this browser's organizer identity (null: none) and has the page's widgets sign with it. */
  private async useKey(key: OrganizerKey | null): Promise<void> {
    this.keptOnDevice = await storeOrganizerKey(key);
    this.key = key;
    refreshVisitorSigner();
  }

  /* ---------------------------------------------------------------- handlers */

  private handleCreate(): void {
    void this.act(async () => {
      await this.useKey(await createOrganizerKey());
      this.say(this.t.created);
    });
  }

  private handleCopy(text: string, id: string): void {
    const select = () => (this.field(id) as HTMLInputElement | null)?.select();
    const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard;
    if (clipboard === undefined) {
      select();
      return;
    }
    clipboard.writeText(text).then(
      () => this.say(this.t.copied),
      () => select(),
    );
  }

  private handleBackup(event: Event): void {
    event.preventDefault();
    const key = this.key;
    if (key === null) return;
    const first = this.field('passphrase')?.value ?? '';
    const second = this.field('passphrase-again')?.value ?? '';
    if ([...first].length < MIN_PASSPHRASE_LENGTH) return this.command.fail(this.t.passphraseShort(MIN_PASSPHRASE_LENGTH, this.localize.number(MIN_PASSPHRASE_LENGTH)));
    if (first !== second) return this.command.fail(this.t.passphraseDiffer);
    void this.act(async () => {
      const text = await exportOrganizerKey(key, first);
      const name = backupFileName(key.publicKey);
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.hidden = true;
      this.renderRoot.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      for (const id of ['passphrase', 'passphrase-again']) {
        const input = this.field(id);
        if (input) input.value = '';
      }
      this.say(this.t.downloaded(name));
    });
  }

  private async handleFile(event: Event): Promise<void> {
    const file = (event.target as HTMLInputElement).files?.[0];
    this.command.clear();
    this.restoreText = null;
    if (file === undefined) return;
    this.restoreText = file.size > MAX_BACKUP_CHARS * 4 ? '' : await file.text();
  }

  private handleRestore(event: Event): void {
    event.preventDefault();
    const text = this.restoreText;
    if (text === null) return this.command.fail(this.t.noFile);
    const passphrase = this.field('restore-passphrase')?.value ?? '';
    void this.act(async () => {
      await this.useKey(await restoreOrganizerKey(text, passphrase));
      const input = this.field('restore-passphrase');
      if (input) input.value = '';
      this.say(this.t.restored);
    });
  }

  private handleForget(): void {
    if (!this.forgetConfirmed) return;
    void this.act(async () => {
      await this.useKey(null);
      this.forgetConfirmed = false;
      this.say(this.t.forgotten);
    });
  }

  private handleAddOrganizer(event: Event): void {
    event.preventDefault();
    const model = this.model.value;
    const input = this.field('new-organizer');
    const key = input?.value.trim() ?? '';
    if (model === null) return;
    void this.act(async () => {
      await model.addOrganizer(key);
      if (input) input.value = '';
    });
  }

  private handleRemoveOrganizer(key: string): void {
    const model = this.model.value;
    if (model) void this.act(() => model.removeOrganizer(key));
  }

  private handleInvite(event: Event): void {
    event.preventDefault();
    const model = this.model.value;
    const room = this.roomName;
    if (model === null || room === null) return;
    const max = Number(this.field('invite-max')?.value ?? '');
    const days = Number(this.field('invite-expires')?.value ?? '0');
    const withPassword = (this.field('invite-password') as HTMLInputElement | null)?.checked === true;
    void this.act(async () => {
      const capability = await model.createInvite({ max: Math.floor(max), expires: days > 0 ? Date.now() + days * DAY_MS : null });
      const page = new URL(location.href);
      page.hash = '';
      const password = withPassword ? passwordFor(room) : null;
      this.link = inviteLink(page.href, capability, password);
      this.made = [...this.made, capability];
      this.say(this.t.inviteMade(capability.max, this.localize.number(capability.max)));
      this.emit(new GatherInviteEvent({ link: this.link, id: capability.id, max: capability.max, expires: capability.expires, password: password !== null }));
    });
  }

  private handleWithdraw(id: string, withdrawn: boolean): void {
    const model = this.model.value;
    if (model) void this.act(() => model.withdrawInvite(id, withdrawn));
  }

  private handleRevoke(key: string, revoked: boolean): void {
    const model = this.model.value;
    if (model) void this.act(() => model.revokeMember(key, revoked));
  }

  private handleGeneratePassword(): void {
    const room = this.roomName;
    if (room === null) return;
    rememberRoomPassword(room, generatePassword());
    this.say(this.t.passwordSet);
  }

  private handleStopPassword(): void {
    const room = this.roomName;
    if (room === null) return;
    rememberRoomPassword(room, null);
    this.say(this.t.passwordStopped);
  }

  /* ---------------------------------------------------------------- render */

  private standing(view: TrustView, key: string): KeyStanding {
    if (view.roots.includes(key)) return 'root';
    return view.organizers.includes(key) ? 'added' : 'not-named';
  }

  private renderIdentity(view: TrustView): TemplateResult {
    const t = this.t;
    const key = this.key;
    const busy = this.command.busy || !this.keyLoaded;
    if (key === null) {
      return html`
        <fieldset part="identity">
          <legend>${t.identityLegend}</legend>
          <p>${t.noKey}</p>
          <div class="actions">
            <button part="button" class="primary" type="button" ?disabled=${busy || !this.canSign} @click=${this.handleCreate}>${t.create}</button>
          </div>
        </fieldset>
      `;
    }
    const snippet = `organizer="${key.publicKey}"`;
    return html`
      <fieldset part="identity">
        <legend>${t.identityLegend}</legend>
        <p>${t.hasKey} ${t.standing(this.standing(view, key.publicKey))}</p>
        ${this.keptOnDevice ? nothing : html`<p class="error">${t.keptOnPage}</p>`}
        <div class="row">
          <label>${t.publicKey}<input part="input" id="public-key" readonly .value=${key.publicKey} /></label>
          <button part="button" type="button" aria-label=${`${t.copy}: ${t.publicKey}`} @click=${() => this.handleCopy(key.publicKey, 'public-key')}>${t.copy}</button>
        </div>
        <div class="row">
          <label>${t.snippet}<input part="input" id="snippet" readonly .value=${snippet} /></label>
          <button part="button" type="button" aria-label=${`${t.copy}: ${t.snippet}`} @click=${() => this.handleCopy(snippet, 'snippet')}>${t.copy}</button>
        </div>
      </fieldset>
      <fieldset part="backup">
        <legend>${t.backupLegend}</legend>
        <p class="help">${t.backupHelp}</p>
        <form class="row" novalidate @submit=${this.handleBackup}>
          <label
            >${t.passphrase}<input part="input" id="passphrase" type="password" autocomplete="new-password" aria-describedby="passphrase-hint" minlength=${MIN_PASSPHRASE_LENGTH} required
          /></label>
          <label>${t.passphraseAgain}<input part="input" id="passphrase-again" type="password" autocomplete="new-password" required /></label>
          <button part="button" type="submit" ?disabled=${busy}>${t.download}</button>
        </form>
        <p class="help" id="passphrase-hint">${t.passphraseHint(MIN_PASSPHRASE_LENGTH, this.localize.number(MIN_PASSPHRASE_LENGTH))}</p>
      </fieldset>
    `;
  }

  private renderRestore(): TemplateResult {
    const t = this.t;
    const busy = this.command.busy || !this.keyLoaded;
    return html`
      <fieldset part="restore">
        <legend>${t.restoreLegend}</legend>
        <p class="help">${t.restoreHelp}</p>
        <form class="row" novalidate @submit=${this.handleRestore}>
          <label>${t.file}<input part="input" id="restore-file" type="file" accept=".json,application/json" @change=${this.handleFile} /></label>
          <label>${t.passphrase}<input part="input" id="restore-passphrase" type="password" autocomplete="current-password" /></label>
          <button part="button" type="submit" ?disabled=${busy || !this.canSign}>${t.restore}</button>
        </form>
        ${this.key === null
          ? nothing
          : html`<div class="row">
              <label class="check"
                ><input type="checkbox" .checked=${this.forgetConfirmed} @change=${(e: Event) => (this.forgetConfirmed = (e.target as HTMLInputElement).checked)} />${t.forgetConfirm}</label
              >
              <button part="button" type="button" ?disabled=${busy || !this.forgetConfirmed} @click=${this.handleForget}>${t.forget}</button>
            </div>`}
      </fieldset>
    `;
  }

  private renderOrganizers(view: TrustView): TemplateResult {
    const t = this.t;
    const me = this.identity.signer?.publicKey;
    const organizer = this.isOrganizer;
    return html`
      <fieldset part="organizers">
        <legend>${t.organizersLegend}</legend>
        <ul class="list">
          ${view.organizers.map(
            (key) => html`<li>
              <code title=${key}>${short(key)}</code>
              ${view.roots.includes(key) ? html`<span class="tag">${t.namedByPage}</span>` : nothing}
              ${key === me ? html`<span class="tag">${t.you}</span>` : nothing}
              ${organizer && !view.roots.includes(key)
                ? html`<button part="button" type="button" aria-label=${t.remove(short(key))} ?disabled=${this.command.busy} @click=${() => this.handleRemoveOrganizer(key)}>${t.removeVisible}</button>`
                : nothing}
            </li>`,
          )}
        </ul>
        ${organizer
          ? html`<form class="row" novalidate @submit=${this.handleAddOrganizer}>
                <label>${t.addLabel}<input part="input" id="new-organizer" autocomplete="off" spellcheck="false" required /></label>
                <button part="button" type="submit" ?disabled=${this.command.busy}>${t.add}</button>
              </form>
              <p class="help">${t.organizersHelp}</p>`
          : nothing}
      </fieldset>
    `;
  }

  private renderInvites(view: TrustView): TemplateResult {
    const t = this.t;
    const room = this.roomName;
    const hasPassword = room !== null && passwordFor(room) !== null;
    const used = new Map<string, InviteView>(view.invites.map((invite) => [invite.id, invite]));
    const unused = this.made.filter((c) => !used.has(c.id));
    return html`
      <fieldset part="invites">
        <legend>${t.invitesLegend}</legend>
        <p class="help">${t.invitesHelp}</p>
        <form class="row" novalidate @submit=${this.handleInvite}>
          <label>${t.max}<input part="input" id="invite-max" type="number" min="1" max=${MAX_INVITE_DEVICES} step="1" value="10" required /></label>
          <label
            >${t.expires}<select part="input" id="invite-expires">
              ${EXPIRY_DAYS.map((days) => html`<option value=${days}>${days === 0 ? t.never : t.days(days, this.localize.number(days))}</option>`)}
            </select></label
          >
          ${hasPassword ? html`<label class="check"><input id="invite-password" type="checkbox" checked />${t.includePassword}</label>` : nothing}
          <button part="button" class="primary" type="submit" ?disabled=${this.command.busy}>${t.makeInvite}</button>
        </form>
        ${this.link
          ? html`<div class="row">
              <label>${t.inviteLink}<input part="input" id="invite-link" readonly .value=${this.link} /></label>
              <button part="button" type="button" aria-label=${`${t.copy}: ${t.inviteLink}`} @click=${() => this.handleCopy(this.link, 'invite-link')}>${t.copy}</button>
            </div>`
          : nothing}
        ${view.invites.length === 0 && unused.length === 0
          ? html`<p class="help">${t.noInvitesUsed}</p>`
          : html`<ul class="list">
              ${[...view.invites, ...unused.map((c) => ({ id: c.id, max: c.max, admitted: 0, withdrawn: view.withdrawn.includes(c.id) }))].map(
                (invite) => html`<li>
                  <code>${invite.id.slice(0, 6)}</code>
                  <span>${t.inviteUse(invite.admitted, invite.max, this.localize.number(invite.admitted), this.localize.number(invite.max))}</span>
                  ${invite.withdrawn ? html`<span class="tag">${t.withdrawn}</span>` : nothing}
                  <button
                    part="button"
                    type="button"
                    aria-label=${invite.withdrawn ? t.reopen(invite.id.slice(0, 6)) : t.withdraw(invite.id.slice(0, 6))}
                    ?disabled=${this.command.busy}
                    @click=${() => this.handleWithdraw(invite.id, !invite.withdrawn)}
                  >
                    ${invite.withdrawn ? t.reopenVisible : t.withdrawVisible}
                  </button>
                </li>`,
              )}
            </ul>`}
      </fieldset>
    `;
  }

  private renderMembers(view: TrustView): TemplateResult {
    const t = this.t;
    const shown = view.members.slice(0, MEMBERS_SHOWN);
    return html`
      <fieldset part="members">
        <legend>${t.membersLegend}</legend>
        ${shown.length === 0
          ? html`<p class="help">${t.noMembers}</p>`
          : html`<ul class="list">
              ${shown.map((member) => {
                const revoked = member.state === 'revoked';
                const canAct = member.state === 'member' || revoked;
                return html`<li>
                  <code title=${member.author}>${short(member.author)}</code>
                  <span class="tag">${t.memberState(member.state)}</span>
                  ${canAct
                    ? html`<button
                        part="button"
                        type="button"
                        aria-label=${revoked ? t.restoreMember(short(member.author)) : t.revoke(short(member.author))}
                        ?disabled=${this.command.busy}
                        @click=${() => this.handleRevoke(member.author, !revoked)}
                      >
                        ${revoked ? t.restoreMemberVisible : t.revokeVisible}
                      </button>`
                    : nothing}
                </li>`;
              })}
            </ul>`}
        ${view.members.length + view.unlisted > MEMBERS_SHOWN ? html`<p class="help">${t.more(view.members.length + view.unlisted - shown.length, this.localize.number(view.members.length + view.unlisted - shown.length))}</p>` : nothing}
      </fieldset>
    `;
  }

  private renderPassword(): TemplateResult {
    const t = this.t;
    const room = this.roomName;
    const held = room === null ? null : roomPassword(room);
    const effective = this.protectionFacts.password;
    const fromPage = effective && held === null && (room === null || passwordFor(room) === null);
    return html`
      <fieldset part="password">
        <legend>${t.passwordLegend}</legend>
        ${held !== null
          ? html`<p>${t.passwordHeld}</p>
              <div class="row">
                <label>${t.passwordLabel}<input part="input" id="room-password" readonly .value=${held} /></label>
                <button part="button" type="button" aria-label=${`${t.copy}: ${t.passwordLabel}`} @click=${() => this.handleCopy(held, 'room-password')}>${t.copy}</button>
              </div>`
          : html`<p>${fromPage ? t.passwordFromPage : t.passwordNone}</p>`}
        <p class="help">${t.passwordProtects}</p>
        <p class="help">${t.passwordDoesNot}</p>
        <p class="help">${t.passwordNewRoom}</p>
        ${fromPage
          ? nothing
          : html`<div class="actions">
              <button part="button" type="button" ?disabled=${room === null} @click=${this.handleGeneratePassword}>${t.generate}</button>
              ${held !== null ? html`<button part="button" type="button" @click=${this.handleStopPassword}>${t.stopPassword}</button>` : nothing}
            </div>`}
      </fieldset>
    `;
  }

  override render(): TemplateResult {
    const view = this.shownView;
    const organizer = this.isOrganizer;
    return this.renderFrame(
      'organizer',
      html`
        ${this.renderIdentity(view)} ${this.renderRestore()} ${this.renderOrganizers(view)}
        ${organizer ? html`${this.renderInvites(view)} ${this.renderMembers(view)} ${this.renderPassword()}` : nothing}
        ${this.command.renderError()}
        ${this.notice ? html`<p part="notice" class="notice">${this.notice}</p>` : nothing}
      `,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gather-organizer': GatherOrganizer;
  }
}
