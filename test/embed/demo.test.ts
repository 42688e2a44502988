// The demo site as a visitor and a site owner use it: every page's widgets load through the script
// tag, and the snippet generator writes code that, pasted into a page, is the widget it previewed.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../src/server/serve.js';
import { startServer } from '../../src/server/serve.js';
import { launchChromium, newVisitor } from '../helpers/browser.js';
// @ts-expect-error: a plain module of the demo site (no declarations)
import { roomProblem, serverUrls, snippet, widgetTree } from '../../demo/snippet.js';
import { root, widgetsSettled } from './pages.js';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

describe('the snippet generator’s code', () => {
  it('writes the script tag for the server and the widget with its options', () => {
    const code: string = snippet({ widget: 'poll', server: 'https://eastside.example', room: 'eastside-tenants', question: 'Which evening?', options: 'Tuesday, 7 pm\nThursday\nThursday', kind: 'ranked', results: 'after-vote', lang: 'es', theme: 'dark' });
    assert.equal(
      code,
      '<script type="module" src="https://eastside.example/dist/gather.js"\n' +
        '        data-signaling="wss://eastside.example/signal" data-keeper="wss://eastside.example/sync"></script>\n\n' +
        '<gather-room room="eastside-tenants">\n' +
        '  <gather-poll name="which-evening" question="Which evening?" kind="ranked" lang="es" theme="dark">\n' +
        '    <option value="tuesday-7-pm">Tuesday, 7 pm</option>\n' +
        '    <option value="thursday">Thursday</option>\n' +
        '    <option value="thursday-2">Thursday</option>\n' +
        '  </gather-poll>\n' +
        '</gather-room>\n',
    );
  });

  it('never lets what the owner typed become markup', () => {
    const code: string = snippet({ widget: 'signup', server: '', room: 'eastside-tenants', title: 'A "quoted" <b>title</b>', slots: '</gather-slot><script>alert(1)</script> | 3' });
    assert.ok(!code.includes('<script>alert') && !code.includes('<b>'), code);
    assert.ok(code.includes('title="A &quot;quoted&quot; &lt;b&gt;title&lt;/b&gt;"'));
    assert.ok(code.includes('capacity="3">&lt;/gather-slot&gt;&lt;script&gt;alert(1)&lt;/script&gt;</gather-slot>'));
  });

  it('time polls keep the dates as option values; consent polls have no options', () => {
    const time = widgetTree({ widget: 'poll', kind: 'time', question: 'When?', options: '2026-12-08T19:00-05:00 Tuesday 8, 7 pm\n2026-12-10T19:00-05:00' });
    assert.deepEqual(time.children.map((c: { attributes: string[][]; text: string }) => [c.attributes[0]![1], c.text]), [
      ['2026-12-08T19:00-05:00', 'Tuesday 8, 7 pm'],
      ['2026-12-10T19:00-05:00', '2026-12-10T19:00-05:00'],
    ]);
    assert.deepEqual(widgetTree({ widget: 'poll', kind: 'consent', question: 'Strike?', options: 'ignored' }).children, []);
  });

  it('explains a server address or a room name that will not work', () => {
    assert.deepEqual(serverUrls(''), { script: '/dist/gather.js', signaling: '/signal', keeper: '/sync' });
    assert.deepEqual(serverUrls('gather.example.org/union/'), { script: 'https://gather.example.org/union/dist/gather.js', signaling: 'wss://gather.example.org/union/signal', keeper: 'wss://gather.example.org/union/sync' });
    assert.throws(() => serverUrls('http://gather.example.org'), /https/);
    assert.equal(serverUrls('http://localhost:8080').signaling, 'ws://localhost:8080/signal');
    assert.match(roomProblem('test'), /other groups/);
    assert.match(roomProblem('Eastside Tenants'), /lower-case/);
    assert.equal(roomProblem('eastside-tenants'), null);
  });
});

let server: RunningServer;
let browser: Browser;

