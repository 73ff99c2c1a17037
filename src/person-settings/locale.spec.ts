// Covers locale canonicalisation: which BCP 47 tags are accepted and the form they are stored in.
import { canonicalLocale } from './locale';

describe('canonicalLocale', () => {
  it.each([
    ['en', 'en'],
    ['de-de', 'de-DE'],
    ['EN-us', 'en-US'],
    ['zh-hant-tw', 'zh-Hant-TW'],
    ['es-419', 'es-419'],
  ])('canonicalises %s to %s', (input, canonical) => {
    expect(canonicalLocale(input)).toBe(canonical);
  });

  it.each(['', 'en_US', 'x', 'de-', '123', 'not a locale'])('rejects %j', (input) => {
    expect(canonicalLocale(input)).toBeNull();
  });

  it('rejects tags whose canonical form exceeds 35 characters', () => {
    const long = 'de-DE-u-co-phonebk-ca-gregory-nu-latn'; // well-formed, 37 characters
    expect(canonicalLocale(long)).toBeNull();
  });
});
