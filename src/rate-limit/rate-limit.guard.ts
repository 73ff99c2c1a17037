import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerRequest } from '@nestjs/throttler';
import type { Response } from 'express';
import { ACCESS_TOKEN_PROPERTY, AccessToken, formatAudience } from '../zaikio';
import { RateLimitedError } from './rate-limited.error';
import type { RateLimitRecord } from './redis-throttler-storage';

/**
 * Rate limiting per calling app and subject (`<aud>/<sub>`), as Zaikio's gem does. Registered as
 * an APP_GUARD after ZaikioAuthGuard, so it reads the verified token. Requests without one (public
 * routes: health, metrics, docs, the Loom webhook) are not limited: load balancers and Loom must
 * always get through, and failed authentications never reach this guard.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(tokenOf(context) === null);
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, throttler, blockDuration } = request;
    const token = tokenOf(context);
    if (token === null) return true;
    const key = `ratelimit:${throttler.name ?? 'default'}:${callerKey(token)}`;
    const record: RateLimitRecord = await this.storageService.increment(
      key,
      ttl,
      limit,
      blockDuration,
      throttler.name ?? 'default',
    );
    if (record.failedOpen) return true;
    const rule = `${limit}reqs/${Math.round(ttl / 1000)}s`;
    const resetAt = Math.ceil(Date.now() / 1000) + record.timeToExpire;
    if (record.isBlocked) {
      throw new RateLimitedError(rule, resetAt, Math.max(1, record.timeToBlockExpire));
    }
    context
      .switchToHttp()
      .getResponse<Response>()
      .set({
        'RateLimit-Rule': rule,
        'RateLimit-Remaining': String(Math.max(0, limit - record.totalHits)),
        'RateLimit-Reset': String(resetAt),
      });
    return true;
  }
}

function tokenOf(context: ExecutionContext): AccessToken | null {
  if (context.getType() !== 'http') return null;
  const request = context.switchToHttp().getRequest<Record<string, unknown>>();
  return (request[ACCESS_TOKEN_PROPERTY] as AccessToken | undefined) ?? null;
}

/**
 * `<aud>/<sub>`: every audience of the token (sorted) and its full subject. Subjects always start
 * with `Person/` or `Organization/`, so different apps or subjects never share a key.
 */
export function callerKey(token: AccessToken): string {
  const audiences = token.audiences.map(formatAudience).sort().join(',');
  const bearer = `${token.bearer.type}/${token.bearer.id}`;
  const subject = token.onBehalfOf ? `Person/${token.onBehalfOf.id}>${bearer}` : bearer;
  return `${audiences}/${subject}`;
}
