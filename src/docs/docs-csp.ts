/**
 * The Content-Security-Policy of everything under /docs: Swagger UI and its redirect page load
 * only this server's files (swagger-ui-dist, no CDN), Swagger UI's inline styles and SVG data
 * images render, and it may talk to this server (Try it out) and to the hub's token endpoint (the
 * code exchange after signing in). The sign-in page itself opens in a window of its own, which
 * this policy does not govern. Nothing frames the docs, posts forms from them or rewrites `base`.
 */
export function docsContentSecurityPolicy(hubUrl: string | null): string {
  const hub = hubUrl === null ? '' : ` ${new URL(hubUrl).origin}`;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self'${hub}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
