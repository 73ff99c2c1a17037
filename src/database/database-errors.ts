/**
 * PostgreSQL error codes arrive as `code` on the errors of both engines (pg's DatabaseError and
 * PGlite's copy of it), so checks here work the same for both.
 */
const UNIQUE_VIOLATION = '23505';

interface PostgresErrorFields {
  readonly code?: unknown;
  readonly constraint?: unknown;
}

/** True for a unique violation, optionally of one named constraint only. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const fields = error as PostgresErrorFields;
  if (fields.code !== UNIQUE_VIOLATION) return false;
  return constraint === undefined || fields.constraint === constraint;
}
