// The redirect flow as a Zaikio app runs it: an unmodified OAuth client library (openid-client)
// sends a browser (Chromium) to the stand-in hub's consent page, exchanges the code, refreshes,
// and the app accepts the tokens.
import type { Browser, Page } from 'playwright-core';
import { BaseClient, generators, TokenSet } from 'openid-client';
import { eventually } from '../src/testing/eventually';
import { launchChromium, screenshot } from './support/browser';
import { useHubAndApp } from './support/app';
import {
  ACME,
  ADMIN,
  CallbackServer,
  claimsOf,
  confidentialClient,
  MEMBER,
  OWNER,
  PUBLIC_CLIENT,
  publicClient,
  refusal,
  registerRedirectUri,
  seedOAuthDirectory,
  startCallbackServer,
} from './support/oauth';

jest.setTimeout(60_000); // a cold Chromium takes seconds

/** One authorization request: the URL the app sends the browser to, and what it keeps. */
interface SignIn {
  readonly client: BaseClient;
  readonly url: string;
  readonly state: string;
  readonly verifier: string;
}

interface Pick {
  readonly person?: string;
  readonly organization?: string;
}

describe('redirect flow (openid-client and Chromium against the stand-in hub)', () => {
  const env = useHubAndApp();
  let browser: Browser;
  let page: Page;
  /** The client app's redirect endpoint, registered for both clients. */
  let app: CallbackServer;
  const arrival = () =>
    eventually(() => app.arrivals.length > 0, 10_000, 'the browser arriving at the app');

  beforeAll(async () => {
    await seedOAuthDirectory(env.hub);
    app = await startCallbackServer();
    await registerRedirectUri(env.hub, app.uri);
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const spa = () => publicClient(env.hub, PUBLIC_CLIENT, app.uri);
  const erp = (secret?: string) => confidentialClient(env.hub, secret, app.uri);

  function signIn(client: BaseClient, scope: string, pkce = true): SignIn {
    const verifier = generators.codeVerifier();
    const state = generators.state();
    const url = client.authorizationUrl({
      scope,
      state,
      ...(pkce
        ? { code_challenge: generators.codeChallenge(verifier), code_challenge_method: 'S256' }
        : {}),
    });
    return { client, url, state, verifier };
  }

  /** Opens the consent page, picks, clicks the button; returns where the hub sent the browser. */
  async function answer(url: string, button: 'Approve' | 'Deny', pick: Pick = {}): Promise<string> {
    app.arrivals.length = 0;
    const shown = await page.goto(url);
    expect(shown?.status()).toBe(200);
    if (pick.person) await page.getByLabel(`(${pick.person})`).check();
    if (pick.organization) await page.getByLabel(`(${pick.organization})`).check();
    await page.getByRole('button', { name: button }).click();
    await arrival();
    expect(app.arrivals).toHaveLength(1);
    return app.arrivals[0];
  }

  /** The app's side of the redirect: state check, code exchange with the PKCE verifier. */
  function callback(flow: SignIn, landed: string, verifier = flow.verifier): Promise<TokenSet> {
    return flow.client.oauthCallback(app.uri, flow.client.callbackParams(landed), {
      state: flow.state,
      code_verifier: verifier,
      response_type: 'code',
    });
  }

  async function approved(client: BaseClient, scope: string, pick: Pick): Promise<TokenSet> {
    const flow = signIn(client, scope);
    return callback(flow, await answer(flow.url, 'Approve', pick));
  }

  /** What the app makes of a token (GET /api/v1/token). */
  async function asSeenByTheApp(token: string | undefined): Promise<Record<string, unknown>> {
    const response = await env.server.get('/api/v1/token', token);
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  /** Where the hub redirects without a consent page (a request it refuses up front). */
  async function redirectedAt(url: string): Promise<URL> {
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location') ?? '');
  }

  it('signs a person in with PKCE: person token with refresh token, accepted by the app', async () => {
    const flow = signIn(spa(), 'Per.warehouse.settings.rw');
    await page.goto(flow.url);
    await page.getByText(PUBLIC_CLIENT).waitFor();
    await screenshot(page, 'oauth-consent');

    const tokens = await callback(flow, await answer(flow.url, 'Approve', { person: ADMIN }));
    expect(tokens).toMatchObject({
      token_type: 'bearer',
      expires_in: 3600,
      scope: 'warehouse.settings.rw',
      audiences: ['warehouse/web'],
      bearer: { id: ADMIN, type: 'Person' },
    });
    expect(typeof tokens.refresh_token).toBe('string');
    expect(tokens.bearer_on_behalf_of).toBeUndefined();
    expect(claimsOf(tokens.access_token!)).toMatchObject({
      iss: 'ZAI',
      sub: `Person/${ADMIN}`,
      aud: ['warehouse/web'],
      scope: ['warehouse.settings.rw'],
    });
    expect(await asSeenByTheApp(tokens.access_token)).toMatchObject({
      bearer: { type: 'Person', id: ADMIN },
      on_behalf_of: null,
      scopes: ['warehouse.settings.rw'],
    });
    const settings = await env.server.get('/api/v1/person/settings', tokens.access_token);
    expect(settings.status).toBe(200);
  });

  it('gives an on-behalf token for Per>Org, with the person’s roles, accepted by the app', async () => {
    const tokens = await approved(spa(), 'Per>Org.warehouse.items.rw', {
      person: OWNER,
      organization: ACME,
    });
    expect(tokens.bearer).toEqual({ id: ACME, type: 'Organization' });
    expect(tokens.bearer_on_behalf_of).toEqual({
      id: OWNER,
      type: 'Person',
      roles: ['owner', 'admin'],
    });
    expect(typeof tokens.refresh_token).toBe('string');
    expect(claimsOf(tokens.access_token!).sub).toBe(`Person/${OWNER}>Organization/${ACME}`);
    expect(await asSeenByTheApp(tokens.access_token)).toMatchObject({
      bearer: { type: 'Organization', id: ACME },
      on_behalf_of: { type: 'Person', id: OWNER, roles: ['owner', 'admin'] },
      scopes: ['warehouse.items.rw'],
    });
  });

  it('gives an organization token when the person picks an organization they administer', async () => {
    const tokens = await approved(erp(), 'Org.warehouse.items.r', {
      person: ADMIN,
      organization: ACME,
    });
    expect(tokens.bearer).toEqual({ id: ACME, type: 'Organization' });
    expect(tokens.bearer_on_behalf_of).toBeUndefined();
    expect(claimsOf(tokens.access_token!).sub).toBe(`Organization/${ACME}`);
    expect((await env.server.get('/api/v1/items', tokens.access_token)).status).toBe(200);
  });

  it('asks again when the picked person does not administer the picked organization', async () => {
    const flow = signIn(spa(), 'Org.warehouse.items.r');
    app.arrivals.length = 0;
    await page.goto(flow.url);
    await page.getByLabel(`(${MEMBER})`).check();
    await page.getByLabel(`(${ACME})`).check();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('alert').filter({ hasText: 'not an owner or admin' }).waitFor();
    expect(app.arrivals).toEqual([]);
    expect(await page.getByLabel(`(${MEMBER})`).isChecked()).toBe(true);
    // The same page still works: an admin of the organization can approve it.
    await page.getByLabel(`(${ADMIN})`).check();
    await page.getByRole('button', { name: 'Approve' }).click();
    await arrival();
    const tokens = await callback(flow, app.arrivals[0]);
    expect(tokens.bearer).toEqual({ id: ACME, type: 'Organization' });
  });

  it('refuses an organization pre-selected by a non-admin with invalid_scope', async () => {
    const flow = signIn(spa(), `Org/${ACME}.warehouse.items.r`);
    const landed = await answer(flow.url, 'Approve', { person: MEMBER });
    expect(await refusal(callback(flow, landed))).toEqual({
      error: 'invalid_scope',
      description: 'unpermitted_bearer_id',
    });
  });

  it('sends a denial back as access_denied, with the state', async () => {
    const flow = signIn(spa(), 'Per.warehouse.settings.r');
    const landed = new URL(await answer(flow.url, 'Deny'));
    expect(landed.searchParams.get('state')).toBe(flow.state);
    expect(landed.searchParams.get('code')).toBeNull();
    expect((await refusal(callback(flow, landed.href))).error).toBe('access_denied');
  });

  it.each([
    [
      'a scope the client does not desire',
      'Org.warehouse.sites.r',
      'scope_is_not_included_in_desired_scopes',
    ],
    ['a malformed scope', 'Org.warehouse.Items.r', 'malformed_scope'],
    ['a named person', `Per/${ADMIN}.warehouse.settings.r`, 'unpermitted_bearer_id'],
    ['an unknown organization', 'Org/nowhere.warehouse.items.r', 'bearer_does_not_exist'],
  ])('redirects %s as invalid_scope (%s)', async (_what, scope, id) => {
    const flow = signIn(spa(), scope);
    const landed = await redirectedAt(flow.url);
    expect(landed.searchParams.get('state')).toBe(flow.state);
    expect(await refusal(callback(flow, landed.href))).toEqual({
      error: 'invalid_scope',
      description: id,
    });
  });

  it('refuses a public client without PKCE, and a bad challenge method, as invalid_request', async () => {
    const withoutPkce = signIn(spa(), 'Per.warehouse.settings.r', false);
    expect((await redirectedAt(withoutPkce.url)).searchParams.get('error')).toBe('invalid_request');
    const badMethod = new URL(signIn(spa(), 'Per.warehouse.settings.r').url);
    badMethod.searchParams.set('code_challenge_method', 'S512');
    expect((await redirectedAt(badMethod.href)).searchParams.get('error')).toBe('invalid_request');
  });

  it('lets a confidential client sign in without PKCE, authenticating with Basic', async () => {
    const flow = signIn(erp(), 'Per.warehouse.settings.r', false);
    const landed = await answer(flow.url, 'Approve', { person: ADMIN });
    const wrongSecret = { ...flow, client: erp('wrong') };
    expect((await refusal(callback(wrongSecret, landed))).error).toBe('invalid_client');
    // A failed client authentication does not use up the code.
    const tokens = await callback(flow, landed);
    expect(tokens.bearer).toEqual({ id: ADMIN, type: 'Person' });
  });

  it('exchanges a code once only, for its own client and verifier', async () => {
    const flow = signIn(spa(), 'Per.warehouse.settings.r');
    const landed = await answer(flow.url, 'Approve', { person: ADMIN });
    const first = await callback(flow, landed);
    expect(await refusal(callback(flow, landed))).toMatchObject({ error: 'invalid_grant' });
    // Someone else may hold a code that comes twice: what it gave is revoked.
    expect(await refusal(flow.client.refresh(first.refresh_token!))).toMatchObject({
      error: 'invalid_grant',
    });
    const listed = await fetch(`${env.hub.url}/api/v1/revoked_access_tokens`);
    expect(((await listed.json()) as { revoked_token_ids: string[] }).revoked_token_ids).toContain(
      claimsOf(first.access_token!).jti,
    );

    const another = signIn(spa(), 'Per.warehouse.settings.r');
    const wrongVerifier = generators.codeVerifier();
    const secondLanding = await answer(another.url, 'Approve', { person: ADMIN });
    expect(await refusal(callback(another, secondLanding, wrongVerifier))).toMatchObject({
      error: 'invalid_grant',
    });
    // The failed attempt used the code up: the right verifier comes too late.
    expect(await refusal(callback(another, secondLanding))).toMatchObject({
      error: 'invalid_grant',
    });

    const third = signIn(spa(), 'Per.warehouse.settings.r');
    const thirdLanding = await answer(third.url, 'Approve', { person: ADMIN });
    const otherClient = { ...third, client: erp() };
    expect(await refusal(callback(otherClient, thirdLanding))).toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('rotates refresh tokens: each is good once, the new access token works', async () => {
    const client = spa();
    const first = await approved(client, 'Per.warehouse.settings.rw', { person: ADMIN });
    const second = await client.refresh(first.refresh_token!);
    expect(second).toMatchObject({
      token_type: 'bearer',
      scope: 'warehouse.settings.rw',
      bearer: { id: ADMIN, type: 'Person' },
    });
    expect(second.refresh_token).toEqual(expect.any(String));
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(claimsOf(second.access_token!).jti).not.toBe(claimsOf(first.access_token!).jti);
    expect(await asSeenByTheApp(second.access_token)).toMatchObject({
      bearer: { type: 'Person', id: ADMIN },
    });

    expect(await refusal(client.refresh(first.refresh_token!))).toMatchObject({
      error: 'invalid_grant',
    });
    const third = await client.refresh(second.refresh_token!);
    expect(third.refresh_token).not.toBe(second.refresh_token);
  });

  it('refuses a refresh once the organization took its grant back', async () => {
    const client = spa();
    const tokens = await approved(client, 'Per>Org.warehouse.items.r', {
      person: ADMIN,
      organization: ACME,
    });
    await env.hub.directory.update((data) => {
      data.grants = data.grants.filter(
        (grant) => !(grant.clientId === PUBLIC_CLIENT && grant.bearer === `Organization/${ACME}`),
      );
    });
    expect(await refusal(client.refresh(tokens.refresh_token!))).toEqual({
      error: 'invalid_grant',
      description: 'the bearer no longer grants these scopes',
    });
  });

  it('hands out no refresh token with client credentials', async () => {
    const tokens = await erp().grant({
      grant_type: 'client_credentials',
      scope: `Org/${ACME}.warehouse.items.r`,
    });
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('shows an error page, and does not redirect, for an unregistered redirect URI or client', async () => {
    app.arrivals.length = 0;
    {
      const foreign = new URL(signIn(spa(), 'Per.warehouse.settings.r').url);
      foreign.searchParams.set('redirect_uri', `${new URL(app.uri).origin}/elsewhere`);
      const shown = await page.goto(foreign.href);
      expect(shown?.status()).toBe(400);
      await page.getByText('redirect_uri is not registered').waitFor();

      const unknown = new URL(foreign);
      unknown.searchParams.set('client_id', 'stranger');
      unknown.searchParams.set('redirect_uri', app.uri);
      expect((await page.goto(unknown.href))?.status()).toBe(400);
      await page.getByText('client_id is not registered').waitFor();
      expect(app.arrivals).toEqual([]);
    }
  });
});
