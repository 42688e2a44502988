import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';

/** Options of an {@link AnnouncerController}. */
export interface AnnouncerOptions {
  /** Announcements are made at most this often (ms); the latest text within the interval wins. */
  readonly interval?: number;
}

/**
 * A polite live region that tells screen readers about changes they did not make (a peer's vote),
 * throttled so that a burst of changes is one announcement. The same words twice are read twice:
 * the region is emptied for one render in between.
 */
export class AnnouncerController implements ReactiveController {
  /** What the live region holds now. */
  text = '';

  private readonly interval: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last = -Infinity;
  /** The text the pending announcement will make (or what makes it, when it is made). */
  private pending: string | (() => string) = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    { interval = 3000 }: AnnouncerOptions = {},
  ) {
    this.interval = interval;
    host.addController(this);
  }

  /**
   * Announces `text` now, or when the interval since the last announcement has passed. `text` may
   * be a function that makes it, called then (only the latest one is): a stream of peers' changes
   * does not make words that are never read.
   */
  announce(text: string | (() => string)): void {
    this.pending = text;
    // One timer per announcement, not one per call: a stream of peers' votes (each a call) set and
    // cleared a timer on every vote, ~0.1-0.2 ms of each on its way to the screen. It fires when it
    // would have (the last announcement's time does not move until it does), with the latest text.
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.last + this.interval - Date.now());
    this.timer = setTimeout(async () => {
      this.timer = undefined;
      const text = typeof this.pending === 'function' ? this.pending() : this.pending;
      this.last = Date.now();
      if (this.text === text) {
        this.text = '';
        this.host.requestUpdate();
        await this.host.updateComplete;
      }
      this.text = text;
      this.host.requestUpdate();
    }, wait);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The live region; render it once, anywhere in the host's shadow root. */
  render(): TemplateResult {
    return html`<div class="visually-hidden" aria-live="polite">${this.text}</div>`;
  }
}
