import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import type { Request } from 'express';
import { ZaikioAuthError, ZaikioAuthErrorCode } from '../errors/zaikio-auth.error';
import { formatScope } from '../token/access-token';
import { TokenVerifier, VerifiedToken } from '../token/token-verifier';
import { assertBearerCharacters, bearerTokenFrom } from './bearer-header';
import { CompiledRule, grantsScope, hasRole, matchesBearer } from './compiled-rule';
import { ACCESS_TOKEN_PROPERTY } from './decorators';
import { RouteRuleTable } from './route-rule-table';

/**
 * How a decision's token was verified: the seconds a full verification took (signature, claims,
 * revocation), FROM_CACHE when the verified-token cache answered, null when it never got that far.
 */
export type Verification = number | typeof FROM_CACHE | null;
export const FROM_CACHE = 'cache';

/**
 * Optional hook for metrics: provide one under ZAIKIO_AUTH_OBSERVER (from any global module) and
 * the guard reports every authentication decision to it.
 */
export interface ZaikioAuthObserver {
  /** `outcome` is 'ok' or the error code. */
  authenticated(outcome: 'ok' | ZaikioAuthErrorCode | 'error', verification: Verification): void;
}

export const ZAIKIO_AUTH_OBSERVER = Symbol('ZAIKIO_AUTH_OBSERVER');

const SCOPES_DOCS = 'https://docs.zaikio.com/guide/oauth/scopes.html';
type AuthRequest = Request & Record<string, unknown>;

/**
 * The global guard: every route needs a valid token unless it says @Public(); the route's
 * @ZaikioAccess rule (handler over class, compiled at boot) decides scope, bearer type and roles.
 *
 * A token found in the verified-token cache is decided without a promise: that is nearly every
 * request, and each promise hop costs more than the checks. A new token waits for its batch
 * (TokenVerifier).
 */
@Injectable()
export class ZaikioAuthGuard implements CanActivate {
  constructor(
    private readonly rules: RouteRuleTable,
    private readonly verifier: TokenVerifier,
    @Optional() @Inject(ZAIKIO_AUTH_OBSERVER) private readonly observer?: ZaikioAuthObserver,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return false;
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const rule = this.rules.ruleFor(context.getHandler(), context.getClass(), request.method);
    if (rule === null) return true;
    let raw: string;
    try {
      raw = bearerTokenFrom(request);
    } catch (error) {
      return this.refuse(error, null);
    }
    const started = performance.now();
    const verified = this.verifier.verifyNow(raw, assertBearerCharacters);
    if (verified instanceof Promise) {
      return verified.then(
        (token) => this.admit(request, rule, token, secondsSince(started)),
        (error: unknown) => this.refuse(error, secondsSince(started)),
      );
    }
    // A cache hit is counted apart: its microsecond would drown the real verification times.
    const verification = verified.fromCache ? FROM_CACHE : secondsSince(started);
    return this.admit(request, rule, verified, verification);
  }

  private admit(
    request: AuthRequest,
    rule: CompiledRule,
    verified: VerifiedToken,
    verification: Verification,
  ): true {
    try {
      authorize(rule, verified);
    } catch (error) {
      return this.refuse(error, verification);
    }
    request[ACCESS_TOKEN_PROPERTY] = verified.token;
    this.observer?.authenticated('ok', verification);
    return true;
  }

  private refuse(error: unknown, verification: Verification): never {
    const outcome = error instanceof ZaikioAuthError ? error.code : 'error';
    this.observer?.authenticated(outcome, verification);
    throw error;
  }
}

function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}

/** Scope, bearer type and roles of a verified token against the route's rule. */
function authorize(rule: CompiledRule, { token, rolesKnown }: VerifiedToken): void {
  if (!grantsScope(token.scopes, rule)) {
    const held = token.scopes.map(formatScope).join(', ') || 'none';
    throw new ZaikioAuthError(
      'unpermitted_scope',
      `This endpoint requires one of the following scopes: ${rule.scopes.join(', ')} but your ` +
        `access token only includes the following scopes: ${held} - For more information check ` +
        `our docs: ${SCOPES_DOCS}`,
      rule.scopes,
    );
  }
  if (!matchesBearer(token, rule)) {
    throw new ZaikioAuthError(
      'unpermitted_subject',
      `This endpoint requires a ${rule.bearer} token but your access token's bearer is ` +
        `${token.bearer.type === 'Organization' ? 'an Organization' : 'a Person'}.`,
    );
  }
  if (rule.roles.length > 0 && !rolesKnown) {
    throw new ZaikioAuthError(
      'hub_unavailable',
      'The Zaikio role list could not be loaded yet, so roles cannot be checked; please retry.',
    );
  }
  if (!hasRole(token, rule)) {
    const roles = token.onBehalfOf?.roles.join(', ') || 'none';
    throw new ZaikioAuthError(
      'unpermitted_role',
      `This endpoint requires the acting person to have one of the following roles: ` +
        `${rule.roles.join(', ')} but they have: ${roles}.`,
    );
  }
}
