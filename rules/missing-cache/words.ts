// Splits identifiers, table names and URL paths into lower-case words, for matching against the knowledge lists.

/** `featureFlags`, `feature_flags`, `/api/v1/countries` → ['feature', 'flags'], …. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toLowerCase())
    .filter(Boolean);
}

/** Whether a word is in `set`, singular or plural (`settings`, `categories`). */
export function inWordSet(set: ReadonlySet<string>, word: string): boolean {
  return set.has(word) || set.has(word.replace(/ies$/, 'y')) || set.has(word.replace(/s$/, ''));
}
