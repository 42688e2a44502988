// The loader (dist/gather.js): a page with no Gather tag loads nothing but the loader; a widget
// with loading="lazy" loads its code only when it comes near the viewport; a widget added later loads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../src/server/serve.js';
import { newVisitor } from '../helpers/browser.js';
import { addWidget, widgetsSettled, withServedPages } from './pages.js';

let server: RunningServer;
let browser: Browser;

/** The scripts a page fetched from /dist/. */
function scriptsOf(page: Page): string[] {
  const fetched: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/dist/') && url.pathname.endsWith('.js')) fetched.push(url.pathname.replace(/-[0-9a-f]{12}\.js$/, '.js'));
  });
  return fetched;
}

describe('the loader', { timeout: 60_000 }, () => {
  withServedPages((started, launched) => ([server, browser] = [started, launched]));

  it('on a page with no Gather tag, loads nothing but itself; a widget the page adds later is loaded', async () => {
    const { page, errors, context } = await newVisitor(browser);
    const fetched = scriptsOf(page);
    await page.goto(new URL('/empty.html', server.url).href);
    await page.waitForLoadState('networkidle');
    assert.deepEqual(fetched, ['/dist/gather.js'], 'gather.js imports no chunk of its own');
    await addWidget(page, 'gather-poll', { room: 'later', name: 'later', question: 'Added later?' }, '<option value="yes">Yes</option>');
    await page.waitForFunction(() => (document.querySelector('gather-poll') as unknown as { view: unknown } | null)?.view != null, null, { timeout: 15_000 });
    assert.ok(fetched.includes('/dist/chunks/gather-poll.js'), fetched.join(' '));
    assert.ok(!fetched.includes('/dist/chunks/gather-thread.js'), 'nothing the page does not have');
    assert.deepEqual(fetched.filter((file) => /gather-(es|fr|ar)-/.test(file)), [], 'an English page loads no translation');
    assert.ok(!fetched.includes('/dist/chunks/gather-trust.js'), 'a poll naming no organizer loads no trust map');
    assert.ok(!fetched.includes('/dist/chunks/verifier-pool.js') && !fetched.includes('/dist/chunks/verifier-worker.js'), 'a small room loads no verifier workers');
    assert.deepEqual(errors.filter((e) => !e.includes('favicon')), []);
    await context.close();
  });

  it('a page on the script tag adds a language with registerTranslation imported from gather.js, before or after the widget shows', async () => {
    const { page, errors, context } = await newVisitor(browser);
    await page.goto(new URL('/empty.html', server.url).href);
    const vote = () =>
      page.waitForFunction(
        () => [...(document.querySelector('gather-poll')?.shadowRoot?.querySelectorAll('button') ?? [])].some((b) => b.textContent!.trim() === 'Votar'),
        undefined,
        { timeout: 15_000 },
      );
    await page.addScriptTag({
      type: 'module',
      content: `import { registerTranslation } from '/dist/gather.js';
        globalThis.registered = registerTranslation({ $code: 'pt', $name: 'Português', $dir: 'ltr', poll: { vote: 'Votar' } }).then(() => 'done');`,
    });
    assert.equal(await page.evaluate(() => (globalThis as unknown as { registered: Promise<string> }).registered), 'done');
    await addWidget(page, 'gather-poll', { room: 'pt', name: 'pt', question: 'Qual?', lang: 'pt' }, '<option value="a">A</option>');
    await vote();
    // A widget already showing re-renders in what the page registers later.
    await page.addScriptTag({ type: 'module', content: `import { registerTranslation } from '/dist/gather.js'; registerTranslation({ $code: 'pt', poll: { vote: 'Votar já' } });` });
    await page.waitForFunction(
      () => [...(document.querySelector('gather-poll')?.shadowRoot?.querySelectorAll('button') ?? [])].some((b) => b.textContent!.trim() === 'Votar já'),
      undefined,
      { timeout: 15_000 },
    );
    assert.deepEqual(errors.filter((e) => !e.includes('favicon')), []);
    await context.close();
  });

  it("loads the room's trust map for a widget naming organizers, and for an invite link's address", async () => {
    for (const [hash, organizer] of [['', 'a-root-key'], ['#invite=not-an-invite&password=open-sesame', null]] as const) {
      const { page, errors, context } = await newVisitor(browser);
      const fetched = scriptsOf(page);
      await page.goto(new URL(`/empty.html${hash}`, server.url).href);
      await page.waitForLoadState('networkidle');
      const attributes = { room: 'trusted', name: 'trusted', question: 'Trusted?', ...(organizer !== null ? { organizer } : {}) };
      await addWidget(page, 'gather-poll', attributes, '<option value="yes">Yes</option>');
      await page.waitForFunction(() => (document.querySelector('gather-poll') as unknown as { view: unknown } | null)?.view != null, null, { timeout: 15_000 });
      assert.ok(fetched.includes('/dist/chunks/gather-trust.js'), `${hash || organizer}: ${fetched.join(' ')}`);
      // Asked for by the loader from the markup, before the poll's own code ran.
      assert.ok(fetched.indexOf('/dist/chunks/gather-trust.js') < fetched.indexOf('/dist/chunks/gather-core.js'), fetched.join(' '));
      const seen = await page.evaluate(() => {
        const poll = document.querySelector('gather-poll') as unknown as { model: { value: { trust: { view: { roots: string[] } } } }; protectionFacts: { password: boolean } };
        return { roots: poll.model.value.trust.view.roots, password: poll.protectionFacts.password };
      });
      // The organizer's trust map itself; a link whose invite does not read names no room, so its password applies to none.
      assert.deepEqual(seen, organizer === null ? { roots: [], password: false } : { roots: [organizer], password: false });
      assert.deepEqual(errors.filter((e) => !e.includes('favicon')), []);
      await context.close();
    }
  });

  it("loads a language's strings only for the widgets in it, asked for alongside the core, so they are there for the first render", async () => {
    const { page, errors, context } = await newVisitor(browser);
    // Each round trip takes 150 ms: strings asked for only once a widget's code runs would come a round trip after the core.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: -1, uploadThroughput: -1 });
    const asked = new Map<string, number>();
    let coreArrived = Infinity;
    page.on('request', (request) => {
      const file = new URL(request.url()).pathname.replace(/-[0-9a-f]{12}\.js$/, '.js');
      if (!asked.has(file)) asked.set(file, Date.now());
    });
    page.on('requestfinished', (request) => {
      if (/\/gather-core-[0-9a-f]{12}\.js$/.test(request.url())) coreArrived = Math.min(coreArrived, Date.now());
    });
    // What each widget's first button or message says, frame by frame, from its first render on.
    await context.addInitScript({
      content: `globalThis.seen = new Set(); (function sample() {
        for (const widget of document.querySelectorAll('gather-poll, gather-thread')) {
          const text = widget.shadowRoot?.querySelector('button.primary, .empty')?.textContent?.trim();
          if (text) seen.add(widget.localName + ': ' + text);
        }
        requestAnimationFrame(sample);
      })();`,
    });
    await page.goto(new URL('/arabic.html', server.url).href);
    await widgetsSettled(page, ['gather-poll', 'gather-thread']);
    const files = [...asked.keys()].filter((file) => /gather-(es|fr|ar)-/.test(file)).sort();
    assert.deepEqual(files, ['/dist/chunks/gather-ar-core.js', '/dist/chunks/gather-ar-poll.js', '/dist/chunks/gather-es-core.js', '/dist/chunks/gather-es-thread.js']);
    for (const file of files) assert.ok(asked.get(file)! < coreArrived, `${file} asked for alongside the core, not after it`);
    const seen = await page.evaluate(() => [...(globalThis as unknown as { seen: Set<string> }).seen]);
    assert.deepEqual(seen.sort(), ['gather-poll: صوّت', 'gather-thread: Publicar comentario'], 'no English first');
    assert.equal(await page.locator('gather-poll').evaluate((poll) => getComputedStyle(poll.shadowRoot!.querySelector('[part~=base]')!).direction), 'rtl');
    assert.deepEqual(errors.filter((e) => !e.includes('favicon')), []);
    await context.close();
  });

  it("asks for the core once the first of a widget's own chunks has come, not with them nor after all of them (a slow network's bandwidth goes to what the widget paints from first)", async () => {
    const { page, errors, context } = await newVisitor(browser);
    // What the page asked for and what came, in order.
    const events: string[] = [];
    const file = (url: string) => new URL(url).pathname.replace(/^.*\/|-[0-9a-f]{12}\.js$/g, '');
    page.on('request', (request) => void events.push(`asked ${file(request.url())}`));
    page.on('requestfinished', (request) => void events.push(`came ${file(request.url())}`));
    // The poll's own chunk is held until the core is asked for (were the core asked for only once
    // all of the poll's code had come, it never would be).
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/dist\/chunks\/gather-poll-[0-9a-f]{12}\.js$/, async (route) => {
      await released;
      await route.continue();
    });
    await page.goto(new URL('/empty.html', server.url).href);
    await page.waitForLoadState('networkidle');
    const core = page.waitForRequest(/\/dist\/chunks\/gather-core-[0-9a-f]{12}\.js$/, { timeout: 10_000 });
    await addWidget(page, 'gather-poll', { room: 'slow', name: 'slow', question: 'Which?' }, '<option value="a">A</option>');
    await core.finally(release);
    const order = events.filter((event) => /gather-(ui|poll|core)$/.test(event));
    assert.deepEqual(order.slice(0, 4), ['asked gather-ui', 'asked gather-poll', 'came gather-ui', 'asked gather-core'], events.join(', '));
    await page.waitForFunction(() => (document.querySelector('gather-poll') as unknown as { view: unknown } | null)?.view != null, null, { timeout: 15_000 });
    assert.deepEqual(errors.filter((e) => !e.includes('favicon')), []);
    await context.close();
  });

  it('loads a loading="lazy" widget only when it comes near the viewport', async () => {
    const { page, errors, context } = await newVisitor(browser);
    const fetched = scriptsOf(page);
    await page.goto(new URL('/lazy.html', server.url).href);
    await page.waitForLoadState('networkidle');
    assert.ok(!fetched.includes('/dist/chunks/gather-poll.js'), `loaded before it was near: ${fetched.join(' ')}`);
    assert.equal(await page.evaluate(() => customElements.get('gather-poll') === undefined), true);
    // Before its code arrives, the poll reads as its plain options.
    assert.match(await page.locator('gather-poll').innerText(), /Yes\s+No/);
    await page.locator('gather-poll').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => (document.querySelector('gather-poll') as unknown as { view: unknown } | null)?.view != null, null, { timeout: 15_000 });
    assert.ok(fetched.includes('/dist/chunks/gather-poll.js'));
    assert.deepEqual(errors.filter((e) => !e.includes('favicon')), []);
    await context.close();
  });
});
