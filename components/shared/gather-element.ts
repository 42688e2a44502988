import { LitElement } from 'lit';
import { translationsLoading } from '../../src/i18n/registry.js';

/** The base of every Gather element: typed events and custom states (`:state(offline)`). */
export class GatherElement extends LitElement {
  private readonly internals = this.attachInternals();

  override connectedCallback(): void {
    super.connectedCallback();
    this.followRoomTheme();
  }

  /**
   * `theme="light"` or `"dark"` on the enclosing `<gather-room>` applies to this element, as the
   * custom state `theme-light` or `theme-dark` (its own `theme` attribute wins: tokens.styles.ts).
   * Called on connect, and by the room when its `theme` changes.
   */
  followRoomTheme(): void {
    const theme = this.parentElement?.closest('gather-room')?.getAttribute('theme');
    this.toggleState('theme-light', theme === 'light');
    this.toggleState('theme-dark', theme === 'dark');
  }

  /**
   * Also waits for the strings of a language the element asked for that are still loading (it
   * re-renders when they arrive), so `await element.updateComplete` sees them.
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    let complete = await super.getUpdateComplete();
    for (let loading = translationsLoading(); loading !== undefined; loading = translationsLoading()) {
      await loading;
      complete = await super.getUpdateComplete();
    }
    return complete;
  }

  /** Dispatches an event from this element and returns it (to check `defaultPrevented`). */
  protected emit<E extends Event>(event: E): E {
    this.dispatchEvent(event);
    return event;
  }

  /** Turns a custom state on or off, for `:host(:state(name))` and page CSS `gather-poll:state(name)`. */
  protected toggleState(name: string, on: boolean): void {
    // Every update sets the widget's states: change the set (and restyle) only when one changes.
    if (this.internals.states.has(name) === on) return;
    if (on) this.internals.states.add(name);
    else this.internals.states.delete(name);
  }

  /** Whether a custom state is on (for tests and host pages). */
  hasState(name: string): boolean {
    return this.internals.states.has(name);
  }
}
