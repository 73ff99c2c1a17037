// The built application in a child process: JSON logs without tokens, metrics, and a graceful
// SIGTERM that lets a request in flight finish.
import { killServersAndRemove, SpawnedServer, spawnServer } from './support/server-process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../src/config';
import { StandInHub } from '../src/hub';
import { WEBHOOK_SECRET } from './support/app';
import { tokens } from './support/tokens';
import { aTestConfig } from '../src/config/testing';

const METRICS_TOKEN = 'scrape-secret';

// Runs in the child: the real factory, plus a hold on requests that ask for one (before any route),
// to have a request to a documented route in flight at SIGTERM.
const CHILD = `
const { createApp } = require('./src/app.factory');
(async () => {
  const app = await createApp(JSON.parse(process.env.CHILD_CONFIG));
  app.use((req, _res, next) => (req.headers['x-hold'] ? setTimeout(next, 1500) : next()));
  await app.listen(0, '127.0.0.1');
  process.stderr.write('READY ' + app.getHttpServer().address().port + '\\n');
})().catch((error) => { process.stderr.write(String(error && error.stack) + '\\n'); process.exit(1); });
`;

function startChild(config: AppConfig): Promise<SpawnedServer> {
  return spawnServer({
    args: ['-e', CHILD],
    env: { CHILD_CONFIG: JSON.stringify(config) },
    listening: /READY (\d+)/,
  });
}

describe('observability and graceful shutdown (e2e)', () => {
  let hub: StandInHub;
  let dataDir: string;
  let child: SpawnedServer;

  beforeAll(async () => {
    hub = await StandInHub.start();
    dataDir = await mkdtemp(join(tmpdir(), 'warehouse-obs-'));
    child = await startChild(
      aTestConfig({
        hubUrl: hub.url,
        personalTokens: 'allow',
        clockToleranceSeconds: 30,
        webhookSecret: WEBHOOK_SECRET,
        dataDir,
        redisUrl: null,
        rateLimit: { limit: 100, windowSeconds: 60 },
        logLevel: 'info',
        metricsToken: METRICS_TOKEN,
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await killServersAndRemove([child], dataDir);
    await hub.stop();
  });

  it('logs one JSON line per request with its id, bearer and audience, never the token', async () => {
    const token = tokens(hub).organization('org-obs').mint();
    const response = await fetch(`${child.url}/api/v1/token`, {
      headers: { authorization: `Bearer ${token}`, 'x-request-id': 'obs-request-1' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('obs-request-1');
    expect(response.headers.get('ratelimit-rule')).toBe('100reqs/60s');
    const generated = await fetch(`${child.url}/health/live`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    await new Promise((resolve) => setTimeout(resolve, 100));
    const lines = child
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const line = lines.find(
      (entry) => (entry.req as { id?: string } | undefined)?.id === 'obs-request-1',
    );
    expect(line).toMatchObject({
      level: 30,
      bearer: 'Organization/org-obs',
      audience: ['warehouse'],
      req: { method: 'GET', url: '/api/v1/token' },
      res: { statusCode: 200 },
    });
    expect(child.stdout()).not.toContain(token);
    expect(child.stdout()).not.toContain(token.split('.')[2]);
  });

  it('serves Prometheus metrics behind METRICS_TOKEN', async () => {
    expect((await fetch(`${child.url}/metrics`)).status).toBe(401);
    // Two refusals, so the outcome counter shows more than the successes.
    for (const authorization of ['Bearer not.a.jwt', 'Bearer still.not.ajwt']) {
      const refused = await fetch(`${child.url}/api/v1/token`, { headers: { authorization } });
      expect(refused.status).toBe(401);
    }
    // One token three times: verified in full twice (it is cached on its second verification),
    // then answered from the cache.
    const reused = tokens(hub).organization('org-metrics').mint();
    for (let use = 0; use < 3; use++) {
      const response = await fetch(`${child.url}/api/v1/token`, {
        headers: { authorization: `Bearer ${reused}` },
      });
      expect(response.status).toBe(200);
    }
    const response = await fetch(`${child.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(
      /http_requests_total\{method="GET",route="\/api\/v1\/token",status="200"\} [1-9]/,
    );
    expect(text).toMatch(/zaikio_auth_outcomes_total\{outcome="ok"\} [1-9]/);
    expect(text).toMatch(/zaikio_auth_outcomes_total\{outcome="invalid_jwt"\} 2\n/);
    expect(text).toMatch(
      /zaikio_hub_fetches_total\{resource="jwt_public_keys",result="ok"\} [1-9]/,
    );
    expect(text).toMatch(/^zaikio_hub_keys_age_seconds \d+/m);
    expect(text).toMatch(/^zaikio_revoked_tokens \d+/m);
    // Full verifications only: the first spec's token, the two refusals, two of the three uses.
    expect(text).toMatch(/^zaikio_token_verification_seconds_count 5$/m);
    expect(text).toMatch(/^zaikio_token_cache_hits_total 1$/m);
  });

  it('finishes a request in flight on SIGTERM, then stops taking connections and exits', async () => {
    const slow = fetch(`${child.url}/health/live`, { headers: { 'x-hold': 'yes' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.process.kill('SIGTERM');
    const response = await slow;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    const { code, signal } = await child.exited;
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    await expect(fetch(`${child.url}/health/live`)).rejects.toThrow();
  });
});
