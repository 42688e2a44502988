// The embed, dist/gather.js: a small loader.
//   <script type="module" src=".../gather.js" data-signaling="wss://…/signal"></script>
// It reads its own script tag's options, then loads each element's code (with the UI the widgets
// share: Lit, the base's rendering) and, once the first of those has come, the sync stack (Yjs,
// y-webrtc, IndexedDB, rooms, identity, models) — only when such a tag is on the page, now or
// later. A poll paints from the UI alone and attaches its room and model when the stack has come.
// Chunks are found relative to this file's URL, so the files can be served from any folder or CDN.
// Before its code arrives, a widget shows its plain HTML (the question, the options, the slots),
// laid out by rules the loader adopts into the page (pre-upgrade.ts) to take the room the widget will.
// A widget with `loading="lazy"` loads when it comes near the viewport.
import './embed-options.js'; // first: the page's options must be known before any element upgrades
import { adoptPreUpgradeRules } from './pre-upgrade.js';

/** What to load for each tag. `<gather-slot>` comes with the signup sheet. */
const ELEMENTS: Readonly<Record<string, () => Promise<unknown>>> = {
  'gather-room': () => import('./room/define.js'),
  'gather-poll': () => import('./poll/define.js'),
  'gather-signup': () => import('./signup/define.js'),
  'gather-slot': () => import('./signup/define.js'),
  'gather-aid-board': () => import('./aid-board/define.js'),
  'gather-thread': () => import('./thread/define.js'),
  'gather-organizer': () => import('./organizer/define.js'),
};

/**
 * Each element's model where it is a chunk of its own (the element imports it with `import()`, to
 * paint before it): asked for with the sync stack ({@link afterPaintCode}), not after them.
 */
const MODELS: Readonly<Record<string, () => Promise<unknown>>> = {
  'gather-poll': () => import('../src/models/poll.js'),
  'gather-aid-board': () => import('./aid-board/model.js'),
  'gather-thread': () => import('./thread/model.js'),
};

/**
 * The elements that paint before the sync stack has come: UI_ROOTS in rollup.config.js, whose
 * chunks the build fails if they import the stack. The others import it to paint, so it is asked
 * for with their code.
 */
const PAINTS_BEFORE_STACK = new Set(['gather-room', 'gather-poll', 'gather-aid-board', 'gather-thread']);

const loading = new Map<string, Promise<unknown>>();

/**
 * Each element's strings in the languages shipped beyond English, and the strings every widget
 * shares (`core`). A widget's own code asks for them the first time it is in such a language, but
 * only once it runs: asked for here, alongside (and before) the element's code, they arrive with it
 * instead of a round trip later, and are nearly always there for its first render.
 */
const STRINGS: Readonly<Record<string, Readonly<Record<string, () => Promise<unknown>>>>> = {
  es: {
    core: () => import('../src/i18n/es.js'), // its chunk holds shared/trust-strings.es.ts too (rollup.config.js)
    'gather-poll': () => import('./poll/strings.es.js'),
    'gather-signup': () => import('./signup/strings.es.js'),
    'gather-aid-board': () => import('./aid-board/strings.es.js'),
    'gather-thread': () => import('./thread/strings.es.js'),
    'gather-organizer': () => import('./organizer/strings.es.js'),
  },
  fr: {
    core: () => import('../src/i18n/fr.js'), // its chunk holds shared/trust-strings.fr.ts too (rollup.config.js)
    'gather-poll': () => import('./poll/strings.fr.js'),
    'gather-signup': () => import('./signup/strings.fr.js'),
    'gather-aid-board': () => import('./aid-board/strings.fr.js'),
    'gather-thread': () => import('./thread/strings.fr.js'),
    'gather-organizer': () => import('./organizer/strings.fr.js'),
  },
  ar: {
    core: () => import('../src/i18n/ar.js'), // its chunk holds shared/trust-strings.ar.ts too (rollup.config.js)
    'gather-poll': () => import('./poll/strings.ar.js'),
    'gather-signup': () => import('./signup/strings.ar.js'),
    'gather-aid-board': () => import('./aid-board/strings.ar.js'),
    'gather-thread': () => import('./thread/strings.ar.js'),
    'gather-organizer': () => import('./organizer/strings.ar.js'),
  },
};

const askedStrings = new Set<string>();

/** Asks for the strings `widget` shows in its language (the nearest `lang`, as the widget reads it), once. */
function loadStrings(widget: Element): void {
  const lang = (widget.closest('[lang]')?.getAttribute('lang') ?? navigator.language ?? '').toLowerCase().split('-')[0]!;
  const strings = STRINGS[lang];
  if (strings === undefined) return;
  for (const part of ['core', widget.localName === 'gather-slot' ? 'gather-signup' : widget.localName]) {
    if (strings[part] === undefined || askedStrings.has(`${lang} ${part}`)) continue;
    askedStrings.add(`${lang} ${part}`);
    strings[part]!().catch(() => askedStrings.delete(`${lang} ${part}`)); // the widget asks again, and says so
  }
}

