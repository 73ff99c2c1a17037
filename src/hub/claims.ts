import { randomUUID } from 'node:crypto';

/** A role as `GET /api/v1/roles` lists it. */
export interface HubRole {
  readonly id: string;
  readonly name: string;
}

/** The roles seen on the real hub, in its order: the order defines the `roles` bitfield. */
export const DEFAULT_ROLES: readonly HubRole[] = [
  { id: 'owner', name: 'Owner' },
  { id: 'admin', name: 'Admin' },
  { id: 'member', name: 'Member' },
  { id: 'purchaser', name: 'Purchaser' },
  { id: 'production_planner', name: 'Production Planner' },
  { id: 'customer_service_representative', name: 'Customer Service Representative' },
  { id: 'sales_representative', name: 'Sales Representative' },
  { id: 'designer', name: 'Designer' },
  { id: 'developer', name: 'Developer' },
];

/** The claims of a well-formed Zaikio access token, as the real hub issues them. */
export interface ZaikioClaims {
  iss: string;
  sub: string;
  aud: string[];
  jti: string;
  nbf: number;
  exp: number;
  scope: string[];
  jku?: string;
  roles?: number;
}

/**
 * What the minting functions accept. Every claim may hold any value, because tests craft wrong
 * types on purpose; a claim set to `undefined` is left out of the token.
 */
export type Claims = { [K in keyof ZaikioClaims]: unknown } & Record<string, unknown>;

/** Fills in what a real hub token always carries; explicit values (even `undefined`) win. */
export function withDefaults(claims: Partial<Claims>, nowSeconds: number): Partial<Claims> {
  return {
    iss: 'ZAI',
    sub: `Organization/${randomUUID()}`,
    aud: ['warehouse'],
    jti: randomUUID(),
    nbf: nowSeconds - 5,
    exp: nowSeconds + 3600,
    scope: [],
    ...claims,
  };
}

/** A private access token lives about a year (the hub's UI offers up to that). */
export const PRIVATE_ACCESS_TOKEN_TTL_SECONDS = 365 * 24 * 60 * 60;

/**
 * The claims of a private access token as the real hub issues them (tokens recorded in the test
 * fixtures of Zaikio's client gems): `aud` is the bearer itself, the same as `sub`.
 */
export function privateAccessTokenClaims(
  bearer: `Organization/${string}` | `Person/${string}`,
  scope: readonly string[],
  nowSeconds: number,
): Partial<Claims> {
  return {
    sub: bearer,
    aud: [bearer],
    scope: [...scope],
    nbf: nowSeconds - 5,
    exp: nowSeconds + PRIVATE_ACCESS_TOKEN_TTL_SECONDS,
  };
}

/** Bit i stands for roles[i]; unknown ids throw so a typo cannot silently mint "no roles". */
export function roleBitsFor(roles: readonly HubRole[], roleIds: readonly string[]): number {
  let bits = 0;
  for (const id of new Set(roleIds)) {
    const index = roles.findIndex((role) => role.id === id);
    if (index < 0) {
      throw new Error(`Unknown role "${id}"; known: ${roles.map((r) => r.id).join(', ')}`);
    }
    bits += 2 ** index;
  }
  return bits;
}

export function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
