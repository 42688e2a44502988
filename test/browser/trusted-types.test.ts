// Gather's Trusted Types policy (src/trusted-types.ts): one `gather` policy per page, found again by
// a second copy of Gather, making only the URLs Gather asked for; where it cannot be made, the URL
// is handed back as a string (the worker's start then fails on a page requiring Trusted Types, and
// the caller checks on the page), never an error.
import { expect } from '@open-wc/testing';
import { trustedScriptURL } from '../../src/trusted-types.js';

type TrustedTypesModule = typeof import('../../src/trusted-types.js');
type PolicyFactory = { createPolicy: (name: string, rules: object) => unknown; isScriptURL: (value: unknown) => boolean };

const MODULE = new URL('../../src/trusted-types.ts', import.meta.url).href;
const trustedTypesOf = (realm: typeof globalThis): PolicyFactory => (realm as unknown as { trustedTypes: PolicyFactory }).trustedTypes;

describe('the gather Trusted Types policy', () => {
  const made: string[] = [];
  const factory = trustedTypesOf(globalThis);
  const createPolicy = factory.createPolicy;

  before(() => {
    factory.createPolicy = function (this: PolicyFactory, name: string, rules: object) {
      made.push(name);
      return createPolicy.call(this, name, rules);
    };
  });

  after(() => {
    factory.createPolicy = createPolicy;
  });

  it('makes a TrustedScriptURL of a URL Gather asked for, through one policy named gather, created once', () => {
    const url = new URL('/dist/chunks/verifier-worker-0123456789ab.js', location.href).href;
    const first = trustedScriptURL(url);
    const second = trustedScriptURL(url);
    expect(factory.isScriptURL(first)).to.be.true;
    expect(String(first)).to.equal(url);
    expect(String(second)).to.equal(url);
    expect(made).to.deep.equal(['gather']);
  });

  it('is found again by a second copy of Gather on the page (whose own createPolicy would throw under the README\'s CSP)', async () => {
    const copy = (await import(`${MODULE}?second-copy`)) as TrustedTypesModule;
    expect(copy.trustedScriptURL).not.to.equal(trustedScriptURL);
    const url = 'blob:' + location.origin + '/00000000-0000-0000-0000-000000000000';
    expect(factory.isScriptURL(copy.trustedScriptURL(url))).to.be.true;
    expect(made).to.deep.equal(['gather']);
  });

  it('makes nothing it was not asked for', () => {
    const shared = (globalThis as unknown as Record<symbol, { policy: { createScriptURL(url: string): unknown } }>)[Symbol.for('gather.trusted-types')]!;
    expect(() => shared.policy.createScriptURL('https://elsewhere.example/evil.js')).to.throw(TypeError);
  });

  it('hands the URL back as a string where the policy cannot be made (the name taken, or not allowed), and does not throw', async () => {
    // A page of its own (an iframe: a realm with no policy yet), whose createPolicy throws as a CSP refusing it would.
    const frame = document.createElement('iframe');
    document.body.append(frame);
    try {
      const realm = frame.contentWindow as unknown as typeof globalThis & { eval(source: string): Promise<TrustedTypesModule> };
      trustedTypesOf(realm).createPolicy = () => {
        throw new TypeError('Failed to execute createPolicy: Policy "gather" disallowed.');
      };
      const copy = await realm.eval(`import(${JSON.stringify(`${MODULE}?refused`)})`);
      const url = new URL('/dist/chunks/verifier-worker-0123456789ab.js', location.href).href;
      expect(copy.trustedScriptURL(url)).to.equal(url);
      expect(copy.trustedScriptURL(url)).to.equal(url);
    } finally {
      frame.remove();
    }
  });
});
