import { Module } from '@nestjs/common';
import { DocsModule } from '../docs';
import { ProtectedResourceController } from './protected-resource.controller';

/** `GET /.well-known/oauth-protected-resource` (RFC 9728); the routes come from DocsModule. */
@Module({
  imports: [DocsModule],
  controllers: [ProtectedResourceController],
})
export class ProtectedResourceModule {}
