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

/** Socket errors of a connection attempt (pg's `connect`) or of a connection that broke. */
const UNREACHABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT', // the embedded database's socket file is gone (its process is restarting)
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const BROKEN_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);
/** SQLSTATEs of a server that is going away or not there yet. */
const SERVER_GONE_STATES = new Set(['57P01', '57P02', '57P03']);
/** pg reports a dropped connection and a pool that could not connect in time without a code. */
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];

interface SystemErrorFields {
  readonly code?: unknown;
  readonly syscall?: unknown;
  readonly message?: unknown;
}

/**
 * True when a query failed because the database could not be reached (down, restarting, network),
 * not because of the query: the caller may simply try again shortly.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, syscall, message } = error as SystemErrorFields;
  if (typeof code === 'string') {
    if (syscall === 'connect' && UNREACHABLE_SOCKET_CODES.has(code)) return true;
    if (BROKEN_SOCKET_CODES.has(code)) return true;
    // Class 08: connection exception.
    if (/^08[0-9A-Z]{3}$/.test(code) || SERVER_GONE_STATES.has(code)) return true;
  }
  return (
    typeof message === 'string' && PG_CONNECTION_MESSAGES.some((known) => message.startsWith(known))
  );
}
