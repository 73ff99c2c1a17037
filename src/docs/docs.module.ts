import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DocsController } from './docs.controller';
import { RouteAccessExplorer } from './route-access.explorer';

/**
 * The manifest and logo routes, and the route walker setupDocs needs. Import it once in the
 * application module; setupDocs(app, config) then serves Swagger UI and the document.
 */
@Module({
  imports: [DiscoveryModule],
  controllers: [DocsController],
  providers: [RouteAccessExplorer],
  exports: [RouteAccessExplorer],
})
export class DocsModule {}
