// Three separate browsers in one room, over real WebRTC through the local signaling server: contact
// details reach only the people they are for, and are never stored readable — not in the shared
// document, not in any browser's IndexedDB. Runs inside the private network namespace
// (sh bin/netns …): Chromium finds no WebRTC candidates on loopback alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { AidBoardView } from '../../src/models/aid-board.types.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { launchChromium, type Visitor } from '../helpers/browser.js';
import { aidBoardRequests, openAidBoard } from './aid-board/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TIMEOUT = 20_000;

let server: RunningServer;
let browser: Browser;

interface AidLab {
  board(): HTMLElement & {
    view: AidBoardView | null;
    post(input: object): Promise<string>;
    respond(id: string, input: object): Promise<void>;
    accept(id: string, responder: string): Promise<void>;
    contact(id: string): Promise<{ author: string; contact: string }[] | null>;
  };
  foundInIndexedDB(secrets: string[]): Promise<string[]>;
  storedSize(): Promise<{ databases: string[]; bytes: number }>;
  foundInState(secrets: string[]): string[];
}
type LabWindow = Window & { aidLab: AidLab };

const view = (page: Page): Promise<AidBoardView> => page.evaluate(() => structuredClone((window as unknown as LabWindow).aidLab.board().view!));

async function waitForPeers(page: Page, peers: number): Promise<void> {
  await page.waitForFunction(
    (n) => document.querySelector('gather-aid-board')?.shadowRoot?.querySelector('[part=status]')?.textContent?.includes(` ${n} other`) ?? false,
    peers,
    { timeout: TIMEOUT },
  );
}

/** Waits until the page's view satisfies `check` (a function source run in the page with the view). */
async function waitForView(page: Page, check: string, arg?: unknown): Promise<void> {
  await page.waitForFunction(
    ({ check, arg }) => {
      const v = (window as unknown as LabWindow).aidLab.board().view;
      return v != null && (new Function('view', 'arg', `return (${check})(view, arg)`) as (v: unknown, a: unknown) => boolean)(v, arg);
    },
    { check, arg },
    { timeout: TIMEOUT },
  );
}

describe('mutual-aid board across three browsers over WebRTC', { timeout: 180_000 }, () => {
  before(async () => {
    server = await startServer({ port: 0, root, requests: await aidBoardRequests() });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('contacts reach only the poster and the accepted responder; nobody else holds a readable copy', async () => {
    const room = `aid-p2p-${Date.now()}`;
    const visitors: Visitor[] = [];
    for (let i = 0; i < 3; i++) visitors.push(await openAidBoard(browser, server.url, room));
    const [a, b, c] = visitors.map((v) => v.page) as [Page, Page, Page];
    await Promise.all([a, b, c].map((page) => waitForPeers(page, 2)));

    const A_CONTACT = 'Ana Lopez +1 555 0100 ana@example.org';
    const B_CONTACT = 'Ben Okafor +1 555 0142 signal:ben.42';
    const B_MESSAGE = 'I drive past the pharmacy at five';
    const secrets = [A_CONTACT, B_CONTACT, B_MESSAGE, '555 0100', '555 0142'];

    // A posts a request with a contact.
    const id = await a.evaluate(
      (contact) => (window as unknown as LabWindow).aidLab.board().post({ kind: 'request', title: 'Prescription pick-up', description: 'Tomorrow', category: 'errands', area: 'North', urgency: 'today', contact }),
      A_CONTACT,
    );
    await waitForView(b, '(v, id) => v.posts.some((p) => p.id === id)', id);

    // B responds with a message and a contact.
    await b.evaluate(({ id, message, contact }) => (window as unknown as LabWindow).aidLab.board().respond(id, { message, contact }), { id, message: B_MESSAGE, contact: B_CONTACT });
    await waitForView(a, '(v, id) => v.posts.find((p) => p.id === id)?.responses[0]?.message != null', id);
    await waitForView(c, '(v, id) => v.posts.find((p) => p.id === id)?.responses.length === 1', id);
    const bKey = (await view(a)).posts.find((p) => p.id === id)!.responses[0]!.author;
    assert.equal((await view(a)).posts.find((p) => p.id === id)!.responses[0]!.message, B_MESSAGE, 'the poster reads the message');

    // C, not chosen, sees the post and the response, but reads neither contact nor the message.
    const seenByC = (await view(c)).posts.find((p) => p.id === id)!;
    assert.equal(seenByC.title, 'Prescription pick-up');
    assert.deepEqual(seenByC.responses, [{ author: bKey, message: null, accepted: false }]);
    assert.equal(await c.evaluate((id) => (window as unknown as LabWindow).aidLab.board().contact(id), id), null);
    assert.equal(await b.evaluate((id) => (window as unknown as LabWindow).aidLab.board().contact(id), id), null, 'B before being accepted');

    // A accepts B: each reads the other's contact; C still reads neither.
    await a.evaluate(({ id, bKey }) => (window as unknown as LabWindow).aidLab.board().accept(id, bKey), { id, bKey });
    await waitForView(b, '(v, id) => v.posts.find((p) => p.id === id)?.status === "matched"', id);
    await waitForView(c, '(v, id) => v.posts.find((p) => p.id === id)?.responses[0]?.accepted === true', id);
    const aKey = (await view(b)).posts.find((p) => p.id === id)!.author;
    assert.deepEqual(await b.evaluate((id) => (window as unknown as LabWindow).aidLab.board().contact(id), id), [{ author: aKey, contact: A_CONTACT }]);
    assert.deepEqual(await a.evaluate((id) => (window as unknown as LabWindow).aidLab.board().contact(id), id), [{ author: bKey, contact: B_CONTACT }]);
    assert.equal(await c.evaluate((id) => (window as unknown as LabWindow).aidLab.board().contact(id), id), null);

    // Nothing readable anywhere: the encoded document and every IndexedDB database of every browser
    // (C's above all). Wait for y-indexeddb to have stored the accept (it writes per update).
    for (const [name, page] of [['C', c], ['A', a], ['B', b]] as const) {
      await page.waitForFunction(() => (window as unknown as LabWindow).aidLab.storedSize().then((s) => s.databases.length >= 2), null, { timeout: TIMEOUT });
      const size = await page.evaluate(() => (window as unknown as LabWindow).aidLab.storedSize());
      assert.ok(size.bytes > 2000, `${name}: the search read ${size.bytes} bytes of ${size.databases.join(', ')}`);
      assert.deepEqual(await page.evaluate((s) => (window as unknown as LabWindow).aidLab.foundInIndexedDB(s), secrets), [], `${name}'s IndexedDB`);
      assert.deepEqual(await page.evaluate((s) => (window as unknown as LabWindow).aidLab.foundInState(s), secrets), [], `${name}'s document`);
    }
    // The search would find what is there: the post's title is stored in the clear.
    assert.deepEqual(await c.evaluate(() => (window as unknown as LabWindow).aidLab.foundInIndexedDB(['Prescription pick-up'])), ['Prescription pick-up']);
    assert.deepEqual(await c.evaluate(() => (window as unknown as LabWindow).aidLab.foundInState(['Prescription pick-up'])), ['Prescription pick-up']);

    for (const visitor of visitors) assert.deepEqual(visitor.errors, []);
  });
});
