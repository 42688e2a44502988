import { LitElement } from 'lit';

/** The base of every Gather element: typed events and custom states (`:state(offline)`). */
export class GatherElement extends LitElement {
  private readonly internals = this.attachInternals();

  /** Dispatches an event from this element and returns it (to check `defaultPrevented`). */
  protected emit<E extends Event>(event: E): E {
    this.dispatchEvent(event);
    return event;
  }

  /** Turns a custom state on or off, for `:host(:state(name))` and page CSS `gather-poll:state(name)`. */
  protected toggleState(name: string, on: boolean): void {
    if (on) this.internals.states.add(name);
    else this.internals.states.delete(name);
  }

  /** Whether a custom state is on (for tests and host pages). */
  hasState(name: string): boolean {
    return this.internals.states.has(name);
  }
}
