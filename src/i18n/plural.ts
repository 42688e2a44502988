/** `many(n, one, other)`: the singular or plural form for `n` under a language's plural rules. */
export function pluralOf(lang: string): (count: number, one: string, other: string) => string {
  const rules = new Intl.PluralRules(lang);
  return (count, one, other) => (rules.select(count) === 'one' ? one : other);
}

/** A phrase's forms by CLDR plural category; `other` is required, any other category falls back to it. */
export type PluralForms = { readonly other: string } & Partial<Readonly<Record<Intl.LDMLPluralRule, string>>>;

/**
 * `plural(n, { one, two, few, many, other })`: the form for `n` under a language's plural rules,
 * for languages with more than two forms (Arabic has six: zero, one, two, few, many, other;
 * French puts 0 and 1 under `one`). A category the phrase does not give falls back to `other`.
 */
export function pluralsOf(lang: string): (count: number, forms: PluralForms) => string {
  const rules = new Intl.PluralRules(lang);
  return (count, forms) => forms[rules.select(count)] ?? forms.other;
}
