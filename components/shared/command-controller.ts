import { html, nothing, type ReactiveControllerHost } from 'lit';

/** Where a command stands, as Lit's `Task` names it. */
export type CommandStatus = 'initial' | 'pending' | 'complete' | 'error';

/** What to do around one command. */
export interface CommandOptions {
  /** The words to show if it fails (the widget's translation). */
  readonly failure: string | ((error: unknown) => string);
  /** The event to fire once it succeeded (`gather-vote`, …). */
  readonly event?: () => Event;
  /** Where focus goes once it succeeded and the host has re-rendered. */
  readonly focus?: () => HTMLElement | null | undefined;
}

/** The render callbacks of {@link CommandController.render}, as Lit's `Task.render` takes them. */
export interface CommandRenderers {
  readonly initial?: () => unknown;
  readonly pending?: () => unknown;
  readonly complete?: () => unknown;
  readonly error?: (message: string) => unknown;
}

/**
 * Runs a widget's commands (vote, withdraw, sign up), one at a time: busy while pending, the
 * failure in words (and the error in the console) when one fails, then the widget's event and
 * focus where the visitor needs it next. Shaped like Lit's `Task`: a `status`, a promise to
 * await (`taskComplete`), and `render({ pending, complete, error })`.
 */
export class CommandController {
  status: CommandStatus = 'initial';
  /** What to tell the visitor about the last failure (or a check that stopped a command); empty otherwise. */
  message = '';
  /** Resolves when the last command has finished, whatever its outcome. */
  taskComplete: Promise<void> = Promise.resolve();

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {}

  /** Whether a command is running (buttons are disabled meanwhile). */
  get busy(): boolean {
    return this.status === 'pending';
  }

  /**
   * Runs `command` unless one is already running. Resolves true once it succeeded, its event was
   * fired and focus moved; false if it failed or another was running.
   */
  async run(command: () => Promise<unknown>, { failure, event, focus }: CommandOptions): Promise<boolean> {
    if (this.busy) return false;
    let done!: () => void;
    this.taskComplete = new Promise((resolve) => (done = resolve));
    this.set('pending', '');
    try {
      await command();
    } catch (error) {
      console.error(error);
      this.set('error', typeof failure === 'function' ? failure(error) : failure);
      done();
      return false;
    }
    this.set('complete', '');
    if (event) this.host.dispatchEvent(event());
    await this.host.updateComplete;
    focus?.()?.focus();
    done();
    return true;
  }

  /** Stops before running: shows `message` (choose an option first) as an error. */
  fail(message: string): void {
    this.set('error', message);
  }

  /** Forgets the last error (the visitor changed something). */
  clear(): void {
    if (this.status === 'error') this.set('initial', '');
  }

  render(renderers: CommandRenderers): unknown {
    switch (this.status) {
      case 'initial':
        return renderers.initial?.() ?? nothing;
      case 'pending':
        return renderers.pending?.() ?? nothing;
      case 'complete':
        return renderers.complete?.() ?? nothing;
      case 'error':
        return renderers.error?.(this.message) ?? nothing;
    }
  }

  /** The failure in words, as an alert under the controls (nothing when there is none). `id` lets a fieldset point to it. */
  renderError(id?: string): unknown {
    return this.render({ error: (message) => html`<p id=${id ?? nothing} class="error" role="alert">${message}</p>` });
  }

  private set(status: CommandStatus, message: string): void {
    this.status = status;
    this.message = message;
    this.host.requestUpdate();
  }
}