describe('the demo site', { timeout: 60_000 }, () => {
  before(async () => {
    server = await startServer({ root }); // dist/ at /dist/, demo/ at / — as `npm start` serves them
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Every page of the site, as its navigation lists them, with the widgets each shows. */
  const PAGES = [
    ['index.html', ['gather-poll']],
    ['assembly.html', ['gather-poll', 'gather-thread', 'gather-signup']],
    ['campaign.html', ['gather-poll']],
    ['aid.html', ['gather-aid-board', 'gather-signup']],
    ['organizers.html', ['gather-organizer']],
    ['guide.html', []],
    ['generator.html', ['gather-poll']],
  ] as const;
  /** The kinds of poll the site's pages use between them. */
  const kinds = new Set<string>();

  for (const [page, tags] of PAGES) {
    it(`${page}: in the union's look, linked to every other page, every widget loading through the script tag, no axe violations`, async () => {
      const visitor = await newVisitor(browser);
      const { page: tab } = visitor;
      await tab.goto(new URL(`/${page}`, server.url).href);
      if (tags.length > 0) await widgetsSettled(tab, tags);
      assert.deepEqual(visitor.errors.filter((e) => e.startsWith('page error')), []);

      assert.ok(await tab.evaluate(() => [...document.styleSheets].some((sheet) => sheet.href?.endsWith('/union.css'))), 'union.css');
      const nav = await tab.locator('header nav a').evaluateAll((links) => links.map((a) => [a.getAttribute('href'), a.getAttribute('aria-current')]));
      assert.deepEqual(
        nav,
        PAGES.map(([other]) => [other, other === page ? 'page' : null]),
      );
      for (const kind of await tab.evaluate(() => [...document.querySelectorAll('gather-poll')].map((poll) => poll.getAttribute('kind') ?? 'single'))) kinds.add(kind);

      await tab.addScriptTag({ path: axePath });
      const violations = await tab.evaluate(async () => {
        const { violations } = await (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe.run();
        return violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
      });
      assert.deepEqual(violations, []);
      await visitor.context.close();
    });
  }

  it('between them, the pages use every kind of poll', () => {
    assert.deepEqual([...kinds].sort(), ['consent', 'multiple', 'ranked', 'score', 'single', 'time']);
  });

  it('guide.html explains the steps and who can see what', async () => {
    const visitor = await newVisitor(browser);
    await visitor.page.goto(new URL('/guide.html', server.url).href);
    const text = await visitor.page.locator('main').innerText();
    for (const words of ['Run the group', 'Choose a room name', 'Who can see what', 'The signaling server', 'The keeper']) assert.ok(text.includes(words), words);
    await visitor.context.close();
  });

  it('generator.html: choose a widget, see it live, copy the code, and the code pasted into a page is that widget', async () => {
    const visitor = await newVisitor(browser);
    await visitor.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const { page } = visitor;
    await page.goto(new URL('/generator.html', server.url).href);
    await widgetsSettled(page, ['gather-poll']);
    await page.getByLabel('Signup sheet').check();
    await page.getByLabel('Title', { exact: true }).fill('Sunday clean-up');
    await page.getByLabel('Language').selectOption('fr');
    await page.getByLabel(/Address of your Gather server/).fill('');
    await page.waitForFunction(() => document.querySelector('#preview gather-signup')?.getAttribute('title') === 'Sunday clean-up');
    await widgetsSettled(page, ['#preview gather-signup']);
    // The preview speaks French (once its strings have come: the sheet's code was there already, so it may paint in English first).
    await page.locator('#preview gather-signup').getByRole('button', { name: /M’inscrire/ }).first().waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => document.querySelector('#snippet')!.textContent!.startsWith('<script type="module" src="/dist/gather.js"'));
    const code = (await page.locator('#snippet').textContent())!;
    assert.match(code, /<gather-signup name="sunday-clean-up" title="Sunday clean-up" lang="fr">/);
    await page.getByRole('button', { name: 'Copy the code' }).click();
    await page.getByText('Copied.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);
    assert.deepEqual(visitor.errors.filter((e) => e.startsWith('page error')), []);

    // Pasted into a page of this site: the same widget, working.
    await page.route('**/pasted.html', (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pasted</title></head><body>${code}</body></html>` }));
    await page.goto(new URL('/pasted.html', server.url).href);
    await widgetsSettled(page, ['gather-signup']);
    assert.equal(await page.evaluate(() => (document.querySelector('gather-signup') as unknown as { view: { slots: unknown[] } }).view.slots.length), 2);
    await visitor.context.close();
  });
});
