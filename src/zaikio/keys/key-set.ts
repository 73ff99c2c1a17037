import { createPublicKey, KeyObject } from 'node:crypto';

export interface VerificationKey {
  /** The published `kid`, or null when the hub publishes a key without one. */
  readonly kid: string | null;
  /** Imported once when the key set is loaded: verification never parses key material. */
  readonly key: KeyObject;
}

export interface KeySet {
  readonly keys: readonly VerificationKey[];
  readonly byKid: ReadonlyMap<string, VerificationKey>;
}

const MIN_MODULUS_BITS = 2048;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses `GET /api/v1/jwt_public_keys` into imported keys. Only RSA signature keys usable with
 * RS256 are kept; a body without a single usable key is an error, so an empty or broken answer
 * never replaces a good key set.
 */
export function parseKeySet(body: unknown): KeySet {
  if (!isRecord(body) || !Array.isArray(body.keys)) {
    throw new Error('key set body is not {"keys": [...]}');
  }
  const keys: VerificationKey[] = [];
  const byKid = new Map<string, VerificationKey>();
  for (const jwk of body.keys) {
    const key = importSigningKey(jwk);
    if (!key || (key.kid !== null && byKid.has(key.kid))) continue;
    keys.push(key);
    if (key.kid !== null) byKid.set(key.kid, key);
  }
  if (keys.length === 0) throw new Error('key set holds no usable RS256 signing key');
  return { keys, byKid };
}

function importSigningKey(jwk: unknown): VerificationKey | null {
  if (!isRecord(jwk) || jwk.kty !== 'RSA') return null;
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') return null;
  // A key published for encryption or for another algorithm must never verify our tokens.
  if (jwk.use !== undefined && jwk.use !== 'sig') return null;
  if (jwk.alg !== undefined && jwk.alg !== 'RS256') return null;
  if (jwk.kid !== undefined && typeof jwk.kid !== 'string') return null;
  try {
    const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_MODULUS_BITS) return null;
    return { kid: typeof jwk.kid === 'string' ? jwk.kid : null, key };
  } catch {
    return null;
  }
}
