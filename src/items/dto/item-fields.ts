import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Max, Min, NotContains, ValidateIf } from 'class-validator';
import { ITEM_UNITS } from '../../database';

/** Any text without NUL (PostgreSQL text cannot store it). */
const NO_NUL_PATTERN = '^[^\\u0000]*$';

/**
 * One definition per field, shared by the create and update DTOs so the rules cannot drift apart.
 * `required: false` is for PATCH: the field may be absent, but not null.
 */
interface FieldOptions {
  readonly required: boolean;
}

// Largest value of a PostgreSQL integer column: larger quantities would fail in SQL, not here.
const MAX_QUANTITY = 2_147_483_647;

/** What the fields accept, as the API document states it for requests and responses alike. */
export const SKU_SCHEMA = {
  example: 'PAPER-A4-80G',
  minLength: 1,
  maxLength: 64,
  pattern: NO_NUL_PATTERN,
} as const;
export const NAME_SCHEMA = {
  example: 'A4 copy paper, 80 g/m²',
  minLength: 1,
  maxLength: 200,
  pattern: NO_NUL_PATTERN,
} as const;
export const QUANTITY_SCHEMA = {
  example: 500,
  type: 'integer',
  format: 'int32',
  minimum: 0,
  maximum: MAX_QUANTITY,
} as const;
export const UNIT_SCHEMA = { example: 'sheets', enum: [...ITEM_UNITS] };

/** Absent (undefined) skips validation; null is validated, and so rejected. */
function optionalButNotNull(): PropertyDecorator {
  return ValidateIf((_object: unknown, value: unknown) => value !== undefined);
}

function presence({ required }: FieldOptions): PropertyDecorator[] {
  return required ? [] : [optionalButNotNull()];
}

/** PostgreSQL text cannot store NUL; reject it here instead of failing in SQL. */
const noNul = () => NotContains('\u0000', { message: '$property must not contain NUL characters' });

export const SkuField = (options: FieldOptions) =>
  applyDecorators(
    ApiProperty({ ...SKU_SCHEMA, ...options }),
    ...presence(options),
    IsString(),
    Length(1, 64),
    noNul(),
  );

export const NameField = (options: FieldOptions) =>
  applyDecorators(
    ApiProperty({ ...NAME_SCHEMA, ...options }),
    ...presence(options),
    IsString(),
    Length(1, 200),
    noNul(),
  );

export const QuantityField = (options: FieldOptions) =>
  applyDecorators(
    ApiProperty({ ...QUANTITY_SCHEMA, ...options }),
    ...presence(options),
    // IsInt accepts numbers only: "5", 1.5 and true are rejected, not converted.
    IsInt(),
    Min(0),
    Max(MAX_QUANTITY),
  );

export const UnitField = (options: FieldOptions) =>
  applyDecorators(
    ApiProperty({ ...UNIT_SCHEMA, ...options }),
    ...presence(options),
    IsIn(ITEM_UNITS),
  );
