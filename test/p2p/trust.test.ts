// Organizer keys, invite links and members-only counting across separate browsers over real
// WebRTC (the page's own script, test/p2p/trust-page), and browsers that keep nothing: site data
// blocked (a Chromium profile that blocks it), or a full storage quota (CDP). Runs inside the
// private network namespace: sh bin/netns node --import tsx --test test/p2p/trust.test.ts
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { launchChromium, newVisitor, type Visitor } from '../helpers/browser.js';
import { chromiumArgs, findChromium } from '../helpers/chromium.js';
import { trustPageRequests } from './trust-page/index.js';

const TIMEOUT = 20_000;
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const dirs: string[] = [];

const pageUrl = (room: string, organizer: string, extra: Record<string, string> = {}) =>
  new URL(`/__trust/?${new URLSearchParams({ room, organizer, ...extra })}`, server.url).href;

async function open(visitor: Visitor | { page: Page }, url: string): Promise<void> {
  await visitor.page.goto(url);
  await visitor.page.waitForFunction(() => document.querySelector('gather-poll')?.view != null, null, { timeout: TIMEOUT });
}

const total = (page: Page) => page.evaluate(() => document.querySelector('gather-poll')!.view!.total);
const shadowText = (page: Page, selector: string) =>
  page.evaluate((s) => document.querySelector('gather-poll')!.shadowRoot!.querySelector(s)?.textContent?.replace(/\s+/g, ' ').trim() ?? '', selector);
const waitForText = (page: Page, selector: string, text: string) =>
  page.waitForFunction(
    ([s, t]) => (document.querySelector('gather-poll')!.shadowRoot!.querySelector(s!)?.textContent ?? '').includes(t!),
    [selector, text],
    { timeout: TIMEOUT },
  );
const waitForTotal = (page: Page, n: number) => page.waitForFunction((n) => document.querySelector('gather-poll')?.view?.total === n, n, { timeout: TIMEOUT });

/** Votes; `counted: false` for a visitor whose ballot is stored but not counted (then `mine` stays null). */
async function vote(page: Page, label: string, { counted = true } = {}): Promise<void> {
  const poll = page.locator('gather-poll');
  if (counted) {
    const change = poll.getByRole('button', { name: 'Change vote' });
    if (await change.isVisible()) await change.click();
    await poll.getByRole('radio', { name: label }).check();
    await poll.getByRole('button', { name: 'Vote' }).click();
    await page.waitForFunction((l) => document.querySelector('gather-poll')?.view?.mine === l.toLowerCase(), label, { timeout: TIMEOUT });
    return;
  }
  // Whose ballot would not count is offered no form; a script (or a hostile peer) can still write one.
  assert.equal(await poll.getByRole('button', { name: 'Vote' }).count(), 0, 'no Vote button for a ballot that would not count');
  await page.evaluate((l) => document.querySelector('gather-poll')!.vote(l.toLowerCase()), label);
  // The ballot is in the document (under this visitor's key), whether or not it counts.
  await page.waitForFunction(
    (l) => {
      const poll = document.querySelector('gather-poll') as unknown as { identity: { signer: { publicKey: string } }; model: { value: { store: { entries: Map<string, { ballot?: unknown }> } } } };
      return poll.model.value?.store.entries.get(`ballot:${poll.identity.signer.publicKey}`)?.ballot === l.toLowerCase();
    },
    label,
    { timeout: TIMEOUT },
  );
}

/** The organizer: makes a key in the panel, then reopens the page that names it. Returns the key. */
async function organizerWithKey(visitor: Visitor, room: string): Promise<string> {
  await open(visitor, pageUrl(room, ''));
  const panel = visitor.page.locator('gather-organizer');
  await panel.getByRole('button', { name: 'Create an organizer key' }).click();
  const key = panel.getByLabel('Public key', { exact: true });
  await key.waitFor({ timeout: TIMEOUT });
  const publicKey = await key.inputValue();
  await open(visitor, pageUrl(room, publicKey));
  await visitor.page.waitForFunction(() => document.querySelector('gather-organizer')?.shadowRoot?.querySelector('[part=invites]') != null, null, { timeout: TIMEOUT });
  return publicKey;
}

/** Makes an invite link admitting `max` devices in the organizer's panel. */
async function makeInvite(page: Page, max: number): Promise<string> {
  const panel = page.locator('gather-organizer');
  await panel.getByLabel('Devices it admits').fill(String(max));
  await panel.getByRole('button', { name: 'Make an invite link' }).click();
  const link = panel.getByLabel('Invite link', { exact: true });
  await page.waitForFunction((n) => document.querySelector('gather-organizer')?.shadowRoot?.querySelector<HTMLInputElement>('#invite-link')?.value.includes('#invite='), max, { timeout: TIMEOUT });
  return link.inputValue();
}

