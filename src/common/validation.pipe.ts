import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidationFailedError } from './domain-errors';
import { checkMembers, isDtoClass, isJsonObject } from './dto-members';

const NOT_ALLOWED = 'is not allowed';
/** The 422 for a body that is an array, a string, a number or null (field `body`). */
export const BODY_NOT_AN_OBJECT = 'must be a JSON object';

/**
 * Rejects unknown fields, converts query strings where a DTO asks for it, and reports failures as
 * Zaikio's 422 `{"errors": {"<field>": ["…"]}}` (nested fields as `parent.child`).
 */
export function createValidationPipe(): ValidationPipe {
  return new DtoValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // One message per field: the first rule it breaks, not every rule an absent value breaks.
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(collectFieldErrors(errors)),
  });
}

/**
 * Nest's ValidationPipe behind an own-member check (common/dto-members.ts): a member the DTO does
 * not declare is refused whatever its name, `__proto__` and `toString` included, for every DTO
 * argument (body, query, params). Nest's pipe then sees only declared members, and its errors for
 * them are reported together with the unknown ones. A DTO body must be a JSON object.
 */
class DtoValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom' || !isDtoClass(metadata.metatype)) {
      return super.transform(value, metadata);
    }
    // No body at all is an empty object (every required field missing), as Nest treats it.
    if (metadata.type === 'body' && value !== undefined && !isJsonObject(value)) {
      throw new ValidationFailedError({ body: [BODY_NOT_AN_OBJECT] });
    }
    const { unknown, known } = checkMembers(value, metadata.metatype);
    if (unknown.length === 0) return super.transform(value, metadata);
    const fields = new Map(unknown.map((path) => [path, [NOT_ALLOWED]]));
    try {
      await super.transform(known, metadata);
    } catch (error) {
      if (!(error instanceof ValidationFailedError)) throw error;
      for (const [field, messages] of Object.entries(error.fields)) fields.set(field, messages);
    }
    throw new ValidationFailedError(Object.fromEntries(fields));
  }
}

/**
 * class-validator's errors as `{"<field>": [messages]}`. Field names come from the client, so the
 * record is filled by own-property semantics (Map, then Object.fromEntries): a field named
 * `toString` or `__proto__` is a key like any other.
 */
export function collectFieldErrors(errors: ValidationError[]): Record<string, string[]> {
  const fields = new Map<string, string[]>();
  // Depth first, parents before children, without recursion; a stack, so pushed in reverse.
  const pending = errors.map((error) => ({ error, prefix: '' })).reverse();
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { error, prefix } = next;
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const messages = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(`property ${error.property} should not exist`) ? NOT_ALLOWED : message,
    );
    if (messages.length > 0) fields.set(field, [...(fields.get(field) ?? []), ...messages]);
    const children = error.children ?? [];
    for (let i = children.length - 1; i >= 0; i--)
      pending.push({ error: children[i], prefix: field });
  }
  return Object.fromEntries(fields);
}
