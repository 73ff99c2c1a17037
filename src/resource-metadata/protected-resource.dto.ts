import { ApiProperty } from '@nestjs/swagger';

/** RFC 9728 §2: OAuth 2.0 protected resource metadata, the members this server sends. */
export class ProtectedResourceMetadataDto {
  @ApiProperty({
    description: 'This resource server’s identifier: the origin it was reached at.',
    example: 'https://warehouse.example.com',
  })
  resource!: string;

  @ApiProperty({
    description: 'The Zaikio hub of the configured environment, which issues the tokens.',
    example: ['https://hub.sandbox.zaikio.com'],
    type: [String],
  })
  authorization_servers!: string[];

  @ApiProperty({
    description:
      'Scopes as a client requests them from the hub, with the bearer prefix (Org., Per.); ' +
      'one request holds scopes of one bearer kind only.',
    example: ['Org.warehouse.items.r', 'Per.warehouse.settings.r'],
    type: [String],
  })
  scopes_supported!: string[];

  @ApiProperty({
    description: 'Tokens go in the Authorization header only.',
    example: ['header'],
    type: [String],
  })
  bearer_methods_supported!: string[];

  @ApiProperty({
    description: 'Human-readable documentation.',
    example: 'https://warehouse.example.com/docs',
  })
  resource_documentation!: string;
}
