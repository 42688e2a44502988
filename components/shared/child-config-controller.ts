import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { plainEqual } from '../../src/plain.js';

/**
 * Reads a widget's configuration from its child elements (`<option>`, `<gather-slot>`) and keeps
 * it in step with them through a MutationObserver: the host re-renders only when what `read`
 * returns changes.
 */
export class ChildConfigController<C> implements ReactiveController {
  /** The configuration read last. */
  value: C;

  private readonly observer = new MutationObserver(() => this.read());

  constructor(
    private readonly host: ReactiveControllerHost & Element,
    private readonly reader: (host: Element) => C,
  ) {
    this.value = reader(host);
    host.addController(this);
  }

  hostConnected(): void {
    this.read();
    this.observer.observe(this.host, { childList: true, subtree: true, characterData: true, attributes: true });
  }

  hostDisconnected(): void {
    this.observer.disconnect();
  }

  private read(): void {
    const next = this.reader(this.host);
    if (plainEqual(next, this.value)) return;
    this.value = next;
    this.host.requestUpdate();
  }
}
