import { Global, Module } from '@nestjs/common';
import { ZAIKIO_AUTH_OBSERVER } from '../zaikio';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** Prometheus metrics; also the auth guard's observer (global, so the Zaikio module sees it). */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, { provide: ZAIKIO_AUTH_OBSERVER, useExisting: MetricsService }],
  exports: [MetricsService, ZAIKIO_AUTH_OBSERVER],
})
export class MetricsModule {}
