/**
 * Errors services throw. One exception filter (common/http-exception.filter.ts) maps them to the
 * wire shapes, so services never know about HTTP.
 */
export abstract class DomainError extends Error {}

/** The resource does not exist for this caller (also used for other tenants' resources). */
export class NotFoundError extends DomainError {
  constructor(readonly resource: string) {
    super(`${resource} not found`);
    this.name = 'NotFoundError';
  }
}

/** Field-level validation failure: becomes 422 {"errors": {"<field>": ["…"]}}. */
export class ValidationFailedError extends DomainError {
  constructor(readonly fields: Record<string, string[]>) {
    super(`validation failed on ${Object.keys(fields).join(', ')}`);
    this.name = 'ValidationFailedError';
  }
}
