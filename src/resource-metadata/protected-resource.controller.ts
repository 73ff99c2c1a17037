import { Controller, Get, Header, Inject, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RouteAccessExplorer, requestableScopes } from '../docs';
import { Public, ZAIKIO_AUTH_OPTIONS, ZaikioAuthOptions } from '../zaikio';
import { ProtectedResourceMetadataDto } from './protected-resource.dto';
import { PROTECTED_RESOURCE_PATH, resourceOf } from './protected-resource';

/**
 * RFC 9728 protected resource metadata, so that a client that knows nothing of Zaikio finds the
 * hub and the scopes to ask for (every 401 points here in `WWW-Authenticate`).
 */
@Public()
@ApiTags('oauth')
@Controller(PROTECTED_RESOURCE_PATH)
export class ProtectedResourceController {
  private scopes: string[] | null = null;

  constructor(
    private readonly explorer: RouteAccessExplorer,
    @Inject(ZAIKIO_AUTH_OPTIONS) private readonly options: ZaikioAuthOptions,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'OAuth 2.0 protected resource metadata (RFC 9728)' })
  @ApiOkResponse({ type: ProtectedResourceMetadataDto })
  metadata(@Req() request: Request): ProtectedResourceMetadataDto {
    // The routes do not change once the app runs: read them on first use.
    this.scopes ??= requestableScopes(this.explorer.routes(), this.options.appName);
    const resource = resourceOf(request);
    return {
      resource,
      authorization_servers: [this.options.hubUrl],
      scopes_supported: this.scopes,
      bearer_methods_supported: ['header'],
      resource_documentation: `${resource}/docs`,
    };
  }
}
