import { Inject, Injectable } from '@nestjs/common';
import { ZaikioAuthError, invalidToken } from '../errors/zaikio-auth.error';
import { NoKeysLoadedError } from '../keys/hub-key-store';
import { ZaikioHubService } from '../hub-client/zaikio-hub.service';
import { decodeRoles } from '../roles/role-list';
import { REVOCATION_STORE, RevocationStore } from '../revocation/revocation-store';
import { ZAIKIO_AUTH_OPTIONS, ZaikioAuthOptions } from '../zaikio-auth.options';
import { AccessToken } from './access-token';
import { ClaimPolicy, validateClaims } from './claims';
import { parseAudience } from './grammar';
import { decodeJws, signatureMatches } from './jws';

export interface VerifiedToken {
  readonly token: AccessToken;
  /** False when the token carries roles but the hub's role list was never loaded. */
  readonly rolesKnown: boolean;
}

/** Turns a raw bearer token into a verified AccessToken, or throws a ZaikioAuthError. */
@Injectable()
export class TokenVerifier {
  private readonly policy: ClaimPolicy;

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
  }

  async verify(raw: string): Promise<VerifiedToken> {
    const jws = decodeJws(raw);
    const candidates = await this.hub.keys.candidates(jws.kid).catch((error: unknown) => {
      if (error instanceof NoKeysLoadedError) {
        throw new ZaikioAuthError(
          'hub_unavailable',
          'The Zaikio hub keys could not be loaded yet; please retry shortly.',
        );
      }
      throw error;
    });
    const key = candidates.find((candidate) => signatureMatches(jws, candidate));
    if (!key) {
      throw invalidToken(
        candidates.length === 0
          ? 'The access token names a key (kid) that the Zaikio hub does not publish.'
          : 'The access token signature does not verify with the Zaikio hub keys.',
      );
    }
    if (jws.kid === null) this.hub.keys.noteVerified(key);

    const claims = validateClaims(jws.payload, this.policy, Date.now() / 1000);
    if (claims.jti !== null && this.revocations.isRevoked(claims.jti)) {
      throw invalidToken('The access token has been revoked.');
    }
    const roleIds = this.hub.roles.value;
    const { subject } = claims;
    const token: AccessToken = {
      bearer: subject.bearer,
      onBehalfOf:
        subject.personId === null
          ? null
          : { id: subject.personId, roles: decodeRoles(claims.roleBits, roleIds ?? []) },
      audiences: claims.audiences,
      scopes: claims.scopes,
      jti: claims.jti,
      expiresAt: new Date(claims.expiresAt * 1000),
    };
    return { token, rolesKnown: roleIds !== null || claims.roleBits === 0 };
  }
}
