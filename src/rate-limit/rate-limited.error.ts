import { DomainError } from '../common/domain-errors';

/** The caller used up its requests for this window: 429 with Zaikio's rate-limit headers. */
export class RateLimitedError extends DomainError {
  constructor(
    /** e.g. `600reqs/60s` */
    readonly rule: string,
    /** UNIX time (seconds) when the window resets. */
    readonly resetAt: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`rate limit ${rule} exceeded`);
    this.name = 'RateLimitedError';
  }

  body(): { errors: [string, string] } {
    return {
      errors: [
        'rate_limited',
        `Too many requests for this app and subject (limit ${this.rule}); retry in ` +
          `${this.retryAfterSeconds} s.`,
      ],
    };
  }

  headers(): Record<string, string> {
    return {
      'Retry-After': String(this.retryAfterSeconds),
      'RateLimit-Reset': String(this.resetAt),
      'RateLimit-Rule': this.rule,
    };
  }
}
