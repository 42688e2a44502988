// Runs in the page of bench/thread.ts (bundled by esbuild): a <gather-thread> of 2,000 comments
// against a bare Lit list of the same texts, first render and one more comment arriving.
import * as Y from 'yjs';
import { html, LitElement, type PropertyDeclarations } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import '../components/index.js';
import '../components/thread/define.js';
import type { GatherThread } from '../components/thread/thread.js';
import { createSigner } from '../src/identity/keys.js';
import { MemoryNetwork, type MemorySource } from '../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../src/room/options.js';

export interface Item {
  readonly id: string;
  readonly text: string;
}

export interface RenderRun {
  /** Inserted → every comment (text) rendered and laid out, ms. Gather: the entries read, verified and derived first. */
  readonly ms: number;
  /** Gather only: the view published (entries read, verified, derived) → rendered and laid out. */
  readonly renderMs: number;
  /**
   * Gather only: inserted → `ready` (the model settled: what this device remembered of the room
   * weighed against the document too, which changes nothing shown here), rendered and laid out.
   */
  readonly readyMs: number;
  readonly items: number;
}

export interface OneMoreRun {
  readonly ms: number;
  /** Gather only: the update applied → the model's new view published (verified, derived). */
  readonly viewMs: number;
  /** Of `ms`: Y.applyUpdate returned (Yjs, the room's listeners, the model's observer) → …published (viewMs) → Lit rendered → laid out. */
  readonly phases?: { readonly applied: number; readonly view: number; readonly rendered: number; readonly laidOut: number };
  /** Comment elements added or changed by the new comment's arrival. */
  readonly touched: number;
}

/** The bare baseline: an ordered list of texts, keyed. */
class BareList extends LitElement {
  static override properties: PropertyDeclarations = { items: { attribute: false } };
  declare items: readonly Item[];
  constructor() {
    super();
    this.items = [];
  }
  override render() {
    return html`<ol>${repeat(this.items, (item) => item.id, (item) => html`<li>${item.text}</li>`)}</ol>`;
  }
}
customElements.define('bare-list', BareList);

const ROOM = 'bench-thread';
let network: MemoryNetwork | null = null;
let held: Uint8Array = new Uint8Array();
/** Comments in the held state. */
let expected = 0;
const signer = createSigner();
let mounted: { element: HTMLElement; source?: MemorySource } | null = null;

/** Lays the page out (what a visitor waits for before seeing it). */
const layout = () => document.body.getBoundingClientRect();

function unmount(): void {
  mounted?.element.remove();
  mounted = null;
}

const bench = {
  /** The thread's state, held in each run's network by a peer that keeps the room. */
  setup(state: Uint8Array, comments: number): void {
    held = state;
    expected = comments;
  },

  async thread(all: boolean): Promise<RenderRun> {
    unmount();
    network?.destroy();
    network = new MemoryNetwork();
    Y.applyUpdate(network.source().acquire(ROOM, DEFAULT_ROOM_OPTIONS).doc, held);
    const source = network.source();
    const element = document.createElement('gather-thread') as GatherThread;
    Object.assign(element, { name: 'rent-strike', topic: 'Should we withhold December rent?', room: ROOM, source, signer });
    if (all) (element as unknown as { limit: number }).limit = Number.MAX_SAFE_INTEGER;
    mounted = { element, source };
    // gather-change fires as the model publishes its view (verified and derived), before Lit renders it.
    let viewAt = 0;
    const published = new Promise<void>((resolve) =>
      element.addEventListener('gather-change', (event) => {
        if ((event.detail.view as GatherThread['view'])?.comments.length !== expected) return;
        viewAt = performance.now();
        resolve();
      }),
    );
    const start = performance.now();
    document.body.append(element);
    await published;
    await element.updateComplete;
    layout();
    const end = performance.now();
    const items = element.shadowRoot!.querySelectorAll('li[part=comment]').length;
    await element.ready;
    await element.updateComplete;
    layout();
    return { ms: end - start, renderMs: end - viewAt, readyMs: performance.now() - start, items };
  },

  async bare(items: readonly Item[]): Promise<RenderRun> {
    unmount();
    const element = document.createElement('bare-list') as BareList;
    element.items = items;
    mounted = { element };
    const start = performance.now();
    document.body.append(element);
    await element.updateComplete;
    layout();
    const end = performance.now();
    return { ms: end - start, renderMs: end - start, readyMs: end - start, items: element.shadowRoot!.querySelectorAll('li').length };
  },

  /** With the thread shown in full, one more comment arrives from a peer. */
  async threadOneMore(update: Uint8Array): Promise<OneMoreRun> {
    await bench.thread(true);
    const element = mounted!.element as GatherThread;
    const count = element.view!.comments.length;
    const list = element.shadowRoot!.querySelector('.list')!;
    const touched = new Set<Element>();
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        if (record.target === list || (record.target instanceof Element && record.target.matches('.block'))) {
          // Added or moved items, and every item of an added block (Lit's markers are comments, not elements).
          for (const node of record.addedNodes) {
            if (!(node instanceof Element)) continue;
            if (node.matches('li[part=comment]')) touched.add(node);
            for (const item of node.querySelectorAll('li[part=comment]')) touched.add(item);
          }
          continue;
        }
        const target = record.target instanceof Element ? record.target : record.target.parentElement;
        const comment = target?.closest('li[part=comment]');
        if (comment) touched.add(comment);
      }
    });
    observer.observe(list, { subtree: true, childList: true, characterData: true, attributes: true });
    const peer = network!.source().acquire(ROOM, DEFAULT_ROOM_OPTIONS);
    // Let the page settle (the mount's garbage collected, timers run) before the comment arrives.
    await new Promise((resolve) => setTimeout(resolve, 300));
    let viewAt = 0;
    // The view with the new comment, as the model publishes it (Lit renders it in a microtask after).
    const published = new Promise<void>((resolve) =>
      element.addEventListener('gather-change', (event) => {
        if ((event.detail.view as GatherThread['view'])?.comments.length !== count + 1) return;
        viewAt = performance.now();
        resolve();
      }),
    );
    // Marks the one more comment for bench/thread-profile.ts (nothing without a profiler attached).
    console.profile('one');
    // Marks the same window in a trace (TRACE=1 bench/thread-profile.ts one).
    performance.mark('one-start');
    const start = performance.now();
    Y.applyUpdate(peer.doc, update);
    const applied = performance.now() - start;
    await published;
    await element.updateComplete;
    const rendered = performance.now() - start;
    layout();
    const ms = performance.now() - start;
    performance.mark('one-end');
    console.profileEnd('one');
    observer.takeRecords();
    observer.disconnect();
    peer.source.destroy();
    return { ms, viewMs: viewAt - start, touched: touched.size, phases: { applied, view: viewAt - start - applied, rendered: rendered - (viewAt - start), laidOut: ms - rendered } };
  },

  async bareOneMore(items: readonly Item[], item: Item): Promise<OneMoreRun> {
    await bench.bare(items);
    const element = mounted!.element as BareList;
    await new Promise((resolve) => setTimeout(resolve, 300));
    performance.mark('one-start');
    const start = performance.now();
    element.items = [...items, item];
    await element.updateComplete;
    layout();
    const ms = performance.now() - start;
    performance.mark('one-end');
    return { ms, viewMs: 0, touched: 1 };
  },
};

(window as unknown as { bench: typeof bench }).bench = bench;
