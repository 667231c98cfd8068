import { Inject, Injectable } from '@nestjs/common';
import { checkWebhookTarget, webhookTargetHost, type WebhookTargetCheck } from '@retract/contracts';
import { lookup } from 'node:dns/promises';
import { CONFIG, type Config } from '../../config/config';

const RESOLVE_TIMEOUT_MS = 5000;

/** DNS for webhook hosts, as the operating system resolves them (hosts file included). Tests replace `resolve`. */
@Injectable()
export class WebhookResolver {
  /** Every address the name resolves to; empty when it does not resolve (in time). */
  async resolve(hostname: string): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('DNS timeout')), RESOLVE_TIMEOUT_MS);
    });
    try {
      const answers = await Promise.race([lookup(hostname, { all: true, verbatim: true }), timeout]);
      return answers.map((answer) => answer.address);
    } catch {
      return [];
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Applies the webhook target policy (libs/contracts/src/webhook-target.ts) to a URL with the
 * addresses its host resolves to now: at registration, and again before each delivery attempt,
 * whose connection then goes only to the addresses checked here (docs/architecture.md, "Webhook targets").
 */
@Injectable()
export class WebhookTargets {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly resolver: WebhookResolver,
  ) {}

  async check(url: URL): Promise<WebhookTargetCheck> {
    const host = webhookTargetHost(url);
    const resolved = host.kind === 'name' ? await this.resolver.resolve(host.name) : [];
    return checkWebhookTarget(url, resolved, { httpsRequired: this.config.NODE_ENV === 'production', allowList: this.config.WEBHOOK_ALLOWED_TARGETS });
  }
}
