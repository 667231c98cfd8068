import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AppAbility, Principal } from '@retract/authz';
import type { Locale, Role } from '@retract/contracts';
import type { SessionCheck } from '@retract/db';

export interface AuthenticatedPrincipal extends Principal {
  sessionId: string;
  /** Checked by the first statement of every transaction opened with this principal as its scope. */
  session?: SessionCheck;
  email: string;
  displayName: string;
  locale: Locale;
  roles: Role[];
  ability: AppAbility;
}

export interface RequestWithPrincipal {
  principal?: AuthenticatedPrincipal;
}

/** The caller, as established by the auth guard from a verified token. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedPrincipal => {
  const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (!principal) throw new Error('route reached without a principal: its Endpoint access must not be public');
  return principal;
});
