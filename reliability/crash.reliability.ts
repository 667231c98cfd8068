/**
 * Crash: the API process is killed with SIGKILL while clients of several organisations send and
 * recall messages. After a restart every recall that was acknowledged (200) is applied and audited
 * exactly once, nothing is half-applied (a recalled message without its MESSAGE_RECALLED entry, or
 * an entry for a message that is not recalled), each organisation's seq has no gap, and the log
 * verifies — on the server and with the offline verifier on an HTTP export. docs/reliability.md.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { ApiClient } from './support/api-client';
import { createOrganisation, sendText, type Employee, type Organisation } from './support/organisations';
import { startProduct, type Product } from './support/product';
import { checkRecallTrail } from './support/recall-trail';
import { eventually, report, sleep } from './support/report';

const ORGANISATIONS = 3;
const EMPLOYEES = 4;
/** The kill comes once this many recalls were acknowledged (or after KILL_AFTER_SECONDS of load). */
const KILL_AFTER_ACKNOWLEDGED = Number(process.env.CRASH_KILL_AFTER ?? 300);
const KILL_AFTER_SECONDS = 8;
/** Load goes on this long once the restarted API is ready. */
const RESUME_SECONDS = 3;
const SWEEP_SECONDS = 2;

type Outcome = { kind: 'acknowledged'; auditSeq: number } | { kind: 'refused'; status: number; body: string } | { kind: 'no answer'; error: string };

interface Attempt {
  organisation: Organisation;
  messageId: string;
  outcome?: Outcome;
}

/** Every recall attempt, with what its client heard back. */
class RecallLedger {
  readonly attempts: Attempt[] = [];
  stopped = false;

  acknowledged = () => this.attempts.filter((a) => a.outcome?.kind === 'acknowledged');
  inFlight = () => this.attempts.filter((a) => a.outcome === undefined);

  /** One client: send a message, recall it, log the answer; connection errors are noted and the client goes on. */
  async run(api: ApiClient, organisation: Organisation, employee: Employee): Promise<void> {
    let n = 0;
    while (!this.stopped) {
      let messageId: string;
      try {
        messageId = await sendText(api, employee, `crash test ${employee.email} #${n++}`);
      } catch {
        await sleep(50);
        continue;
      }
      const attempt: Attempt = { organisation, messageId };
      this.attempts.push(attempt);
      try {
        const answer = await api.call('POST', `/api/v1/messages/${messageId}/recall`, employee.token, {});
        attempt.outcome =
          answer.status === 200
            ? { kind: 'acknowledged', auditSeq: (JSON.parse(answer.body) as { auditSeq: number }).auditSeq }
            : { kind: 'refused', status: answer.status, body: answer.body.slice(0, 300) };
      } catch (error) {
        attempt.outcome = { kind: 'no answer', error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
      }
    }
  }
}

describe('crash: SIGKILL of the API under recall load', () => {
  let product: Product;
  let api: ApiClient;
  let owner: Client;

  beforeAll(async () => {
    product = await startProduct('crash', { AUDIT_PENDING_SWEEP_SECONDS: String(SWEEP_SECONDS), AUDIT_CHECKPOINT_EVERY: '64' });
    api = new ApiClient(product.base);
    owner = new Client({ connectionString: product.database.ownerUrl });
    await owner.connect();
  });
  afterAll(async () => {
    api?.close();
    await owner?.end();
    await product?.dispose();
  });

  const pendingEntries = async () => Number((await owner.query<{ n: string }>('SELECT count(*) AS n FROM audit_pending')).rows[0].n);

  it('keeps every acknowledged recall, applied and audited exactly once, with a gap-free log that verifies', async () => {
    const organisations: Organisation[] = [];
    for (let i = 0; i < ORGANISATIONS; i++) organisations.push(await createOrganisation(api, product.platformToken, EMPLOYEES));

    const ledger = new RecallLedger();
    const clients = Promise.all(organisations.flatMap((organisation) => organisation.employees.map((employee) => ledger.run(api, organisation, employee))));
    const loadStarted = performance.now();
    await eventually(
      'acknowledged recalls before the kill',
      60_000,
      () => ledger.acknowledged().length >= KILL_AFTER_ACKNOWLEDGED || performance.now() - loadStarted > KILL_AFTER_SECONDS * 1000,
    );

    const inFlightAtKill = ledger.inFlight();
    const acknowledgedAtKill = ledger.acknowledged().length;
    await product.kill('SIGKILL');
    expect(product.api.child.signalCode).toBe('SIGKILL');
    const pendingAfterKill = await pendingEntries();

    const restartSeconds = await product.start();
    const resumedAt = ledger.acknowledged().length;
    await sleep(RESUME_SECONDS * 1000);
    ledger.stopped = true;
    await clients;
    expect(ledger.acknowledged().length).toBeGreaterThan(resumedAt); // the restarted API serves recalls again

    // Entries committed by the killed process but never integrated are the sweep's (AUDIT_PENDING_SWEEP_SECONDS).
    await eventually('the pending sweep to integrate what the crash left', 60_000, async () => (await pendingEntries()) === 0);

    let lost = 0;
    let appliedUnacknowledged = 0;
    const problems: string[] = [];
    const exportDir = mkdtempSync(join(tmpdir(), 'retract-crash-'));
    for (const organisation of organisations) {
      const claims = ledger.attempts
        .filter((a) => a.organisation === organisation)
        .map((a) => ({ messageId: a.messageId, acknowledgedSeq: a.outcome?.kind === 'acknowledged' ? a.outcome.auditSeq : undefined }));
      const trail = await checkRecallTrail(api, organisation, claims, exportDir);
      lost += trail.lost;
      appliedUnacknowledged += trail.appliedUnacknowledged;
      problems.push(...trail.problems);
    }
    const refused = ledger.attempts.filter((a) => a.outcome?.kind === 'refused');
    const unanswered = ledger.attempts.filter((a) => a.outcome?.kind === 'no answer');
    report('crash', [
      `${ORGANISATIONS} organisations × ${EMPLOYEES} clients, SIGKILL after ${acknowledgedAtKill} acknowledged recalls (${((performance.now() - loadStarted) / 1000).toFixed(1)} s of load in all)`,
      `acknowledged: ${ledger.acknowledged().length}   in flight at the kill: ${inFlightAtKill.length} (applied all the same: ${appliedUnacknowledged})   no answer: ${unanswered.length}   refused: ${refused.length}`,
      `audit entries left pending by the kill: ${pendingAfterKill} (integrated by the sweep)`,
      `lost: ${lost}   restart to ready: ${restartSeconds.toFixed(1)} s`,
    ]);
    expect(problems).toEqual([]);
    expect(lost).toBe(0);
    // A refusal is not a crash symptom: every recall here is the sender's own, inside the window.
    expect(refused.map((a) => a.outcome)).toEqual([]);
  });
});
