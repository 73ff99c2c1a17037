// Covers JWS decoding: only three-part RS256 tokens with JSON object parts and a sane signature.
import { generateKeyPairSync, sign } from 'node:crypto';
import { ZaikioAuthError } from '../errors/zaikio-auth.error';
import { decodeJws, signatureMatches } from './jws';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64 = (text: string) => Buffer.from(text).toString('base64url');

function signed(header: string, payload: string): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/** The token with its signature's first character spelt `+`: Node decodes it as `-` would be. */
function plusInSignature(token: string): string {
  const [header, body, signature] = token.split('.');
  return `${header}.${body}.+${signature.slice(1)}`;
}

function failure(token: string): string {
  try {
    decodeJws(token);
  } catch (error) {
    if (error instanceof ZaikioAuthError) return `${error.code}: ${error.description}`;
    throw error;
  }
  return 'decoded';
}

describe('decodeJws', () => {
  const payload = '{"iss":"ZAI","sub":"Organization/1"}';

  it('decodes a signed RS256 token and verifies it with the right key only', () => {
    const jws = decodeJws(signed('{"alg":"RS256","kid":"k1"}', payload));
    expect(jws.kid).toBe('k1');
    expect(jws.payload).toEqual({ iss: 'ZAI', sub: 'Organization/1' });
    expect(signatureMatches(jws, { kid: 'k1', key: publicKey })).toBe(true);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(signatureMatches(jws, { kid: 'k1', key: other })).toBe(false);
  });

  it.each(['none', 'None', 'NONE', 'HS256', 'RS512', 'PS256', 'ES256'])('refuses alg %s', (alg) => {
    expect(failure(signed(JSON.stringify({ alg }), payload))).toContain('RS256');
  });

  it.each([
    ['two parts', () => 'abc.def'],
    ['five parts', () => `${signed('{"alg":"RS256"}', payload)}.a.b`],
    ['trailing garbage', () => `${signed('{"alg":"RS256"}', payload)}!`],
    ['padding', () => `${signed('{"alg":"RS256"}', payload)}=`],
    ['header not JSON', () => signed('alg RS256', payload)],
    ['payload an array', () => signed('{"alg":"RS256"}', '[1]')],
    ['duplicate payload keys', () => signed('{"alg":"RS256"}', '{"sub":"a","sub":"b"}')],
    ['duplicate header keys', () => signed('{"alg":"RS256","alg":"none"}', payload)],
    [
      'a repeated name after nested values',
      () => signed('{"alg":"RS256"}', '{"a":[1,{"b":2}],"a":3}'),
    ],
    [
      'a repeated name spelled with an escape',
      () => signed('{"alg":"RS256"}', '{"sub":"a","s\\u0075b":"b"}'),
    ],
    ['a repeated __proto__', () => signed('{"alg":"RS256"}', '{"__proto__":1,"__proto__":2}')],
    ['kid not a string', () => signed('{"alg":"RS256","kid":7}', payload)],
    ['crit header', () => signed('{"alg":"RS256","crit":["exp"]}', payload)],
    ['short signature', () => `${b64('{"alg":"RS256"}')}.${b64(payload)}.AAAA`],
    [
      'an empty header',
      () => `.${signed('{"alg":"RS256"}', payload).split('.').slice(1).join('.')}`,
    ],
    ['an empty payload', () => signed('{"alg":"RS256"}', payload).replace(/\.[^.]+\./, '..')],
    ['an empty signature', () => `${signed('{"alg":"RS256"}', payload).replace(/\.[^.]+$/, '.')}`],
    ['four parts', () => `${signed('{"alg":"RS256"}', payload)}.`],
    ['standard base64 in the signature', () => plusInSignature(signed('{"alg":"RS256"}', payload))],
    ['a slash in the payload', () => `${signed('{"alg":"RS256"}', payload).replace('.', './')}`],
    ['a space inside', () => signed('{"alg":"RS256"}', payload).replace('.', '. ')],
    ['a non-ASCII letter', () => `${signed('{"alg":"RS256"}', payload)}é`],
  ])('refuses %s as invalid_jwt', (_name, build) => {
    expect(failure(build())).toMatch(/^invalid_jwt: /);
  });

  it('counts members right around commas and braces inside strings and nested values', () => {
    const text = '{"sub":"a,b}","q\\",":"{[,","scope":["x","y"],"o":{"a":1,"b":[2,3]},"e":{}}';
    const jws = decodeJws(signed('{"alg":"RS256"}', text));
    expect(jws.payload).toEqual(JSON.parse(text));
  });

  it('allows the same member name inside nested objects', () => {
    const jws = decodeJws(signed('{"alg":"RS256"}', '{"a":{"x":1},"b":{"x":2}}'));
    expect(jws.payload).toEqual({ a: { x: 1 }, b: { x: 2 } });
  });
});
