// The snippet generator page: reads the form, shows the widget live (on this demo's server) and the
// code to paste (demo/snippet.js does the work).
import { roomProblem, slug, snippet, widgetElement } from './snippet.js';

const form = document.querySelector('#generator');
const preview = document.querySelector('#preview');
const code = document.querySelector('#snippet');
const copied = document.querySelector('#copied');
const nameInput = form.elements.namedItem('name');
let nameEdited = false;
let previewKey = '';

function choices() {
  const value = (name) => {
    const field = form.elements.namedItem(name);
    return field && 'value' in field ? field.value.trim() : '';
  };
  const widget = form.querySelector('input[name=widget]:checked').value;
  const source = { poll: 'question', signup: 'title', thread: 'topic', 'aid-board': '' }[widget];
  if (!nameEdited) nameInput.value = source ? slug(value(source), widget) : 'mutual-aid';
  return {
    widget,
    server: value('server'),
    room: value('room'),
    password: value('password'),
    name: value('name'),
    kind: value('kind'),
    question: value('question'),
    options: form.elements.namedItem('options').value,
    results: value('results'),
    title: value('title'),
    slots: form.elements.namedItem('slots').value,
    categories: value('categories'),
    areas: value('areas'),
    topic: value('topic'),
    lang: value('lang'),
    theme: value('theme'),
  };
}

function show(problemId, message) {
  const element = document.getElementById(problemId);
  element.hidden = !message;
  element.textContent = message ?? '';
}

function update() {
  const chosen = choices();
  for (const section of form.querySelectorAll('[data-for]')) section.hidden = section.dataset.for !== chosen.widget;
  for (const section of form.querySelectorAll('[data-unless-kind]')) section.hidden = section.dataset.unlessKind === chosen.kind;
  const roomIssue = roomProblem(chosen.room);
  show('room-problem', roomIssue);
  try {
    code.textContent = snippet(chosen);
    show('server-problem', null);
  } catch (error) {
    show('server-problem', error.message);
  }
  // The live widget: rebuilt only when what it shows changes (the server address does not matter here).
  const key = JSON.stringify({ ...chosen, server: '' });
  if (key === previewKey || roomIssue) return;
  previewKey = key;
  const room = document.createElement('gather-room');
  room.setAttribute('room', `preview-${chosen.room}`);
  if (chosen.password) room.setAttribute('password', chosen.password);
  room.append(widgetElement(document, chosen));
  preview.replaceChildren(room);
}

let pending = 0;
form.addEventListener('input', (event) => {
  if (event.target === nameInput) nameEdited = nameInput.value.trim() !== '';
  clearTimeout(pending);
  pending = setTimeout(update, 250);
});
form.addEventListener('change', update);
form.addEventListener('submit', (event) => event.preventDefault());

document.querySelector('#copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(code.textContent);
    copied.textContent = 'Copied. Paste it into your page’s HTML.';
  } catch {
    // No clipboard (an old browser, a page on plain http): select the code for Ctrl+C.
    getSelection().selectAllChildren(code);
    copied.textContent = 'Press Ctrl+C (⌘C on a Mac) to copy the selected code.';
  }
});

update();
