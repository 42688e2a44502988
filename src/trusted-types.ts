/**
 * Gather's Trusted Types policy, `gather` (the name the README tells a strict page to allow beside
 * Lit's `lit-html`). Where a page requires Trusted Types for scripts, a worker's script URL must be
 * a TrustedScriptURL: a plain string throws. The policy makes only URLs that Gather's own code
 * asked for ({@link trustedScriptURL}), nothing a page or a peer hands it.
 *
 * Created once per page, the first time a URL is asked for (a page that never starts a worker
 * never creates it), and kept on the page under a registered symbol, so that a second copy of
 * Gather on the page (another version, or the npm library beside the embed) uses it too: the page's
 * CSP lets `gather` be created only once (`trusted-types lit-html gather` has no 'allow-duplicates').
 */

/** What this module uses of a Trusted Types policy (TypeScript's DOM types do not have them). */
interface ScriptURLPolicy {
  createScriptURL(url: string): unknown;
}

/** The policy and the URLs it makes, shared by every copy of Gather on the page. */
interface Shared {
  readonly policy: ScriptURLPolicy;
  readonly urls: Set<string>;
}

const POLICY_NAME = 'gather';
const SHARED = Symbol.for('gather.trusted-types');

/** The page's `gather` policy: found or made now; null where there are no Trusted Types, or it could not be made. */
let shared: Shared | null | undefined;

const sharedPolicy = (): Shared | null => {
  if (shared !== undefined) return shared;
  const page = globalThis as typeof globalThis & { [SHARED]?: Shared; trustedTypes?: { createPolicy(name: string, rules: { createScriptURL(url: string): string }): ScriptURLPolicy } };
  shared = page[SHARED] ?? null;
  if (shared !== null || typeof page.trustedTypes?.createPolicy !== 'function') return shared;
  const urls = new Set<string>();
  try {
    const policy = page.trustedTypes.createPolicy(POLICY_NAME, {
      createScriptURL: (url) => {
        if (!urls.has(url)) throw new TypeError(`gather: the Trusted Types policy "${POLICY_NAME}" makes only Gather's own script URLs, not ${url}`);
        return url;
      },
    });
    shared = { policy, urls };
    Object.defineProperty(page, SHARED, { value: shared });
  } catch {
    // The page's CSP does not allow the name, or another script took it first: the URL goes as a
    // string, which a page that requires Trusted Types refuses (the caller falls back).
  }
  return shared;
};

/**
 * `url` as a script URL for a sink (`new Worker(…)`): a TrustedScriptURL made by the `gather`
 * policy where the page has Trusted Types, else the string itself. Only for URLs Gather's code
 * built itself.
 */
export const trustedScriptURL = (url: string): string => {
  const found = sharedPolicy();
  if (found === null) return url;
  found.urls.add(url);
  // A TrustedScriptURL stands in for the string at the sink (its toString() is the URL).
  return found.policy.createScriptURL(url) as string;
};
