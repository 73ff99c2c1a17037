import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { RateLimitConfig } from '../config';
import {
  ACCESS_TOKEN_PROPERTY,
  AccessToken,
  formatAudience,
  memoized,
  TokenMemoSlot,
} from '../zaikio';
import { RateLimitedError } from './rate-limited.error';
import { RATE_LIMIT_STORE, RateLimitRecord, RateLimitStore } from './rate-limit-store';

export const RATE_LIMIT_CONFIG = Symbol('RATE_LIMIT_CONFIG');

/**
 * The store key, made once per verified token: a cached token comes back as the same AccessToken,
 * so a warm request reuses a string whose hash V8 already knows instead of building and hashing a
 * new one.
 */
const STORE_KEY = new TokenMemoSlot<string>('rate-limit store key');
const storeKey = (token: AccessToken): string => `ratelimit:default:${callerKey(token)}`;

/**
 * Rate limiting per calling app and subject (`<aud>/<sub>`), as Zaikio's gem does: one fixed
 * window per caller, RATE_LIMIT requests per RATE_LIMIT_WINDOW seconds. Registered as an APP_GUARD
 * after ZaikioAuthGuard, so it reads the verified token. Requests without one (public routes:
 * health, metrics, docs, the Loom webhook) are not limited: load balancers and Loom must always
 * get through, and failed authentications never reach this guard.
 *
 * Our own guard rather than @nestjs/throttler's: that one reads six metadata entries and awaits
 * five promises per request to support per-route overrides this app does not use (BENCHMARKS.md).
 * With the in-memory store a request is counted without any promise.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly windowMs: number;
  private readonly rule: string;
  constructor(
    @Inject(RATE_LIMIT_CONFIG) private readonly config: RateLimitConfig,
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
  ) {
    this.windowMs = config.windowSeconds * 1000;
    this.rule = `${config.limit}reqs/${config.windowSeconds}s`;
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const token = http.getRequest<Record<string, unknown>>()[ACCESS_TOKEN_PROPERTY] as
      AccessToken | undefined;
    if (token === undefined) return true;
    const key = memoized(token, STORE_KEY, storeKey);
    const record = this.store.increment(key, this.windowMs, this.config.limit);
    const response = http.getResponse<Response>();
    return record instanceof Promise
      ? record.then((answer) => this.decide(answer, response))
      : this.decide(record, response);
  }

  private decide(record: RateLimitRecord, response: Response): true {
    if (record.failedOpen) return true;
    const resetAt = Math.ceil(Date.now() / 1000) + record.timeToExpire;
    if (record.isBlocked) throw new RateLimitedError(this.rule, resetAt, record.timeToExpire);
    response.setHeader('RateLimit-Rule', this.rule);
    response.setHeader(
      'RateLimit-Remaining',
      String(Math.max(0, this.config.limit - record.totalHits)),
    );
    response.setHeader('RateLimit-Reset', String(resetAt));
    return true;
  }
}

/**
 * `<aud>/<sub>`: every audience of the token (sorted) and its full subject. Subjects always start
 * with `Person/` or `Organization/`, so different apps or subjects never share a key.
 */
export function callerKey(token: AccessToken): string {
  const audiences =
    token.audiences.length === 1
      ? formatAudience(token.audiences[0])
      : token.audiences.map(formatAudience).sort().join(',');
  const bearer = `${token.bearer.type}/${token.bearer.id}`;
  const subject = token.onBehalfOf ? `Person/${token.onBehalfOf.id}>${bearer}` : bearer;
  return `${audiences}/${subject}`;
}
