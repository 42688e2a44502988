// The deliberation flow in two separate browser contexts over real WebRTC (the test server's
// signaling): a proposal made in one, stances taken in both, the outcome recorded by the proposer,
// and the same decision pinned in both. Runs inside the private network namespace (sh bin/netns …).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { launchChromium, newVisitor, type Visitor } from '../helpers/browser.js';
import { THREAD_PAGE, threadPageRequests } from './thread-page/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TIMEOUT = 30_000;

let server: RunningServer;
let browser: Browser;
const visitors: Visitor[] = [];

async function visit(room: string): Promise<Visitor> {
  const visitor = await newVisitor(browser);
  visitors.push(visitor);
  await visitor.page.goto(new URL(`${THREAD_PAGE}?${new URLSearchParams({ room })}`, server.url).href);
  await visitor.page.waitForFunction(() => document.querySelector('gather-thread')?.view != null, null, { timeout: TIMEOUT });
  return visitor;
}

async function waitForPeers(page: Page, peers: number): Promise<void> {
  await page.waitForFunction(
    (n) => (document.querySelector('gather-thread')?.shadowRoot?.querySelector('[part=status]')?.textContent ?? '').includes(` ${n} other`),
    peers,
    { timeout: TIMEOUT },
  );
}

interface SeenDecision {
  proposalId: string;
  outcome: string;
  decidedAt: number;
  stances: Record<string, number>;
}
const decisionOf = (page: Page): Promise<SeenDecision | null> =>
  page.evaluate(() => structuredClone(document.querySelector('gather-thread')!.view!.decision) as SeenDecision | null);

async function takeStance(page: Page, stance: string, reason: string): Promise<void> {
  const form = page.locator('gather-thread .stance-form');
  await form.getByRole('radio', { name: stance, exact: true }).check();
  await form.getByRole('textbox', { name: 'Reason (optional)' }).fill(reason);
  await form.getByRole('button', { name: 'Save stance' }).click();
}

describe('thread shared by separate browsers over WebRTC', { timeout: 120_000 }, () => {
  before(async () => {
    server = await startServer({ port: 0, root, requests: await threadPageRequests() });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('proposal → stances → outcome, ending with the same pinned decision in both', async () => {
    const room = `thread-p2p-${Date.now()}`;
    const a = await visit(room);
    const b = await visit(room);
    await waitForPeers(a.page, 1);
    await waitForPeers(b.page, 1);
    // Both read the thread now: presence counts them over awareness, and names them (signed).
    await a.page.waitForFunction(() => /^2 reading now/.test(document.querySelector('gather-thread')?.shadowRoot?.querySelector('.reading')?.textContent ?? ''), null, { timeout: TIMEOUT });

    await a.page.locator('gather-thread').getByRole('textbox', { name: 'Your comment' }).fill('We withhold December rent, paid into escrow.');
    await a.page.locator('gather-thread').getByRole('button', { name: 'Put it forward as a proposal' }).click();
    await b.page.locator('gather-thread [part=proposal]').waitFor({ timeout: TIMEOUT });
    assert.match(await b.page.locator('gather-thread [part=proposal] .text').innerText(), /^We withhold December rent, paid into escrow\.$/);

    await takeStance(b.page, 'Disagree', 'Not before the January leases are covered');
    await takeStance(a.page, 'Agree', 'Escrow keeps us safe');
    for (const { page } of [a, b]) {
      await page.waitForFunction(() => document.querySelector('gather-thread')!.view!.proposals[0]?.reasons.length === 2, null, { timeout: TIMEOUT });
    }

    await a.page.locator('gather-thread .decide-form').getByRole('textbox', { name: 'Outcome' }).fill('Adopted once the January leases are covered.');
    await a.page.locator('gather-thread .decide-form').getByRole('button', { name: 'Record the outcome' }).click();
    for (const { page } of [a, b]) {
      await page.waitForFunction(() => document.querySelector('gather-thread')!.view!.decision !== null, null, { timeout: TIMEOUT });
      await page.locator('gather-thread [part=decision]').waitFor({ timeout: TIMEOUT });
    }
    const [seenA, seenB] = [await decisionOf(a.page), await decisionOf(b.page)];
    assert.deepEqual(seenA, seenB);
    assert.equal(seenA!.outcome, 'Adopted once the January leases are covered.');
    assert.deepEqual(seenA!.stances, { agree: 1, abstain: 0, disagree: 1, block: 0 });
    assert.equal(await b.page.locator('gather-thread [part=decision] .outcome').innerText(), 'Adopted once the January leases are covered.');
    assert.equal(await b.page.locator('gather-thread .stance-form').count(), 0, 'no more stances once decided');
    const channels = await b.page.evaluate(() => (window as unknown as { openDataChannels: number }).openDataChannels);
    assert.ok(channels >= 1, `the decision arrived with ${channels} RTCDataChannels open`);
    for (const visitor of visitors) assert.deepEqual(visitor.errors, []);
  });
});
