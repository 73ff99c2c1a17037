// Covers Swagger UI in a real Chromium: Authorize with a hub token, Try it out, and a 403 without the scope.
import type { Browser, Locator, Page } from 'playwright-core';
import { StandInHub } from '../src/hub';
import { keepOffline, launchChromium, recordCspViolations, screenshot } from './support/browser';
import { startApp, TestApp } from './support/app';
import { startHub } from './support/hub-fixture';
import { tokens } from './support/tokens';

jest.setTimeout(90_000); // a cold Chromium and the embedded database both take seconds

const ITEM = {
  sku: 'BROWSER-TEST-1',
  name: 'Item seen through Swagger UI',
  quantity: 7,
  unit: 'sheets',
};

/** Opens the Authorize dialog, swaps the bearer token for `token`, closes the dialog. */
async function authorize(page: Page, token: string): Promise<void> {
  await page.locator('.auth-wrapper button.authorize').click();
  const dialog = page.locator('.modal-ux');
  const bearer = dialog.locator('form').filter({ has: page.locator('h4', { hasText: /^bearer/ }) });
  const logout = bearer.getByRole('button', { name: 'Remove authorization' });
  if (await logout.isVisible()) await logout.click();
  await bearer.locator('input#auth-bearer-value').fill(token);
  await bearer.locator('button.modal-btn.auth.authorize').click();
  await logout.waitFor();
  await bearer.locator('button.btn-done').click();
  await dialog.waitFor({ state: 'detached' });
}

/** Clicks Execute and returns the status and body Swagger UI shows for the live response. */
async function execute(operation: Locator): Promise<{ status: number; body: unknown }> {
  const live = operation.locator('.live-responses-table tbody .response');
  // Clear an earlier response first, so that waiting below waits for the new one.
  const clear = operation.locator('button.btn-clear');
  if (await clear.isVisible()) await clear.click();
  await operation.getByRole('button', { name: 'Execute' }).click();
  await live.waitFor();
  const status = Number(await live.locator('.response-col_status').innerText());
  const text = await live.locator('.response-col_description pre').first().innerText();
  return { status, body: JSON.parse(text) as unknown };
}

describe('Swagger UI in Chromium (e2e)', () => {
  let hub: StandInHub;
  let server: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    hub = await startHub();
    server = await startApp(hub);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await hub?.stop();
  });

  it('fails, rather than skips, when Chromium is missing', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(
      'Install it with `apt-get install -y chromium`',
    );
  });

  it('authorizes with a pasted token, lists items, and shows the 403 of a token without the scope', async () => {
    const org = tokens(hub).organization('org-browser');
    const writer = org.scopes('warehouse.items.rw').mint();
    const created = await server.send('POST', '/api/v1/items', ITEM, writer);
    expect(created.status).toBe(201);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const blocked = await keepOffline(page, server.url);
    const cspRefused = recordCspViolations(page.context());
    await page.goto(`${server.url}/docs`);
    await page.locator('.swagger-ui .info .title', { hasText: 'Warehouse API' }).waitFor();
    await screenshot(page, 'docs-overview');

    await authorize(page, writer);
    const list = page.locator('#operations-items-ItemsController_list');
    await list.locator('.opblock-summary').click();
    await expect(list.locator('.opblock-description-wrapper').innerText()).resolves.toContain(
      'warehouse.items.r',
    );
    await list.getByRole('button', { name: 'Try it out' }).click();
    const allowed = await execute(list);
    expect(allowed).toMatchObject({ status: 200, body: [expect.objectContaining(ITEM)] });
    await screenshot(list, 'docs-items-200');

    await authorize(page, org.scopes('warehouse.settings.r').mint());
    const refused = await execute(list);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ errors: ['unpermitted_scope', expect.any(String)] });
    await screenshot(list, 'docs-items-403');

    expect(blocked).toEqual([]);
    expect(cspRefused).toEqual([]);
  });
});
