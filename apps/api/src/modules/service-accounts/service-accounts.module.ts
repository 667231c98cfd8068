import { Module } from '@nestjs/common';
import { ServiceAccountsController } from './service-accounts.controller';
import { ServiceAccountsService } from './service-accounts.service';

/** Service accounts (ADMIN): the credentials of integrated chat systems (docs/integration.md). */
@Module({
  controllers: [ServiceAccountsController],
  providers: [ServiceAccountsService],
})
export class ServiceAccountsModule {}
