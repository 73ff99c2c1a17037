/** Parses `GET /api/v1/roles`: an ordered list whose index i names bit i of a `roles` bitfield. */
export function parseRoleList(body: unknown): readonly string[] {
  if (!Array.isArray(body) || body.length === 0)
    throw new Error('roles body is not a non-empty list');
  return body.map((entry: unknown, index) => {
    const id = (entry as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || id === '')
      throw new Error(`roles entry ${index} has no string id`);
    return id;
  });
}

/** Role ids whose bits are set; bits beyond the list (roles newer than our copy) are skipped. */
export function decodeRoles(bits: number, roleIds: readonly string[]): string[] {
  const roles: string[] = [];
  // Safe integers have 53 bits; BigInt keeps bit tests exact beyond 32 of them.
  const field = BigInt(bits);
  roleIds.forEach((id, index) => {
    if ((field >> BigInt(index)) & 1n) roles.push(id);
  });
  return roles;
}
