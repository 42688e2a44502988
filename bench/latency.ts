// Latency: how long a vote cast in one browser context takes to be rendered in another, against a raw
// RTCDataChannel message between the same two contexts, in the same run. Needs the private network
// namespace (sh bin/netns …) and a built dist/. The demo page is served cross-origin isolated, as
// bench/mesh.ts serves it, so that both clocks read to 5 µs rather than 100 µs with jitter (the raw
// message takes well under a millisecond).
import type { Page } from 'playwright-core';
import { startServer } from '../src/server/serve.js';
import { launchChromium, newVisitor } from '../test/helpers/browser.js';
import { isolatedDemo } from './mesh.js';
import { assertIsolated } from './page-server.js';
import { quantile } from './stats.js';

const TIMEOUT = 20_000;

export interface LatencyResult {
  readonly name: 'latency';
  readonly samples: number;
  readonly voteMedianMs: number;
  readonly voteP95Ms: number;
  readonly rawMedianMs: number;
  readonly rawP95Ms: number;
  readonly medianRatio: number;
  readonly p95Ratio: number;
}

/** A raw RTCDataChannel from `a` to `b`, SDP carried by this process, no STUN. Stored on `window.benchChannel`. */
async function connectRaw(a: Page, b: Page): Promise<void> {
  // Non-trickle ICE: each side waits for all its candidates before handing its description over.
  await Promise.all(
    [a, b].map((page) =>
      page.evaluate(() => {
        (window as any).benchGathered = (pc: RTCPeerConnection) =>
          new Promise<void>((resolve) => {
            if (pc.iceGatheringState === 'complete') return resolve();
            pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
          });
      }),
    ),
  );
  const offer = await a.evaluate(async () => {
    const pc = new RTCPeerConnection({ iceServers: [] });
    const channel = pc.createDataChannel('bench', { ordered: true });
    (window as any).benchPc = pc;
    (window as any).benchChannel = channel;
    await pc.setLocalDescription(await pc.createOffer());
    await (window as any).benchGathered(pc);
    return pc.localDescription!.toJSON();
  });
  const answer = await b.evaluate(
    async (offer) => {
      const pc = new RTCPeerConnection({ iceServers: [] });
      (window as any).benchPc = pc;
      const opened = new Promise<void>((resolve) =>
        pc.addEventListener('datachannel', (event) => {
          (window as any).benchChannel = event.channel;
          event.channel.addEventListener('open', () => resolve());
          if (event.channel.readyState === 'open') resolve();
        }),
      );
      (window as any).benchOpened = opened;
      await pc.setRemoteDescription(offer);
      await pc.setLocalDescription(await pc.createAnswer());
      await (window as any).benchGathered(pc);
      return pc.localDescription!.toJSON();
    },
    offer,
  );
  await a.evaluate(async (answer) => {
    const channel = (window as any).benchChannel as RTCDataChannel;
    await (window as any).benchPc.setRemoteDescription(answer);
    if (channel.readyState !== 'open') await new Promise((resolve) => channel.addEventListener('open', resolve, { once: true }));
  }, answer);
  await b.evaluate(() => (window as any).benchOpened);
}

async function rawSample(a: Page, b: Page, i: number): Promise<number> {
  const received = b.evaluate(
    ({ i }) =>
      new Promise<number>((resolve) => {
        const channel = (window as any).benchChannel as RTCDataChannel;
        const onMessage = (event: MessageEvent) => {
          if (event.data !== `ping ${i}`) return;
          channel.removeEventListener('message', onMessage);
          resolve(performance.timeOrigin + performance.now());
        };
        channel.addEventListener('message', onMessage);
      }),
    { i},
  );
  await b.evaluate(() => 0); // the listener is in place
  const sent = await a.evaluate(
    ({ i }) => {
      const t0 = performance.timeOrigin + performance.now();
      ((window as any).benchChannel as RTCDataChannel).send(`ping ${i}`);
      return t0;
    },
    { i},
  );
  return (await received) - sent;
}

async function voteSample(a: Page, b: Page, choice: string): Promise<number> {
  const rendered = b.evaluate(
    ({ choice }) =>
      new Promise<number>((resolve) => {
        const poll = document.querySelector('gather-poll')!;
        const counted = () => poll.view?.options.find((o) => o.id === choice)?.count === 1;
        const onChange = async () => {
          if (!counted()) return;
          poll.removeEventListener('gather-change', onChange);
          await poll.updateComplete;
          resolve(performance.timeOrigin + performance.now());
        };
        poll.addEventListener('gather-change', onChange);
      }),
    { choice},
  );
  await b.evaluate(() => 0);
  const cast = await a.evaluate(
    async ({ choice }) => {
      const poll = document.querySelector('gather-poll')!;
      const root = poll.shadowRoot!;
      const change = [...root.querySelectorAll('button')].find((button) => button.textContent!.trim() === 'Change vote');
      if (change) {
        change.click();
        await poll.updateComplete;
      }
      root.querySelector<HTMLInputElement>(`input[value="${choice}"]`)!.click();
      const t0 = performance.timeOrigin + performance.now();
      root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
      return t0;
    },
    { choice},
  );
  return (await rendered) - cast;
}

export async function measureLatency(root: string, samples = 100): Promise<LatencyResult> {
  const server = await startServer({ port: 0, root, requests: { '/': await isolatedDemo(root) } });
  const browser = await launchChromium();
  try {
    const room = `bench-${Date.now()}`;
    const [a, b] = [await newVisitor(browser), await newVisitor(browser)];
    for (const { page } of [a, b]) {
      await page.goto(new URL(`/?room=${room}&keeper=`, server.url).href); // keeper= (empty): WebRTC alone, as measured before the demo named a keeper
      await page.waitForFunction(() => document.querySelector('gather-poll')?.view != null, null, { timeout: TIMEOUT });
      await assertIsolated(page);
    }
    for (const { page } of [a, b]) {
      await page.waitForFunction(
        () => / 1 other/.test(document.querySelector('gather-poll')?.shadowRoot?.querySelector('[part=status]')?.textContent ?? ''),
        null,
        { timeout: TIMEOUT },
      );
    }
    await connectRaw(a.page, b.page);
    // B votes first: the demo's poll shows results after voting, and B must see A's ballots counted.
    await b.page.getByRole('radio', { name: 'Wednesday, 7 pm' }).check();
    await b.page.getByRole('button', { name: 'Vote' }).click();
    await b.page.waitForFunction(() => document.querySelector('gather-poll')?.view?.resultsVisible === true, null, { timeout: TIMEOUT });

    const raw: number[] = [];
    const vote: number[] = [];
    // Warm both paths, then interleave so that machine noise hits both alike.
    await rawSample(a.page, b.page, -1);
    await voteSample(a.page, b.page, 'thu');
    const choices = ['tue', 'thu'];
    for (let i = 0; i < samples; i++) {
      raw.push(await rawSample(a.page, b.page, i));
      vote.push(await voteSample(a.page, b.page, choices[i % 2]));
    }
    const result = {
      name: 'latency' as const,
      samples,
      voteMedianMs: quantile(vote, 0.5),
      voteP95Ms: quantile(vote, 0.95),
      rawMedianMs: quantile(raw, 0.5),
      rawP95Ms: quantile(raw, 0.95),
    };
    return { ...result, medianRatio: result.voteMedianMs / result.rawMedianMs, p95Ratio: result.voteP95Ms / result.rawP95Ms };
  } finally {
    await browser.close();
    await server.close();
  }
}
