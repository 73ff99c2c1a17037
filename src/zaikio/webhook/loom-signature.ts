import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE = /^[0-9a-f]{64}$/;

/**
 * Loom signs the raw body: `X-Loom-Signature` is the lower-case hex HMAC-SHA256 of it under the
 * shared secret. Anything but exactly that (upper case, truncated, padded) is refused, and the
 * comparison takes the same time wherever the first differing byte is.
 */
export function loomSignatureValid(
  secret: string,
  rawBody: Buffer,
  header: string | undefined,
): boolean {
  if (header === undefined || !SIGNATURE.test(header)) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(header, 'hex'));
}

export function loomSignature(secret: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}
