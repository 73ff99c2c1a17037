import { Claims, PRIVATE_ACCESS_TOKEN_TTL_SECONDS } from '../../src/hub/claims';
import { MintOptions } from '../../src/hub/keyring';
import { StandInHub } from '../../src/hub/stand-in-hub';

interface BuilderState {
  readonly claims: Readonly<Partial<Claims>>;
  readonly options: Readonly<MintOptions>;
  /** Seconds from mint time; resolved at mint() so a builder can be reused later. */
  readonly expiresIn: number | null;
  readonly roleIds: readonly string[] | null;
  /** A private access token: `aud` is set to the bearer (`sub`) at mint(). */
  readonly personal: boolean;
}

/**
 * An immutable test data builder for Zaikio access tokens: every call returns a new builder, so a
 * base like `tokens(hub).organization('org-1')` can be shared between tests.
 */
export class TokenBuilder {
  constructor(
    private readonly hub: StandInHub,
    private readonly state: BuilderState,
  ) {}

  organization(id: string): TokenBuilder {
    return this.claim('sub', `Organization/${id}`);
  }

  person(id: string): TokenBuilder {
    return this.claim('sub', `Person/${id}`);
  }

  /** `Person/<personId>>Organization/<orgId>`: the organization bears, the person acts. */
  onBehalf(personId: string, orgId: string): TokenBuilder {
    return this.claim('sub', `Person/${personId}>Organization/${orgId}`);
  }

  /** Role ids, turned into the hub's bitfield at mint(); unknown ids throw there. */
  roles(...roleIds: string[]): TokenBuilder {
    return this.with({ roleIds });
  }

  scopes(...scopes: string[]): TokenBuilder {
    return this.claim('scope', scopes);
  }

  audience(audience: string): TokenBuilder {
    return this.claim('aud', [audience]);
  }

  audiences(audiences: string[]): TokenBuilder {
    return this.claim('aud', audiences);
  }

  /** A private access token as the hub makes them: aud = its own bearer, valid a year. */
  privateAccessToken(): TokenBuilder {
    return this.with({ personal: true, expiresIn: PRIVATE_ACCESS_TOKEN_TTL_SECONDS });
  }

  /** Negative values mint an expired token. */
  expiresIn(seconds: number): TokenBuilder {
    return this.with({ expiresIn: seconds });
  }

  notBefore(epochSeconds: number): TokenBuilder {
    return this.claim('nbf', epochSeconds);
  }

  jti(id: string): TokenBuilder {
    return this.claim('jti', id);
  }

  withoutKid(): TokenBuilder {
    return this.with({ options: { ...this.state.options, includeKid: false } });
  }

  /** Sign with (and name) this published key instead of the signing key. */
  signedWith(kid: string): TokenBuilder {
    return this.with({ options: { ...this.state.options, kid } });
  }

  /** Raw override of any claim, with any value; `undefined` drops the claim. */
  claim(name: string, value: unknown): TokenBuilder {
    const claims = { ...this.state.claims, [name]: value };
    // An explicit exp/roles wins over expiresIn()/roles().
    if (name === 'exp') return this.with({ claims, expiresIn: null });
    if (name === 'roles') return this.with({ claims, roleIds: null });
    return this.with({ claims });
  }

  /** Extra or overriding JWS header fields; `undefined` drops one. */
  header(header: Record<string, unknown>): TokenBuilder {
    const merged = { ...this.state.options.header, ...header };
    return this.with({ options: { ...this.state.options, header: merged } });
  }

  /** The claims mint() will pass to the hub (defaults for iss, jti, nbf, exp filled in there). */
  claims(): Partial<Claims> {
    const claims: Partial<Claims> = { ...this.state.claims };
    if (this.state.expiresIn !== null) {
      claims.exp = Math.floor(Date.now() / 1000) + this.state.expiresIn;
    }
    if (this.state.roleIds !== null) claims.roles = this.hub.roleBits(this.state.roleIds);
    if (this.state.personal) claims.aud = [claims.sub];
    return claims;
  }

  mint(): string {
    return this.hub.mint(this.claims(), this.state.options);
  }

  private with(change: Partial<BuilderState>): TokenBuilder {
    return new TokenBuilder(this.hub, { ...this.state, ...change });
  }
}

/** Defaults: sub Organization/org-1, scope [], aud ['warehouse'], valid for an hour. */
export function tokens(hub: StandInHub): TokenBuilder {
  return new TokenBuilder(hub, {
    claims: { sub: 'Organization/org-1', scope: [], aud: ['warehouse'] },
    options: {},
    expiresIn: null,
    roleIds: null,
    personal: false,
  });
}
