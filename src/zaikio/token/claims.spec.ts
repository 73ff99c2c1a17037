// Covers claim validation after the signature: issuer, time, subject, scope, roles and audience.
import { ZaikioAuthError } from '../errors/zaikio-auth.error';
import { ClaimPolicy, validateClaims } from './claims';

const NOW = 1_800_000_000;
const policy: ClaimPolicy = {
  acceptedAudiences: [{ app: 'warehouse', credentialsName: null }],
  allowPersonalTokens: true,
  clockToleranceSeconds: 30,
};

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    iss: 'ZAI',
    sub: 'Organization/org-1',
    aud: ['warehouse'],
    jti: 'jti-1',
    nbf: NOW - 10,
    exp: NOW + 3600,
    scope: ['warehouse.items.rw'],
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return base;
}

function codeOf(payload: Record<string, unknown>, withPolicy: ClaimPolicy = policy): string {
  try {
    validateClaims(payload, withPolicy, NOW);
  } catch (error) {
    if (error instanceof ZaikioAuthError) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('validateClaims', () => {
  it('accepts a well-formed organization token', () => {
    const result = validateClaims(claims(), policy, NOW);
    expect(result.subject.bearer).toEqual({ type: 'Organization', id: 'org-1' });
    expect(result.scopes).toEqual([{ app: 'warehouse', name: 'items', permission: 'rw' }]);
    expect(result.expiresAt).toBe(NOW + 3600);
  });

  it.each([
    ['other issuer', { iss: 'CP' }, 'invalid_jwt'],
    ['missing exp', { exp: undefined }, 'invalid_jwt'],
    ['exp as string', { exp: String(NOW + 3600) }, 'invalid_jwt'],
    ['nbf ahead beyond tolerance', { nbf: NOW + 31 }, 'invalid_jwt'],
    ['iat in the future', { iat: NOW + 3600 }, 'invalid_jwt'],
    ['expired beyond tolerance', { exp: NOW - 30 }, 'jwt_expired'],
    ['sub as array', { sub: ['Organization/1'] }, 'invalid_jwt'],
    ['sub of two persons', { sub: 'Person/1>Person/2' }, 'invalid_jwt'],
    ['scope as string', { scope: 'warehouse.items.rw' }, 'invalid_jwt'],
    ['scope with a number', { scope: ['warehouse.items.rw', 1] }, 'invalid_jwt'],
    ['roles negative', { sub: 'Person/p>Organization/o', roles: -1 }, 'invalid_jwt'],
    ['roles fractional', { sub: 'Person/p>Organization/o', roles: 1.5 }, 'invalid_jwt'],
    ['roles huge', { sub: 'Person/p>Organization/o', roles: 2 ** 60 }, 'invalid_jwt'],
    ['roles as string', { sub: 'Person/p>Organization/o', roles: '3' }, 'invalid_jwt'],
    ['aud as object', { aud: { app: 'warehouse' } }, 'invalid_jwt'],
    ['aud of another app', { aud: ['warehouse2'] }, 'unpermitted_audience'],
    ['aud prefix', { aud: 'xwarehouse' }, 'unpermitted_audience'],
    ['jti as number', { jti: 42 }, 'invalid_jwt'],
  ])('refuses %s', (_name, overrides, code) => {
    expect(codeOf(claims(overrides))).toBe(code);
  });

  it('honours the clock tolerance on exp and nbf', () => {
    expect(codeOf(claims({ exp: NOW - 29 }))).toBe('accepted');
    expect(codeOf(claims({ nbf: NOW + 29 }))).toBe('accepted');
  });

  it('ignores malformed scope entries instead of matching them partially', () => {
    const result = validateClaims(
      claims({ scope: ['warehouse.items.rwx', 'Org.warehouse.items.rw', 'warehouse.items.r'] }),
      policy,
      NOW,
    );
    expect(result.scopes).toEqual([{ app: 'warehouse', name: 'items', permission: 'r' }]);
  });

  it('accepts a string aud and personal tokens only when allowed', () => {
    expect(codeOf(claims({ aud: 'warehouse/prod' }))).toBe('accepted');
    expect(codeOf(claims({ aud: [] }))).toBe('accepted');
    expect(codeOf(claims({ aud: undefined }))).toBe('accepted');
    expect(codeOf(claims({ aud: [] }), deny)).toBe('unpermitted_audience');
    expect(codeOf(claims({ aud: undefined }), deny)).toBe('unpermitted_audience');
  });

  const deny = { ...policy, allowPersonalTokens: false };

  it.each([
    ['an organization', 'Organization/org-1'],
    ['a person', 'Person/p-1'],
  ])('treats a token of %s whose aud is its own bearer as personal', (_, bearer) => {
    const own = claims({ sub: bearer, aud: [bearer] });
    expect(validateClaims(own, policy, NOW)).toMatchObject({ personal: true, audiences: [] });
    expect(validateClaims(claims({ sub: bearer, aud: bearer }), policy, NOW).personal).toBe(true);
    expect(codeOf(own, deny)).toBe('unpermitted_audience');
    expect(validateClaims(claims({ sub: bearer, aud: [] }), policy, NOW).personal).toBe(true);
    expect(validateClaims(claims({ sub: bearer }), policy, NOW).personal).toBe(false);
  });

  it.each([
    ['another bearer', 'Organization/org-2'],
    ['a prefix of the bearer', 'Organization/org-'],
    ['the bearer and more', 'Organization/org-10'],
    ['a trailing space', 'Organization/org-1 '],
    ['another case', 'organization/org-1'],
    ['the other bearer type', 'Person/org-1'],
  ])('grants nothing for an aud naming %s', (_, aud) => {
    expect(codeOf(claims({ aud: [aud] }))).toBe('unpermitted_audience');
    expect(codeOf(claims({ aud: ['Organization/org-1', aud] }))).toBe('unpermitted_audience');
  });

  it('never treats an on-behalf token as personal, whatever its aud', () => {
    const sub = 'Person/p>Organization/o';
    expect(codeOf(claims({ sub, aud: ['Organization/o'] }))).toBe('unpermitted_audience');
    expect(codeOf(claims({ sub, aud: [sub] }))).toBe('unpermitted_audience');
  });

  it('keeps an app token an app token when its aud also names the bearer', () => {
    const mixed = claims({ aud: ['Organization/org-1', 'warehouse'] });
    expect(validateClaims(mixed, deny, NOW)).toMatchObject({ personal: false });
  });

  it('keeps roles only for on-behalf tokens', () => {
    expect(validateClaims(claims({ roles: 3 }), policy, NOW).roleBits).toBe(0);
    const onBehalf = claims({ sub: 'Person/p>Organization/o', roles: 3 });
    expect(validateClaims(onBehalf, policy, NOW).roleBits).toBe(3);
  });
});