/**
 * The UI chunk every element shares (Lit, the base's rendering; any of its modules will do), asked
 * for alongside the first element's own chunk instead of after it (which imports it): on a slow
 * network that saves a round trip.
 */
let ui: Promise<unknown> | undefined;
const loadUi = () => (ui ??= import('./shared/define.js').catch(() => (ui = undefined)));

/** The core, the sync stack (shared/sync-stack.ts): asked for with the code of an element that needs it to paint, else by {@link afterPaintCode}. */
let core: Promise<unknown> | undefined;
const loadCore = () => (core ??= import('./shared/sync-stack.js').catch(() => (core = undefined)));

/** Where this loader's chunks are (rollup.config.js). */
const CHUNKS = new URL('chunks/', import.meta.url).href;

/**
 * Calls `then` once, when the first of this loader's chunks asked for after now has downloaded (as
 * resource timing tells), or when `painted` settles, whichever comes first. The core and the
 * element's model are asked for then, not with the chunks the element paints from: on a slow
 * network those have the bandwidth to themselves while they download (they share it with the core,
 * twice their size, otherwise), and the core's request is already on its way when they are done.
 * Slow-3G-like, 4x CPU (`npm run bench`, tti, median of 5): the poll painted 2.44 s after
 * navigation when all were asked for at once, 1.94 s this way; its model was attached at 3.15 s
 * then, 3.28 s now (later still when the core waited for all of the element's code). On a fast
 * network the first chunk comes within a round trip, so the core is hardly later.
 */
function afterPaintCode(painted: Promise<unknown>, then: () => void): void {
  let observer: PerformanceObserver | null = null;
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    observer?.disconnect();
    then();
  };
  if (typeof PerformanceObserver !== 'undefined' && PerformanceObserver.supportedEntryTypes?.includes('resource')) {
    observer = new PerformanceObserver((list) => {
      if (list.getEntries().some((entry) => entry.name.startsWith(CHUNKS))) once();
    });
    observer.observe({ type: 'resource' });
  }
  painted.then(once, once);
}

/**
 * The room's trust map and invites (membership.ts with capability.ts, a chunk of their own), asked
 * for as soon as the markup shows they are needed, alongside the element's code: a widget naming
 * organizers (its model waits for the trust map), or an invite link's address (`#invite=…`: read
 * before any room opens). Other pages never load them.
 */
let trust: Promise<unknown> | undefined;
function loadTrustFor(widget: Element): void {
  if (trust !== undefined) return;
  const params = new URLSearchParams(location.hash.slice(1));
  if (!widget.getAttribute('organizer')?.trim() && !params.has('invite') && !params.has('password')) return;
  trust = import('../src/models/membership.js').catch(() => (trust = undefined));
}

/**
 * Loads (and so defines) the element `tag` now; resolves once it is defined. For a page that will
 * create widgets from script: `await load('gather-poll')` (a tag the page adds is loaded anyway).
 */
export function load(tag: string): Promise<unknown> {
  if (first.url !== import.meta.url) return first.load(tag);
  let pending = loading.get(tag);
  if (pending === undefined) {
    const importer = ELEMENTS[tag];
    if (importer === undefined) return Promise.reject(new Error(`gather: there is no element <${tag}>`));
    void loadUi();
    if (!PAINTS_BEFORE_STACK.has(tag)) void loadCore();
    pending = importer();
    afterPaintCode(pending, () => {
      void loadCore();
      MODELS[tag]?.().catch(() => undefined); // the element asks again, and says so
    });
    pending = pending.catch((error: unknown) => {
      loading.delete(tag);
      console.error(`gather: the code of <${tag}> could not be loaded from beside ${import.meta.url}. Serve the whole dist/ folder (dist/chunks/ too) from where gather.js is.`, error);
      throw error;
    });
    loading.set(tag, pending);
  }
  return pending;
}

const SELECTOR = Object.keys(ELEMENTS).join(',');

/** Loads `tag` after `<gather-room>` when the page has one, so that the widgets inside it find their room as they upgrade. */
function loadInOrder(tag: string): void {
  const rooms = tag !== 'gather-room' && document.querySelector('gather-room') ? load('gather-room') : Promise.resolve();
  void rooms.then(() => load(tag)).catch(() => undefined);
}

/** Widgets with `loading="lazy"`: loaded when they come near the viewport. */
const nearby =
  typeof IntersectionObserver === 'undefined'
    ? null
    : new IntersectionObserver(
        (records) => {
          for (const { target, isIntersecting } of records) {
            if (!isIntersecting) continue;
            nearby!.unobserve(target);
            loadStrings(target);
            loadTrustFor(target);
            loadInOrder(target.localName);
          }
        },
        { rootMargin: '400px' },
      );


/**
 * console.warn, once per message and page: the record is src/warn-once.ts's, on `globalThis`, so a
 * second copy of this script (another script tag, another URL) and the widgets' code tell each
 * message once between them. Not imported from there: gather.js imports no chunk, and that module
 * is in the UI chunk with the room options that use it.
 */
