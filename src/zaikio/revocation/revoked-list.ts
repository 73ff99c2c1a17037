/** Parses `GET /api/v1/revoked_access_tokens`: `{"revoked_token_ids": ["<jti>", ...]}`. */
export function parseRevokedList(body: unknown): readonly string[] {
  const ids = (body as { revoked_token_ids?: unknown } | null)?.revoked_token_ids;
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
    throw new Error('revoked tokens body is not {"revoked_token_ids": [...]}');
  }
  return ids;
}
