// Covers Swagger UI's one-click sign-in in Chromium: Authorize → zaikio_oauth → the stand-in hub's
// consent page → back in Swagger UI with a token (PKCE, redirect page under /docs) → Try it out;
// and a denied consent that leaves Swagger UI unauthorized with the hub's error shown.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { swaggerRedirectUris } from '../src/docs';
import { StandInHub } from '../src/hub';
import { appScopes } from '../src/hub/development-hub';
import {
  DEVELOPMENT_ADMIN,
  DEVELOPMENT_ORGANIZATION,
  seedDevelopmentDirectory,
  SWAGGER_CLIENT_ID,
} from '../src/hub/oauth/seed';
import { startApp, TestApp } from './support/app';
import { keepOffline, launchChromium, recordCspViolations, screenshot } from './support/browser';
import { startHub } from './support/hub-fixture';

jest.setTimeout(90_000); // a cold Chromium and the embedded database both take seconds

/** A second organization the admin only belongs to, so that picking one is a real choice. */
const OTHER_ORG = { id: 'other-org', name: 'Other Org' };

/** The zaikio_oauth block of Swagger UI's Authorize dialog. */
function oauthForm(page: Page): Locator {
  return page
    .locator('.modal-ux .auth-container')
    .filter({ has: page.locator('h4', { hasText: /^zaikio_oauth/ }) });
}

/** Opens Authorize, ticks `scope` under zaikio_oauth, clicks its Authorize: the hub's page. */
async function requestSignIn(page: Page, scope: string): Promise<Page> {
  await page.locator('.auth-wrapper button.authorize').click();
  const form = oauthForm(page);
  await form
    .locator('label')
    .filter({ has: page.getByText(scope, { exact: true }) })
    .click();
  const popup = page.waitForEvent('popup');
  await form.getByRole('button', { name: 'Apply given OAuth2 credentials' }).click();
  const consent = await popup;
  await consent.getByRole('heading', { name: 'Sign in to warehouse' }).waitFor();
  return consent;
}

/** Clicks Execute and returns the status and body Swagger UI shows for the live response. */
async function execute(operation: Locator): Promise<{ status: number; body: unknown }> {
  await operation.locator('.opblock-summary').click();
  await operation.getByRole('button', { name: 'Try it out' }).click();
  await operation.getByRole('button', { name: 'Execute' }).click();
  const live = operation.locator('.live-responses-table tbody .response');
  await live.waitFor();
  const status = Number(await live.locator('.response-col_status').innerText());
  const text = await live.locator('.response-col_description pre').first().innerText();
  return { status, body: JSON.parse(text) as unknown };
}

describe('Swagger UI signs in at the stand-in hub (Chromium e2e)', () => {
  let hub: StandInHub;
  let server: TestApp;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    hub = await startHub();
    server = await startApp(hub);
    // The same seed `npm start` writes, for the port this app listens on.
    await seedDevelopmentDirectory(hub.directory, {
      audience: 'warehouse',
      scopes: appScopes('warehouse'),
      swaggerRedirectUris: swaggerRedirectUris(Number(new URL(server.url).port)),
    });
    await hub.directory.update((data) => {
      data.organizations.push(OTHER_ORG);
      data.memberships.push({
        personId: DEVELOPMENT_ADMIN.id,
        organizationId: OTHER_ORG.id,
        roles: ['member'],
      });
    });
    browser = await launchChromium();
  });

  afterEach(async () => {
    await context?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await hub?.stop();
  });

  /**
   * A fresh browser profile on /docs, allowed to reach only the app and the hub (`blocked` lists
   * other requests); `cspRefused` lists what the docs' Content-Security-Policy stopped.
   */
  async function openDocs(): Promise<{ page: Page; blocked: string[]; cspRefused: string[] }> {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const blocked = await keepOffline(context, server.url, hub.url);
    const cspRefused = recordCspViolations(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/docs`);
    await page.locator('.swagger-ui .info .title', { hasText: 'Warehouse API' }).waitFor();
    return { page, blocked, cspRefused };
  }

  it('signs in with one click on the hub and calls the API with the token', async () => {
    const { page, blocked, cspRefused } = await openDocs();
    const consent = await requestSignIn(page, 'Org.warehouse.items.r');
    // Swagger UI asked as a public client with PKCE, for its redirect page under /docs.
    const asked = new URL(consent.url());
    expect(Object.fromEntries(asked.searchParams)).toMatchObject({
      client_id: SWAGGER_CLIENT_ID,
      response_type: 'code',
      scope: 'Org.warehouse.items.r',
      redirect_uri: `${server.url}/docs/oauth2-redirect.html`,
      code_challenge_method: 'S256',
    });
    await consent.getByText('warehouse.items.r', { exact: true }).waitFor(); // what it grants
    await consent.getByLabel(`(${DEVELOPMENT_ADMIN.id})`).check();
    await consent.getByLabel(`(${DEVELOPMENT_ORGANIZATION.id})`).check();
    await screenshot(consent, 'docs-signin-consent');
    const closed = consent.waitForEvent('close');
    await consent.getByRole('button', { name: 'Approve' }).click();
    await closed; // the redirect page hands the code to Swagger UI and closes itself

    const form = oauthForm(page);
    await form.getByRole('button', { name: 'Remove authorization' }).waitFor();
    await expect(form.locator('h6', { hasText: 'Authorized' }).isVisible()).resolves.toBe(true);
    await form.getByRole('button', { name: 'Close' }).click();
    await page.locator('.modal-ux').waitFor({ state: 'detached' });
    await expect(page.locator('.auth-wrapper button.authorize.locked').count()).resolves.toBe(1);

    const whoAmI = await execute(
      page.locator('#operations-token-TokenIntrospectionController_describe'),
    );
    expect(whoAmI).toMatchObject({
      status: 200,
      body: expect.objectContaining({
        bearer: { type: 'Organization', id: DEVELOPMENT_ORGANIZATION.id },
        scopes: ['warehouse.items.r'],
      }),
    });
    const list = page.locator('#operations-items-ItemsController_list');
    await expect(execute(list)).resolves.toEqual({ status: 200, body: [] });
    await screenshot(list, 'docs-signin-items-200');
    expect(blocked).toEqual([]);
    expect(cspRefused).toEqual([]);
  });

  it('a denied consent leaves Swagger UI unauthorized and shows the hub’s error', async () => {
    const { page, blocked, cspRefused } = await openDocs();
    const consent = await requestSignIn(page, 'Per.warehouse.settings.r');
    const closed = consent.waitForEvent('close');
    await consent.getByRole('button', { name: 'Deny' }).click();
    await closed;

    const form = oauthForm(page);
    await form
      .locator('.errors', { hasText: '[access_denied]: the person denied the request.' })
      .waitFor();
    await screenshot(form, 'docs-signin-denied');
    await expect(form.getByRole('button', { name: 'Remove authorization' }).count()).resolves.toBe(
      0,
    );
    await expect(
      form.getByRole('button', { name: 'Apply given OAuth2 credentials' }).isVisible(),
    ).resolves.toBe(true);
    await form.getByRole('button', { name: 'Close' }).click();
    await expect(page.locator('.auth-wrapper button.authorize.locked').count()).resolves.toBe(0);

    const settings = page.locator('#operations-person_settings-PersonSettingsController_get');
    const refused = await execute(settings);
    expect(refused).toMatchObject({
      status: 401,
      body: { errors: ['no_jwt_passed', expect.any(String)] },
    });
    expect(blocked).toEqual([]);
    expect(cspRefused).toEqual([]);
  });
});
