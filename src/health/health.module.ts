import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { OutboxModule } from '../events';
import { HealthController } from './health.controller';

@Module({
  // Failed checks are answered (503), not logged as errors: load balancers poll before keys load.
  imports: [TerminusModule.forRoot({ logger: false }), OutboxModule],
  controllers: [HealthController],
})
export class HealthModule {}
