// The UI before the sync stack (issue 12, Loading): a poll paints from the loader, the UI chunk and
// its own chunk — its question, its options as enabled controls, a true status — while the core
// (Yjs, rooms, identity, models) is still on its way; a vote cast then waits, the button saying
// so, and is cast once the core has come. The core is held back by the test until then.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../src/server/serve.js';
import { newVisitor } from '../helpers/browser.js';
import { addWidget, withServedPages } from './pages.js';

let server: RunningServer;
let browser: Browser;

const CORE = /\/dist\/chunks\/gather-core-[0-9a-f]{12}\.js$/;

/** Holds the page's requests for the core until `release()`; `asked()` says whether it was asked for. */
async function holdCore(page: Page): Promise<{ release: () => void; asked: () => boolean }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let asked = false;
  await page.route(CORE, async (route) => {
    asked = true;
    await released;
    await route.continue();
  });
  return { release, asked: () => asked };
}

describe('the UI before the sync stack', { timeout: 60_000 }, () => {
  withServedPages((started, launched) => ([server, browser] = [started, launched]));

  for (const inRoom of [false, true]) {
    it(`a poll${inRoom ? ' in a <gather-room>' : ''} paints and takes a vote before the core has come; the vote is cast once it has`, async () => {
      const { page, errors, context } = await newVisitor(browser);
      const core = await holdCore(page);
      await page.goto(new URL('/empty.html', server.url).href);
      const room = `split-${inRoom}-${Math.random().toString(36).slice(2)}`;
      await page.evaluate(
        ({ room, inRoom }) => {
          const poll = document.createElement('gather-poll');
          poll.setAttribute('name', 'where');
          poll.setAttribute('question', 'Where shall we meet?');
          poll.innerHTML = '<option value="hall">The hall</option><option value="park">The park</option>';
          poll.addEventListener('gather-vote', (event) => ((globalThis as unknown as { votes: unknown[] }).votes ??= []).push((event as CustomEvent).detail.ballot));
          if (inRoom) {
            const gatherRoom = document.createElement('gather-room');
            gatherRoom.setAttribute('room', room);
            gatherRoom.append(poll);
            document.body.append(gatherRoom);
          } else {
            poll.setAttribute('room', room);
            document.body.append(poll);
          }
        },
        { room, inRoom },
      );
      // Painted, with enabled controls and a true status, while the core is held back.
      const painted = await page.waitForFunction(
        () => {
          const poll = document.querySelector('gather-poll');
          const root = poll?.shadowRoot;
          const radios = [...(root?.querySelectorAll<HTMLInputElement>('input[type=radio]') ?? [])];
          const vote = root?.querySelector<HTMLButtonElement>('button[type=submit]');
          if (!customElements.get('gather-poll') || radios.length !== 2 || !vote || vote.disabled || radios.some((radio) => radio.disabled)) return null;
          return { question: root!.querySelector('legend')?.textContent?.trim(), status: root!.querySelector('[part~=status]')?.textContent?.trim(), view: (poll as unknown as { view: unknown }).view };
        },
        null,
        { timeout: 15_000 },
      );
      assert.deepEqual(await painted.jsonValue(), { question: 'Where shall we meet?', status: 'Connecting…', view: null });
      assert.ok(core.asked(), 'the core was asked for alongside the UI, not after the poll painted');
      // A vote now waits, the button saying it is being saved.
      await page.locator('gather-poll input[value=park]').check();
      await page.locator('gather-poll button[type=submit]').click();
      await page.waitForFunction(() => {
        const vote = document.querySelector('gather-poll')?.shadowRoot?.querySelector<HTMLButtonElement>('button[type=submit]');
        return vote?.disabled === true && vote.textContent?.trim() === 'Saving…';
      });
      assert.equal(await page.evaluate(() => (globalThis as unknown as { votes?: unknown[] }).votes), undefined, 'not cast yet');
      core.release();
      await page.waitForFunction(() => (document.querySelector('gather-poll') as unknown as { view: { mine: unknown } | null }).view?.mine === 'park', null, { timeout: 15_000 });
      assert.deepEqual(await page.evaluate(() => (globalThis as unknown as { votes?: unknown[] }).votes), ['park'], 'cast once, with gather-vote');
      assert.deepEqual(errors.filter((e) => !e.includes('favicon')), []);
      await context.close();
    });
  }

  it('an aid board paints its board and post form before the core has come; a post made then waits, and is saved once it has', async () => {
    const { page, errors, context } = await newVisitor(browser);
    const core = await holdCore(page);
    await page.goto(new URL('/empty.html', server.url).href);
    await page.evaluate((room) => {
      const board = document.createElement('gather-aid-board');
      board.setAttribute('room', room);
      board.setAttribute('name', 'aid');
      board.setAttribute('heading', 'Help on our street');
      board.setAttribute('categories', 'food, rides');
      board.addEventListener('gather-post', (event) => ((globalThis as unknown as { posts: unknown[] }).posts ??= []).push((event as CustomEvent).detail.action));
      document.body.append(board);
    }, `split-aid-${Math.random().toString(36).slice(2)}`);
    // Painted, its form enabled and a true status, while the core is held back.
    const painted = await page.waitForFunction(
      () => {
        const board = document.querySelector('gather-aid-board');
        const root = board?.shadowRoot;
        const submit = root?.querySelector<HTMLButtonElement>('.new-post button[type=submit]');
        if (!customElements.get('gather-aid-board') || !submit || submit.disabled) return null;
        return {
          heading: root!.querySelector('[part~=header]')?.textContent?.trim(),
          empty: root!.querySelector('.empty')?.textContent?.trim(),
          categories: [...root!.querySelectorAll('.new-post select[name=category] option')].map((option) => option.textContent),
          status: root!.querySelector('[part~=status]')?.textContent?.trim(),
          view: (board as unknown as { view: unknown }).view,
        };
      },
      null,
      { timeout: 15_000 },
    );
    assert.deepEqual(await painted.jsonValue(), {
      heading: 'Help on our street',
      empty: 'No posts yet. Be the first to offer help or ask for it.',
      categories: ['food', 'rides'],
      status: 'Connecting…',
      view: null,
    });
    assert.ok(core.asked(), 'the core was asked for alongside the UI, not after the board painted');
    // A post now waits, the button saying it is being saved.
    await page.locator('gather-aid-board .new-post summary').click();
    await page.locator('gather-aid-board input[name=title]').fill('Soup on Fridays');
    await page.locator('gather-aid-board input[name=contact]').fill('flat 4');
    await page.locator('gather-aid-board .new-post button[type=submit]').click();
    await page.waitForFunction(() => {
      const submit = document.querySelector('gather-aid-board')?.shadowRoot?.querySelector<HTMLButtonElement>('.new-post button[type=submit]');
      return submit?.disabled === true && submit.getAttribute('aria-busy') === 'true' && submit.textContent?.trim() === 'Saving…';
    });
    assert.equal(await page.evaluate(() => (globalThis as unknown as { posts?: unknown[] }).posts), undefined, 'not posted yet');
    core.release();
    await page.waitForFunction(() => (document.querySelector('gather-aid-board') as unknown as { view: { posts: { title: string }[] } | null }).view?.posts[0]?.title === 'Soup on Fridays', null, { timeout: 15_000 });
    assert.deepEqual(await page.evaluate(() => (globalThis as unknown as { posts?: unknown[] }).posts), ['post'], 'posted once, with gather-post');
    assert.equal(await page.locator('gather-aid-board .new-post button[type=submit]').textContent().then((text) => text?.trim()), 'Post');
    assert.deepEqual(errors.filter((e) => !e.includes('favicon')), []);
    await context.close();
  });

  it("a thread paints its topic before the core has come; its form comes with the model, and a comment lands; the poll's element is never loaded", async () => {
    const { page, errors, context } = await newVisitor(browser);
    const core = await holdCore(page);
    const fetched: string[] = [];
    page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    await page.goto(new URL('/empty.html', server.url).href);
    await addWidget(page, 'gather-thread', { room: `split-thread-${Math.random().toString(36).slice(2)}`, name: 'rent', topic: 'Should we withhold December rent?' });
    const painted = await page.waitForFunction(
      () => {
        const thread = document.querySelector('gather-thread');
        const root = thread?.shadowRoot;
        const topic = root?.querySelector('[part~=topic]')?.textContent?.trim();
        if (!customElements.get('gather-thread') || !topic) return null;
        return { topic, status: root!.querySelector('[part~=status]')?.textContent?.trim(), form: root!.querySelector('form.compose') !== null, view: (thread as unknown as { view: unknown }).view };
      },
      null,
      { timeout: 15_000 },
    );
    assert.deepEqual(await painted.jsonValue(), { topic: 'Should we withhold December rent?', status: 'Connecting…', form: false, view: null });
    core.release();
    await page.locator('gather-thread form.compose textarea').fill('Yes, together.', { timeout: 15_000 });
    await page.locator('gather-thread form.compose button[type=submit]').click();
    await page.waitForFunction(() => (document.querySelector('gather-thread') as unknown as { view: { comments: { text: string }[] } | null }).view?.comments[0]?.text === 'Yes, together.', null, { timeout: 15_000 });
    // Its proposals count with the poll's model (a chunk of its own), which needs nothing of the poll's element.
    assert.ok(fetched.some((file) => /\/gather-poll-model-[0-9a-f]{12}\.js$/.test(file)), fetched.join(' '));
    assert.ok(!fetched.some((file) => /\/gather-poll-[0-9a-f]{12}\.js$/.test(file)), `the poll's element loaded: ${fetched.join(' ')}`);
    assert.deepEqual(errors.filter((e) => !e.includes('favicon')), []);
    await context.close();
  });

  it('when the core cannot be loaded, a post on the aid board fails in words and is kept in the form; posting again tries again', async () => {
    const { page, context } = await newVisitor(browser);
    await page.route(CORE, (route) => route.abort());
    await page.goto(new URL('/empty.html', server.url).href);
    await page.evaluate(() => {
      const board = document.createElement('gather-aid-board');
      board.setAttribute('room', `split-aid-broken-${Math.random().toString(36).slice(2)}`);
      board.setAttribute('name', 'aid');
      document.body.append(board);
    });
    await page.locator('gather-aid-board .new-post summary').click();
    await page.locator('gather-aid-board input[name=title]').fill('Ladder to lend');
    await page.locator('gather-aid-board input[name=category]').fill('tools');
    await page.locator('gather-aid-board input[name=contact]').fill('flat 2');
    const submit = page.locator('gather-aid-board .new-post button[type=submit]');
    await submit.click();
    const alert = page.locator('gather-aid-board [role=alert]');
    await alert.waitFor({ timeout: 15_000 });
    assert.equal((await alert.textContent())?.trim(), 'Your post could not be saved. Please try again.');
    assert.deepEqual([await submit.isEnabled(), (await submit.textContent())?.trim(), await page.locator('gather-aid-board input[name=title]').inputValue()], [true, 'Post', 'Ladder to lend']);
    await page.unroute(CORE);
    await submit.click();
    await page.waitForFunction(() => (document.querySelector('gather-aid-board') as unknown as { view: { posts: { title: string }[] } | null }).view?.posts[0]?.title === 'Ladder to lend', null, { timeout: 15_000 });
    await context.close();
  });

  it('when the core cannot be loaded, a vote fails in words (not "Saving…" for ever), the console says what to do, once; voting again tries again', async () => {
    const { page, errors, context } = await newVisitor(browser);
    await page.route(CORE, (route) => route.abort());
    await page.goto(new URL('/empty.html', server.url).href);
    await addWidget(page, 'gather-poll', { room: 'split-broken', name: 'where', question: 'Where shall we meet?' }, '<option value="hall">The hall</option><option value="park">The park</option>');
    await page.locator('gather-poll input[value=hall]').check();
    await page.locator('gather-poll button[type=submit]').click();
    const alert = page.locator('gather-poll [role=alert]');
    await alert.waitFor({ timeout: 15_000 });
    assert.equal((await alert.textContent())?.trim(), 'Your vote could not be saved. Please try again.');
    assert.equal(await page.locator('gather-poll button[type=submit]').isEnabled(), true, 'the visitor can try again');
    assert.equal(errors.filter((e) => e.includes('gather: the code that connects the widgets to their room could not be loaded')).length, 1, errors.join('\n'));
    await page.unroute(CORE);
    await page.locator('gather-poll button[type=submit]').click();
    await page.waitForFunction(() => (document.querySelector('gather-poll') as unknown as { view: { mine: unknown } | null }).view?.mine === 'hall', null, { timeout: 15_000 });
    await context.close();
  });
});
