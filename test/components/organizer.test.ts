// <gather-organizer> in Chromium: an organizer key made, backed up and restored with WebCrypto
// here; organizers added; invite links made; members removed; the room password; keyboard paths;
// axe. And the kit's side: "How this room is protected" on every widget, members-only polls,
// joining with the page's invite link.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/index.js';
import '../../components/organizer/define.js';
import { resetPageInvite } from '../../components/shared/page-invite.js';
import { backupPublicKey, createOrganizerKey, exportOrganizerKey, MIN_BACKUP_ITERATIONS, restoreOrganizerKey } from '../../src/identity/backup.js';
import { fromBase64url, toBase64url } from '../../src/identity/base64url.js';
import { createCapability, readInviteFragment } from '../../src/identity/capability.js';
import { createSigner } from '../../src/identity/keys.js';
import { loadOrganizerKey, storeOrganizerKey } from '../../src/identity/organizer-store.js';
import { rememberRoomPassword, roomPassword } from '../../src/identity/room-passwords.js';
import { signEntry } from '../../src/identity/entries.js';
import { verifyEntry } from '../../src/identity/verification.js';
import type { Signer } from '../../src/identity/types.js';
import { MembershipModel } from '../../src/models/membership.js';
import { PollModel } from '../../src/models/poll.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import { attributeOptions, DEFAULT_ROOM_OPTIONS, resolveRoomOptions, sameRoomOptions } from '../../src/room/options.js';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';

let rooms = 0;
const shadow = (el: Element) => el.shadowRoot!;
const buttons = (el: Element) => [...shadow(el).querySelectorAll('button')];
const button = (el: Element, text: string) => {
  const found = buttons(el).find((b) => b.textContent!.trim() === text || b.getAttribute('aria-label') === text);
  if (!found) throw new Error(`no button "${text}" among ${buttons(el).map((b) => b.textContent!.trim()).join(', ')}`);
  return found;
};
const input = (el: Element, id: string) => shadow(el).querySelector<HTMLInputElement>(`#${id}`)!;
const text = (el: Element, selector: string) => shadow(el).querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

async function mountOrganizer(signer: Signer | null, organizers: readonly string[], extra = html``) {
  const network = new MemoryNetwork();
  const room = `organizer-${++rooms}-${Date.now()}`;
  const wrapper = await fixture<HTMLElement>(html`
    <gather-room room=${room} .source=${network.source()} .signer=${signer === null ? undefined : Promise.resolve(signer)}>
      <gather-organizer organizer=${organizers.join(' ')}></gather-organizer>
      ${extra}
    </gather-room>
  `);
  const panel = wrapper.querySelector('gather-organizer')!;
  await panel.ready;
  await waitUntil(() => (panel as unknown as { keyLoaded: boolean }).keyLoaded, 'key never loaded');
  await panel.updateComplete;
  return { network, room, wrapper, panel };
}

/** Captures what the panel hands to URL.createObjectURL (the backup download). */
function captureDownloads() {
  const blobs: Blob[] = [];
  const original = URL.createObjectURL;
  URL.createObjectURL = (blob: Blob | MediaSource) => {
    blobs.push(blob as Blob);
    return original.call(URL, blob);
  };
  return { blobs, restore: () => (URL.createObjectURL = original) };
}

describe('organizer key backup in Chromium', () => {
  it('backs up and restores both kinds of key with WebCrypto', async () => {
    for (const alg of ['Ed25519', 'ECDSA-P256'] as const) {
      const key = await createOrganizerKey(alg);
      const file = await exportOrganizerKey(key, 'a passphrase long enough', { iterations: MIN_BACKUP_ITERATIONS });
      expect(backupPublicKey(file)).to.equal(key.publicKey);
      const restored = await restoreOrganizerKey(file, 'a passphrase long enough');
      expect(restored.publicKey).to.equal(key.publicKey);
      expect(await verifyEntry(await signEntry(restored.signer, { type: 'close', scope: 'poll:x', closed: true }))).to.equal(true);
      let code = '';
      await restoreOrganizerKey(file, 'another passphrase!').catch((e: { code: string }) => (code = e.code));
      expect(code).to.equal('wrong-passphrase');
    }
  });

  it('restores a file made by `gather keygen` (node:crypto) to the same key', async () => {
    // Written by `GATHER_PASSPHRASE='keygen fixture passphrase' gather keygen` (600,000 iterations).
    const file = KEYGEN_FIXTURE;
    const restored = await restoreOrganizerKey(file, 'keygen fixture passphrase');
    expect(restored.publicKey).to.equal(JSON.parse(file).publicKey);
  });
});

