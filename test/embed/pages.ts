// Serves the embed as a site would (dist/gather.js, from `npm run build`) beside this folder's
// test pages, optionally with response headers (a Content-Security-Policy) on a page.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RequestHandler, type RunningServer, type ServeOptions } from '../../src/server/serve.js';
import { launchChromium } from '../helpers/browser.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const pagesDir = fileURLToPath(new URL('./pages/', import.meta.url));

/**
 * The test server: /dist/ from the build (and again at /copy/dist/, for a page that loads a second
 * copy of the script from another URL), /… from test/embed/pages, and `headers` on the named pages.
 */
export async function servePages(headers: Record<string, Record<string, string>> = {}): Promise<RunningServer> {
  return startServer(pagesServed(headers));
}

/** What {@link servePages} serves, as options for a server of one's own (one with a keeper: test/server/keeper-helpers.ts). */
export function pagesServed(headers: Record<string, Record<string, string>> = {}): Pick<ServeOptions, 'root' | 'mounts' | 'requests'> {
  assert.ok(existsSync(`${root}/dist/gather.js`), 'dist/gather.js is missing: run npm run build first');
  const requests: Record<string, RequestHandler> = {};
  for (const [page, extra] of Object.entries(headers)) {
    requests[page] = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...extra });
      res.end(readFileSync(`${pagesDir}${page.slice(1)}`));
    };
  }
  return {
    root,
    mounts: [
      { prefix: '/dist/', dir: `${root}/dist` },
      { prefix: '/copy/dist/', dir: `${root}/dist` },
      { prefix: '/', dir: pagesDir },
    ],
    requests,
  };
}

/**
 * For the tests of the surrounding describe: serves the pages ({@link servePages}) and launches
 * Chromium before them, handing both to `use`; closes both after them.
 */
export function withServedPages(use: (server: RunningServer, browser: Browser) => void): void {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    server = await servePages();
    browser = await launchChromium();
    use(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

/** Puts a `<tag>` with `attributes` and `inner` HTML (its options, slots) at the end of the page, as a site's script would. */
export const addWidget = (page: Page, tag: string, attributes: Record<string, string>, inner = ''): Promise<void> =>
  page.evaluate(
    ({ tag, attributes, inner }) => {
      const widget = document.createElement(tag);
      for (const [name, value] of Object.entries(attributes)) widget.setAttribute(name, value);
      widget.innerHTML = inner;
      document.body.append(widget);
    },
    { tag, attributes, inner },
  );

/** Resolves once every widget on the page has loaded its view and settled its status (not connecting). */
export async function widgetsSettled(page: Page, tags: readonly string[]): Promise<void> {
  await page.waitForFunction(
    (tags) =>
      tags.every((tag) => {
        const widgets = [...document.querySelectorAll(tag)] as (Element & { view?: unknown; status?: { state: string } })[];
        return widgets.length > 0 && widgets.every((w) => w.view != null && w.status?.state !== 'connecting' && w.shadowRoot?.querySelector('[part~=base]'));
      }),
    tags,
    { timeout: 15_000 },
  );
}

export const WIDGETS = ['gather-poll', 'gather-signup', 'gather-aid-board', 'gather-thread'] as const;

/**
 * Compares two PNGs pixel by pixel in a blank page (the browser decodes them: no image library):
 * the share of pixels where a channel differs by more than `threshold` (0–255).
 */
export async function pngDifference(browser: Browser, a: Buffer, b: Buffer, threshold = 48): Promise<{ width: number; height: number; sameSize: boolean; differing: number }> {
  const page = await browser.newPage();
  try {
    await page.evaluate('globalThis.__name = (target) => target'); // tsx's keepNames helper (test/helpers/browser.ts)
    return await page.evaluate(
      async ({ a, b, threshold }) => {
        const decode = async (base64: string) => {
          const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          const context = canvas.getContext('2d')!;
          context.drawImage(bitmap, 0, 0);
          return context.getImageData(0, 0, bitmap.width, bitmap.height);
        };
        const [x, y] = await Promise.all([decode(a), decode(b)]);
        if (x.width !== y.width || x.height !== y.height) return { width: x.width, height: x.height, sameSize: false, differing: 1 };
        let differing = 0;
        for (let i = 0; i < x.data.length; i += 4) {
          if (Math.max(Math.abs(x.data[i]! - y.data[i]!), Math.abs(x.data[i + 1]! - y.data[i + 1]!), Math.abs(x.data[i + 2]! - y.data[i + 2]!)) > threshold) differing++;
        }
        return { width: x.width, height: x.height, sameSize: true, differing: differing / (x.width * x.height) };
      },
      { a: a.toString('base64'), b: b.toString('base64'), threshold },
    );
  } finally {
    await page.close();
  }
}
