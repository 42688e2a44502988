// Runs in the page of bench/aid-board.ts (bundled by esbuild, simple-peer aliased to the native peer
// as the embed is built): rendering and filtering a board of N posts with <gather-aid-board>, and a
// bare Lit `repeat` list of the same titles.
import { LitElement, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import '../components/index.js';
import { GatherAidBoard } from '../components/aid-board/aid-board.js';
import { createSigner } from '../src/identity/keys.js';
import { emptyCounts } from '../src/models/aid-board.js';
import { AID_KINDS, AID_STATUSES, AID_URGENCIES, type AidBoardView, type AidPostView } from '../src/models/aid-board.types.js';
import { deepFreeze } from '../src/plain.js';
import { MemoryNetwork } from '../src/room/memory-room.js';

export const CATEGORIES = ['food', 'rides', 'childcare', 'housing', 'errands', 'other'];
export const AREAS = ['North', 'South', 'Downtown'];

export interface AidRun {
  readonly ms: number;
  /** Posts on screen as list items once rendered. */
  readonly rendered: number;
}

/** The board, with the view handed to it (the model's work is the model bench's; this is rendering). */
class BenchBoard extends GatherAidBoard {
  benchView: AidBoardView | null = null;
  protected override get shownView(): AidBoardView {
    return this.benchView ?? super.shownView;
  }
}
customElements.define('bench-aid-board', BenchBoard);

/** The bare baseline: a Lit `repeat` of the titles. */
class BareList extends LitElement {
  static override properties = { items: { attribute: false } };
  declare items: readonly { id: string; title: string }[];
  constructor() {
    super();
    this.items = [];
  }
  override render() {
    return html`<ul>${repeat(this.items, (item) => item.id, (item) => html`<li>${item.title}</li>`)}</ul>`;
  }
}
customElements.define('bench-bare-list', BareList);

/** A view of `n` posts as the model derives it (frozen, newest first). */
function boardView(n: number): AidBoardView {
  const counts = emptyCounts({ categories: CATEGORIES, areas: AREAS }) as { -readonly [K in keyof AidBoardView['counts']]: AidBoardView['counts'][K] };
  const posts: AidPostView[] = [];
  for (let i = 0; i < n; i++) {
    const post: AidPostView = {
      id: `author${i % 997}:post${i}`,
      kind: AID_KINDS[i % 2]!,
      title: `Post ${i}: groceries, rides or a hand with moving`,
      description: i % 3 === 0 ? 'Message me and we can sort out a time that works.' : '',
      category: CATEGORIES[i % CATEGORIES.length]!,
      area: AREAS[i % AREAS.length]!,
      urgency: AID_URGENCIES[i % 3]!,
      neededBy: null,
      expired: false,
      status: AID_STATUSES[i % 7 === 0 ? 1 : 0]!,
      author: `author${i % 997}`,
      mine: false,
      responses: i % 5 === 0 ? [{ author: 'helper', message: null, accepted: false }] : [],
      posted: 1_700_000_000_000 - i * 60_000,
      hidden: null,
    };
    posts.push(post);
    counts.total++;
    (counts.kind as Record<string, number>)[post.kind]!++;
    (counts.status as Record<string, number>)[post.status]!++;
    (counts.category as Record<string, number>)[post.category]!++;
    (counts.area as Record<string, number>)[post.area]!++;
  }
  return deepFreeze({ posts, counts });
}

const views = new Map<number, AidBoardView>();
const viewOf = (n: number) => views.get(n) ?? views.set(n, boardView(n)).get(n)!;
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
const signer = createSigner();

/** Until rendered, laid out and the next frame drawn (the board measures its items then). */
async function settle(element: LitElement, list: () => Element | null): Promise<void> {
  await element.updateComplete;
  list()?.getBoundingClientRect();
  await nextFrame();
  await element.updateComplete;
  list()?.getBoundingClientRect();
}

/** Gather: a loaded board is handed the view of `n` posts (render), then a category is chosen (filter). */
async function board(n: number, kind: 'render' | 'filter'): Promise<AidRun> {
  const view = viewOf(n);
  const element = document.createElement('bench-aid-board') as BenchBoard;
  Object.assign(element, { source: new MemoryNetwork().source(), signer });
  element.setAttribute('room', 'bench');
  element.setAttribute('name', 'aid');
  element.setAttribute('categories', CATEGORIES.join(', '));
  element.setAttribute('areas', AREAS.join(', '));
  document.body.append(element);
  await element.ready;
  await element.updateComplete;
  const posts = () => element.shadowRoot!.querySelector('.posts');
  const run = async (act: () => void): Promise<number> => {
    const t0 = performance.now();
    act();
    await settle(element, posts);
    return performance.now() - t0;
  };
  let ms = await run(() => {
    element.benchView = view;
    element.requestUpdate();
  });
  if (kind === 'filter') {
    ms = await run(() => {
      const select = element.shadowRoot!.querySelector<HTMLSelectElement>('select[name=category]')!;
      select.value = 'food';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
  }
  const rendered = element.shadowRoot!.querySelectorAll('li.post').length;
  element.remove();
  return { ms, rendered };
}

/** Bare: a Lit `repeat` of the same titles (render), then of those in the category (filter). */
async function bare(n: number, kind: 'render' | 'filter'): Promise<AidRun> {
  const view = viewOf(n);
  const element = document.createElement('bench-bare-list') as BareList;
  document.body.append(element);
  await element.updateComplete;
  const list = () => element.shadowRoot!.querySelector('ul');
  const run = async (act: () => void): Promise<number> => {
    const t0 = performance.now();
    act();
    await settle(element, list);
    return performance.now() - t0;
  };
  let ms = await run(() => (element.items = view.posts));
  if (kind === 'filter') ms = await run(() => (element.items = view.posts.filter((post) => post.category === 'food')));
  const rendered = element.shadowRoot!.querySelectorAll('li').length;
  element.remove();
  return { ms, rendered };
}

(window as unknown as { bench: unknown }).bench = { board, bare };
