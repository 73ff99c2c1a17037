import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidationFailedError } from './domain-errors';

/**
 * Rejects unknown fields, converts query strings where a DTO asks for it, and reports failures as
 * Zaikio's 422 `{"errors": {"<field>": ["…"]}}` (nested fields as `parent.child`).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // One message per field: the first rule it breaks, not every rule an absent value breaks.
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(collectFieldErrors(errors)),
  });
}

export function collectFieldErrors(
  errors: ValidationError[],
  prefix = '',
  into: Record<string, string[]> = {},
): Record<string, string[]> {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const messages = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(`property ${error.property} should not exist`)
        ? 'is not allowed'
        : message,
    );
    if (messages.length > 0) into[field] = [...(into[field] ?? []), ...messages];
    if (error.children?.length) collectFieldErrors(error.children, field, into);
  }
  return into;
}
