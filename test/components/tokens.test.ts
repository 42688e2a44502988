// Every custom property a component's stylesheet reads is defined (by the shared tokens or the
// component itself), and every one they define is read somewhere: no dangling or dead tokens.
import { expect } from '@open-wc/testing';
import { LitElement, type CSSResultOrNative } from 'lit';
import * as embed from '../../components/index.js';
import * as rsvp from '../../components/rsvp/define.js';

/** Every element class the package exports, and the example widget. */
const COMPONENTS = Object.fromEntries(
  (Object.values({ ...embed, ...rsvp }) as unknown[])
    .filter((value): value is typeof LitElement => typeof value === 'function' && value.prototype instanceof LitElement)
    .map((component) => [component.name, component]),
);

const cssText = (styles: CSSResultOrNative[]) => styles.map((s) => ('cssText' in s ? s.cssText : '')).join('\n');
const matches = (text: string, pattern: RegExp) => new Set([...text.matchAll(pattern)].map((m) => m[1]));

describe('design tokens', () => {
  for (const [tag, component] of Object.entries(COMPONENTS)) {
    it(`${tag} defines every token it reads and reads every token it defines`, () => {
      const text = cssText(component.elementStyles);
      const defined = matches(text, /(--gather-[\w-]+)\s*:/g);
      const used = matches(text, /var\(\s*(--gather-[\w-]+)/g);
      expect([...used].filter((token) => !defined.has(token)), 'read but never defined').to.deep.equal([]);
      expect([...defined].filter((token) => !used.has(token)), 'defined but never read').to.deep.equal([]);
    });
  }
});
