// Site-owner diagnostics for the servers a page names (issue 12): no signaling server and no keeper,
// a data-signaling or data-keeper that answers 404, a web page that is not a Gather server, a
// Gather server that refuses the page's origin, and a host where nothing answers: each is told once
// in the console, in words, with the fix (src/room/endpoint-check.ts), and nothing else is said.
// So is a page served over plain http from another host than this machine's, whose visitors see
// one line saying why they cannot take part.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { launchChromium, newVisitor } from '../helpers/browser.js';
import { chromiumArgs, findChromium } from '../helpers/chromium.js';
import { pagesDir, root } from './pages.js';

let server: RunningServer;
/** A Gather server that admits pages of another site only. */
let strict: RunningServer;
let browser: Browser;

/** A page with a poll in each of two rooms, its script tag naming `signaling` and `keeper` (as given: absent when undefined). */
const page = (signaling: string | undefined, keeper: string | undefined): string => {
  const data = [signaling === undefined ? '' : ` data-signaling="${signaling}"`, keeper === undefined ? '' : ` data-keeper="${keeper}"`].join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Servers a site owner named</title><link rel="icon" href="data:,">
<script type="module" src="/dist/gather.js"${data}></script></head><body>
<gather-poll room="first" name="lunch" question="Lunch?"><option value="soup">Soup</option></gather-poll>
<gather-poll room="second" name="dinner" question="Dinner?"><option value="stew">Stew</option></gather-poll>
</body></html>`;
};

/** The page's `gather:` warnings once `expected` has appeared among them, and a moment for any second copy of it. */
async function warningsFor(query: Record<string, string>, expected: RegExp): Promise<string[]> {
  const { page: tab, errors, context } = await newVisitor(browser);
  const warnings: string[] = [];
  tab.on('console', (message) => void (message.type() === 'warning' && message.text().startsWith('gather:') && warnings.push(message.text())));
  await tab.goto(new URL(`/servers.html?${new URLSearchParams(query)}`, server.url).href);
  await tab.waitForFunction(() => [...document.querySelectorAll('gather-poll')].every((poll) => (poll as Element & { view?: unknown }).view != null), null, { timeout: 15_000 });
  const deadline = Date.now() + 15_000;
  while (!warnings.some((text) => expected.test(text))) {
    assert.ok(Date.now() < deadline, `no ${expected} in:\n${warnings.join('\n')}`);
    await tab.waitForTimeout(50);
  }
  // Every room has tried and failed by now: a second word about it would have had its chance.
  await tab.waitForFunction(() => [...document.querySelectorAll('gather-poll')].every((poll) => (poll as Element & { status?: { state: string } }).status?.state === 'offline'), null, { timeout: 15_000 });
  assert.deepEqual(errors.filter((e) => !/WebSocket|Failed to load resource|ERR_CONNECTION_REFUSED|Content Security Policy/.test(e)), []);
  await context.close();
  return warnings;
}

describe('diagnostics for the servers a page names', { timeout: 120_000 }, () => {
  before(async () => {
    server = await startServer({
      root,
      mounts: [
        { prefix: '/dist/', dir: `${root}/dist` },
        { prefix: '/', dir: pagesDir },
      ],
      requests: {
        '/servers.html': (req, res) => {
          const query = new URL(req.url ?? '/', 'http://page').searchParams;
          const csp = query.get('csp');
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...(csp === null ? {} : { 'content-security-policy': csp }) });
          res.end(page(query.get('signaling') ?? undefined, query.get('keeper') ?? undefined));
        },
      },
    });
    strict = await startServer({ root: pagesDir, origins: ['https://another-site.example'] });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await strict?.close();
    await server?.close();
  });

  const cases: [string, () => Record<string, string>, RegExp][] = [
    [
      'no signaling server and no keeper named',
      () => ({ signaling: '', keeper: '' }),
      /^gather: no signaling server and no keeper is named, so this page keeps its own copy of its widgets and meets nobody\. Add data-signaling="wss:\/\/your-server\.example\/signal"/,
    ],
    [
      'data-signaling on a path that answers 404',
      () => ({ signaling: '/signaling', keeper: '' }),
      /^gather: data-signaling "\/signaling" resolved to ws:\/\/127\.0\.0\.1:\d+\/signaling, which answered 404 \(not found\): point data-signaling at your Gather server, e\.g\. wss:\/\/gather\.example\/signal/,
    ],
    ['data-signaling on a web page', () => ({ signaling: '/empty.html', keeper: '' }), /^gather: data-signaling "\/empty\.html" resolved to ws:\/\/127\.0\.0\.1:\d+\/empty\.html, which answered 200, and is not a Gather server: point data-signaling at/],
    [
      'a Gather server that refuses the page',
      () => ({ signaling: strict.signalingUrl, keeper: '' }),
      /^gather: the signaling server ws:\/\/127\.0\.0\.1:\d+\/signal is a Gather server that refuses pages from http:\/\/127\.0\.0\.1:\d+: add http:\/\/127\.0\.0\.1:\d+ to its --origins \(GATHER_ORIGINS\)\./,
    ],
    ['a host where nothing answers', () => ({ signaling: 'ws://127.0.0.1:9/signal', keeper: '' }), /^gather: the signaling server ws:\/\/127\.0\.0\.1:9\/signal could not be reached: nothing answered at 127\.0\.0\.1:9\. Is the server running/],
    [
      "a signaling server the page's CSP refuses",
      () => ({ signaling: strict.signalingUrl, keeper: '', csp: "default-src 'self'; connect-src 'self'" }),
      /^gather: the signaling server ws:\/\/127\.0\.0\.1:\d+\/signal is refused by this page's Content-Security-Policy: add ws:\/\/127\.0\.0\.1:\d+ to its connect-src\.$/,
    ],
    [
      "a keeper the page's CSP refuses",
      () => ({ signaling: '', keeper: strict.signalingUrl.replace(/\/signal$/, '/sync'), csp: "default-src 'self'; connect-src 'self'" }),
      /^gather: the keeper ws:\/\/127\.0\.0\.1:\d+\/sync is refused by this page's Content-Security-Policy: add ws:\/\/127\.0\.0\.1:\d+ to its connect-src\.$/,
    ],
    [
      'data-keeper on a path that answers 404',
      () => ({ signaling: '', keeper: '/keeper' }),
      /^gather: data-keeper "\/keeper" resolved to ws:\/\/127\.0\.0\.1:\d+\/keeper, which answered 404 \(not found\): point data-keeper at your Gather server, e\.g\. wss:\/\/gather\.example\/sync/,
    ],
  ];
  for (const [what, query, expected] of cases) {
    it(`${what}: told once, with the fix, and nothing else`, async () => {
      const warnings = await warningsFor(query(), expected);
      assert.deepEqual(warnings.filter((text) => expected.test(text)).length, 1, warnings.join('\n'));
      assert.equal(warnings.length, 1, `nothing more:\n${warnings.join('\n')}`);
    });
  }

  it('a Gather server answers a plain request at /signal with what a page needs to say why', async () => {
    const allowed = await fetch(new URL('/signal', server.url), { headers: { origin: 'https://any.example' } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(await allowed.json(), { gather: 'websocket', origin: 'allowed' });
    const refused = await fetch(new URL('/signal', strict.url), { headers: { origin: 'https://eastside.example' } });
    assert.deepEqual(await refused.json(), { gather: 'websocket', origin: 'refused' });
    const welcome = await fetch(new URL('/signal', strict.url), { headers: { origin: 'https://another-site.example' } });
    assert.deepEqual(await welcome.json(), { gather: 'websocket', origin: 'allowed' });
  });

  it('a page over plain http: the site owner is told once; visitors see the poll, live, and one line saying why they cannot vote', async () => {
    // A name for this machine that is not "localhost": the page is then not a secure context, as on a LAN address.
    const lan = await chromium.launch({ executablePath: findChromium(), headless: true, args: [...chromiumArgs, '--host-resolver-rules=MAP lan.test 127.0.0.1'] });
    try {
      const { page: tab, errors } = await newVisitor(lan);
      const warnings: string[] = [];
      tab.on('console', (message) => void (message.type() === 'warning' && message.text().startsWith('gather:') && warnings.push(message.text())));
      await tab.goto(`http://lan.test:${new URL(server.url).port}/servers.html?signaling=/signal&keeper=`);
      assert.equal(await tab.evaluate(() => isSecureContext), false);
      const lines = await tab.waitForFunction(
        () => {
          const polls = [...document.querySelectorAll('gather-poll')] as (Element & { view?: unknown })[];
          if (!polls.every((poll) => poll.view != null)) return null;
          return polls.map((poll) => [...poll.shadowRoot!.querySelectorAll('[part=status], [role=alert]')].map((line) => line.textContent));
        },
        null,
        { timeout: 15_000 },
      );
      const cannot = 'This browser cannot take part here: the page must be served over https.';
      assert.deepEqual(await lines.jsonValue(), [[cannot], [cannot]]);
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0]!, /^gather: this page \(http:\/\/lan\.test:\d+\) is served over plain http, and browsers give its scripts no WebCrypto: visitors can read the widgets but cannot vote, sign up or post\. Serve the page over https/);
      assert.deepEqual(errors, []);
    } finally {
      await lan.close();
    }
  });
});
