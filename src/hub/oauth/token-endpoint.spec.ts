import { createHash } from 'node:crypto';
import { DEFAULT_ROLES } from '../claims';
import {
  AuthorizationCodes,
  CODE_SECONDS,
  PendingCode,
  TokenFamilies,
} from './authorization-codes';
import { ClientCredentials } from './client-auth';
import { addGrant, emptyDirectory, MemoryDirectoryStore } from './directory';
import { REFRESH_TOKEN_SECONDS, TokenResponse } from './issue-token';
import { OAuthError } from './oauth-error';
import { exchange, TokenEndpointContext } from './token-endpoint';

const URI = 'https://app.example/callback';
const VERIFIER = 'v'.repeat(43);

/** The endpoint on a clock the spec moves; tokens are their claims as JSON (no signing here). */
function anEndpoint() {
  let now = 1_700_000_000_000;
  const data = emptyDirectory();
  data.persons.push({ id: 'ann', name: 'Ann' });
  data.clients.push({
    id: 'spa',
    secret: null,
    appName: 'warehouse',
    credentialsName: null,
    redirectUris: [URI],
    desiredScopes: ['Per.warehouse.settings.rw'],
  });
  addGrant(data, 'spa', 'Person/ann', ['warehouse.settings.r']);
  const revoked: string[] = [];
  const context: TokenEndpointContext = {
    store: new MemoryDirectoryStore(data),
    codes: new AuthorizationCodes(),
    families: new TokenFamilies(),
    minter: {
      roles: DEFAULT_ROLES,
      nowMs: () => now,
      mint: (claims) => JSON.stringify(claims),
      revoke: (jti) => Promise.resolve(revoked.push(jti)),
    },
  };
  const code = (overrides: Partial<PendingCode> = {}) =>
    context.codes.issue({
      clientId: 'spa',
      redirectUri: URI,
      redirectUriGiven: true,
      challenge: {
        value: createHash('sha256').update(VERIFIER).digest('base64url'),
        method: 'S256',
      },
      subject: { kind: 'Person', personId: 'ann' },
      scopes: ['warehouse.settings.r'],
      expiresAt: now + CODE_SECONDS * 1000,
      ...overrides,
    });
  const spa: ClientCredentials = { id: 'spa', secret: null, basic: false };
  const post = (params: Record<string, string>) =>
    exchange(context, new URLSearchParams(params), spa);
  const redeem = (value: string, extra: Record<string, string> = {}) =>
    post({
      grant_type: 'authorization_code',
      code: value,
      redirect_uri: URI,
      code_verifier: VERIFIER,
      ...extra,
    });
  return {
    code,
    post,
    redeem,
    revoked,
    later: (seconds: number) => (now += seconds * 1000),
  };
}

async function refusal(call: Promise<TokenResponse>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof OAuthError) return `${error.error}: ${error.description}`;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('token endpoint: authorization code and refresh token', () => {
  it('refuses a code after its 10 minutes', async () => {
    const endpoint = anEndpoint();
    const code = endpoint.code();
    endpoint.later(CODE_SECONDS);
    expect(await refusal(endpoint.redeem(code))).toBe('invalid_grant: the code has expired');
  });

  it('refuses a redirect URI other than the request’s, and a missing verifier', async () => {
    const endpoint = anEndpoint();
    expect(
      await refusal(endpoint.redeem(endpoint.code(), { redirect_uri: `${URI}/other` })),
    ).toMatch(/^invalid_grant: redirect_uri differs/);
    expect(await refusal(endpoint.redeem(endpoint.code(), { code_verifier: '' }))).toMatch(
      /^invalid_grant: code_verifier is missing/,
    );
  });

  it('checks a plain challenge by equality', async () => {
    const endpoint = anEndpoint();
    const plain = { challenge: { value: VERIFIER, method: 'plain' as const } };
    expect((await endpoint.redeem(endpoint.code(plain))).scope).toBe('warehouse.settings.r');
    const wrong = endpoint.redeem(endpoint.code(plain), { code_verifier: 'w'.repeat(43) });
    expect(await refusal(wrong)).toMatch(/^invalid_grant: code_verifier does not match/);
  });

  it('refuses a refresh token after 7 days', async () => {
    const endpoint = anEndpoint();
    const { refresh_token } = await endpoint.redeem(endpoint.code());
    endpoint.later(REFRESH_TOKEN_SECONDS);
    const call = endpoint.post({ grant_type: 'refresh_token', refresh_token: refresh_token! });
    expect(await refusal(call)).toBe('invalid_grant: the refresh token has expired');
  });

  it('revokes the refresh tokens of a code that comes a second time, rotated ones too', async () => {
    const endpoint = anEndpoint();
    const code = endpoint.code();
    const first = await endpoint.redeem(code);
    const rotated = await endpoint.post({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token!,
    });
    expect(await refusal(endpoint.redeem(code))).toMatch(/^invalid_grant: the code is unknown/);
    const call = endpoint.post({
      grant_type: 'refresh_token',
      refresh_token: rotated.refresh_token!,
    });
    expect(await refusal(call)).toMatch(/^invalid_grant: the refresh token is unknown/);
  });

  it('revokes the access tokens of a code that comes a second time, not those of others', async () => {
    const endpoint = anEndpoint();
    const code = endpoint.code();
    const jtiOf = (tokens: TokenResponse) =>
      (JSON.parse(tokens.access_token) as { jti: string }).jti;
    const first = await endpoint.redeem(code);
    const rotated = await endpoint.post({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token!,
    });
    const unrelated = await endpoint.redeem(endpoint.code());
    expect(endpoint.revoked).toEqual([]);
    await refusal(endpoint.redeem(code));
    expect(endpoint.revoked.sort()).toEqual([jtiOf(first), jtiOf(rotated)].sort());
    expect(endpoint.revoked).not.toContain(jtiOf(unrelated));
  });

  it('refreshes within 7 days, each refresh token once', async () => {
    const endpoint = anEndpoint();
    const first = await endpoint.redeem(endpoint.code());
    endpoint.later(REFRESH_TOKEN_SECONDS - 60);
    const second = await endpoint.post({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token!,
    });
    expect(second).toMatchObject({ scope: 'warehouse.settings.r', bearer: { id: 'ann' } });
    const again = endpoint.post({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token!,
    });
    expect(await refusal(again)).toMatch(/^invalid_grant: the refresh token is unknown/);
  });
});
