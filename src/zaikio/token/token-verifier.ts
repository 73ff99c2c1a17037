import { Inject, Injectable } from '@nestjs/common';
import { verify as verifySignature } from 'node:crypto';
import { ZaikioAuthError, invalidToken } from '../errors/zaikio-auth.error';
import { NoKeysLoadedError } from '../keys/hub-key-store';
import { VerificationKey } from '../keys/key-set';
import { ZaikioHubService } from '../hub-client/zaikio-hub.service';
import { decodeRoles } from '../roles/role-list';
import { REVOCATION_STORE, RevocationStore } from '../revocation/revocation-store';
import { ZAIKIO_AUTH_OPTIONS, ZaikioAuthOptions } from '../zaikio-auth.options';
import { AccessToken } from './access-token';
import { ClaimPolicy, ValidatedClaims, validateClaims } from './claims';
import { parseAudience } from './grammar';
import { DecodedJws, decodeJws, MAX_TOKEN_LENGTH } from './jws';
import { withMemo } from './token-memo';
import { tokenDigest, VerifiedEntry, VerifiedTokenCache } from './verified-token-cache';

export interface VerifiedToken {
  readonly token: AccessToken;
  /** False when the token carries roles but the hub's role list was never loaded. */
  readonly rolesKnown: boolean;
  /** True when the verified-token cache answered (no signature or claims checked this time). */
  readonly fromCache: boolean;
}

/**
 * RSASSA-PKCS1-v1_5 with SHA-256 against an imported key, on the event loop. Handing it to libuv's
 * thread pool instead cost more CPU than it moved: ~17.5 µs of RSA arithmetic per new token
 * against 4-9 µs of hand-off and wake-ups around it (BENCHMARKS.md), and new tokens are the
 * exception: a token is reused for its hour.
 */
function signatureMatches(jws: DecodedJws, key: VerificationKey): boolean {
  return verifySignature('sha256', jws.signingInput, key.key, jws.signature);
}

/**
 * New tokens verified together: every token decoded in one turn of the event loop is queued, and
 * the queue is verified back to back at the next check phase (setImmediate).
 *
 * Why: one RS256 verification took 25-28 µs in a tight loop but 70-73 µs with the caches evicted
 * in between, and between two new tokens a server otherwise runs a whole request (BENCHMARKS.md).
 * In a batch only the first pays the misses, and the requests' remaining work then runs back to
 * back too. Under load the cold route went from ~3 700 to ~6 600 req/s; a lone token waits for the
 * current turn to finish, as any I/O callback would.
 */
class VerificationBatch {
  private queue: Array<() => void> = [];