describe('<gather-organizer>', () => {
  failOnLitWarnings();
  afterEach(async () => {
    await storeOrganizerKey(null);
    resetPageInvite();
  });

  it('creates an organizer key, shows its public key and snippet, backs it up, forgets it and restores it — by keyboard', async () => {
    const { panel } = await mountOrganizer(null, []);
    expect(text(panel, '[part=identity] p')).to.contain('no organizer key');
    await expect(panel).to.be.accessible();

    // Tab to "Create an organizer key" and press Enter.
    button(panel, 'Create an organizer key').focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => input(panel, 'public-key')?.value, 'no key made');
    const stored = await loadOrganizerKey();
    expect(stored, 'kept on the device').to.not.equal(null);
    expect(input(panel, 'public-key').value).to.equal(stored!.publicKey);
    expect(input(panel, 'snippet').value).to.equal(`organizer="${stored!.publicKey}"`);
    expect(text(panel, '[part=identity] p')).to.contain('does not name it yet');
    expect(text(panel, '[part=notice]')).to.contain('Organizer key created');
    await expect(panel).to.be.accessible();

    // Back up: a passphrase too short, two that differ, then a good one; by keyboard.
    const downloads = captureDownloads();
    try {
      input(panel, 'passphrase').focus();
      await sendKeys({ type: 'short' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ type: 'short' });
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => text(panel, '[role=alert]').includes('at least 10'), 'short passphrase accepted');
      input(panel, 'passphrase').value = 'one long passphrase';
      input(panel, 'passphrase-again').value = 'another long passphrase';
      button(panel, 'Download the backup file').click();
      await waitUntil(() => text(panel, '[role=alert]').includes('differ'), 'different passphrases accepted');
      input(panel, 'passphrase').value = 'one long passphrase';
      input(panel, 'passphrase-again').value = 'one long passphrase';
      button(panel, 'Download the backup file').click();
      await waitUntil(() => downloads.blobs.length === 1, 'nothing downloaded', { timeout: 10_000 });
    } finally {
      downloads.restore();
    }
    const backup = await downloads.blobs[0]!.text();
    expect(backupPublicKey(backup)).to.equal(stored!.publicKey);
    expect(input(panel, 'passphrase').value, 'the passphrase field is cleared').to.equal('');
    expect(text(panel, '[part=notice]')).to.match(/Backup saved as organizer-.*\.gather-key\.json/);

    // Forget (only once the backup is confirmed), then restore from the file.
    expect(button(panel, 'Forget the key on this browser').disabled).to.equal(true);
    shadow(panel).querySelector<HTMLInputElement>('[part=restore] input[type=checkbox]')!.click();
    await panel.updateComplete;
    button(panel, 'Forget the key on this browser').click();
    await waitUntil(() => text(panel, '[part=identity] p').includes('no organizer key'), 'not forgotten');
    expect(await loadOrganizerKey()).to.equal(null);

    const fileInput = input(panel, 'restore-file');
    const transfer = new DataTransfer();
    transfer.items.add(new File([backup], 'backup.json', { type: 'application/json' }));
    fileInput.files = transfer.files;
    fileInput.dispatchEvent(new Event('change'));
    await waitUntil(() => (panel as unknown as { restoreText: string | null }).restoreText !== null, 'file not read');
    input(panel, 'restore-passphrase').value = 'wrong passphrase here';
    button(panel, 'Restore').click();
    await waitUntil(() => text(panel, '[role=alert]').includes('does not open'), 'wrong passphrase opened it', { timeout: 10_000 });
    input(panel, 'restore-passphrase').focus();
    input(panel, 'restore-passphrase').value = '';
    await sendKeys({ type: 'one long passphrase' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => input(panel, 'public-key')?.value === stored!.publicKey, 'not restored', { timeout: 10_000 });
    expect((await loadOrganizerKey())?.publicKey).to.equal(stored!.publicKey);
    expect(text(panel, '[part=notice]')).to.contain('restored');
  });

  it('the page\'s widgets sign with the organizer key once it is restored (no signer of their own)', async () => {
    const key = await createOrganizerKey();
    const network = new MemoryNetwork();
    const room = `organizer-visitor-${++rooms}`;
    const wrapper = await fixture<HTMLElement>(html`
      <gather-room room=${room} .source=${network.source()}>
        <gather-organizer organizer=${key.publicKey}></gather-organizer>
        <gather-poll name="p" question="Q?" organizer=${key.publicKey}><option value="a">A</option></gather-poll>
      </gather-room>
    `);
    const panel = wrapper.querySelector('gather-organizer')!;
    const poll = wrapper.querySelector('gather-poll')!;
    await poll.ready;
    const modelOf = (el: Element) => (el as unknown as { model: { value: { signsAsOrganizer: boolean } | null } }).model.value;
    expect(modelOf(poll)?.signsAsOrganizer, 'the device key is no organizer').to.equal(false);
    // Restored in the panel (through its file and passphrase).
    const file = await exportOrganizerKey(key, 'a long passphrase!', { iterations: MIN_BACKUP_ITERATIONS });
    await waitUntil(() => (panel as unknown as { keyLoaded: boolean }).keyLoaded);
    const transfer = new DataTransfer();
    transfer.items.add(new File([file], 'k.json'));
    input(panel, 'restore-file').files = transfer.files;
    input(panel, 'restore-file').dispatchEvent(new Event('change'));
    await waitUntil(() => (panel as unknown as { restoreText: string | null }).restoreText !== null);
    input(panel, 'restore-passphrase').value = 'a long passphrase!';
    button(panel, 'Restore').click();
    await waitUntil(() => modelOf(poll)?.signsAsOrganizer === true, 'the poll never signed as the organizer', { timeout: 10_000 });
    await waitUntil(() => text(panel, '[part=identity] p').includes('This page names it'), 'standing not shown');
  });

  it('an organizer adds and removes organizers, makes invite links, sees members join and removes one', async () => {
    const root = await createSigner();
    const { network, room, panel } = await mountOrganizer(root, [root.publicKey]);
    expect(text(panel, '[part=organizers] li')).to.contain('named by the page');
    // Add an organizer by typing a key.
    const other = await createSigner();
    input(panel, 'new-organizer').focus();
    await sendKeys({ type: other.publicKey });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => panel.view?.organizers.includes(other.publicKey), 'not added');
    // A bad key is refused in words.
    input(panel, 'new-organizer').value = 'not a key!';
    button(panel, 'Add organizer').click();
    await waitUntil(() => text(panel, '[role=alert]') === 'That is not a public key.', 'bad key accepted');
    button(panel, `Remove organizer ${other.publicKey.slice(0, 10)}…`).click();
    await waitUntil(() => !panel.view?.organizers.includes(other.publicKey), 'not removed');

    // An invite link for two devices, with the room password.
    rememberRoomPassword(room, 'correct-horse-battery');
    await panel.updateComplete;
    input(panel, 'invite-max').value = '2';
    const made = oneEvent(panel, 'gather-invite');
    button(panel, 'Make an invite link').click();
    const { detail } = await made;
    expect(detail.max).to.equal(2);
    expect(detail.password).to.equal(true);
    const fragment = readInviteFragment(new URL(detail.link).hash)!;
    expect(fragment.password).to.equal('correct-horse-battery');
    expect(new URL(detail.link).search, 'nothing in the query').to.equal(new URL(location.href).search);
    await waitUntil(() => input(panel, 'invite-link')?.value === detail.link);

    // Three devices elsewhere join with it (the room is the password room now).
    const options = { ...DEFAULT_ROOM_OPTIONS, password: 'correct-horse-battery' };
    const joiners = await Promise.all([0, 1, 2].map(() => createSigner()));
    const states = [];
    for (const signer of joiners) {
      const m = new MembershipModel(network.source().acquire(room, options).doc, signer, { roots: [root.publicKey], room });
      states.push(await m.join(fragment.code!));
      m.destroy();
    }
    expect(states).to.deep.equal(['member', 'member', 'over-limit']);
    await waitUntil(() => shadow(panel).querySelectorAll('[part=members] li').length === 3, 'members not listed');
    expect(text(panel, '[part=invites] li')).to.contain('2 of 2 places taken');
    await expect(panel).to.be.accessible();

    // Remove the first member; take them back.
    const first = panel.view!.members[0]!.author;
    button(panel, `Remove member ${first.slice(0, 10)}…`).click();
    await waitUntil(() => panel.view!.members[0]!.state === 'revoked', 'not revoked');
    button(panel, `Take member ${first.slice(0, 10)}… back`).click();
    await waitUntil(() => panel.view!.members[0]!.state === 'member', 'not taken back');
    // Withdraw the invite.
    button(panel, `Withdraw invite ${detail.id.slice(0, 6)}`).click();
    await waitUntil(() => panel.view!.withdrawn.includes(detail.id), 'not withdrawn');
    rememberRoomPassword(room, null);
  });

  it('generates a long room password, says what it protects and what it does not, and stops using it', async () => {
    const root = await createSigner();
    const { room, panel } = await mountOrganizer(root, [root.publicKey]);
    expect(text(panel, '[part=password]')).to.contain('no password');
    expect(text(panel, '[part=password]')).to.contain('keeps out strangers');
    expect(text(panel, '[part=password]')).to.contain('does not protect against members who pass it');
    button(panel, 'Make a new long password').click();
    await waitUntil(() => input(panel, 'room-password')?.value, 'no password');
    const password = input(panel, 'room-password').value;
    expect(password).to.match(/^[a-z2-9]{5}(-[a-z2-9]{5}){4}$/);
    expect(roomPassword(room)).to.equal(password);
    // The panel itself asks for the password room now (in-memory rooms are one per name; WebRTC
    // rooms are one per name and password: test/p2p/trust.test.ts).
    await waitUntil(() => text(panel, '[part=protection]').includes('This room has a password'), 'protection panel does not say so');
    await expect(panel).to.be.accessible();
    button(panel, 'Stop using the password here').click();
    await waitUntil(() => roomPassword(room) === null && text(panel, '[part=password]').includes('no password'), 'not stopped');
  });

  it('a visitor who is no organizer sees who organizes, and nothing else to do', async () => {
    const root = await createSigner();
    const { panel } = await mountOrganizer(await createSigner(), [root.publicKey]);
    expect(shadow(panel).querySelector('[part=invites]')).to.equal(null);
    expect(shadow(panel).querySelector('[part=members]')).to.equal(null);
    expect(shadow(panel).querySelector('#new-organizer')).to.equal(null);
    expect(text(panel, '[part=organizers] li')).to.contain('named by the page');
    await expect(panel).to.be.accessible();
  });

  it('speaks Spanish', async () => {
    const root = await createSigner();
    const network = new MemoryNetwork();
    const wrapper = await fixture<HTMLElement>(html`
      <div lang="es"><gather-organizer room=${`org-es-${++rooms}`} organizer=${root.publicKey} .source=${network.source()} .signer=${Promise.resolve(root)}></gather-organizer></div>
    `);
    const panel = wrapper.querySelector('gather-organizer')!;
    await panel.ready;
    await panel.updateComplete;
    expect(text(panel, '[part=invites] legend')).to.equal('Enlaces de invitación');
    expect(text(panel, 'summary')).to.equal('Cómo se protege esta sala · abierta a cualquiera');
  });
});

