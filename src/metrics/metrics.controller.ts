import { Controller, Get, Headers, Inject, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config';
import { Public } from '../zaikio';
import { MetricsService } from './metrics.service';

/**
 * Prometheus scrape endpoint. Public unless METRICS_TOKEN is set; then it needs
 * `Authorization: Bearer <METRICS_TOKEN>` (a shared secret, not a Zaikio token).
 */
@Public()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly expected: Buffer | null;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.expected = config.metricsToken ? digest(`Bearer ${config.metricsToken}`) : null;
  }

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    if (this.expected && !timingSafeEqual(this.expected, digest(authorization ?? ''))) {
      throw new UnauthorizedException({
        errors: [
          'invalid_metrics_token',
          'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.',
        ],
      });
    }
    const { contentType, body } = await this.metrics.render();
    response.type(contentType).send(body);
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
