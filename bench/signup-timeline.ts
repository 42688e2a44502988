// The verifier workers' timeline on the signup bench's page, for bench/signup-profile.ts
// (TIMELINE=1): an init script that, without touching Gather's code, wraps the page's Worker (each
// constructed, each chunk posted, each answer read), the Blob the workers are built from (a
// prelude in each worker: its script evaluated, each message received, its first key imported,
// its first signature checked, each answer posted) and the page's own WebCrypto verify (the
// page's share of the checks). Times are on the page's clock (performance.now()).

/** The worker's prelude: records its events (on the absolute clock) and sends them with each answer. */
const PRELUDE = `
const __t = [];
const __at = () => performance.timeOrigin + performance.now();
__t.push(['script evaluated', __at()]);
{
  const subtle = crypto.subtle;
  const importKey = subtle.importKey.bind(subtle), verify = subtle.verify.bind(subtle);
  let imports = 0, verifies = 0;
  subtle.importKey = (...a) => { const p = importKey(...a); if (imports++ === 0) p.then(() => __t.push(['first key imported', __at()])); return p; };
  subtle.verify = (...a) => { const p = verify(...a); if (verifies++ === 0) p.then(() => __t.push(['first signature checked', __at()])); return p; };
  let own; for (let o = self; o !== null && own === undefined; o = Object.getPrototypeOf(o)) own = Object.getOwnPropertyDescriptor(o, 'onmessage'); // a global's attributes are its own (WebIDL [Global])
  Object.defineProperty(self, 'onmessage', {
    configurable: true,
    set(fn) { own.set.call(self, (event) => { __t.push(['got ' + event.data.id + ' (' + event.data.count + ')', __at()]); return fn(event); }); },
    get() { return own.get.call(self); },
  });
  const post = self.postMessage.bind(self);
  self.postMessage = (data, transfer) => { __t.push(['answers ' + data.id, __at()]); data.timeline = __t.splice(0); return post(data, transfer); };
}
`;

/** The init script (plain JavaScript): events in `window.__timeline` as [name, ms on the page's clock]. */
export const TIMELINE_SCRIPT = `(() => {
  const T = (globalThis.__timeline = []);
  const at = () => performance.now();
  const PRELUDE = ${JSON.stringify(PRELUDE)};
  const Blob0 = Blob;
  globalThis.Blob = class extends Blob0 {
    constructor(parts, options) {
      if (Array.isArray(parts) && typeof parts[0] === 'string' && parts[0].includes('importParams')) parts = [PRELUDE, ...parts];
      super(parts, options);
    }
  };
  const Worker0 = Worker;
  let count = 0;
  globalThis.Worker = class extends Worker0 {
    constructor(url, options) {
      const t = at();
      super(url, options);
      const w = (this.w = count++);
      T.push(['w' + w + ' constructed', t], ['w' + w + ' constructor returned', at()]);
      this.addEventListener('message', (event) => {
        T.push(['w' + w + ' answer ' + event.data.id + ' read', at()]);
        for (const [name, time] of event.data.timeline ?? []) T.push(['w' + w + ' ' + name, time - performance.timeOrigin]);
      });
    }
    postMessage(data, transfer) {
      T.push(['w' + this.w + ' posted ' + data.id + ' (' + data.count + ')', at()]);
      return super.postMessage(data, transfer);
    }
  };
  const subtle = crypto.subtle;
  const verify = subtle.verify.bind(subtle);
  let verifies = 0;
  subtle.verify = (...a) => {
    const n = verifies++;
    const p = verify(...a);
    p.then(() => T.push(['page check ' + n + ' done', at()]));
    return p;
  };
})();`;

/**
 * The events worth reading, relative to `t0`: each worker's first events, its first and last posts
 * and answers; the page's first and last check and how many; everything else counted.
 */
export const summarize = (events: readonly [string, number][], t0: number): string[] => {
  const lines: [number, string][] = [];
  const seen = new Set<string>();
  const last = new Map<string, [number, string]>();
  let pageChecks = 0;
  for (const [name, time] of events) {
    const kind = process.env['ALL'] === '1' ? name : name.replace(/(?<=[\s(])\d+/g, '#');
    if (name.startsWith('page check')) pageChecks++;
    if (!seen.has(kind)) {
      seen.add(kind);
      lines.push([time - t0, name]);
    } else last.set(kind, [time - t0, name]);
  }
  for (const [, entry] of last) lines.push([entry[0], `${entry[1]} (last)`]);
  lines.sort((a, b) => a[0] - b[0]);
  // The waits this timeline is for: from the workers' start to the first verdict read, and from the
  // last batch handed to the verifier (the room read) to the last verdict.
  const first = (test: (name: string) => boolean) => events.find(([name]) => test(name))?.[1];
  const lastOf = (test: (name: string) => boolean) => events.filter(([name]) => test(name)).at(-1)?.[1];
  const started = first((name) => / constructed$/.test(name));
  const answered = first((name) => / answer \d+ read$/.test(name));
  const handed = lastOf((name) => /^verifyBatch .* begins$/.test(name));
  const verified = lastOf((name) => /^verifyBatch .* ends$/.test(name));
  const waits = started !== undefined && answered !== undefined ? `workers started to first verdict read ${(answered - started).toFixed(1)} ms` : 'no worker answered';
  const tail = handed !== undefined && verified !== undefined ? `, last batch handed to last verdict ${(verified - handed).toFixed(1)} ms` : '';
  return [...lines.map(([t, name]) => `${t.toFixed(1).padStart(7)} ${name}`), `        page checks: ${pageChecks}`, `        ${waits}${tail}`];
};
