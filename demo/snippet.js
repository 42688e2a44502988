// The snippet generator's logic, without the page: what a site owner's choices become (the HTML to
// paste, and the same widget as DOM for the live preview). User text only ever becomes text or an
// escaped attribute value, never markup.

/** `Tuesday, 7 pm` → `tuesday-7-pm`: an id for an option, a slot or a widget. */
export function slug(text, fallback = 'item') {
  const id = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  // At most 40 characters, cut between words.
  const cut = id.slice(0, 41);
  const short = id.length <= 40 ? id : cut.includes('-') ? cut.replace(/-[^-]*$/, '') : id.slice(0, 40);
  return short || fallback;
}

const GENERIC_ROOMS = new Set(['test', 'demo', 'poll', 'room', 'default', 'example', 'gather', 'signup', 'chat']);

/** What is wrong with a room name, in words, or null. */
export function roomProblem(room) {
  if (!room) return 'Give the room a name: every widget with the same room shares one record.';
  if (!/^[a-z0-9][a-z0-9-]*$/.test(room)) return 'Use lower-case letters, digits and dashes only (e.g. eastside-tenants).';
  if (GENERIC_ROOMS.has(room)) return `“${room}” is a name other groups use too: choose your group’s own (e.g. eastside-tenants).`;
  if (room.length < 6) return 'Choose a longer name, your group’s own (e.g. eastside-tenants): short names are easy to share by accident.';
  if (room.length > 64) return 'Keep the name under 64 characters.';
  return null;
}

/**
 * The script tag's addresses for a server (`https://gather.example`): gather.js under /dist/, the
 * signaling at /signal and the keeper at /sync, over wss. Empty: this site itself. Throws a message
 * in words for an address that cannot work.
 */
export function serverUrls(server) {
  const trimmed = server.trim();
  if (!trimmed) return { script: '/dist/gather.js', signaling: '/signal', keeper: '/sync' };
  let url;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    throw new Error('That is not a web address: write it as https://gather.example.org');
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:')) throw new Error('Your server must be reached over https:// (browsers refuse the rest on an https page).');
  const base = `${url.host}${url.pathname.replace(/\/+$/, '')}`;
  const ws = url.protocol === 'https:' ? 'wss' : 'ws';
  return { script: `${url.protocol}//${base}/dist/gather.js`, signaling: `${ws}://${base}/signal`, keeper: `${ws}://${base}/sync` };
}

const lines = (text) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
const list = (text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .join(', ');

/** Unique ids for labels, in order. */
function ids(labels, fallback) {
  const seen = new Set();
  return labels.map((label) => {
    let id = slug(label, fallback);
    for (let n = 2; seen.has(id); n++) id = `${slug(label, fallback)}-${n}`;
    seen.add(id);
    return id;
  });
}

const TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)\s*(.*)$/;

/**
 * The widget the choices describe, as a plain tree: `{ tag, attributes: [[name, value]…], text,
 * children }`. Empty attributes are left out; defaults (a single-choice poll, results after voting)
 * are not written.
 */
export function widgetTree(choices) {
  const attributes = (pairs) => pairs.filter(([, value]) => value !== undefined && value !== null && value !== '');
  const common = [['lang', choices.lang], ['theme', choices.theme]];
  switch (choices.widget) {
    case 'signup': {
      const slots = lines(choices.slots ?? '').map((line) => line.split('|').map((part) => part.trim()));
      const names = ids(slots.map(([label]) => label), 'slot');
      return {
        tag: 'gather-signup',
        attributes: attributes([['name', choices.name || slug(choices.title ?? '', 'signup')], ['title', choices.title], ...common]),
        children: slots.map(([label, capacity, start, location], i) => ({
          tag: 'gather-slot',
          attributes: attributes([['name', names[i]], ['capacity', /^\d+$/.test(capacity ?? '') ? capacity : ''], ['start', start], ['location', location]]),
          text: label,
        })),
      };
    }
    case 'aid-board':
      return {
        tag: 'gather-aid-board',
        attributes: attributes([['name', choices.name || 'mutual-aid'], ['categories', list(choices.categories ?? '')], ['areas', list(choices.areas ?? '')], ...common]),
        children: [],
      };
    case 'thread':
      return { tag: 'gather-thread', attributes: attributes([['name', choices.name || slug(choices.topic ?? '', 'thread')], ['topic', choices.topic], ...common]), children: [] };
    default: {
      const kind = choices.kind || 'single';
      const options =
        kind === 'consent'
          ? []
          : lines(choices.options ?? '').map((line) => {
              const time = kind === 'time' ? TIME.exec(line) : null;
              return time ? { value: time[1], label: time[2] || time[1] } : { value: null, label: line };
            });
      const values = ids(options.map((o) => o.label), 'option');
      return {
        tag: 'gather-poll',
        attributes: attributes([
          ['name', choices.name || slug(choices.question ?? '', 'poll')],
          ['question', choices.question],
          ['kind', kind === 'single' ? '' : kind],
          ['results', choices.results === 'after-vote' ? '' : choices.results],
          ...common,
        ]),
        children: options.map((option, i) => ({ tag: 'option', attributes: [['value', option.value ?? values[i]]], text: option.label })),
      };
    }
  }
}

const escapeText = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (value) => escapeText(value).replace(/"/g, '&quot;');
const attributeText = (attributes) => attributes.map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`).join('');

/** The HTML to paste: the script tag, then the room with the widget. Throws (in words) for a server address that cannot work. */
export function snippet(choices) {
  const urls = serverUrls(choices.server ?? '');
  const tree = widgetTree(choices);
  const room = attributeText([['room', choices.room], ...(choices.password ? [['password', choices.password]] : [])]);
  const children = tree.children.map((child) => `    <${child.tag}${attributeText(child.attributes)}>${escapeText(child.text ?? '')}</${child.tag}>\n`).join('');
  const widget = children ? `  <${tree.tag}${attributeText(tree.attributes)}>\n${children}  </${tree.tag}>\n` : `  <${tree.tag}${attributeText(tree.attributes)}></${tree.tag}>\n`;
  return (
    `<script type="module" src="${escapeAttribute(urls.script)}"\n` +
    `        data-signaling="${escapeAttribute(urls.signaling)}" data-keeper="${escapeAttribute(urls.keeper)}"></script>\n\n` +
    `<gather-room${room}>\n${widget}</gather-room>\n`
  );
}

/** The same widget as DOM (for the live preview): elements, attributes and text nodes only. */
export function widgetElement(document, choices) {
  const build = ({ tag, attributes, text, children = [] }) => {
    const element = document.createElement(tag);
    for (const [name, value] of attributes) element.setAttribute(name, String(value));
    if (text) element.textContent = text;
    for (const child of children) element.append(build(child));
    return element;
  };
  return build(widgetTree(choices));
}
