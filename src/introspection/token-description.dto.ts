import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import { PARTY_ID_PATTERN, SCOPE_PATTERN } from '../zaikio';

const PARTY_ID = { pattern: PARTY_ID_PATTERN, example: '6f2c3c8e-1d3a-4f0e-9a53-4d1f0c6b7a21' };

class BearerDto {
  @ApiProperty({ enum: ['Organization', 'Person'], example: 'Organization' })
  type!: 'Organization' | 'Person';

  @ApiProperty(PARTY_ID)
  id!: string;
}

interface OnBehalfOf {
  readonly type: 'Person';
  readonly id: string;
  readonly roles: readonly string[];
}

/**
 * Inline rather than a `$ref`: in OpenAPI 3.0 `nullable` only widens the `type` written beside it,
 * so `nullable` next to `allOf: [$ref]` still demands an object, and validators and generated
 * clients read it that way. A plain organization or person token answers null here.
 */
const ON_BEHALF_OF: SchemaObject = {
  type: 'object',
  nullable: true,
  description: 'The person an on-behalf token acts for; null for an organization or person token',
  required: ['type', 'id', 'roles'],
  example: { type: 'Person', id: '2c7b8ba5-3a4e-4b59-9c3b-6f1f0d0a8e11', roles: ['owner'] },
  properties: {
    type: { type: 'string', enum: ['Person'], example: 'Person' },
    id: { ...PARTY_ID, type: 'string', example: '2c7b8ba5-3a4e-4b59-9c3b-6f1f0d0a8e11' },
    roles: {
      type: 'array',
      items: { type: 'string' },
      example: ['owner'],
      description:
        "The acting person's roles in the organization, decoded with the hub's role list",
    },
  },
};

class AudienceDto {
  @ApiProperty({ example: 'warehouse' })
  app!: string;

  @ApiProperty({ type: String, nullable: true, example: 'prod' })
  credentials_name!: string | null;

  @ApiProperty({ example: 'warehouse/prod', description: 'As written in the token' })
  value!: string;
}

/** What the server understood of the caller's token (GET /api/v1/token). */
export class TokenDescriptionDto {
  @ApiProperty({ type: BearerDto })
  bearer!: BearerDto;

  // Always sent; `required` in the schema lists the object's own members, so say it separately.
  @ApiProperty({ ...ON_BEHALF_OF, selfRequired: true } as ApiPropertyOptions)
  on_behalf_of!: OnBehalfOf | null;

  @ApiProperty({
    type: [AudienceDto],
    example: [{ app: 'warehouse', credentials_name: null, value: 'warehouse' }],
  })
  audiences!: readonly AudienceDto[];

  @ApiProperty({
    example: false,
    description:
      'True for a private access token: its aud is empty or names the bearer itself, not an app',
  })
  personal!: boolean;

  @ApiProperty({
    type: 'string',
    isArray: true,
    pattern: SCOPE_PATTERN,
    example: ['warehouse.items.rw'],
    description: "The token's scopes in Zaikio's grammar; entries that do not fit it are ignored",
  })
  scopes!: readonly string[];

  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:00:00.000Z' })
  expires_at!: string;

  @ApiProperty({ type: String, nullable: true, example: '3c3e4b3c-0b0a-4a4a-9a0a-1a2b3c4d5e6f' })
  jti!: string | null;
}
