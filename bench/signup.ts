// A signup sheet of 50 slots and 2,000 signups: time from a cold load of the stored state to the
// rendered sheet (every signature checked, the roster settled, 2,000 people rendered and laid
// out), against bare Yjs loading the same state plus one signature check per entry, in Chromium,
// in the same run. Cold: each run is a new browser context (nothing kept); returning: the same
// context reloaded (verdicts kept on the device).
//   node --import tsx bench/signup.ts [signups] [runs]
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import * as Y from 'yjs';
import { createSigner } from '../src/identity/keys.js';
import { SignupModel, signupScope } from '../src/models/signup.js';
import type { SignupSlotConfig } from '../src/models/signup.types.js';
import { launchChromium, newVisitor } from '../test/helpers/browser.js';
import { distinctDocs } from '../test/helpers/clients.js';
import type { SignupRun } from './signup-page.js';
import { serveBenchPage } from './page-server.js';
import { quantile } from './stats.js';

const SHEET = 'food-drive';
const ROOM = 'eastside-tenants';
const SLOTS = 50;

export interface SignupBenchResult {
  readonly name: 'signup';
  readonly slots: number;
  readonly signups: number;
  readonly runs: number;
  readonly stateBytes: number;
  /** Bare Yjs applying the state and checking one signature per entry. */
  readonly bareMedianMs: number;
  /** A new visitor: the sheet rendered from the stored state, every signature checked. */
  readonly coldMedianMs: number;
  /** A returning visitor (verdicts kept on the device). */
  readonly returningMedianMs: number;
  /** Of which: until the model had verified and derived everything (the rest is rendering). */
  readonly coldReadyMedianMs: number;
  readonly returningReadyMedianMs: number;
  readonly coldRatio: number;
  readonly returningRatio: number;
  readonly target: number;
}

/** 50 slots of 30 places; 2,000 visitors each sign up for one (40 a slot: 10 on each waitlist), each from their own Yjs client. */
export async function sheet(signups: number): Promise<{ state: Uint8Array; slots: SignupSlotConfig[] }> {
  const slots: SignupSlotConfig[] = Array.from({ length: SLOTS }, (_, i) => ({
    name: `shift-${i}`,
    label: `Shift ${i + 1}`,
    capacity: 30,
    start: `2099-12-${String(1 + (i % 28)).padStart(2, '0')}T09:00-05:00`,
    end: `2099-12-${String(1 + (i % 28)).padStart(2, '0')}T11:00-05:00`,
    location: 'Church hall',
  }));
  const doc = new Y.Doc();
  const fresh = distinctDocs(); // each volunteer's own Yjs client, never two of one id
  for (let i = 0; i < signups; i++) {
    const own = fresh();
    const model = new SignupModel(own, SHEET, { title: '', slots }, await createSigner('Ed25519'), { room: ROOM, now: () => 1_700_000_000_000 + i });
    await model.join(slots[i % SLOTS]!.name, { name: `Volunteer ${i + 1}`, note: i % 5 === 0 ? 'I have a car' : '' });
    model.destroy();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(own));
  }
  return { state: Y.encodeStateAsUpdate(doc), slots };
}

export async function measureSignup(signups = 2000, runs = 5): Promise<SignupBenchResult> {
  const { state, slots } = await sheet(signups);
  const server = await serveBenchPage(new URL('./signup-page.ts', import.meta.url), 'signup bench', {
    '/state.bin': ['application/octet-stream', state],
  });
  const url = server.url;
  const browser: Browser = await launchChromium();
  const open = async (tab: Page) => {
    await tab.goto(url);
    await tab.waitForFunction(() => (window as any).bench !== undefined);
    await tab.evaluate(async () => ((window as any).state = new Uint8Array(await (await fetch('/state.bin')).arrayBuffer())));
  };
  const run = (tab: Page, kind: 'gather' | 'bare'): Promise<SignupRun> =>
    tab.evaluate(
      ({ kind, name, room, scope, slots, expected }) => {
        const { bench, state } = window as any;
        return kind === 'bare' ? bench.bare(state, scope) : bench.gather(state, name, room, slots, expected);
      },
      { kind, name: SHEET, room: ROOM, scope: signupScope(SHEET), slots, expected: signups },
    );
  /** One run in a new browser context (nothing kept on the device), or, for `returning`, the same context reloaded after a first visit. */
  const fresh = async (kind: 'gather' | 'bare' | 'returning'): Promise<SignupRun> => {
    const visitor = await newVisitor(browser);
    try {
      await open(visitor.page);
      if (kind === 'returning') {
        await run(visitor.page, 'gather'); // the first visit keeps its verdicts
        await visitor.page.reload();
        await open(visitor.page);
      }
      const result = await run(visitor.page, kind === 'bare' ? 'bare' : 'gather');
      if (visitor.errors.length > 0) throw new Error(visitor.errors.join('\n'));
      return result;
    } finally {
      await visitor.context.close();
    }
  };
  try {
    // Warm up each path once (the browser's own caches, JIT).
    for (const kind of ['bare', 'gather', 'returning'] as const) await fresh(kind);
    const results: Record<'bare' | 'gather' | 'returning', SignupRun[]> = { bare: [], gather: [], returning: [] };
    for (let i = 0; i < runs; i++) {
      // Interleaved, so that machine noise hits every path alike.
      for (const kind of ['bare', 'gather', 'returning'] as const) {
        const result = await fresh(kind);
        if (kind === 'bare' && result.checked !== signups) throw new Error(`bare: checked ${result.checked} of ${signups}`);
        if (kind !== 'bare' && result.shown !== signups) throw new Error(`${kind}: showed ${result.shown} of ${signups}`);
        results[kind].push(result);
      }
    }
    const ms = (kind: keyof typeof results, pick: (r: SignupRun) => number = (r) => r.ms) => quantile(results[kind].map(pick), 0.5);
    return {
      name: 'signup',
      slots: SLOTS,
      signups,
      runs,
      stateBytes: state.length,
      bareMedianMs: ms('bare'),
      coldMedianMs: ms('gather'),
      returningMedianMs: ms('returning'),
      coldReadyMedianMs: ms('gather', (r) => r.readyMs),
      returningReadyMedianMs: ms('returning', (r) => r.readyMs),
      coldRatio: ms('gather') / ms('bare'),
      returningRatio: ms('returning') / ms('bare'),
      target: 1.5,
    };
  } finally {
    await browser.close();
    server.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await measureSignup(Number(process.argv[2] ?? 2000), Number(process.argv[3] ?? 5));
  console.log(JSON.stringify(result, null, 2));
}
