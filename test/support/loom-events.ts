/**
 * Test data builder for Loom events: a revocation of `jti` in the shape Loom sends; `extra`
 * replaces or adds top-level members (another name, a broken payload, padding).
 */
export function revocationEvent(jti: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: `event-${jti}`,
    name: 'zaikio.revoked_access_token',
    subject: 'Org/org-1',
    timestamp: new Date().toISOString(),
    version: '1.0',
    payload: { access_token_id: jti },
    ...extra,
  });
}
