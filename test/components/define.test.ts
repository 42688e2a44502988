import { expect } from '@open-wc/testing';
import '../../components/index.js';
import { GatherPoll } from '../../components/poll/poll.js';
import { define } from '../../components/shared/define.js';

describe('define()', () => {
  it('keeps the first registration and tells the site owner, once per call, when another copy tries again', () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
    try {
      define('gather-poll', GatherPoll); // the same class again (one copy imported twice): nothing to say
      expect(warnings).to.deep.equal([]);
      define('gather-poll', class extends HTMLElement {});
      expect(customElements.get('gather-poll')).to.equal(GatherPoll);
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.contain('<gather-poll> is already defined by another copy');
      expect(warnings[0]).to.contain('Load gather.js once');
    } finally {
      console.warn = warn;
    }
  });
});
