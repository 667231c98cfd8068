/**
 * A chat system's recall through @retract/sdk, as docs/integration.md ("SDK") shows it: ask whether
 * the message may be recalled, then record the recall with what was recalled. Run from the
 * repository's root against a running API, with a service account token (scopes recall:decide and
 * recall:record):
 *
 *   RETRACT_URL=http://localhost:3001 RETRACT_TOKEN=rtk_… node -r @swc-node/register libs/sdk/examples/record-recall.ts
 *
 * tools/sdk/src/sdk-example.e2e-spec.ts runs it so, against a live API.
 */
import { randomUUID } from 'node:crypto';
import { createRetractClient, ok, RetractProblemError } from '@retract/sdk';

async function main(): Promise<number> {
  const { RETRACT_URL: baseUrl, RETRACT_TOKEN: token } = process.env;
  if (!baseUrl || !token) {
    console.error('Set RETRACT_URL (the API, e.g. http://localhost:3001) and RETRACT_TOKEN (a service account token, rtk_…).');
    return 2;
  }
  const retract = createRetractClient({ baseUrl, token });
  // The chat system's own ids; a message sent just now, so it is still inside the recall window.
  const message = {
    source: 'mychat',
    externalId: `m-${randomUUID()}`,
    type: 'TEXT',
    sentAt: new Date().toISOString(),
    sender: { source: 'mychat', externalId: 'u-17' },
    conversation: { source: 'mychat', externalId: 'c-3', kind: 'GROUP' },
  } as const;
  const actor = { source: 'mychat', externalId: 'u-17' };

  const decision = ok(await retract.POST('/api/v1/recall-decisions', { body: { message, actor } }));
  if (!decision.allowed) {
    // Keep the message and tell the person why, in their language.
    console.log(`refused (${decision.code}): ${decision.notices.en}`);
    return 1;
  }
  try {
    const recorded = ok(
      await retract.POST('/api/v1/recalls', {
        // The chat system's message id as the key: a retry, even after a restart, is recorded once.
        params: { header: { 'Idempotency-Key': message.externalId } },
        body: { message, actor, content: { text: 'the text being recalled' } },
      }),
    );
    console.log(`audit entry ${recorded.auditSeq}, leaf ${recorded.leafHash}`);
    return 0;
  } catch (error) {
    if (!(error instanceof RetractProblemError)) throw error;
    console.log(`not recorded (${error.status} ${error.problem.code}): ${error.problem.detail ?? ''}`);
    return 1;
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
