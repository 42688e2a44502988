// Fails a browser test on any Lit dev-mode warning (a change-in-update, a missing `accessor`, …),
// except the one-time notice that dev mode is on.
const ALLOWED = [/Lit is in dev mode/];

export function failOnLitWarnings(): void {
  let warnings: unknown[][] = [];
  const original = console.warn;
  beforeEach(() => {
    warnings = [];
    console.warn = (...args: unknown[]) => {
      const text = args.map(String).join(' ');
      if (!ALLOWED.some((allowed) => allowed.test(text))) warnings.push(args);
      original.apply(console, args);
    };
  });
  afterEach(() => {
    console.warn = original;
    if (warnings.length) throw new Error(`Lit warned: ${warnings.map((w) => w.map(String).join(' ')).join('\n')}`);
  });
}