function warnOnce(message: string): void {
  const told = ((globalThis as unknown as Record<symbol, Set<string> | undefined>)[Symbol.for('gather.warned')] ??= new Set());
  if (told.has(message)) return;
  told.add(message);
  console.warn(message);
}

/**
 * A poll's `<option>`s that its code will leave out (readOptions in components/poll/poll.ts: no
 * text, no value, or a value already taken), told to the site owner once each, with the fix.
 */
function checkOptions(poll: Element): void {
  const seen = new Set<string>();
  const which = `<gather-poll name="${poll.getAttribute('name') ?? ''}">`;
  for (const option of poll.querySelectorAll(':scope > option')) {
    const text = (option.textContent ?? '').trim();
    const id = (option.getAttribute('value') ?? text).trim();
    if (!text || !id) warnOnce(`gather: ${which} has an <option> with no ${text ? 'value' : 'text'}, which is left out. Give each option its words, and a value if it has one: <option value="tue">Tuesday</option>.`);
    else if (seen.has(id)) warnOnce(`gather: ${which} has two <option>s with the value "${id}"; the second is left out. Give each option its own value.`);
    seen.add(id);
  }
}

/** The first widget of each kind, name and room on the page, by `room\n<tag>\nname`. */
const named = new Map<string, Element>();

/**
 * Two widgets of one kind with one name in one room share their entries (two polls named "lunch"
 * count the same ballots, whatever their options say): told once, with the fix. A widget with no
 * `name` is told about by its own code, once (it derives one from its text).
 */
function checkName(widget: Element): void {
  const name = widget.getAttribute('name');
  if (!name) return;
  const room = widget.getAttribute('room') || widget.closest('gather-room')?.getAttribute('room') || `${location.host}${location.pathname}`;
  const key = `${room}\n${widget.localName}\n${name}`;
  const first = named.get(key);
  if (first === undefined || !first.isConnected) named.set(key, widget);
  else if (first !== widget) {
    warnOnce(
      `gather: two <${widget.localName} name="${name}"> in room "${room}": they share their entries, so each shows the other's. ` +
        `Give each its own name="…" (unless both are meant to show the same ${widget.localName.slice(7)}).`,
    );
  }
}

/**
 * A members-only widget that names no organizer counts nobody: every member is invited by an
 * organizer (room-trust.ts). Told once, with the fix.
 */
function checkMembersOnly(widget: Element): void {
  if (!widget.hasAttribute('members-only') || (widget.getAttribute('organizer') ?? '').trim() !== '') return;
  warnOnce(
    `gather: <${widget.localName} name="${widget.getAttribute('name') ?? ''}"> is members-only but names no organizer, so nobody can be invited and nothing anyone does there counts. ` +
      'Add organizer="<public key>" (make a key with <gather-organizer> or `npx gather keygen`), or remove members-only.',
  );
}

/** Site-owner diagnostics from the markup alone, before any widget's code arrives. */
function checkMarkup(element: Element): void {
  if (element.localName === 'gather-poll') checkOptions(element);
  checkMembersOnly(element);
  if (element.localName !== 'gather-room' && element.localName !== 'gather-slot') checkName(element);
}

/** Loads what `root` holds (itself included), now or, for `loading="lazy"` widgets, when near. */
function scan(root: Element | Document): void {
  const found = root.querySelectorAll(SELECTOR);
  for (const element of root instanceof Element && root.matches(SELECTOR) ? [root, ...found] : found) {
    checkMarkup(element);
    const lazy = element.getAttribute('loading') === 'lazy' && nearby !== null;
    if (!lazy) {
      loadStrings(element);
      loadTrustFor(element);
    }
    if (loading.has(element.localName)) continue;
    if (lazy) nearby.observe(element);
    else loadInOrder(element.localName);
  }
}

/**
 * The first copy of this loader on the page. A page builder, a theme and a plugin may each add the
 * script tag, from different URLs (so two copies of every module): the second copy leaves the page
 * to the first (it loads nothing, tells nothing twice, and its `load` is the first's), says so once,
 * and so never loads a second Yjs or defines an element twice.
 */
const first = ((globalThis as unknown as Record<symbol, { readonly url: string; readonly load: typeof load } | undefined>)[Symbol.for('gather.loader')] ??= { url: import.meta.url, load });

if (typeof document !== 'undefined' && first.url !== import.meta.url) {
  warnOnce(`gather: gather.js is on this page twice (${first.url} and ${import.meta.url}); the second copy does nothing. Load it once (check the page builder, the theme and any plugin for a second script tag).`);
} else if (typeof document !== 'undefined') {
  adoptPreUpgradeRules();
  scan(document);
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) if (node instanceof Element) scan(node);
      // Options added to a poll already on the page.
      if (record.target instanceof Element && record.target.localName === 'gather-poll') checkOptions(record.target);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
}

export { setPageOptions } from './embed-options.js';
export { registerTranslation } from './embed-translation.js';
