import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';

/** Debian's chromium package; never a downloaded browser (CI installs it in .ci/run). */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-output');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Chromium, or fails loudly: a browser test that skips itself proves nothing. */
export async function launchChromium(executablePath = CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(
      `The browser tests need Chromium at ${executablePath}, and it is missing. ` +
        'Install it with `apt-get install -y chromium` (CI does so in .ci/run).',
    );
  }
  return chromium.launch({ executablePath, args: ARGS });
}

/**
 * Lets the page (or every page of a context, popups included) load only from `origins` and
 * records every other request it tried: the docs must work offline, so anything else (a CDN, a
 * validator) is a bug to report, not to wait for.
 */
export async function keepOffline(
  target: Page | BrowserContext,
  ...origins: string[]
): Promise<string[]> {
  const blocked: string[] = [];
  await target.route('**/*', async (route) => {
    const url = route.request().url();
    if (origins.some((origin) => url.startsWith(`${origin}/`)) || url.startsWith('data:')) {
      await route.continue();
    } else {
      blocked.push(url);
      await route.abort();
    }
  });
  return blocked;
}

/**
 * Records what the Content-Security-Policy blocked on any page of `context` (Chromium reports each
 * refusal as a console error): the docs' policy must allow everything Swagger UI needs.
 */
export function recordCspViolations(context: BrowserContext): string[] {
  const violations: string[] = [];
  context.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      violations.push(message.text());
    }
  });
  return violations;
}

/** Saves test-output/<name>.png (a whole page, or just one element) and returns its path. */
export async function screenshot(target: Page | Locator, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  if ('goto' in target) await target.screenshot({ path, fullPage: true });
  else await target.screenshot({ path });
  return path;
}
