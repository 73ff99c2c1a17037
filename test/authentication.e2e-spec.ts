// Threat: requests without a valid Zaikio token; covers every 401 row of the error table.
import { StandInHub } from '../src/hub';
import { errorCode, startApp, useHubAndApp } from './support/app';
import { startHub } from './support/hub-fixture';
import { tokens } from './support/tokens';

describe('authentication (e2e)', () => {
  const ctx = useHubAndApp();

  const org = () => tokens(ctx.hub).organization('org-1');

  it('answers 401 no_jwt_passed with a bare challenge when no token is sent', async () => {
    const response = await ctx.server.get('/api/v1/token');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer realm="warehouse", resource_metadata="${ctx.server.url}/.well-known/oauth-protected-resource"`,
    );
    expect(await errorCode(response)).toBe('no_jwt_passed');
  });

  it.each([
    ['a Basic header', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['a token in the query string only', {}],
  ])('treats %s as no token', async (_name, headers) => {
    const response = await ctx.server.get(
      `/api/v1/token?access_token=${org().mint()}`,
      undefined,
      headers,
    );
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe('no_jwt_passed');
  });

  it('ignores a token in a cookie', async () => {
    const response = await ctx.server.get('/api/v1/token', undefined, {
      cookie: `token=${org().mint()}`,
    });
    expect(await errorCode(response)).toBe('no_jwt_passed');
  });

  it('accepts the Bearer scheme in any case and reports what it understood', async () => {
    const token = tokens(ctx.hub)
      .onBehalf('person-1', 'org-1')
      .roles('owner', 'member')
      .scopes('warehouse.items.rw', 'directory.organization.r', 'not a scope')
      .audiences(['warehouse/prod', 'other'])
      .jti('jti-introspect')
      .mint();
    const response = await ctx.server.get('/api/v1/token', undefined, {
      authorization: `bEaReR ${token}`,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { expires_at: string };
    expect(body).toMatchObject({
      bearer: { type: 'Organization', id: 'org-1' },
      on_behalf_of: { type: 'Person', id: 'person-1', roles: ['owner', 'member'] },
      audiences: [
        { app: 'warehouse', credentials_name: 'prod', value: 'warehouse/prod' },
        { app: 'other', credentials_name: null, value: 'other' },
      ],
      scopes: ['warehouse.items.rw', 'directory.organization.r'],
      jti: 'jti-introspect',
    });
    expect(new Date(body.expires_at).getTime()).toBeGreaterThan(Date.now());
    expect(JSON.stringify(body)).not.toContain(token);
  });

  const invalid: Array<[string, () => string]> = [
    ['malformed', () => 'not.a.jwt'],
    ['a bad signature', () => `${org().mint().slice(0, -4)}AAAA`],
    ['alg none', () => org().header({ alg: 'none' }).mint()],
    ['wrong issuer', () => org().claim('iss', 'CP').mint()],
    [
      'nbf ahead',
      () =>
        org()
          .notBefore(Math.floor(Date.now() / 1000) + 3600)
          .mint(),
    ],
    ['a bad sub', () => org().claim('sub', 'Organization/1/2').mint()],
    ['roles not an integer', () => tokens(ctx.hub).onBehalf('p', 'o').claim('roles', 1.5).mint()],
    ['scope as a string', () => org().claim('scope', 'warehouse.items.rw').mint()],
    ['an unknown kid', () => org().header({ kid: 'not-published' }).mint()],
  ];

  it.each(invalid)('answers 401 invalid_jwt for %s', async (_name, mint) => {
    const token = mint();
    const response = await ctx.server.get('/api/v1/token', token);
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(
      /^Bearer realm="warehouse", error="invalid_token", error_description="/,
    );
    const text = await response.text();
    expect(JSON.parse(text).errors[0]).toBe('invalid_jwt');
    expect(text).not.toContain(token);
    expect(challenge).not.toContain(token);
  });

  it('answers 401 invalid_jwt for a revoked token after the hub lists it', async () => {
    const token = org().jti('revoked-at-hub').mint();
    expect((await ctx.server.get('/api/v1/token', token)).status).toBe(200);
    await ctx.hub.revoke('revoked-at-hub');
    const zaikio = ctx.server.app.get((await import('../src/zaikio')).ZaikioHubService);
    await zaikio.revoked.refresh();
    const response = await ctx.server.get('/api/v1/token', token);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: ['invalid_jwt', 'The access token has been revoked.'],
    });
  });

  it('answers 401 jwt_expired for an expired token', async () => {
    const response = await ctx.server.get('/api/v1/token', org().expiresIn(-120).mint());
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await errorCode(response)).toBe('jwt_expired');
  });

  it('accepts a token expired within the clock tolerance', async () => {
    expect((await ctx.server.get('/api/v1/token', org().expiresIn(-10).mint())).status).toBe(200);
  });

  it.each(['warehouse2', 'xwarehouse', 'warehouse/', 'warehouse/a/b', 'Warehouse'])(
    'answers 401 unpermitted_audience for aud %j',
    async (aud) => {
      const response = await ctx.server.get('/api/v1/token', org().audience(aud).mint());
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(await errorCode(response)).toBe('unpermitted_audience');
    },
  );

  it('refuses two Authorization headers even when both are valid', async () => {
    const token = org().mint();
    const response = await fetch(`${ctx.server.url}/api/v1/token`, {
      headers: [
        ['authorization', `Bearer ${token}`],
        ['authorization', `Bearer ${token}`],
      ],
    });
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe('invalid_jwt');
  });
});

describe('audience configuration (e2e)', () => {
  let hub: StandInHub;

  beforeAll(async () => {
    hub = await startHub();
  });

  afterAll(() => hub.stop());

  it('accepts only the configured credentials name for an app/cred entry', async () => {
    const server = await startApp(hub, { config: { audiences: ['warehouse/prod'] } });
    try {
      const status = async (aud: string) =>
        (await server.get('/api/v1/token', tokens(hub).audience(aud).mint())).status;
      expect(await status('warehouse/prod')).toBe(200);
      expect(await status('warehouse')).toBe(401);
      expect(await status('warehouse/dev')).toBe(401);
      expect(await status('other/prod')).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('refuses tokens without audience when personal tokens are denied', async () => {
    const server = await startApp(hub, { config: { personalTokens: 'deny' } });
    try {
      const response = await server.get('/api/v1/token', tokens(hub).audiences([]).mint());
      expect(response.status).toBe(401);
      expect(await errorCode(response)).toBe('unpermitted_audience');
      const allowed = await server.get('/api/v1/token', tokens(hub).mint());
      expect(allowed.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
