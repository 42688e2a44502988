import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Which items of a long list to render now, and the space the others take. */
export interface ListWindow {
  /** First item to render. */
  readonly start: number;
  /** One past the last item to render. */
  readonly end: number;
  /** Height of the items before `start` (px), and after `end`. */
  readonly before: number;
  readonly after: number;
}

/** Options of a {@link WindowController}. */
export interface WindowOptions {
  /** Height assumed for an item not measured yet (px). */
  readonly estimate?: number;
  /** Extra height rendered above and below the visible part (px), so that Tab and fast scrolls find items. */
  readonly overscan?: number;
}

/**
 * Renders only the items of a long list that are on screen (plus some either side), in a
 * scrolling box: the items before and after are padding, sized from measured heights (estimated
 * until seen). Heights are measured after each render in an animation frame, never inside a
 * ResizeObserver callback, so a page sees no "ResizeObserver loop" errors (which
 * `@lit-labs/virtualizer` reports on every first render in Chromium); items may change height
 * (a form opens) and are measured again. Items carry `data-key`; the box calls {@link onScroll}.
 */
export class WindowController implements ReactiveController {
  private readonly heights = new Map<string, number>();
  private readonly estimate: number;
  private readonly overscan: number;
  private scrollTop = 0;
  private viewport = 0;
  private frame = 0;
  private scheduled = false;
  private box: HTMLElement | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment },
    { estimate = 180, overscan = 600 }: WindowOptions = {},
  ) {
    this.estimate = estimate;
    this.overscan = overscan;
    host.addController(this);
  }

  /** The scrolling box's scroll handler: re-render in the next frame for the new position. */
  readonly onScroll = (event: Event): void => {
    this.box = event.currentTarget as HTMLElement;
    this.scrollTop = this.box.scrollTop;
    this.viewport = this.box.clientHeight;
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.host.requestUpdate();
    });
  };

  /** The window of `keys` (each item's key, in order) to render now. */
  window(keys: readonly string[]): ListWindow {
    const from = Math.max(0, this.scrollTop - this.overscan);
    const to = this.scrollTop + (this.viewport || this.estimate * 4) + this.overscan;
    let offset = 0;
    let start = keys.length;
    let end = keys.length;
    let before = 0;
    let i = 0;
    for (; i < keys.length; i++) {
      const height = this.heights.get(keys[i]!) ?? this.estimate;
      if (offset + height > from) {
        start = i;
        before = offset;
        break;
      }
      offset += height;
    }
    for (; i < keys.length; i++) {
      if (offset >= to) {
        end = i;
        break;
      }
      offset += this.heights.get(keys[i]!) ?? this.estimate;
    }
    let after = 0;
    for (; i < keys.length; i++) after += this.heights.get(keys[i]!) ?? this.estimate;
    return { start: Math.min(start, end), end, before, after };
  }

  hostUpdated(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.measure());
  }

  hostDisconnected(): void {
    cancelAnimationFrame(this.frame);
  }

  /** Measures the rendered items; re-renders if any height differs from what the window assumed. */
  private measure(): void {
    const root = this.host.renderRoot as ParentNode | undefined;
    const items = root?.querySelectorAll<HTMLElement>('[data-window] > [data-key]');
    if (!items || items.length === 0) return;
    const box = items[0]!.parentElement!.parentElement;
    if (box) this.viewport = box.clientHeight;
    let changed = false;
    for (const item of items) {
      const key = item.dataset['key']!;
      const style = getComputedStyle(item);
      const height = item.offsetHeight + parseFloat(style.marginBlockStart) + parseFloat(style.marginBlockEnd);
      if (Math.abs((this.heights.get(key) ?? -1) - height) > 0.5) {
        this.heights.set(key, height);
        changed = true;
      }
    }
    if (changed) this.host.requestUpdate();
  }
}
