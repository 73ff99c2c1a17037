// Covers the in-memory fixed windows: counting, the block past the limit, reset, and the sweep.
import { MemoryRateLimitStore } from './rate-limit-store';

describe('MemoryRateLimitStore', () => {
  let now = 1_000_000;
  let store: MemoryRateLimitStore;
  beforeEach(() => {
    now = 1_000_000;
    store = new MemoryRateLimitStore(60_000, () => now);
  });
  afterEach(() => store.close());

  it('counts each caller in its own window and blocks only past the limit', () => {
    expect(store.increment('a', 60_000, 2)).toEqual({
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: false,
    });
    now += 10_500;
    expect(store.increment('a', 60_000, 2)).toEqual({
      totalHits: 2,
      timeToExpire: 50,
      isBlocked: false,
    });
    expect(store.increment('a', 60_000, 2)).toMatchObject({ totalHits: 3, isBlocked: true });
    expect(store.increment('b', 60_000, 2)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('starts a fresh window once the caller’s window ended', () => {
    for (let i = 0; i < 3; i++) store.increment('a', 60_000, 2);
    now += 60_000;
    expect(store.increment('a', 60_000, 2)).toEqual({
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: false,
    });
  });

  it('forgets callers whose window ended when it sweeps, and keeps the others', () => {
    store.increment('old', 60_000, 2);
    now += 30_000;
    store.increment('new', 60_000, 2);
    now += 30_000;
    store.sweep();
    expect(store.size).toBe(1);
    expect(store.increment('new', 60_000, 2).totalHits).toBe(2);
  });
});
