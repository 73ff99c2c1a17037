// Covers Loom webhook signatures: exact lower-case hex HMAC-SHA256 of the raw body, nothing else.
import { loomSignature, loomSignatureValid } from './loom-signature';

const secret = 'test-secret';
const body = Buffer.from(
  '{"name":"zaikio.revoked_access_token","payload":{"access_token_id":"j"}}',
);

describe('loomSignatureValid', () => {
  const good = loomSignature(secret, body);

  it('accepts the signature of the exact body', () => {
    expect(loomSignatureValid(secret, body, good)).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['upper-case hex', good.toUpperCase()],
    ['truncated', good.slice(0, 63)],
    ['padded', `${good}0`],
    ['other secret', loomSignature('other', body)],
    ['empty', ''],
  ])('refuses a %s signature', (_name, header) => {
    expect(loomSignatureValid(secret, body, header)).toBe(false);
  });

  it('refuses a body altered after signing', () => {
    const altered = Buffer.from(body.toString().replace('"j"', '"k"'));
    expect(loomSignatureValid(secret, altered, good)).toBe(false);
  });
});
