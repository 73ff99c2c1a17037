import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { ZaikioAuthError } from '../errors/zaikio-auth.error';
import { assertBearerCharacters, bearerTokenFrom } from './bearer-header';

function requestWith(...headerLines: [string, string][]): IncomingMessage {
  const request = new IncomingMessage(new Socket());
  request.rawHeaders = headerLines.flat();
  return request;
}

function refusal(run: () => unknown): ZaikioAuthError {
  try {
    run();
  } catch (error) {
    if (error instanceof ZaikioAuthError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('bearerTokenFrom and assertBearerCharacters', () => {
  const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-_';

  it('hands out what follows "Bearer " in any letter case', () => {
    expect(bearerTokenFrom(requestWith(['Authorization', `Bearer ${token}`]))).toBe(token);
    expect(bearerTokenFrom(requestWith(['authorization', `bEARER ${token}`]))).toBe(token);
  });

  it.each([
    ['no header', [], 'no_jwt_passed', 'No Authorization header was sent.'],
    ['another scheme', [['Authorization', 'Basic dXNlcjpwYXNz']], 'no_jwt_passed', undefined],
    [
      'two headers',
      [
        ['Authorization', `Bearer ${token}`],
        ['authorization', `Bearer ${token}`],
      ],
      'invalid_jwt',
      'More than one Authorization header was sent.',
    ],
    [
      'a tab after the scheme',
      [['Authorization', `Bearer\t${token}`]],
      'invalid_jwt',
      'The Authorization header is not "Bearer <token>".',
    ],
    [
      'no token',
      [['Authorization', 'Bearer']],
      'invalid_jwt',
      'The Authorization header is not "Bearer <token>".',
    ],
    [
      'a space only',
      [['Authorization', 'Bearer ']],
      'invalid_jwt',
      'The Authorization header is not "Bearer <token>".',
    ],
  ] as [string, [string, string][], string, string | undefined][])(
    'refuses %s',
    (_name, headers, code, description) => {
      const error = refusal(() => bearerTokenFrom(requestWith(...headers)));
      expect(error.code).toBe(code);
      if (description) expect(error.description).toBe(description);
    },
  );

  it.each([
    ['a second space', ` ${token}`],
    ['a second scheme', `Bearer ${token}`],
    ['a parameter', `${token} realm="x"`],
    ['a tab inside', token.replace('.', '.\t')],
    ['a quote', `${token}"`],
  ])('leaves the characters to assertBearerCharacters, which refuses %s', (_name, value) => {
    expect(bearerTokenFrom(requestWith(['Authorization', `Bearer ${value}`]))).toBe(value);
    const error = refusal(() => assertBearerCharacters(value));
    expect([error.code, error.description]).toEqual([
      'invalid_jwt',
      'The Authorization header is not "Bearer <token>".',
    ]);
  });

  it('lets a b64token through, padding included', () => {
    expect(() => assertBearerCharacters(`${token}~+/==`)).not.toThrow();
  });
});
