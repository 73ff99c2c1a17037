// Threat: arbitrary token text and claim values; decoding and claim validation only ever refuse, never crash.
import fc from 'fast-check';
import { generateKeyPairSync, sign } from 'node:crypto';
import { ZaikioAuthError } from '../errors/zaikio-auth.error';
import { ClaimPolicy, validateClaims } from './claims';
import { decodeJws } from './jws';

const policy: ClaimPolicy = {
  acceptedAudiences: [{ app: 'warehouse', credentialsName: null }],
  allowPersonalTokens: true,
  clockToleranceSeconds: 30,
};
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** Runs `fn`; anything thrown must be a ZaikioAuthError (a 4xx), never a crash. */
function refusesOrPasses<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ZaikioAuthError);
    return null;
  }
}

describe('decodeJws (property)', () => {
  it('throws nothing but ZaikioAuthError for any text', () => {
    const segment = fc.oneof(fc.base64String(), fc.string(), fc.stringMatching(/^[A-Za-z0-9_-]*$/));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (parts) => {
        refusesOrPasses(() => decodeJws(parts.join('.')));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses every non-canonical base64url spelling of a genuine signature', () => {
    const input = `${b64('{"alg":"RS256"}')}.${b64('{"iss":"ZAI"}')}`;
    const signature = b64(sign('sha256', Buffer.from(input), privateKey));
    expect(decodeJws(`${input}.${signature}`).signature).toHaveLength(256);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 15 }), (lowBits) => {
        // 256 bytes = 342 characters; the last one carries 2 data bits and 4 unused bits.
        const last = alphabet.indexOf(signature.at(-1) ?? '');
        const respelled = signature.slice(0, -1) + alphabet[last ^ lowBits];
        expect(
          Buffer.from(respelled, 'base64url').equals(Buffer.from(signature, 'base64url')),
        ).toBe(true);
        expect(refusesOrPasses(() => decodeJws(`${input}.${respelled}`))).toBeNull();
      }),
    );
  });
});

describe('validateClaims (property)', () => {
  it('throws nothing but ZaikioAuthError and returns only representable times', () => {
    const now = Math.floor(Date.now() / 1000);
    const numeric = fc.oneof(
      fc.integer({ min: now - 100, max: now + 100_000 }),
      fc.double(),
      fc.constantFrom(1e300, 8_640_000_000_001, -1, 0),
    );
    const payload = fc.record(
      {
        iss: fc.oneof(fc.constant('ZAI'), fc.jsonValue()),
        sub: fc.oneof(fc.constantFrom('Organization/o', 'Person/p>Organization/o'), fc.jsonValue()),
        exp: numeric,
        nbf: numeric,
        iat: numeric,
        aud: fc.oneof(fc.constant(['warehouse']), fc.jsonValue()),
        scope: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
        roles: fc.oneof(fc.integer(), fc.double(), fc.jsonValue()),
        jti: fc.oneof(fc.uuid(), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(payload, (claims) => {
        const result = refusesOrPasses(() => validateClaims(claims, policy, now));
        if (result === null) return;
        expect(Number.isNaN(new Date(result.expiresAt * 1000).getTime())).toBe(false);
        expect(Number.isSafeInteger(result.roleBits) && result.roleBits >= 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
