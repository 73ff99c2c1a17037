import type { AccessToken } from './access-token';

const MEMO = Symbol('zaikio.tokenMemo');
let slots = 0;

/**
 * A place for one thing a consumer derives from a verified token and wants again on the token's
 * later requests (the rate limiter's caller key, the request line's token fields). Make one per
 * purpose, once, at module level.
 */
export class TokenMemoSlot<T> {
  /** @internal The index of this slot in every token's memo. */
  readonly index = slots++;

  constructor(readonly name: string) {}

  /** Phantom member, so slots of different value types do not mix. */
  declare readonly value?: T;
}

/**
 * Gives a token built by the verifier its memo (before it is frozen): an array that handlers never
 * see (a non-enumerable symbol property) and that lives and dies with the token.
 *
 * Why not a WeakMap per consumer: a cache hit hands out the same token object, but every new token
 * then costs one ephemeron per WeakMap, which the young-generation collector must trace again on
 * every scavenge, and a warm request paid a hash look-up per map (BENCHMARKS.md, fifth round).
 */
export function withMemo<T extends AccessToken>(token: T): T {
  Object.defineProperty(token, MEMO, { value: [] });
  return token;
}

/**
 * What `derive` returns for this token, derived once per token for tokens the verifier built and
 * every time for any other AccessToken (one a test or a bench built by hand).
 */
export function memoized<T>(
  token: AccessToken,
  slot: TokenMemoSlot<T>,
  derive: (token: AccessToken) => T,
): T {
  const memo = (token as { [MEMO]?: unknown[] })[MEMO];
  if (memo === undefined) return derive(token);
  let value = memo[slot.index] as T | undefined;
  if (value === undefined) {
    value = derive(token);
    memo[slot.index] = value;
  }
  return value;
}
