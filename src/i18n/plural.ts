/** `many(n, one, other)`: the singular or plural form for `n` under a language's plural rules. */
export function pluralOf(lang: string): (count: number, one: string, other: string) => string {
  const rules = new Intl.PluralRules(lang);
  return (count, one, other) => (rules.select(count) === 'one' ? one : other);
}
