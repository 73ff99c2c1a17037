import { createHash } from 'node:crypto';
import {
  AuthorizationRequest,
  authorizationRequest,
  authorizationTarget,
  AuthorizePageError,
} from './authorization-request';
import { approve } from './consent';
import { consentPage, escapeHtml } from './consent-page';
import { addGrant, DirectoryData, emptyDirectory, grantOf } from './directory';
import { OAuthError } from './oauth-error';

const URI = 'https://app.example/callback';
const CHALLENGE = createHash('sha256').update('v'.repeat(43)).digest('base64url');

function aDirectory(): DirectoryData {
  const data = emptyDirectory();
  data.persons.push({ id: 'ann', name: 'Ann' }, { id: 'max', name: 'Max' });
  data.organizations.push({ id: 'acme', name: 'Acme' });
  data.memberships.push(
    { personId: 'ann', organizationId: 'acme', roles: ['admin'] },
    { personId: 'max', organizationId: 'acme', roles: ['member'] },
  );
  data.clients.push({
    id: 'spa',
    secret: null,
    appName: 'warehouse',
    credentialsName: null,
    redirectUris: [URI, 'https://app.example/other'],
    desiredScopes: ['Org.warehouse.items.rw', 'Per.warehouse.settings.rw'],
  });
  return data;
}

function query(overrides: Record<string, string | null> = {}): URLSearchParams {
  const params: Record<string, string | null> = {
    client_id: 'spa',
    redirect_uri: URI,
    response_type: 'code',
    scope: 'Per.warehouse.settings.r',
    state: 's1',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    ...overrides,
  };
  return new URLSearchParams(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}

function requestFor(data: DirectoryData, params = query()): AuthorizationRequest {
  return authorizationRequest(data, authorizationTarget(data, params), params);
}

function refusedWith(run: () => unknown): { error: string; description: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof OAuthError) return { error: error.error, description: error.description };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('authorization request', () => {
  it.each([
    ['no client_id', { client_id: null }],
    ['an unknown client', { client_id: 'stranger' }],
    ['an unregistered redirect URI', { redirect_uri: 'https://app.example/callback/' }],
  ])('is shown on the hub’s page, never redirected, for %s', (_what, overrides) => {
    const data = aDirectory();
    expect(() => authorizationTarget(data, query(overrides))).toThrow(AuthorizePageError);
  });

  it('uses the first registered redirect URI when the request names none', () => {
    const target = authorizationTarget(aDirectory(), query({ redirect_uri: null }));
    expect(target).toMatchObject({ redirectUri: URI, redirectUriGiven: false, state: 's1' });
  });

  it.each([
    ['no response_type', { response_type: null }, 'invalid_request'],
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    [
      'no PKCE for a public client',
      { code_challenge: null, code_challenge_method: null },
      'invalid_request',
    ],
    ['a challenge without method', { code_challenge_method: null }, 'invalid_request'],
    [
      'a short challenge',
      { code_challenge: 'abc', code_challenge_method: 'plain' },
      'invalid_request',
    ],
    ['a repeated scope', {}, 'invalid_request'],
  ])('refuses %s with %s', (what, overrides, error) => {
    const params = query(overrides);
    if (what === 'a repeated scope') params.append('scope', 'Per.warehouse.settings.r');
    expect(refusedWith(() => requestFor(aDirectory(), params)).error).toBe(error);
  });

  it('accepts a confidential client without PKCE', () => {
    const data = aDirectory();
    data.clients[0].secret = 'secret';
    const params = query({ code_challenge: null, code_challenge_method: null });
    expect(requestFor(data, params).challenge).toBeNull();
  });
});

describe('consent', () => {
  it('records a person’s grant and approves a person token', () => {
    const data = aDirectory();
    const outcome = approve(data, requestFor(data), { personId: 'max', organizationId: null });
    expect(outcome).toEqual({
      kind: 'approved',
      subject: { kind: 'Person', personId: 'max' },
      scopes: ['warehouse.settings.r'],
    });
    expect(grantOf(data, 'spa', 'Person/max')?.scopes).toEqual(['warehouse.settings.r']);
  });

  it('asks again when no person, or a non-admin for an organization, is picked', () => {
    const data = aDirectory();
    const request = requestFor(data, query({ scope: 'Org.warehouse.items.r' }));
    expect(approve(data, request, { personId: null, organizationId: 'acme' }).kind).toBe(
      'ask-again',
    );
    expect(approve(data, request, { personId: 'max', organizationId: 'acme' })).toMatchObject({
      kind: 'ask-again',
      message: expect.stringContaining('not an owner or admin of Acme') as string,
    });
    expect(grantOf(data, 'spa', 'Organization/acme')).toBeUndefined();
  });

  it('refuses a pre-selected organization to a non-admin with unpermitted_bearer_id', () => {
    const data = aDirectory();
    const request = requestFor(data, query({ scope: 'Org/acme.warehouse.items.r' }));
    const outcome = approve(data, request, { personId: 'max', organizationId: null });
    expect(outcome.kind === 'refused' && outcome.error.body()).toEqual({
      error: 'invalid_scope',
      error_description: 'unpermitted_bearer_id',
    });
  });

  it('gives a member on behalf only what the organization granted, silently', () => {
    const data = aDirectory();
    addGrant(data, 'spa', 'Organization/acme', ['warehouse.items.r']);
    const request = requestFor(
      data,
      query({ scope: 'Per>Org.warehouse.items.r,Per>Org.warehouse.items.w' }),
    );
    expect(approve(data, request, { personId: 'max', organizationId: 'acme' })).toEqual({
      kind: 'approved',
      subject: { kind: 'OnBehalf', personId: 'max', organizationId: 'acme' },
      scopes: ['warehouse.items.r'],
    });
    // An admin grants for the organization while approving.
    const byAdmin = approve(data, request, { personId: 'ann', organizationId: 'acme' });
    expect(byAdmin.kind === 'approved' && byAdmin.scopes).toEqual([
      'warehouse.items.r',
      'warehouse.items.w',
    ]);
  });
});

describe('consent page', () => {
  it('escapes every name it shows', () => {
    const data = aDirectory();
    data.persons.push({ id: 'eve', name: '<img src=x onerror=alert(1)>' });
    const html = consentPage({
      request: requestFor(data),
      data,
      consentKey: '"><script>',
      action: '/oauth/authorize',
    });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain(escapeHtml('<img src=x onerror=alert(1)>'));
  });
});
