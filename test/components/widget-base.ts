// The tests every widget inherits, as Web Awesome's runFormControlBaseTests: a widget calls
// runWidgetBaseTests() with how to render it and how a visitor takes part in it.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import type { GatherWidget } from '../../components/shared/gather-widget.js';
import { createSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import { DEFAULT_ROOM_OPTIONS } from '../../src/room/options.js';
import { failOnLitWarnings } from '../helpers/lit-warnings.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any widget, whatever its view and model
type AnyWidget = GatherWidget<any, any> & HTMLElement;

/** What the base suite needs to know about a widget. */
export interface WidgetSpec<E extends AnyWidget> {
  readonly tag: string;
  /** The widget's markup with the given attributes (the widget's own configuration inside). `text` is its question or title. */
  render(attributes: { name?: string; room?: string; organizer?: string; text?: string }): TemplateResult;
  /** What a visitor does to take part, through the UI (resolves once it is done). */
  act(element: E): Promise<void>;
  /** Whether the view shows this visitor's own participation. */
  mine(view: unknown): boolean;
  /** Changes the widget's configuration as a page would (a new question or title). */
  reconfigure(element: E): void;
  /** The text of the configuration after {@link reconfigure}, as found in the view. */
  reconfigured(view: unknown): boolean;
}

let roomCount = 0;

/** The widget's model (protected; the suite looks inside to check what the page cannot see yet). */
const modelOf = (element: AnyWidget) => (element as unknown as { model: { value: { signsAsOrganizer: boolean } } }).model.value;
const statusLine = (element: Element) => element.shadowRoot!.querySelector('[part=status]')!.textContent!.trim();

/** A widget inside a `<gather-room>` of its own in-memory network. */
async function mount<E extends AnyWidget>(spec: WidgetSpec<E>, attributes: Parameters<WidgetSpec<E>['render']>[0] = { name: 'w' }, signer: Promise<Signer> = createSigner()) {
  const network = new MemoryNetwork();
  const source = network.source();
  const room = `base-${++roomCount}`;
  const wrapper = await fixture<HTMLElement>(html`<gather-room room=${room} .source=${source} .signer=${signer}>${spec.render(attributes)}</gather-room>`);
  const element = wrapper.querySelector(spec.tag) as E;
  await element.ready;
  await element.updateComplete;
  return { wrapper, element, network, source, room };
}

export function runWidgetBaseTests<E extends AnyWidget>(spec: WidgetSpec<E>): void {
  describe(`<${spec.tag}>: what every widget does`, () => {
    failOnLitWarnings();

    it('resolves ready with its view loaded, and is accessible', async () => {
      const { element } = await mount(spec);
      expect(element.view).to.not.equal(null);
      expect(spec.mine(element.view)).to.equal(false);
      await expect(element).to.be.accessible();
    });

    it('takes its room from its own attribute before the enclosing <gather-room>, and releases it with its last widget', async () => {
      const network = new MemoryNetwork();
      const source = network.source();
      const wrapper = await fixture<HTMLElement>(html`
        <gather-room room="outer" .source=${source} .signer=${createSigner()}>${spec.render({ name: 'a', room: 'own' })}${spec.render({ name: 'b' })}</gather-room>
      `);
      const [own, inherited] = [...wrapper.querySelectorAll(spec.tag)] as E[];
      await Promise.all([own!.ready, inherited!.ready]);
      expect([...source.rooms.keys()].sort()).to.deep.equal(['outer', 'own']);
      own!.remove();
      await waitUntil(() => !source.rooms.has('own'), 'the room was not released with its last widget');
      expect(source.rooms.has('outer')).to.be.true;
    });

    it('speaks the nearest lang, and follows a lang change below <html>', async () => {
      const { wrapper, element } = await mount(spec);
      expect(statusLine(element)).to.match(/^Connected/);
      wrapper.setAttribute('lang', 'es');
      await waitUntil(() => /^(Conectado|Sin conexión)/.test(statusLine(element)), `still "${statusLine(element)}" after lang="es"`);
    });

    it('shows the room status in words, following peers coming and going', async () => {
      const { element, network, room } = await mount(spec);
      expect(statusLine(element)).to.equal('Connected · nobody else is here right now');
      const peer = network.source();
      const held = peer.acquire(room, DEFAULT_ROOM_OPTIONS);
      await waitUntil(() => statusLine(element) === 'Connected · 1 other person here', `status "${statusLine(element)}"`);
      peer.release(held);
      await waitUntil(() => statusLine(element) === 'Connected · nobody else is here right now', 'the status did not follow the peer leaving');
    });

    it('when this browser cannot sign: says why, and still shows the shared view read-only', async () => {
      const { element } = await mount(spec, { name: 'w' }, Promise.reject(new Error('crypto.subtle is undefined')));
      expect(element.view, 'a read-only model').to.not.equal(null);
      // One line, which says so (not "Connected" beside it).
      expect(element.shadowRoot!.querySelector('[role=alert]')).to.equal(null);
      expect(statusLine(element)).to.equal('This browser cannot take part here: the page must be served over https.');
      await expect(element).to.be.accessible();
    });

    it('fires gather-change for its visitor\'s action (local), not for the page changing its configuration', async () => {
      const { element } = await mount(spec);
      const origins: string[] = [];
      element.addEventListener('gather-change', (event) => origins.push(event.detail.origin));
      const changed = oneEvent(element, 'gather-change');
      await spec.act(element);
      expect((await changed).detail.origin).to.equal('local');
      expect(spec.mine(element.view)).to.equal(true);
      spec.reconfigure(element);
      await element.updateComplete;
      await waitUntil(() => spec.reconfigured(element.view), 'the view never took the new configuration');
      expect(origins).to.deep.equal(['local']);
    });

    it('builds a new model when its name, room or signer changes', async () => {
      const { element, network, room } = await mount(spec, { name: 'a' });
      // Another visitor keeps the room (in-memory rooms keep nothing once nobody holds them).
      network.source().acquire(room, DEFAULT_ROOM_OPTIONS);
      await spec.act(element);
      expect(spec.mine(element.view)).to.equal(true);

      element.name = 'b';
      await element.updateComplete;
      await element.ready;
      expect(spec.mine(element.view), 'another name: another widget').to.equal(false);
      element.name = 'a';
      await element.updateComplete;
      await element.ready;
      expect(spec.mine(element.view), 'back to the first name').to.equal(true);

      element.room = 'elsewhere';
      await element.updateComplete;
      await element.ready;
      expect(spec.mine(element.view), 'another room').to.equal(false);
      element.room = undefined;
      await element.updateComplete;
      await element.ready;
      expect(spec.mine(element.view), 'back in the first room').to.equal(true);

      element.signer = createSigner();
      await element.updateComplete;
      await element.ready;
      expect(spec.mine(element.view), 'another identity').to.equal(false);
    });

    it('without a name: derives one from its text, warns the site owner once, and shares nothing with another unnamed one', async () => {
      const warnings: string[] = [];
      const warn = console.warn;
      console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
      try {
        const network = new MemoryNetwork();
        const wrapper = await fixture<HTMLElement>(html`
          <gather-room room="unnamed" .source=${network.source()} .signer=${createSigner()}>
            ${spec.render({ text: 'Which evening works?' })}${spec.render({ text: 'Who brings food?' })}
          </gather-room>
        `);
        const [first, second] = [...wrapper.querySelectorAll(spec.tag)] as E[];
        await Promise.all([first!.ready, second!.ready]);
        await spec.act(first!);
        await second!.ready;
        expect(spec.mine(first!.view)).to.equal(true);
        expect(spec.mine(second!.view), 'the other unnamed widget shares nothing').to.equal(false);
        first!.requestUpdate();
        await first!.updateComplete;
        expect(warnings.filter((w) => w.includes('"which-evening-works"')), 'one warning for the first').to.have.length(1);
        expect(warnings.filter((w) => w.includes('"who-brings-food"')), 'one warning for the second').to.have.length(1);
        expect(warnings[0]).to.contain(`<${spec.tag} name=`);
      } finally {
        console.warn = warn;
      }
    });

    it('hands its organizer keys to its model, and a new model when they change', async () => {
      const signer = await createSigner();
      const { element } = await mount(spec, { name: 'w', organizer: `${signer.publicKey} someone-else` }, Promise.resolve(signer));
      expect(modelOf(element).signsAsOrganizer).to.equal(true);
      element.organizer = undefined;
      await element.updateComplete;
      await element.ready;
      expect(modelOf(element).signsAsOrganizer).to.equal(false);
    });
  });
}