describe('every widget: how its room is protected, members-only, invite links', () => {
  failOnLitWarnings();
  afterEach(() => {
    history.replaceState(null, '', location.pathname + location.search);
    resetPageInvite();
  });

  it('an open poll says its counts are open to anyone; the panel opens by keyboard and is accessible', async () => {
    const network = new MemoryNetwork();
    const wrapper = await fixture<HTMLElement>(html`
      <gather-room room=${`open-${++rooms}`} .source=${network.source()} .signer=${createSigner()}>
        <gather-poll name="p" question="Which evening?"><option value="tue">Tuesday</option></gather-poll>
      </gather-room>
    `);
    const poll = wrapper.querySelector('gather-poll')!;
    await poll.ready;
    await poll.updateComplete;
    const summary = shadow(poll).querySelector('summary')!;
    expect(summary.textContent).to.equal('How this room is protected · open to anyone');
    const details = shadow(poll).querySelector('details')!;
    expect(details.open).to.equal(false);
    summary.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => details.open, 'Enter did not open it');
    const items = [...details.querySelectorAll('li')].map((li) => li.textContent!);
    expect(items.some((t) => t.includes('counts are open to anyone'))).to.equal(true);
    expect(items.some((t) => t.includes('No password'))).to.equal(true);
    expect(items.some((t) => t.includes('No server keeps this room'))).to.equal(true);
    expect(items.some((t) => t.includes('can see your IP address'))).to.equal(true);
    expect(shadow(poll).querySelector('[part=membership]'), 'no membership line in an open room').to.equal(null);
    await expect(poll).to.be.accessible();
  });

  it('a members-only poll counts only members; a visitor opening an invite link joins, and the link leaves the address bar', async () => {
    const root = await createSigner();
    const network = new MemoryNetwork();
    const room = `members-${++rooms}`;
    // Someone already voted without being a member.
    const stranger = new PollModel(network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc, 'p', { question: 'Q', options: [{ id: 'tue', label: 'Tuesday' }] }, await createSigner(), { room });
    await stranger.vote('tue');
    const invite = await createCapability(root, { room, max: 5 });
    history.replaceState(null, '', `${location.pathname}${location.search}#invite=${invite.code}`);
    resetPageInvite();
    const me = await createSigner();
    const wrapper = await fixture<HTMLElement>(html`
      <gather-room room=${room} .source=${network.source()} .signer=${Promise.resolve(me)}>
        <gather-poll name="p" members-only organizer=${root.publicKey} results="always" question="Q"><option value="tue">Tuesday</option></gather-poll>
      </gather-room>
    `);
    const poll = wrapper.querySelector('gather-poll')!;
    await poll.ready;
    expect(poll.view!.total, 'the stranger does not count').to.equal(0);
    await waitUntil(() => text(poll, '[part=membership]').includes('You are a member'), `membership line: "${text(poll, '[part=membership]')}"`, { timeout: 10_000 });
    await waitUntil(() => location.hash === '', `the invite stays in the address bar: ${location.hash}`);
    expect(text(poll, 'summary')).to.equal('How this room is protected · members only');
    await expect(poll).to.be.accessible();
    // This member's vote counts; the stranger's still does not.
    await poll.vote('tue');
    await waitUntil(() => poll.view!.total === 1, 'the member\'s vote does not count');
    poll.removeAttribute('members-only');
    await waitUntil(() => poll.view!.total === 2, 'without members-only, everyone counts');
    stranger.destroy();
  });

  it('ice-transport="relay" reaches the room options, and the panel says peers do not see the IP address', async () => {
    const read = (attrs: Record<string, string>) => attributeOptions((name) => attrs[name] ?? null, location.href);
    expect(read({ 'ice-transport': 'relay' }).iceTransportPolicy).to.equal('relay');
    expect(read({ 'ice-transport': 'all' }).iceTransportPolicy).to.equal('all');
    const warn = console.warn;
    const warned: string[] = [];
    console.warn = (message: unknown) => warned.push(String(message));
    try {
      expect(read({ 'ice-transport': 'nonsense' }).iceTransportPolicy).to.equal(undefined);
    } finally {
      console.warn = warn;
    }
    expect(warned).to.have.length(1);
    expect(warned[0]).to.contain('use "relay"');
    expect(resolveRoomOptions({ iceTransportPolicy: 'relay' }).iceTransportPolicy).to.equal('relay');
    expect(resolveRoomOptions({}, { iceTransportPolicy: 'all' })).to.deep.equal(DEFAULT_ROOM_OPTIONS, 'all is the default, left out');
    expect(sameRoomOptions(resolveRoomOptions({ iceTransportPolicy: 'relay' }), DEFAULT_ROOM_OPTIONS)).to.equal(false);
    const network = new MemoryNetwork();
    const wrapper = await fixture<HTMLElement>(html`
      <gather-room room=${`relay-${++rooms}`} ice-transport="relay" .source=${network.source()} .signer=${createSigner()}>
        <gather-poll name="p" question="Q"><option value="tue">Tuesday</option></gather-poll>
      </gather-room>
    `);
    const poll = wrapper.querySelector('gather-poll')!;
    await poll.ready;
    await poll.updateComplete;
    expect(text(poll, '[part=protection]')).to.contain('only through a relay server, so other participants do not see your IP address');
  });

  it('a members-only poll says, in its language, when it has put back a membership a peer deleted', async () => {
    const root = await createSigner();
    const network = new MemoryNetwork();
    const room = `members-heal-${++rooms}`;
    const invite = await createCapability(root, { room, max: 5 });
    const member = await createSigner();
    const joiner = new MembershipModel(network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc, member, { roots: [root.publicKey], room, heal: false });
    expect(await joiner.join(invite.code)).to.equal('member');
    joiner.destroy();
    const wrapper = await fixture<HTMLElement>(html`
      <gather-room room=${room} .source=${network.source()} .signer=${createSigner()}>
        <gather-poll name="p" members-only organizer=${root.publicKey} results="always" question="Q"><option value="tue">Tuesday</option></gather-poll>
      </gather-room>
    `);
    const poll = wrapper.querySelector('gather-poll')!;
    await poll.ready;
    const trust = (poll as unknown as { model: { value: { trust: MembershipModel } } }).model.value.trust;
    await waitUntil(() => trust.stateOf(member.publicKey) === 'member', 'the member never arrived');
    expect(shadow(poll).querySelector('[part=trust-repaired]'), 'nothing repaired yet').to.equal(null);
    // A hostile peer deletes the membership from the shared document.
    const hostile = network.source().acquire(room, DEFAULT_ROOM_OPTIONS).doc.getMap<unknown>('trust:room');
    await waitUntil(() => hostile.has(`member:${member.publicKey}`), 'the hostile peer never got the room');
    hostile.delete(`member:${member.publicKey}`);
    await waitUntil(() => text(poll, '[part=trust-repaired]') !== '', 'no word of the repair', { timeout: 5000 });
    expect(text(poll, '[part=trust-repaired]')).to.equal('Restored 1 entry of the room’s organizers and members a peer removed');
    expect(hostile.has(`member:${member.publicKey}`), 'the membership is back in the document').to.equal(true);
    expect(trust.stateOf(member.publicKey)).to.equal('member');
    await expect(poll).to.be.accessible();
    poll.lang = 'fr';
    await waitUntil(() => text(poll, '[part=trust-repaired]').startsWith('1 entrée'), `in French: "${text(poll, '[part=trust-repaired]')}"`);
    expect(text(poll, '[part=trust-repaired]')).to.equal('1 entrée des organisateur·ices et membres du salon retirée par un autre participant a été rétablie');
  });

  it('without an invite, a members-only poll says how to take part', async () => {
    const root = await createSigner();
    const network = new MemoryNetwork();
    const wrapper = await fixture<HTMLElement>(html`
      <gather-room room=${`members-none-${++rooms}`} .source=${network.source()} .signer=${createSigner()}>
        <gather-poll name="p" members-only organizer=${root.publicKey} question="Q"><option value="tue">Tuesday</option></gather-poll>
      </gather-room>
    `);
    const poll = wrapper.querySelector('gather-poll')!;
    await poll.ready;
    await waitUntil(() => text(poll, '[part=membership]') !== '');
    expect(text(poll, '[part=membership]')).to.equal('Only members count here. To take part, ask an organizer for an invite link.');
  });

  it('a link made before invites had keys of their own admits no one, and the poll says so in its language', async () => {
    const root = await createSigner();
    const network = new MemoryNetwork();
    const room = `members-old-${++rooms}`;
    // A version-1 token for this room: its layout up to the invite key, version byte 1.
    const bytes = fromBase64url((await createCapability(root, { room, max: 5 })).token)!;
    const v1 = bytes.slice(0, bytes.length - 64 - 33);
    v1[0] = 1;
    history.replaceState(null, '', `${location.pathname}${location.search}#invite=${toBase64url(new Uint8Array([...v1, ...new Uint8Array(64)]))}`);
    resetPageInvite();
    const wrapper = await fixture<HTMLElement>(html`
      <gather-room room=${room} .source=${network.source()} .signer=${createSigner()}>
        <gather-poll name="p" members-only organizer=${root.publicKey} question="Q"><option value="tue">Tuesday</option></gather-poll>
      </gather-room>
    `);
    const poll = wrapper.querySelector('gather-poll')!;
    await poll.ready;
    await waitUntil(() => text(poll, '[part=membership]') !== '');
    expect(text(poll, '[part=membership]')).to.equal('Your invite link was made by an earlier version of Gather and no longer admits anyone: ask an organizer for a new link.');
    expect((poll as unknown as { model: { value: { trust: MembershipModel } } }).model.value.trust.view.members, 'nobody joined').to.deep.equal([]);
    poll.lang = 'es';
    await waitUntil(() => text(poll, '[part=membership]').startsWith('Tu enlace'), `in Spanish: "${text(poll, '[part=membership]')}"`);
    expect(text(poll, '[part=membership]')).to.contain('versión anterior de Gather');
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    resetPageInvite();
  });

  it('an invite link on a members-only poll that names no organizer: the poll says the link admits no one, not "checking" for ever', async () => {
    const network = new MemoryNetwork();
    const room = `members-none-${++rooms}`;
    const invite = await createCapability(await createSigner(), { room, max: 5 });
    history.replaceState(null, '', `${location.pathname}${location.search}#invite=${invite.code}`);
    resetPageInvite();
    const wrapper = await fixture<HTMLElement>(html`
      <gather-room room=${room} .source=${network.source()} .signer=${createSigner()}>
        <gather-poll name="p" members-only question="Q"><option value="tue">Tuesday</option></gather-poll>
      </gather-room>
    `);
    const poll = wrapper.querySelector('gather-poll')!;
    await poll.ready;
    await waitUntil(() => text(poll, '[part=membership]').startsWith('Your invite link does not admit anyone'), `membership line: "${text(poll, '[part=membership]')}"`);
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    resetPageInvite();
  });
});

const KEYGEN_FIXTURE = '{"format":"gather-organizer-key","version":1,"alg":"Ed25519","publicKey":"9zYrPeWBZ1hxzYmsUN2At3e5nDh5jTVNYK1wAiJut2U","kdf":{"name":"PBKDF2","hash":"SHA-256","iterations":600000,"salt":"Via_rGbb_LO1rkTdCJi6zA"},"cipher":{"name":"AES-GCM","iv":"tm9Y92RdoN9K3Qko"},"privateKey":"iXCfSUcnqdiYUf2mSi1Mw4DWGkORVkE_04JoS4R0f4sKe5RgMvjlV01AlqIpvOp0XTObw3wUqcEfbR0onm6tXQ"}';
