import { Module } from '@nestjs/common';
import { OutboxModule } from '../events';
import { ItemsController } from './items.controller';
import { ItemsRepository } from './items.repository';
import { ItemsService } from './items.service';

/** Items API. Needs DatabaseModule (global) imported once in the application module. */
@Module({
  imports: [OutboxModule],
  controllers: [ItemsController],
  providers: [ItemsService, ItemsRepository],
  exports: [ItemsService],
})
export class ItemsModule {}
