// Browsers and the keeper: real `gather serve` processes (the keeper at /sync, storage on disk),
// real Chromium contexts through the built embed (dist/gather.js, its keeper chunk loaded on
// demand), inside the private network namespace (sh bin/netns …). Run `npm run build` first.
//
// - a vote stored by the keeper reaches a visitor who comes later, when nobody else is online;
// - the keeper killed with SIGKILL during a burst of votes from two browsers, restarted on the same
//   port and data: every vote a browser saw confirmed (unsaved back to 0) is on its disk, and the
//   browsers reconnect by themselves and converge;
// - two keepers sharing a real redis-server: a browser on each sees the other's vote, and the two meet
//   over WebRTC (the keepers relay signaling through Redis);
// - a password room: a browser without the password, or with a wrong one, is refused by the keeper,
//   receives nothing and says so (the page here loads gather.js from the keeper's origin).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { RoomStore } from '../../src/server/store.js';
import { launchChromium, newVisitor, type Visitor } from '../helpers/browser.js';
import { withTimeout } from '../server/helpers.js';
import { spawnKeeper, startRedis, tempDir, type KeeperProcess } from '../server/keeper-helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TIMEOUT = 20_000;

let site: RunningServer;
let browser: Browser;
/** One keeper for the tests that need no restart. */
let keeper: KeeperProcess;
const dirs: string[] = [];
const visitors: Visitor[] = [];

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The test page, `/__keeper/?room=…&keeper=…&polls=N[&password=…][&signal=…][&script=…]`: `polls`
 * polls (q0, q1, … with options A and B) in one `<gather-room>`, the embed's script tag naming the
 * signaling server (default: this server's) and the keeper.
 */
function keeperPage(req: IncomingMessage, res: ServerResponse): void {
  const q = new URL(req.url ?? '/', site.url).searchParams;
  const polls = Number(q.get('polls') ?? '1');
  const password = q.get('password');
  const body = Array.from(
    { length: polls },
    (_, i) => `<gather-poll name="q${i}" question="Question ${i}"><option value="a">A</option><option value="b">B</option></gather-poll>`,
  ).join('\n');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>keeper p2p</title><link rel="icon" href="data:,">
<script type="module" src="${escape(q.get('script') ?? '/dist/gather.js')}" data-signaling="${escape(q.get('signal') ?? site.signalingUrl)}" data-keeper="${escape(q.get('keeper') ?? '')}"></script>
</head><body><gather-room room="${escape(q.get('room') ?? '')}"${password ? ` password="${escape(password)}"` : ''}>
${body}
</gather-room></body></html>`);
}

/** A new browser context on `url`, recording the requests it makes; resolves once its first poll has loaded. */
async function visit(url: string): Promise<Visitor & { requests: string[] }> {
  const visitor = await newVisitor(browser);
  visitors.push(visitor);
  const requests: string[] = [];
  visitor.page.on('request', (request) => requests.push(request.url()));
  await visitor.page.goto(url);
  await visitor.page.waitForFunction(() => document.querySelector('gather-poll')?.view != null, null, { timeout: TIMEOUT });
  return { ...visitor, requests };
}

const pageUrl = (query: Record<string, string>) => new URL(`/__keeper/?${new URLSearchParams(query)}`, site.url).href;
const demoUrl = (k: KeeperProcess, query: Record<string, string>) => `http://127.0.0.1:${k.port}/?${new URLSearchParams(query)}`;

interface SeenStatus {
  state: string;
  peers: number;
  keeper: string;
  unsaved: number;
  keeperRefusal?: string;
}
const status = (page: Page, selector = 'gather-poll'): Promise<SeenStatus> =>
  page.evaluate((s) => ({ ...(document.querySelector(s) as unknown as { status: SeenStatus }).status }), selector);
const statusLine = (page: Page) => page.locator('gather-poll [part=status]').first().innerText();

/** Waits until the keeper has stored everything this page holds. */
async function waitSaved(page: Page, ms = TIMEOUT) {
  await page.waitForFunction(
    () => [...document.querySelectorAll('gather-poll')].every((p) => p.status.keeper === 'synced' && p.status.unsaved === 0),
    null,
    { timeout: ms },
  );
}

async function waitForTotal(page: Page, total: number, selector = 'gather-poll') {
  await page.waitForFunction(([s, n]) => (document.querySelector(s as string) as { view?: { total: number } } | null)?.view?.total === n, [selector, total] as const, {
    timeout: TIMEOUT,
  });
}

const total = (page: Page, selector = 'gather-poll') => page.evaluate((s) => (document.querySelector(s) as { view?: { total: number } } | null)?.view?.total ?? null, selector);
const openDataChannels = (page: Page) => page.evaluate(() => (window as unknown as { openDataChannels: number }).openDataChannels);

async function vote(page: Page, label: string, selector = 'gather-poll') {
  const poll = page.locator(selector);
  await poll.getByRole('radio', { name: label }).check();
  await poll.getByRole('button', { name: 'Vote' }).click();
  await page.waitForFunction((s) => (document.querySelector(s) as { view?: { mine: unknown } } | null)?.view?.mine != null, selector, { timeout: TIMEOUT });
}

async function stop(k: KeeperProcess): Promise<void> {
  if (k.child.exitCode !== null || k.child.signalCode !== null) return;
  k.child.kill('SIGTERM');
  assert.equal(await withTimeout(k.exited, 'exit after SIGTERM', 10_000), 0);
}



async function newDir(): Promise<string> {
  const dir = await tempDir('gather-keeper-p2p-');
  dirs.push(dir);
  return dir;
}

/** The ballot keys (`ballot:<author>`) a keeper's data directory holds for each poll of a room (the keeper must be stopped). */
async function storedBallots(data: string, room: string, polls: readonly string[]): Promise<Map<string, Set<string>>> {
  const store = await RoomStore.open(data);
  try {
    const doc = await store.doc(room);
    const out = new Map(polls.map((name) => [name, new Set(doc.getMap(`poll:${name}`).keys())]));
    doc.destroy();
    return out;
  } finally {
    await store.close();
  }
}

/** Console errors, less the browser's own lines about WebSocket connections that failed while a keeper was down. */
const unexpectedErrors = (visitor: Visitor) => visitor.errors.filter((e) => !/WebSocket connection to '.*\/sync' failed/.test(e));

describe('widgets and the keeper', { timeout: 120_000 }, () => {
  before(async () => {
    assert.ok(existsSync(`${root}/dist/gather.js`), 'dist/gather.js is missing: run npm run build first');
    site = await startServer({ port: 0, root, requests: { '/__keeper/': keeperPage } });
    browser = await launchChromium();
    keeper = await spawnKeeper(await newDir());
  });

  after(async () => {
    await browser?.close();
    await site?.close();
    if (keeper) await stop(keeper);
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('the demo: a vote the keeper confirmed reaches a visitor who comes when nobody else is online', async () => {
    const room = `keeper-demo-${Date.now()}`;
    const a = await visit(demoUrl(keeper, { room }));
    await vote(a.page, 'Thursday, 6:30 pm');
    await waitSaved(a.page);
    assert.match(await statusLine(a.page), /Connected · nobody else is here right now · Saved on the group's server/);
    assert.deepEqual(await status(a.page, 'gather-room'), await status(a.page), "<gather-room>'s status is its room's");
    assert.ok(a.requests.some((u) => /\/dist\/chunks\/keeper-link-[\w-]+\.js$/.test(u)), 'the keeper chunk was loaded');
    await a.context.close();

    const b = await visit(demoUrl(keeper, { room }));
    await waitForTotal(b.page, 1);
    assert.equal((await status(b.page)).peers, 0, 'nobody else was online');
    // Results show once this visitor has voted (the poll's default): then the first vote is there, as cast.
    await vote(b.page, 'Tuesday, 7 pm');
    const seen = await b.page.evaluate(() => structuredClone(document.querySelector('gather-poll')!.view!.options.map((o) => [o.id, o.count])));
    assert.deepEqual(seen, [
      ['tue', 1],
      ['wed', 0],
      ['thu', 1],
    ]);
    await waitSaved(b.page);
    assert.equal(await openDataChannels(b.page), 0, 'nothing came over WebRTC');

    // A page that names no keeper never fetches the keeper's client.
    const c = await visit(demoUrl(keeper, { room: `${room}-alone`, keeper: '' }));
    assert.equal((await status(c.page)).keeper, 'none');
    assert.ok(!c.requests.some((u) => u.includes('keeper-link')), `no keeper chunk without a keeper: ${c.requests.join(' ')}`);
    for (const visitor of [a, b, c]) assert.deepEqual(visitor.errors, []);
  });

  it('a keeper killed (SIGKILL) during a burst of votes keeps every vote it confirmed; the browsers reconnect by themselves and converge', async (t) => {
    const POLLS = 16;
    const names = Array.from({ length: POLLS }, (_, i) => `q${i}`);
    const data = await newDir();
    let k = await spawnKeeper(data);
    const room = `keeper-kill-${Date.now()}`;
    const query = { room, keeper: k.syncUrl, polls: String(POLLS) };
    try {
      const [a, b] = [await visit(pageUrl(query)), await visit(pageUrl(query))];
      for (const { page } of [a, b]) {
        await page.waitForFunction(() => [...document.querySelectorAll('gather-poll')].every((p) => p.view != null), null, { timeout: TIMEOUT });
        await page.waitForFunction(() => document.querySelector('gather-poll')!.status.peers === 1, null, { timeout: TIMEOUT });
        await waitSaved(page);
      }

      // In each page: every few ms, if the keeper has confirmed everything (synced, unsaved 0), the
      // polls this browser has voted in so far are confirmed. Then vote in every poll, one after another.
      const burst = (page: Page, choice: string, gap: number) =>
        page.evaluate(([choice, gap]) => {
          const polls = [...document.querySelectorAll('gather-poll')];
          const harness = { confirmed: [] as string[], cast: 0, key: '' };
          (window as unknown as { harness: typeof harness }).harness = harness;
          harness.key = (polls[0] as unknown as { identity: { signer: { publicKey: string } } }).identity.signer.publicKey;
          setInterval(() => {
            const { keeper, unsaved } = polls[0]!.status;
            if (keeper !== 'synced' || unsaved !== 0) return;
            harness.confirmed = polls.filter((p) => p.view?.mine != null).map((p) => p.name);
          }, 1);
          void (async () => {
            for (const poll of polls) {
              const radio = [...poll.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name=choice]')].find((input) => input.value === choice)!;
              radio.click();
              poll.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
              while (poll.view?.mine == null) await new Promise((resolve) => setTimeout(resolve, 2));
              harness.cast++;
              await new Promise((resolve) => setTimeout(resolve, gap + Math.random() * gap));
            }
          })();
        }, [choice, gap] as const);
      type Harness = { confirmed: string[]; cast: number; key: string };
      const harness = (page: Page) => page.evaluate(() => structuredClone((window as unknown as { harness: Harness }).harness));
      await Promise.all([burst(a.page, 'a', 20), burst(b.page, 'b', 40)]);
      for (const { page } of [a, b]) {
        await page.waitForFunction(() => {
          const h = (window as unknown as { harness: Harness }).harness;
          return h.cast >= 4 && h.confirmed.length >= 2;
        }, null, { timeout: TIMEOUT });
      }

      k.child.kill('SIGKILL');
      await withTimeout(k.exited, 'killed', 5000);
      const castAtKill = (await Promise.all([a, b].map(({ page }) => harness(page)))).map((h) => h.cast);
      for (const { page } of [a, b]) {
        await page.waitForFunction(() => document.querySelector('gather-poll')!.status.keeper === 'offline', null, { timeout: TIMEOUT });
      }
      // The keeper is gone: nothing more can be confirmed. What each browser saw confirmed must be on disk.
      const seen = await Promise.all([a, b].map(({ page }) => harness(page)));
      const stored = await storedBallots(data, room, names);
      for (const [i, h] of seen.entries()) {
        assert.ok(h.confirmed.length >= 2, `browser ${i} saw votes confirmed`);
        for (const name of h.confirmed) assert.ok(stored.get(name)!.has(`ballot:${h.key}`), `browser ${i}'s confirmed vote in ${name} was lost`);
      }
      assert.ok(castAtKill.some((cast) => cast < POLLS), `the keeper was killed mid-burst (votes cast then: ${castAtKill})`);
      t.diagnostic(`votes cast at the kill: ${castAtKill}; confirmed then: ${seen.map((h) => h.confirmed.length)}; on disk: ${[...stored.values()].reduce((n, s) => n + s.size, 0)}`);

      // Restarted on the same port and data: the browsers come back by themselves, and converge.
      k = await spawnKeeper(data, [], { port: k.port });
      for (const { page } of [a, b]) {
        await page.waitForFunction(
          (n) => (window as unknown as { harness: Harness }).harness.cast === n && [...document.querySelectorAll('gather-poll')].every((p) => p.view?.total === 2),
          POLLS,
          { timeout: TIMEOUT },
        );
        await waitSaved(page);
      }
      // A browser that reaches only the keeper (no signaling) gets every vote of both.
      const c = await visit(pageUrl({ ...query, keeper: k.syncUrl, signal: '' }));
      await c.page.waitForFunction(() => [...document.querySelectorAll('gather-poll')].every((p) => p.view?.total === 2), null, { timeout: TIMEOUT });
      assert.equal((await status(c.page)).state, 'offline', 'no peers: the votes came from the keeper');
      for (const visitor of [a, b, c]) assert.deepEqual(unexpectedErrors(visitor), []);
    } finally {
      await stop(k);
    }
  });

  it('two keepers sharing a redis-server: a browser on each sees the other’s vote', async () => {
    const redis = await startRedis();
    const keepers: KeeperProcess[] = [];
    const data = [await newDir(), await newDir()];
    try {
      for (const dir of data) keepers.push(await spawnKeeper(dir, ['--redis', redis.url]));
      const room = `keeper-redis-${Date.now()}`;
      // Each browser on its own keeper's demo page. The keepers share the room (test/server/
      // keeper-redis.test.ts shows it without WebRTC) and relay signaling through Redis, so the
      // browsers also meet over WebRTC.
      const [a, b] = [await visit(demoUrl(keepers[0]!, { room })), await visit(demoUrl(keepers[1]!, { room }))];
      await Promise.all([waitSaved(a.page), waitSaved(b.page)]);
      await vote(a.page, 'Tuesday, 7 pm');
      await waitForTotal(b.page, 1);
      await vote(b.page, 'Wednesday, 7 pm');
      await waitForTotal(a.page, 2);
      await Promise.all([waitSaved(a.page), waitSaved(b.page)]);
      for (const { page } of [a, b]) {
        await page.waitForFunction(() => (window as unknown as { openDataChannels: number }).openDataChannels > 0, undefined, { timeout: TIMEOUT });
        assert.ok((await openDataChannels(page)) > 0, 'browsers on two keepers met over WebRTC (signaling relayed through Redis)');
      }
      for (const visitor of [a, b]) assert.deepEqual(visitor.errors, []);
      await a.context.close();
      await b.context.close();
      await Promise.all(keepers.map(stop));
      for (const dir of data) assert.equal((await storedBallots(dir, room, ['assembly-day'])).get('assembly-day')!.size, 2, `${dir} holds both votes`);
    } finally {
      await Promise.all(keepers.map(stop));
      await redis.stop();
    }
  });

  it('a password room: a browser without the password or with a wrong one is refused by the keeper, receives nothing, and says so', async () => {
    const room = `keeper-pw-${Date.now()}`;
    // The page loads gather.js (and so its keeper chunk) from the keeper's origin, another origin than its own.
    const query = (password?: string) => ({
      room,
      keeper: keeper.syncUrl,
      script: `http://127.0.0.1:${keeper.port}/dist/gather.js`,
      ...(password ? { password } : {}),
    });
    const owner = await visit(pageUrl(query('correct horse')));
    assert.ok(owner.requests.some((u) => u.startsWith(`http://127.0.0.1:${keeper.port}/dist/chunks/keeper-link-`)), 'the keeper chunk came from gather.js’s origin');
    await vote(owner.page, 'A');
    await waitSaved(owner.page);
    await owner.context.close();

    for (const password of ['wrong horse', undefined]) {
      const stranger = await visit(pageUrl(query(password)));
      await stranger.page.waitForFunction(() => document.querySelector('gather-poll')!.status.keeperRefusal === 'permission-denied', null, { timeout: TIMEOUT });
      const seen = await status(stranger.page);
      assert.equal(seen.keeper, 'offline');
      assert.match(await statusLine(stranger.page), /The group's server refused this room: the password does not match — changes are kept on this device/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(await total(stranger.page), 0, `${password ?? 'no password'}: received nothing`);
      assert.deepEqual(stranger.errors, []);
      await stranger.context.close();
    }
    // (Repeated refusals from one address are logged once per 10 s.)
    assert.ok(
      keeper.logs().some((l) => l.event === 'refused' && l.reason === 'token' && l.room === room),
      'the keeper logged the refusal',
    );

    // The room was there to be had: a later visitor with the password gets the vote from the keeper.
    const member = await visit(pageUrl(query('correct horse')));
    await waitForTotal(member.page, 1);
    await waitSaved(member.page);
    assert.equal((await status(member.page)).peers, 0);
    assert.deepEqual(member.errors, []);
  });
});
