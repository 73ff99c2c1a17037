import type { AccessToken } from './token/access-token';

/** Test data: an organization token for the warehouse app, with `overrides` on top. */
export function anAccessToken(overrides: Partial<AccessToken> = {}): AccessToken {
  return {
    bearer: { type: 'Organization', id: 'org-1' },
    onBehalfOf: null,
    audiences: [{ app: 'warehouse', credentialsName: null }],
    personal: false,
    scopes: [],
    jti: 'jti-1',
    expiresAt: new Date('2030-01-01T00:00:00Z'),
    ...overrides,
  };
}
