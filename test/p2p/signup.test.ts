// Two separate browser contexts race for the one place of a slot over real WebRTC (the local
// signaling server, real RTCDataChannels): both keep their signup, both agree who got the place;
// the winner withdraws and the other is promoted in both. Runs inside the private network
// namespace (sh bin/netns …): Chromium finds no WebRTC candidates on loopback alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { launchChromium, newVisitor, type Visitor } from '../helpers/browser.js';
import { signupPageRequests } from './signup-page/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TIMEOUT = 20_000;

let server: RunningServer;
let browser: Browser;

interface Person {
  author: string;
  name?: string;
}
interface Seen {
  confirmed: Person[];
  waitlist: Person[];
  mine: { state: string; position: number } | null;
}

async function visit(room: string): Promise<Visitor> {
  const visitor = await newVisitor(browser);
  await visitor.page.goto(new URL(`/__signup/?${new URLSearchParams({ room })}`, server.url).href);
  await visitor.page.waitForFunction(() => document.querySelector('gather-signup')?.view != null, null, { timeout: TIMEOUT });
  return visitor;
}

const seen = (page: Page): Promise<Seen> =>
  page.evaluate(() => {
    const view = document.querySelector('gather-signup')!.view!;
    const slot = view.slots[0]!;
    return structuredClone({ confirmed: slot.confirmed, waitlist: slot.waitlist, mine: view.mine['pickup'] ?? null }) as Seen;
  });

async function waitForPeers(page: Page, peers: number) {
  await page.waitForFunction(
    (n) => (document.querySelector('gather-signup')?.shadowRoot?.querySelector('[part=status]')?.textContent ?? '').includes(` ${n} other`),
    peers,
    { timeout: TIMEOUT },
  );
}

/** Waits until the page's slot holds `confirmed` + `waiting` people. */
async function waitForSignups(page: Page, confirmed: number, waiting: number) {
  await page.waitForFunction(
    ([c, w]) => {
      const slot = document.querySelector('gather-signup')?.view?.slots[0];
      return slot?.confirmed.length === c && slot.waitlist.length === w;
    },
    [confirmed, waiting] as const,
    { timeout: TIMEOUT },
  );
}

describe('signup sheet shared by separate browsers over WebRTC', { timeout: 120_000 }, () => {
  before(async () => {
    server = await startServer({ port: 0, root, requests: await signupPageRequests() });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('two browsers race for a one-place slot and agree who got it; the winner withdraws and the other is promoted in both', async () => {
    const room = `p2p-signup-${Date.now()}`;
    const a = await visit(room);
    const b = await visit(room);
    await waitForPeers(a.page, 1);
    await waitForPeers(b.page, 1);

    // Both fill in the form, then both submit at once.
    for (const [page, name] of [[a.page, 'Ana'], [b.page, 'Bo']] as const) {
      await page.getByRole('button', { name: 'Sign up for Pick-up driver' }).click();
      await page.getByLabel('Your name').fill(name);
    }
    await Promise.all([a.page, b.page].map((page) => page.getByRole('button', { name: 'Sign up', exact: true }).click()));
    await waitForSignups(a.page, 1, 1);
    await waitForSignups(b.page, 1, 1);

    const [seenA, seenB] = await Promise.all([seen(a.page), seen(b.page)]);
    assert.deepEqual(seenA.confirmed, seenB.confirmed, 'both agree who is confirmed');
    assert.deepEqual(seenA.waitlist, seenB.waitlist, 'both agree who waits');
    // The winner is the first in the shared order: signed time, then author key.
    const signups = (await a.page.evaluate(() => document.querySelector('gather-signup')!.export()!.entries.filter((e) => e.type === 'signup'))) as { author: string; ts: number }[];
    const first = [...signups].sort((x, y) => x.ts - y.ts || (x.author < y.author ? -1 : x.author > y.author ? 1 : 0))[0]!;
    assert.equal(seenA.confirmed[0]!.author, first.author);
    const [winner, other] = seenA.mine?.state === 'confirmed' ? [a, b] : [b, a];
    assert.deepEqual((await seen(winner.page)).mine, { state: 'confirmed', position: 1 });
    assert.deepEqual((await seen(other.page)).mine, { state: 'waitlisted', position: 1 });
    await other.page.getByText('You’re number 1 on the waitlist', { exact: true }).waitFor({ timeout: TIMEOUT });
    const channels = await other.page.evaluate(() => (window as unknown as { openDataChannels: number }).openDataChannels);
    assert.ok(channels >= 1, `the signups crossed with ${channels} RTCDataChannels open`);

    // The winner withdraws; the other is promoted, on both pages, and told so.
    const promoted = other.page.evaluate(
      () => new Promise<unknown>((resolve) => document.querySelector('gather-signup')!.addEventListener('gather-signup-change', (event) => resolve(event.detail), { once: true })),
    );
    await winner.page.getByRole('button', { name: 'Withdraw from Pick-up driver' }).click();
    await waitForSignups(winner.page, 1, 0);
    await waitForSignups(other.page, 1, 0);
    assert.deepEqual(await promoted, { slot: 'pickup', state: 'confirmed', position: 1, origin: 'remote' });
    assert.deepEqual((await seen(other.page)).mine, { state: 'confirmed', position: 1 });
    assert.equal((await seen(winner.page)).mine, null);
    assert.deepEqual((await seen(winner.page)).confirmed, (await seen(other.page)).confirmed);
    await other.page.getByText('You’re confirmed', { exact: true }).waitFor({ timeout: TIMEOUT });

    for (const visitor of [a, b]) assert.deepEqual(visitor.errors, []);
  });
});
