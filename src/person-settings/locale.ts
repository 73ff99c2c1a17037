/** The locale column is varchar(35); canonical forms longer than that are refused, not cut. */
export const MAX_LOCALE_LENGTH = 35;

/**
 * The canonical form of one BCP 47 language tag (`de-de` → `de-DE`), or null when it is not one.
 * Intl.getCanonicalLocales is the judge: it throws RangeError on anything that is not a
 * well-formed tag (`en_US`, empty string, …). Canonical forms are what get stored, so equal
 * preferences compare equal.
 */
export function canonicalLocale(value: string): string | null {
  let canonical: string[];
  try {
    canonical = Intl.getCanonicalLocales(value);
  } catch {
    return null;
  }
  const [tag] = canonical;
  return canonical.length === 1 && tag.length <= MAX_LOCALE_LENGTH ? tag : null;
}
