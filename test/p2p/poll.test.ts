// Two (and more) separate browser contexts load the demo page through the built script tag and the
// local signaling server, and sync a poll over real RTCDataChannels. Runs inside the private network
// namespace (sh bin/netns …): Chromium finds no WebRTC candidates on loopback alone.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { launchChromium, newVisitor, type Visitor } from '../helpers/browser.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TIMEOUT = 20_000;

let server: RunningServer;
let browser: Browser;
const visitors: Visitor[] = [];

async function visit(query: Record<string, string>): Promise<Visitor> {
  const visitor = await newVisitor(browser);
  visitors.push(visitor);
  // keeper= (empty): the demo names the keeper at /sync, which this server has not; this test is about WebRTC alone.
  await visitor.page.goto(new URL(`/?${new URLSearchParams({ ...query, keeper: '' })}`, server.url).href);
  await waitForView(visitor.page);
  return visitor;
}

/** The page's `<gather-poll>` view, once its room and identity have loaded. */
async function waitForView(page: Page) {
  await page.waitForFunction(() => document.querySelector('gather-poll')?.view != null, null, { timeout: TIMEOUT });
}

async function statusText(page: Page): Promise<string> {
  return page.locator('gather-poll [part=status]').innerText();
}

async function waitForPeers(page: Page, peers: number) {
  await page.waitForFunction(
    (n) => {
      const status = document.querySelector('gather-poll')?.shadowRoot?.querySelector('[part=status]')?.textContent ?? '';
      return n === 0 ? status.includes('nobody else') : status.includes(` ${n} other`);
    },
    peers,
    { timeout: TIMEOUT },
  );
}

async function waitForTotal(page: Page, total: number) {
  await page.waitForFunction((n) => document.querySelector('gather-poll')?.view?.total === n, total, { timeout: TIMEOUT });
}

async function vote(page: Page, label: string) {
  await page.getByRole('radio', { name: label }).check();
  await page.getByRole('button', { name: 'Vote' }).click();
  await page.waitForFunction(() => document.querySelector('gather-poll')?.view?.mine != null, null, { timeout: TIMEOUT });
}

interface SeenView {
  total: number;
  mine: string | null;
  resultsVisible: boolean;
  options: readonly { id: string; count: number | null }[];
}
const view = (page: Page): Promise<SeenView> => page.evaluate(() => structuredClone(document.querySelector('gather-poll')!.view) as SeenView);

describe('poll shared by separate browsers over WebRTC', { timeout: 120_000 }, () => {
  before(async () => {
    assert.ok(existsSync(`${root}/dist/gather.js`), 'dist/gather.js is missing: run npm run build first');
    server = await startServer({ port: 0, root });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a vote in one browser appears in the other, and a reload keeps it', async () => {
    const room = `p2p-${Date.now()}`;
    const a = await visit({ room });
    const b = await visit({ room });
    await waitForPeers(a.page, 1);
    await waitForPeers(b.page, 1);

    await vote(a.page, 'Thursday, 6:30 pm');
    await waitForTotal(b.page, 1);
    const before = await view(b.page);
    assert.equal(before.mine, null, 'the other browser did not vote');
    assert.deepEqual([before.resultsVisible, before.options.find((o) => o.id === 'thu')?.count], [false, null], 'results after voting: no counts yet');
    await vote(b.page, 'Tuesday, 7 pm');
    await waitForTotal(a.page, 2);
    const seen = await view(b.page);
    assert.deepEqual(seen.options.map((o) => [o.id, o.count]), [['tue', 1], ['wed', 0], ['thu', 1]]);
    const channels = await b.page.evaluate(() => (window as unknown as { openDataChannels: number }).openDataChannels);
    assert.ok(channels >= 1, `the vote arrived with ${channels} RTCDataChannels open`);

    // Alone in the room, a reload can only get the vote back from this browser's IndexedDB.
    // Closing the tab as a person does (beforeunload runs, y-webrtc says goodbye): A sees B leave.
    await b.page.close({ runBeforeUnload: true });
    await waitForPeers(a.page, 0);
    await a.page.reload();
    await waitForView(a.page);
    await a.page.waitForFunction(() => document.querySelector('gather-poll')?.view?.mine === 'thu' && document.querySelector('gather-poll')?.view?.total === 2, null, { timeout: TIMEOUT });
    assert.match(await statusText(a.page), /nobody else/);

    for (const visitor of [a, b]) assert.deepEqual(visitor.errors, []);
  });

  it('a browser with the wrong room password receives nothing and logs no error', async () => {
    const room = `p2p-pw-${Date.now()}`;
    const password = 'correct horse battery';
    const a = await visit({ room, password });
    const wrong = await visit({ room, password: 'wrong password' });
    await a.page.waitForFunction(() => document.querySelector('gather-poll')?.shadowRoot?.querySelector('[part=status]')?.textContent?.startsWith('Connected'), null, { timeout: TIMEOUT });
    await wrong.page.waitForFunction(() => document.querySelector('gather-poll')?.shadowRoot?.querySelector('[part=status]')?.textContent?.startsWith('Connected'), null, { timeout: TIMEOUT });

    await vote(a.page, 'Tuesday, 7 pm');
    // A later visitor with the right password receives the vote: it was there to be had.
    const late = await visit({ room, password });
    await waitForTotal(late.page, 1);
    await waitForPeers(late.page, 1);

    assert.equal((await view(wrong.page)).total, 0, 'the wrong password received a ballot');
    assert.equal(await wrong.page.evaluate(() => (window as unknown as { openDataChannels: number }).openDataChannels), 0);
    assert.match(await statusText(wrong.page), /nobody else/);
    for (const visitor of [a, wrong, late]) assert.deepEqual(visitor.errors, []);
  });
});
