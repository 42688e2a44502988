import { noChange } from 'lit';
import { Directive, directive, type PartInfo, PartType } from 'lit/directive.js';

/** A person on a list as shown: their name and their note ('' for none). */
export type PeopleRow = readonly [name: string, note: string];

/** The two kinds of row, made once per document and cloned: without a note, and with one. */
const protos = new WeakMap<Document, { readonly plain: HTMLLIElement; readonly noted: HTMLLIElement }>();

/** `<li><span class="person"><bdi>…</bdi></span></li>`; with a note, `… <span class="note">— <bdi>…</bdi></span>` after the name. */
const rowProtos = (doc: Document): { readonly plain: HTMLLIElement; readonly noted: HTMLLIElement } => {
  let made = protos.get(doc);
  if (made === undefined) {
    const bdi = () => {
      const element = doc.createElement('bdi');
      element.append(doc.createTextNode(''));
      return element;
    };
    const row = (noted: boolean) => {
      const li = doc.createElement('li');
      const person = doc.createElement('span');
      person.className = 'person';
      person.append(bdi());
      if (noted) {
        const note = doc.createElement('span');
        note.className = 'note';
        note.append('— ', bdi());
        person.append(' ', note);
      }
      li.append(person);
      return li;
    };
    made = { plain: row(false), noted: row(true) };
    protos.set(doc, made);
  }
  return made;
};

const sameRows = (a: readonly PeopleRow[], b: readonly PeopleRow[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]![0] !== b[i]![0] || a[i]![1] !== b[i]![1]) return false;
  return true;
};

/**
 * A list's people as plain items (no controls): each a clone of one of two rows made once, its
 * name and note set as text, never as markup. A sheet shows thousands of them, and a Lit template
 * per row cost a template instance, a walk of its nodes and two comment markers each. The rows
 * are made again only when a name or note on the list changed (every slot renders again when
 * anything on the sheet does).
 */
class PeopleRowsDirective extends Directive {
  private last: readonly PeopleRow[] | null = null;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.CHILD) throw new Error('peopleRows() goes where a list\'s items go');
  }

  render(rows: readonly PeopleRow[]): DocumentFragment {
    const { plain, noted } = rowProtos(document);
    const out = document.createDocumentFragment();
    for (const [name, note] of rows) {
      const li = (note ? noted : plain).cloneNode(true) as HTMLLIElement;
      const person = li.firstChild!;
      (person.firstChild!.firstChild as Text).data = name;
      if (note) ((person.lastChild as Element).lastChild!.firstChild as Text).data = note;
      out.append(li);
    }
    return out;
  }

  override update(_part: unknown, [rows]: [readonly PeopleRow[]]): unknown {
    if (this.last !== null && sameRows(this.last, rows)) return noChange;
    this.last = rows;
    return this.render(rows);
  }
}

/** The items of a list of people without controls (see {@link PeopleRowsDirective}). */
export const peopleRows = directive(PeopleRowsDirective);
