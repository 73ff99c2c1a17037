import { ApiProperty } from '@nestjs/swagger';

class BearerDto {
  @ApiProperty({ enum: ['Organization', 'Person'], example: 'Organization' })
  type!: 'Organization' | 'Person';

  @ApiProperty({ example: '6f2c3c8e-1d3a-4f0e-9a53-4d1f0c6b7a21' })
  id!: string;
}

class OnBehalfOfDto {
  @ApiProperty({ enum: ['Person'], example: 'Person' })
  type!: 'Person';

  @ApiProperty({ example: '2c7b8ba5-3a4e-4b59-9c3b-6f1f0d0a8e11' })
  id!: string;

  @ApiProperty({
    type: [String],
    example: ['owner'],
    description: "The acting person's roles in the organization, decoded with the hub's role list",
  })
  roles!: readonly string[];
}

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

  @ApiProperty({
    type: OnBehalfOfDto,
    nullable: true,
    description: 'The person an on-behalf token acts for; null otherwise',
  })
  on_behalf_of!: OnBehalfOfDto | null;

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

  @ApiProperty({ type: [String], example: ['warehouse.items.rw'] })
  scopes!: readonly string[];

  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:00:00.000Z' })
  expires_at!: string;

  @ApiProperty({ type: String, nullable: true, example: '3c3e4b3c-0b0a-4a4a-9a0a-1a2b3c4d5e6f' })
  jti!: string | null;
}
