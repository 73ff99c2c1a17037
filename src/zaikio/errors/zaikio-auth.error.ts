export type ZaikioAuthErrorCode =
  | 'no_jwt_passed'
  | 'invalid_jwt'
  | 'jwt_expired'
  | 'unpermitted_audience'
  | 'unpermitted_scope'
  | 'unpermitted_subject'
  | 'unpermitted_role'
  | 'hub_unavailable';

const STATUS: Record<ZaikioAuthErrorCode, number> = {
  no_jwt_passed: 401,
  invalid_jwt: 401,
  jwt_expired: 401,
  unpermitted_audience: 401,
  unpermitted_scope: 403,
  unpermitted_subject: 403,
  unpermitted_role: 403,
  hub_unavailable: 503,
};

/** Seconds a client should wait before retrying while the hub's keys are unavailable. */
export const HUB_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * An authentication or authorization failure. `description` is a human sentence that must never
 * contain the token; `requiredScopes` feeds the RFC 6750 `scope` attribute.
 */
export class ZaikioAuthError extends Error {
  readonly status: number;

  constructor(
    readonly code: ZaikioAuthErrorCode,
    readonly description: string,
    readonly requiredScopes: readonly string[] = [],
  ) {
    super(`${code}: ${description}`);
    this.name = 'ZaikioAuthError';
    this.status = STATUS[code];
  }

  /** Zaikio's body shape: `{"errors": ["<code>", "<sentence>"]}`. */
  body(): { errors: [string, string] } {
    return { errors: [this.code, this.description] };
  }

  /**
   * Response headers: the RFC 6750 challenge for 401/403 and Retry-After for 503. A 401 also names
   * `resourceMetadata`, the RFC 9728 metadata URL, so a client learns where to get a token.
   */
  headers(realm: string, resourceMetadata?: string): Record<string, string> {
    if (this.code === 'hub_unavailable') {
      return { 'Retry-After': String(HUB_UNAVAILABLE_RETRY_AFTER_SECONDS) };
    }
    const parts = [`Bearer realm="${quote(realm)}"`];
    if (this.status === 401) {
      if (this.code !== 'no_jwt_passed') {
        parts.push('error="invalid_token"', `error_description="${quote(this.description)}"`);
      }
      if (resourceMetadata !== undefined) {
        parts.push(`resource_metadata="${quote(resourceMetadata)}"`);
      }
    } else if (this.code === 'unpermitted_scope') {
      parts.push(
        'error="insufficient_scope"',
        `error_description="${quote(this.description)}"`,
        `scope="${quote(this.requiredScopes.join(' '))}"`,
      );
    } else {
      // Wrong bearer type or role: no token would fix it by a scope, so no challenge is sent.
      return {};
    }
    return { 'WWW-Authenticate': parts.join(', ') };
  }
}

/** Header values must stay one quoted-string: drop quotes, backslashes and control characters. */
function quote(value: string): string {
  return [...value]
    .filter((char) => char !== '"' && char !== '\\' && char >= ' ' && char !== '\x7f')
    .join('');
}

export function invalidToken(description: string): ZaikioAuthError {
  return new ZaikioAuthError('invalid_jwt', description);
}