  verify(jws: DecodedJws, check: (jws: DecodedJws) => VerifiedEntry | Promise<VerifiedEntry>) {
    return new Promise<VerifiedEntry>((resolve, reject) => {
      this.queue.push(() => {
        try {
          resolve(check(jws));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      if (this.queue.length === 1) setImmediate(() => this.run());
    });
  }

  private run(): void {
    const jobs = this.queue;
    this.queue = [];
    for (const job of jobs) job();
  }
}

/** The first of `candidates` not yet in `tried` that the signature verifies with; adds each tried. */
function firstMatching(
  jws: DecodedJws,
  candidates: readonly VerificationKey[],
  tried: Set<VerificationKey>,
): VerificationKey | undefined {
  for (const candidate of candidates) {
    if (tried.has(candidate)) continue;
    tried.add(candidate);
    if (signatureMatches(jws, candidate)) return candidate;
  }
  return undefined;
}

/**
 * Turns a raw bearer token into a verified AccessToken, or throws a ZaikioAuthError.
 *
 * Tokens are used many times within their hour, so a token whose signature and claims verified is
 * remembered (bounded, keyed by its SHA-256) once it verified a second time. A later request with
 * the same token skips only the signature and the claim parsing; expiry, revocation and the
 * signing key are checked again every time, and scope, bearer and roles are the guard's business
 * on every request anyway.
 */
@Injectable()
export class TokenVerifier {
  private readonly policy: ClaimPolicy;
  private readonly cache = new VerifiedTokenCache();
  private readonly newTokens = new VerificationBatch();
  /**
   * What a cache hit handed out, per cached claims: shared by the requests of that token (frozen),
   * so a hit allocates nothing. Weak, so it goes when the cache drops the entry.
   */
  private readonly built = new WeakMap<
    ValidatedClaims,
    { readonly roleIds: readonly string[] | null; readonly verified: VerifiedToken }
  >();

  constructor(
    @Inject(ZAIKIO_AUTH_OPTIONS) options: ZaikioAuthOptions,
    private readonly hub: ZaikioHubService,
    @Inject(REVOCATION_STORE) private readonly revocations: RevocationStore,
  ) {
    this.policy = {
      acceptedAudiences: options.audiences.map((entry) => {
        const audience = parseAudience(entry);
        if (!audience) throw new Error(`accepted audience "${entry}" is not app or app/cred`);
        return audience;
      }),
      allowPersonalTokens: options.personalTokens === 'allow',
      clockToleranceSeconds: options.clockToleranceSeconds,
    };
    // A key leaving the published set takes every token it verified with it.
    hub.keys.onKeysLoaded((keys) => this.cache.retainKeys(keys.keys));
  }

  async verify(raw: string): Promise<VerifiedToken> {
    return this.verifyNow(raw);
  }

  /**
   * verify() for the hot path: a cached, still valid token is answered at once, without a promise
   * (each promise hop costs more than the checks themselves). A new token is decoded at once and
   * verified with the other new tokens of this turn of the event loop (VerificationBatch). Never
   * throws: a refusal is a rejected promise.
   *
   * `checkUnknown` runs on a token the cache does not answer for and that cannot be decoded, and
   * its refusal is the one reported: the guard's check of the header's characters, which says
   * more about a mangled header than the decoder would. A decodable token has passed it already
   * (decoding accepts a subset of its characters), so it is not run again.
   */
  verifyNow(
    raw: string,
    checkUnknown?: (raw: string) => void,
  ): VerifiedToken | Promise<VerifiedToken> {
    // Over-long tokens are refused by decodeJws before any work, hashing included.
    const digest = raw.length <= MAX_TOKEN_LENGTH ? tokenDigest(raw) : null;
    if (digest !== null) {
      const cached = this.cache.get(digest);
      if (cached !== undefined) {
        if (this.stillValid(cached)) return this.toVerified(cached.claims, true);
        // Expired, revoked or its key unpublished: the full check below says which, as before.
        this.cache.delete(digest);
      }
    }
    let entry: Promise<VerifiedEntry>;
    try {
      let jws: DecodedJws;
      try {
        jws = decodeJws(raw);
      } catch (error) {
        checkUnknown?.(raw);
        throw error;
      }
      entry = this.newTokens.verify(jws, (decoded) => {
        const tried = new Set<VerificationKey>();
        const key = this.firstLoadedVerifying(decoded, tried);
        return key ? this.accept(decoded, key) : this.verifyAfterMiss(decoded, tried);
      });
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const remember = (verified: VerifiedEntry): VerifiedToken => {
      if (digest !== null) this.cache.offer(digest, verified);
      return this.toVerified(verified.claims, false);
    };
    return entry.then(remember);
  }

  /** The checks a cached verification cannot answer for: time passes, revocations and keys change. */
  private stillValid({ key, claims }: VerifiedEntry): boolean {
    const nowSeconds = Date.now() / 1000;
    // The same rule as validateClaims: expired once exp <= now - tolerance.
    if (claims.expiresAt <= nowSeconds - this.policy.clockToleranceSeconds) return false;
    if (claims.jti !== null && this.revocations.isRevoked(claims.jti)) return false;
    return this.hub.keys.isPublished(key);
  }

  /**
   * No loaded key verified the token (or none was loaded yet). Signed by a key published since our
   * last fetch? An unknown kid (nothing tried) or a kid-less token asks for a (throttled) refetch,
   * then tries only the keys that fetch brought: unchanged keys keep their objects (see
   * HubKeyStore). A known kid that does not verify is just forged.
   */
  private async verifyAfterMiss(
    jws: DecodedJws,
    tried: Set<VerificationKey>,
  ): Promise<VerifiedEntry> {
    // Waits for the first key set when none was loaded; skips the keys already tried.
    let key = await this.firstVerifying(jws, tried);
    const mayBeNewKey = jws.kid === null || tried.size === 0;
    if (!key && mayBeNewKey && (await this.hub.keys.refetchAfterMiss())) {
      key = await this.firstVerifying(jws, tried);
    }
    if (!key) {
      throw invalidToken(
        tried.size === 0
          ? 'The access token names a key (kid) that the Zaikio hub does not publish.'
          : 'The access token signature does not verify with the Zaikio hub keys.',
      );
    }
    return this.accept(jws, key);
  }

  /** The signature verified with `key`: now the claims and revocation decide. */
  private accept(jws: DecodedJws, key: VerificationKey): VerifiedEntry {
    if (jws.kid === null) this.hub.keys.noteVerified(key);
    const claims = validateClaims(jws.payload, this.policy, Date.now() / 1000);
    if (claims.jti !== null && this.revocations.isRevoked(claims.jti)) {
      throw invalidToken('The access token has been revoked.');
    }
    return { key, claims };
  }

  /** Like firstVerifying, among the keys already loaded, without waiting (none when none are). */
  private firstLoadedVerifying(
    jws: DecodedJws,
    tried: Set<VerificationKey>,
  ): VerificationKey | undefined {
    return firstMatching(jws, this.hub.keys.loadedCandidates(jws.kid) ?? [], tried);
  }

  /** The first key not yet in `tried` that the signature verifies with; adds each one tried. */
  private async firstVerifying(
    jws: DecodedJws,
    tried: Set<VerificationKey>,
  ): Promise<VerificationKey | undefined> {
    const candidates = await this.hub.keys.candidates(jws.kid).catch((error: unknown) => {
      if (error instanceof NoKeysLoadedError) {
        throw new ZaikioAuthError(
          'hub_unavailable',
          'The Zaikio hub keys could not be loaded yet; please retry shortly.',
        );
      }
      throw error;
    });
    return firstMatching(jws, candidates, tried);
  }

  private toVerified(claims: ValidatedClaims, fromCache: boolean): VerifiedToken {
    // Roles are decoded against the hub's current role list, which may have changed since the
    // token was cached; a hit under the same list reuses what the previous hit built.
    const roleIds = this.hub.roles.value;
    const built = this.built.get(claims);
    if (fromCache && built !== undefined && built.roleIds === roleIds) return built.verified;
    const { subject } = claims;
    const token: AccessToken = Object.freeze(
      withMemo({
        bearer: subject.bearer,
        onBehalfOf:
          subject.personId === null
            ? null
            : Object.freeze({
                id: subject.personId,
                roles: Object.freeze(decodeRoles(claims.roleBits, roleIds ?? [])),
              }),
        audiences: claims.audiences,
        personal: claims.personal,
        scopes: claims.scopes,
        jti: claims.jti,
        expiresAt: new Date(claims.expiresAt * 1000),
      }),
    );
    const rolesKnown = roleIds !== null || claims.roleBits === 0;
    if (!fromCache) return { token, rolesKnown, fromCache };
    const verified: VerifiedToken = Object.freeze({ token, rolesKnown, fromCache });
    this.built.set(claims, { roleIds, verified });
    return verified;
  }
}
