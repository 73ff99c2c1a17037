import { KeyObject, sign } from 'node:crypto';

/** base64url without padding, as JWS compact serialization wants it. */
export function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/**
 * Signs `base64url(header).base64url(payload)` with RS256 (RSASSA-PKCS1-v1_5 + SHA-256). The JSON
 * strings are encoded verbatim, so callers can craft duplicate keys or malformed claims.
 */
export function signCompact(headerJson: string, payloadJson: string, key: KeyObject): string {
  const signingInput = `${base64url(headerJson)}.${base64url(payloadJson)}`;
  const signature = sign('sha256', Buffer.from(signingInput), key);
  return `${signingInput}.${base64url(signature)}`;
}
