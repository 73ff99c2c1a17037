// Covers the in-memory rate limit (no Redis) on the real app: headers, 429, per-caller counters.
import { errorCode, useHubAndApp } from './support/app';
import { tokens } from './support/tokens';

describe('rate limit without Redis (e2e)', () => {
  const ctx = useHubAndApp({
    config: { redisUrl: null, rateLimit: { limit: 3, windowSeconds: 60 } },
  });

  it('counts down per caller, answers 429 with Retry-After past the limit, and leaves others alone', async () => {
    const token = tokens(ctx.hub).organization('org-limited').mint();
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      const response = await ctx.server.get('/api/v1/token', token);
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-rule')).toBe('3reqs/60s');
      remaining.push(response.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const limited = await ctx.server.get('/api/v1/token', token);
    expect(limited.status).toBe(429);
    expect(await errorCode(limited)).toBe('rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(Number(limited.headers.get('ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);

    // Another token of the same organization is the same caller; another organization is not.
    const sameCaller = tokens(ctx.hub).organization('org-limited').mint();
    expect((await ctx.server.get('/api/v1/token', sameCaller)).status).toBe(429);
    const other = tokens(ctx.hub).organization('org-other').mint();
    expect((await ctx.server.get('/api/v1/token', other)).status).toBe(200);
    // Public routes are never limited.
    expect((await ctx.server.get('/health/live', token)).status).toBe(200);
  });
});
