import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { CONFIG, type Config } from './config/config';
import { AuthGuard } from './common/auth/auth.guard';
import { CredentialThrottle } from './common/auth/credential-throttle';
import { ServiceAccountLimits } from './common/auth/service-account-limits';
import { ServiceAccountTokens } from './common/auth/service-accounts';
import { SessionCache } from './common/auth/session-cache';
import { SessionsRepository } from './common/auth/sessions.repository';
import { AccessTokens } from './common/auth/tokens';
import { DatabaseModule } from './common/database/database.module';
import { EndpointInterceptor } from './common/endpoint/endpoint.interceptor';
import { ProblemFilter } from './common/problem/problem.filter';
import { AuditModule } from './modules/audit/audit.module';
import { AuthController } from './modules/auth/auth.controller';
import { AuthService } from './modules/auth/auth.service';
import { ClockModule } from './modules/clock/clock';
import { ConversationsModule } from './modules/conversations/conversations.module';
import { EventsModule } from './modules/events/events.module';
import { MessagesModule } from './modules/messages/messages.module';
import { HealthController } from './modules/health/health.controller';
import { OpenApiController } from './modules/openapi/openapi.controller';
import { PolicyModule } from './modules/policy/policy.module';
import { RecallModule } from './modules/recall/recall.module';
import { InsightsModule } from './modules/insights/insights.module';
import { IntegrationModule } from './modules/integration/integration.module';
import { SsoController } from './modules/identity/sso.controller';
import { SsoSettingsService } from './modules/identity/sso-settings.service';
import { SsoSignIn } from './modules/identity/sso-sign-in.service';
import { ScimModule } from './modules/scim/scim.module';
import { ServiceAccountsModule } from './modules/service-accounts/service-accounts.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { RouteCatalog } from './modules/openapi/route-catalog';
import { TenantsController } from './modules/tenants/tenants.controller';
import { UsersController } from './modules/users/users.controller';
import { UsersService } from './modules/users/users.service';
import { RoleGrantsController } from './modules/role-grants/role-grants.controller';
import { RoleGrants } from './modules/role-grants/role-grants.service';

@Module({})
export class AppModule {
  static forConfig(config: Config): DynamicModule {
    return {
      module: AppModule,
      imports: [
        { module: class ConfigModule {}, global: true, providers: [{ provide: CONFIG, useValue: config }], exports: [CONFIG] },
        DatabaseModule,
        DiscoveryModule,
        AuditModule,
        ClockModule,
        EventsModule,
        PolicyModule,
        ConversationsModule,
        MessagesModule,
        RecallModule,
        WebhooksModule,
        InsightsModule,
        ServiceAccountsModule,
        IntegrationModule,
        ScimModule,
      ],
      controllers: [AuthController, UsersController, RoleGrantsController, TenantsController, HealthController, OpenApiController, SsoController],
      providers: [
        AccessTokens,
        SessionsRepository,
        SessionCache,
        CredentialThrottle,
        ServiceAccountTokens,
        ServiceAccountLimits,
        AuthService,
        UsersService,
        RoleGrants,
        SsoSettingsService,
        SsoSignIn,
        RouteCatalog,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: EndpointInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
