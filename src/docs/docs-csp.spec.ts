// Covers the docs' Content-Security-Policy: own files only, and the hub only for the token call.
import { docsContentSecurityPolicy } from './docs-csp';

describe('docsContentSecurityPolicy', () => {
  const directives = (hubUrl: string) =>
    Object.fromEntries(
      docsContentSecurityPolicy(hubUrl)
        .split('; ')
        .map((directive) => {
          const [name, ...values] = directive.split(' ');
          return [name, values];
        }),
    );

  it('lets Swagger UI reach this server and the hub’s origin, nothing else', () => {
    expect(directives('https://hub.sandbox.zaikio.com/')).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'connect-src': ["'self'", 'https://hub.sandbox.zaikio.com'],
      'frame-ancestors': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
    });
    expect(directives('http://127.0.0.1:3001/some/path')['connect-src']).toEqual([
      "'self'",
      'http://127.0.0.1:3001',
    ]);
  });
});
