import { ZaikioAuthError, invalidToken } from '../errors/zaikio-auth.error';
import { Audience, formatParty, Scope } from './access-token';
import {
  audienceAccepted,
  parseAudience,
  parseScope,
  parseSubject,
  ParsedSubject,
} from './grammar';

export interface ClaimPolicy {
  readonly acceptedAudiences: readonly Audience[];
  readonly allowPersonalTokens: boolean;
  readonly clockToleranceSeconds: number;
}

/** Claims after validation; roles stay a bitfield until the role list decodes them. */
export interface ValidatedClaims {
  readonly subject: ParsedSubject;
  readonly audiences: readonly Audience[];
  /** A private access token: `aud` empty or missing, or naming exactly the token's own bearer. */
  readonly personal: boolean;
  readonly scopes: readonly Scope[];
  readonly jti: string | null;
  readonly expiresAt: number;
  readonly roleBits: number;
}

const ISSUER = 'ZAI';
/** Seconds of the last instant a JavaScript Date can hold; later values cannot be a real time. */
const MAX_NUMERIC_DATE = 8_640_000_000_000;

function isNumericDate(value: unknown): value is number {
  return (
    typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_NUMERIC_DATE
  );
}

/**
 * Validates the claims of a token whose signature has already been verified. The order decides
 * which error a client sees: structure and issuer, then time, then audience.
 */
export function validateClaims(
  payload: Record<string, unknown>,
  policy: ClaimPolicy,
  nowSeconds: number,
): ValidatedClaims {
  if (payload.iss !== ISSUER) throw invalidToken('The access token was not issued by Zaikio.');
  const { exp, nbf, iat } = payload;
  if (!isNumericDate(exp)) throw invalidToken('The access token has no valid expiry (exp).');
  if (nbf !== undefined && !isNumericDate(nbf)) throw invalidToken('The nbf claim is invalid.');
  if (iat !== undefined && !isNumericDate(iat)) throw invalidToken('The iat claim is invalid.');
  const subject = typeof payload.sub === 'string' ? parseSubject(payload.sub) : null;
  if (!subject) throw invalidToken('The access token subject (sub) is not a Zaikio subject.');
  const scopes = parseScopes(payload.scope);
  const roleBits = parseRoles(payload.roles, subject);
  const jti = parseJti(payload.jti);
  const rawAudiences = audienceEntries(payload.aud);

  const tolerance = policy.clockToleranceSeconds;
  if (nbf !== undefined && nbf > nowSeconds + tolerance) {
    throw invalidToken('The access token is not valid yet (nbf).');
  }
  if (iat !== undefined && iat > nowSeconds + tolerance) {
    throw invalidToken('The access token claims to be issued in the future (iat).');
  }
  if (exp <= nowSeconds - tolerance) {
    throw new ZaikioAuthError('jwt_expired', 'The access token has expired.');
  }
  return {
    subject,
    ...checkAudience(rawAudiences, subject, policy),
    scopes,
    jti,
    expiresAt: exp,
    roleBits,
  };
}

function parseScopes(scope: unknown): Scope[] {
  if (scope === undefined) return [];
  if (!Array.isArray(scope) || !scope.every((entry) => typeof entry === 'string')) {
    throw invalidToken('The scope claim must be a list of strings.');
  }
  // Malformed entries are ignored, never partially matched.
  return scope.flatMap((entry: string) => parseScope(entry) ?? []);
}

function parseRoles(roles: unknown, subject: ParsedSubject): number {
  if (roles === undefined) return 0;
  if (typeof roles !== 'number' || !Number.isSafeInteger(roles) || roles < 0) {
    throw invalidToken('The roles claim must be a non-negative integer.');
  }
  // Only an on-behalf token names a person whose roles these could be.
  return subject.personId === null ? 0 : roles;
}

function parseJti(jti: unknown): string | null {
  if (jti === undefined) return null;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) {
    throw invalidToken('The jti claim is invalid.');
  }
  return jti;
}

function audienceEntries(aud: unknown): string[] {
  if (aud === undefined || aud === null) return [];
  if (typeof aud === 'string') return aud === '' ? [] : [aud];
  if (Array.isArray(aud) && aud.every((entry) => typeof entry === 'string')) return aud;
  throw invalidToken('The aud claim must be a string or a list of strings.');
}

/**
 * The audience decides what kind of token this is. An entry naming an accepted app makes it an app
 * token. Otherwise it is a private access token when `aud` is empty or every entry is exactly the
 * token's own bearer (as the hub issues them: `["Organization/<id>"]` for `Organization/<id>`);
 * an entry naming any other bearer, or a look-alike of this one, grants nothing.
 */
function checkAudience(
  entries: string[],
  subject: ParsedSubject,
  policy: ClaimPolicy,
): Pick<ValidatedClaims, 'audiences' | 'personal'> {
  const audiences = entries.flatMap((entry) => parseAudience(entry) ?? []);
  const accepted = audiences.some((audience) =>
    policy.acceptedAudiences.some((allowed) => audienceAccepted(audience, allowed)),
  );
  if (accepted) return { audiences, personal: false };
  const ownBearer = subject.personId === null ? formatParty(subject.bearer) : null;
  if (entries.every((entry) => entry === ownBearer)) {
    if (policy.allowPersonalTokens) return { audiences: [], personal: true };
    throw new ZaikioAuthError(
      'unpermitted_audience',
      'Private access tokens are not accepted by this server.',
    );
  }
  throw new ZaikioAuthError(
    'unpermitted_audience',
    'The access token was not issued for this app (aud).',
  );
}