/** A Chromium profile that blocks all site data (IndexedDB refuses to open, localStorage throws). */
async function blockedContext(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gather-blocked-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, 'Default'));
  writeFileSync(path.join(dir, 'Default', 'Preferences'), JSON.stringify({ profile: { default_content_setting_values: { cookies: 2 } } }));
  const context = await chromium.launchPersistentContext(dir, { executablePath: findChromium(), headless: true, args: chromiumArgs });
  contexts.push(context);
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.name}: ${error.message} ${error.stack}`));
  return { context, page, errors };
}

describe('organizers, invite links and members-only across browsers', { timeout: 180_000 }, () => {
  before(async () => {
    server = await startServer({ port: 0, root: process.cwd(), requests: await trustPageRequests() });
    browser = await launchChromium();
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('only capability holders count; a link used past its device bound admits no one', async () => {
    const room = `trust-${Date.now()}`;
    const organizer = await newVisitor(browser);
    const publicKey = await organizerWithKey(organizer, room);
    const link = await makeInvite(organizer.page, 1);
    assert.ok(new URL(link).hash.startsWith('#invite='), 'the invite is in the fragment');
    await vote(organizer.page, 'No');

    // The first device through the link is a member; the second is over the bound; the third has no link.
    const member = await newVisitor(browser);
    await open(member, link);
    await waitForText(member.page, '[part=membership]', 'You are a member');
    // The invite leaves the address bar once it has been used.
    await member.page.waitForFunction(() => location.hash === '', null, { timeout: TIMEOUT });
    await vote(member.page, 'Yes');

    const late = await newVisitor(browser);
    await open(late, link);
    await waitForText(late.page, '[part=membership]', 'already admitted as many devices');
    await vote(late.page, 'Yes', { counted: false });

    const stranger = await newVisitor(browser);
    await open(stranger, pageUrl(room, publicKey));
    await waitForText(stranger.page, '[part=membership]', 'Only members count here');
    await vote(stranger.page, 'Yes', { counted: false });

    // Every browser counts the organizer and the member only: 1 yes, 1 no.
    for (const visitor of [organizer, member, late, stranger]) {
      await waitForTotal(visitor.page, 2);
      const counts = await visitor.page.evaluate(() => document.querySelector('gather-poll')!.view!.options.map((o) => o.count));
      assert.deepEqual(counts, [1, 1]);
    }
    // The organizer sees the panel's count of places taken.
    await organizer.page.waitForFunction(() => document.querySelector('gather-organizer')?.shadowRoot?.querySelector('[part=invites] li')?.textContent?.includes('1 of 1 place taken'), null, { timeout: TIMEOUT });

    // The organizer removes the member; the member's later change of mind does not count.
    await organizer.page.locator('gather-organizer').getByRole('button', { name: /^Remove member / }).click();
    await waitForText(member.page, '[part=membership]', 'removed you from the members');
    await vote(member.page, 'No', { counted: false });
    await waitForTotal(organizer.page, 1);
    await waitForTotal(member.page, 1);
    for (const visitor of [organizer, member, late, stranger]) assert.deepEqual(visitor.errors, [], 'no errors');
  });

  it('a room password made in the panel travels in the invite link: members sync in the password room, a stranger sees nothing', async () => {
    const room = `trust-pw-${Date.now()}`;
    const organizer = await newVisitor(browser);
    const publicKey = await organizerWithKey(organizer, room);
    const panel = organizer.page.locator('gather-organizer');
    await panel.getByRole('button', { name: 'Make a new long password' }).click();
    const password = await panel.getByLabel('Room password', { exact: true }).inputValue();
    assert.match(password, /^[a-z2-9]{5}(-[a-z2-9]{5}){4}$/);
    await waitForText(organizer.page, '[part=protection]', 'This room has a password');
    const link = await makeInvite(organizer.page, 3);
    assert.equal(new URLSearchParams(new URL(link).hash.slice(1)).get('password'), password, 'the password is in the fragment');
    await vote(organizer.page, 'No');

    const member = await newVisitor(browser);
    await open(member, link);
    await waitForText(member.page, '[part=membership]', 'You are a member');
    await waitForTotal(member.page, 1);
    await waitForText(member.page, '[part=protection]', 'This room has a password');
    await vote(member.page, 'Yes');
    await waitForTotal(organizer.page, 2);
    // Reloaded without the link (it left the address bar), the member's browser remembers the password.
    await member.page.reload();
    await member.page.waitForFunction(() => document.querySelector('gather-poll')?.view?.total === 2, null, { timeout: TIMEOUT });

    // A stranger with the page but not the link is in another room: nothing arrives.
    const stranger = await newVisitor(browser);
    await open(stranger, pageUrl(room, publicKey, { open: '1' }));
    await waitForText(stranger.page, '[part=protection]', 'No password');
    await waitForText(stranger.page, '[part=status]', 'Connected');
    await vote(stranger.page, 'Yes');
    assert.equal(await total(stranger.page), 1, 'only their own vote');
    assert.equal(await stranger.page.evaluate(() => (window as unknown as { openDataChannels: number }).openDataChannels), 0, 'no peer reached');
    assert.match(await shadowText(stranger.page, '[part=status]'), /nobody else/);
    await waitForTotal(organizer.page, 2);
    for (const visitor of [organizer, member, stranger]) assert.deepEqual(visitor.errors, []);
  });

  it('a browser that keeps no site data says so, throws nothing, and its new identity on each reload is never a new member', async () => {
    const room = `trust-blocked-${Date.now()}`;
    const organizer = await newVisitor(browser);
    const publicKey = await organizerWithKey(organizer, room);
    const link = await makeInvite(organizer.page, 5);
    const blocked = await blockedContext();
    await open(blocked, link);
    await waitForText(blocked.page, '[part=storage]', 'This browser will not remember your vote');
    await waitForText(blocked.page, '[part=membership]', 'cannot join as a member');
    assert.match(await shadowText(blocked.page, '[part=storage]'), /keeps no site data/);
    await vote(blocked.page, 'Yes', { counted: false });
    const identities = new Set<string>();
    for (let reload = 0; reload < 3; reload++) {
      identities.add(await blocked.page.evaluate(() => (document.querySelector('gather-poll') as unknown as { identity: { signer: { publicKey: string } } }).identity.signer.publicKey));
      await blocked.page.reload();
      await blocked.page.waitForFunction(() => document.querySelector('gather-poll')?.view != null, null, { timeout: TIMEOUT });
      await waitForText(blocked.page, '[part=storage]', 'This browser will not remember your vote');
      await vote(blocked.page, 'Yes', { counted: false });
    }
    assert.equal(identities.size, 3, 'each visit is a new identity (nothing kept)');
    // The organizer's browser (the poll's own peer) counts none of them, and lists no member.
    await organizer.page.waitForFunction(() => document.querySelector('gather-organizer')?.view != null, null, { timeout: TIMEOUT });
    assert.equal(await total(organizer.page), 0);
    assert.equal(await organizer.page.evaluate(() => document.querySelector('gather-organizer')!.view!.members.length), 0);
    assert.deepEqual(blocked.errors, [], 'no uncaught error, nothing in the console');
    void publicKey;
  });

  it('relay-only: peer connections gather no address of this machine, and the panel says others do not see it', async () => {
    // Counts the ICE candidates each RTCPeerConnection gathers, and the policy it was made with.
    const COUNT = `(() => {
      const Native = globalThis.RTCPeerConnection;
      globalThis.iceSeen = { policies: [], candidates: 0, complete: 0 };
      globalThis.RTCPeerConnection = class extends Native {
        constructor(config, ...rest) {
          super(config, ...rest);
          globalThis.iceSeen.policies.push(config?.iceTransportPolicy ?? 'all');
          this.addEventListener('icecandidate', (e) => { if (e.candidate) globalThis.iceSeen.candidates++; else globalThis.iceSeen.complete++; });
        }
      };
    })();`;
    type Seen = { policies: string[]; candidates: number; complete: number };
    const seen = (page: Page) => page.evaluate(() => (globalThis as unknown as { iceSeen: Seen }).iceSeen);
    const run = async (relay: boolean) => {
      const room = `trust-relay-${relay}-${Date.now()}`;
      const pair = [await newVisitor(browser), await newVisitor(browser)];
      for (const v of pair) {
        await v.context.addInitScript({ content: COUNT });
        await open(v, pageUrl(room, '', { open: '1', ...(relay ? { relay: '1' } : {}) }));
      }
      // Both peers find each other through signaling and gather candidates, to the end.
      for (const v of pair) await v.page.waitForFunction(() => (globalThis as unknown as { iceSeen: Seen }).iceSeen.complete > 0, null, { timeout: TIMEOUT });
      return Promise.all(pair.map(async (v) => ({ visitor: v, seen: await seen(v.page) })));
    };
    const direct = await run(false);
    for (const { seen } of direct) {
      assert.ok(seen.policies.every((p) => p === 'all'));
      assert.ok(seen.candidates > 0, 'direct: host candidates (this machine\'s addresses) are offered to the peer');
    }
    const relayed = await run(true);
    for (const { visitor, seen } of relayed) {
      assert.ok(seen.policies.length > 0 && seen.policies.every((p) => p === 'relay'), `policies ${seen.policies}`);
      assert.equal(seen.candidates, 0, 'relay-only without a TURN server: no candidate, no address offered');
      await waitForText(visitor.page, '[part=protection]', 'only through a relay server');
      assert.deepEqual(visitor.errors, []);
    }
  });

  it('a browser whose storage quota is full says so and throws nothing', async () => {
    const room = `trust-full-${Date.now()}`;
    const visitor = await newVisitor(browser);
    const cdp = await visitor.context.newCDPSession(visitor.page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(server.url).origin, quotaSize: 1 });
    await open(visitor, pageUrl(room, '', { open: '1' }));
    await waitForText(visitor.page, '[part=storage]', 'its storage is full');
    await vote(visitor.page, 'Yes');
    assert.equal(await total(visitor.page), 1, 'an open poll still counts the vote while the page is open');
    await visitor.page.reload();
    await visitor.page.waitForFunction(() => document.querySelector('gather-poll')?.view != null, null, { timeout: TIMEOUT });
    await waitForText(visitor.page, '[part=storage]', 'its storage is full');
    assert.deepEqual(visitor.errors, []);
  });
});
