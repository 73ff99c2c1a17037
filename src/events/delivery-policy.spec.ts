// Covers how the dispatcher reads Loom's answers and how long it waits before the next attempt.
import { classifyAnswer, retryAfterMs, retryDelayMs } from './delivery-policy';

describe('classifyAnswer', () => {
  const taken = JSON.stringify({ errors: { id: ['has already been taken'] } });

  it.each([
    [200, '', 'delivered'],
    [201, '{}', 'delivered'],
    [422, taken, 'duplicate'],
    [409, taken, 'duplicate'],
    [422, JSON.stringify({ errors: { name: ['excludes a valid event name'] } }), 'dead'],
    [422, JSON.stringify({ errors: { id: ['is not a UUID'] } }), 'dead'],
    [422, 'not json', 'dead'],
    [400, '', 'dead'],
    [401, '', 'dead'],
    [403, '', 'dead'],
    [404, '', 'dead'],
    [408, '', 'retry'],
    [429, '', 'retry'],
    [500, taken, 'retry'],
    [502, '', 'retry'],
    [503, '', 'retry'],
    [302, '', 'retry'],
  ])('reads %i %s as %s', (status, body, result) => {
    expect(classifyAnswer(status, body)).toBe(result);
  });
});

describe('retryDelayMs', () => {
  const backoff = { retryBaseMs: 1_000, retryMaxMs: 60_000 };

  it('doubles the ceiling with each failure up to the maximum', () => {
    const top = () => 1 - Number.EPSILON;
    expect([1, 2, 3, 4, 7, 8, 50].map((n) => retryDelayMs(n, backoff, top))).toEqual([
      1_000, 2_000, 4_000, 8_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('draws the delay between half the ceiling and the ceiling', () => {
    expect(retryDelayMs(3, backoff, () => 0)).toBe(2_000);
    expect(retryDelayMs(3, backoff, () => 0.5)).toBe(3_000);
    for (let i = 0; i < 200; i += 1) {
      const delay = retryDelayMs(2, backoff);
      expect(delay).toBeGreaterThanOrEqual(1_000);
      expect(delay).toBeLessThanOrEqual(2_000);
    }
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and ignores what it cannot read', () => {
    expect(retryAfterMs('30')).toBe(30_000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:00 GMT')).toBeNull();
    expect(retryAfterMs('-1')).toBeNull();
  });
});
