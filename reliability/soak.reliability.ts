/**
 * Soak: first the saturation of the product (a short closed loop, as the recall benchmark measures
 * it, with the benchmark's load code: bench/load.ts), then an open loop at 80 % of it for SOAK_SECONDS
 * (600 by default; the reliability runner gives 60 in CI). Every request must succeed, the API's
 * resident memory may grow less than 10 % from after the warm-up to the end, and the event-loop
 * delay p99 (prom-client's gauge in /metrics) is reported with the memory curve. docs/reliability.md.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { closedLoop, describeLoad, openLoop, rateOf, type LoadResult, type Operation } from '../bench/load';
import { ApiClient } from './support/api-client';
import { verifyOnline } from './support/audit-trail';
import { createOrganisation, type Employee, type Organisation } from './support/organisations';
import { startProduct, type Product } from './support/product';
import { report, sleep } from './support/report';

const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const SATURATION_SECONDS = Number(process.env.SOAK_SATURATION_SECONDS ?? (SOAK_SECONDS >= 300 ? 15 : 6));
const LOAD_FRACTION = 0.8;
/** Memory after the warm-up (the first tenth of the soak, at least 10 s) is the baseline. */
const WARMUP_SECONDS = Math.max(10, SOAK_SECONDS / 10);
const SAMPLE_SECONDS = Math.min(10, Math.max(2, SOAK_SECONDS / 30));
/**
 * Memory growth compares floors: the lowest RSS of the first third of the samples after the warm-up
 * with the lowest of the last third. V8's heap rises and falls by some 15 % between major collections,
 * so two single readings would measure where in that sawtooth they fell, not a leak.
 */
const MIN_SAMPLES_PER_WINDOW = 3;
const MAX_MEMORY_GROWTH = 0.1;
/** Like the benchmark's eight-tenant phase: 16 clients over 8 organisations. */
const ORGANISATIONS = 8;
const EMPLOYEES = 2;

interface Sample {
  second: number;
  rssBytes: number;
  heapUsedBytes: number;
  loopP99Seconds: number;
}

const residentBytes = (pid: number) => Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
const gauge = (metrics: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

describe('soak at 80 % of saturation', () => {
  let product: Product;
  let api: ApiClient;

  beforeAll(async () => {
    product = await startProduct('soak');
    api = new ApiClient(product.base, 256);
  });
  afterAll(async () => {
    api?.close();
    await product?.dispose();
  });

  /** The unit of load: send a message, then recall it (a soak has to keep making what it recalls). */
  function sendAndRecall(failures: string[]): Operation<Employee> {
    let n = 0;
    return async (employee) => {
      try {
        const sent = await api.call('POST', `/api/v1/conversations/${employee.conversationId}/messages`, employee.token, { type: 'TEXT', body: `soak ${n++}` });
        if (sent.status !== 201) return failed(failures, `send answered ${sent.status}: ${sent.body.slice(0, 200)}`);
        const { id } = JSON.parse(sent.body) as { id: string };
        const recalled = await api.call('POST', `/api/v1/messages/${id}/recall`, employee.token, {});
        if (recalled.status !== 200) return failed(failures, `recall answered ${recalled.status}: ${recalled.body.slice(0, 200)}`);
        return true;
      } catch (error) {
        return failed(failures, `no answer: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    };
  }

  function failed(failures: string[], why: string): false {
    if (failures.length < 5) failures.push(why);
    return false;
  }

  async function sample(started: number): Promise<Sample> {
    const metrics = (await api.call('GET', '/metrics')).body;
    return {
      second: (performance.now() - started) / 1000,
      rssBytes: residentBytes(product.api.child.pid!),
      heapUsedBytes: gauge(metrics, 'retract_nodejs_heap_size_used_bytes'),
      loopP99Seconds: gauge(metrics, 'retract_nodejs_eventloop_lag_p99_seconds'),
    };
  }

  it(`runs ${SOAK_SECONDS} s without an error, memory growing less than 10 %`, async () => {
    const organisations: Organisation[] = [];
    for (let i = 0; i < ORGANISATIONS; i++) organisations.push(await createOrganisation(api, product.platformToken, EMPLOYEES));
    const clients = organisations.flatMap((organisation) => organisation.employees);
    const failures: string[] = [];
    const operation = sendAndRecall(failures);

    await closedLoop(clients, 3, operation); // JIT, pools, caches: not measured
    const saturation = await closedLoop(clients, SATURATION_SECONDS, operation);
    const rate = rateOf(saturation) * LOAD_FRACTION;
    report('soak', [
      `${clients.length} clients over ${ORGANISATIONS} organisations; one operation = send a message + recall it (2 requests)`,
      describeLoad('saturation (closed loop)', saturation, 'ops'),
    ]);
    expect({ errors: saturation.errors, failures }).toEqual({ errors: 0, failures: [] });

    const samples: Sample[] = [];
    const started = performance.now();
    let soaking = true;
    const sampler = (async () => {
      while (soaking) {
        samples.push(await sample(started));
        await sleep(SAMPLE_SECONDS * 1000);
      }
    })();
    let soak: LoadResult;
    try {
      soak = await openLoop(clients, rate, SOAK_SECONDS, operation);
    } finally {
      soaking = false;
      await sampler;
    }
    samples.push(await sample(started));

    const afterWarmup = samples.filter((s) => s.second >= WARMUP_SECONDS);
    const window = Math.max(MIN_SAMPLES_PER_WINDOW, Math.floor(afterWarmup.length / 3));
    const rss = (part: Sample[]) => part.map((s) => s.rssBytes);
    const baseline = Math.min(...rss(afterWarmup.slice(0, window)));
    const end = Math.min(...rss(afterWarmup.slice(-window)));
    const growth = end / baseline - 1;
    const loopP99s = samples.map((s) => s.loopP99Seconds * 1000).sort((a, b) => a - b);
    report('soak', [
      describeLoad(`soak at ${(LOAD_FRACTION * 100).toFixed(0)} % = ${rate.toFixed(0)} ops/s (open loop)`, soak, 'ops'),
      'memory curve (API process):   t [s]   RSS [MB]   heap used [MB]   event-loop p99 [ms]',
      ...samples.map(
        (s) =>
          `${s.second.toFixed(0).padStart(34)} ${mb(s.rssBytes).padStart(10)} ${mb(s.heapUsedBytes).padStart(16)} ${(s.loopP99Seconds * 1000).toFixed(1).padStart(21)}`,
      ),
      `RSS floor after warm-up (${WARMUP_SECONDS.toFixed(0)} s) ${mb(baseline)} MB → at the end ${mb(end)} MB: ${(growth * 100).toFixed(1)} % (limit ${MAX_MEMORY_GROWTH * 100} %); peak ${mb(Math.max(...rss(afterWarmup)))} MB`,
      `event-loop delay p99 per ${SAMPLE_SECONDS.toFixed(0)} s interval: median ${loopP99s[Math.floor(loopP99s.length / 2)].toFixed(1)} ms, worst ${loopP99s[loopP99s.length - 1].toFixed(1)} ms`,
      `errors: ${soak.errors}${failures.length ? ` (first: ${failures.join(' | ')})` : ''}`,
    ]);

    expect({ errors: soak.errors, failures }).toEqual({ errors: 0, failures: [] });
    expect(afterWarmup.length).toBeGreaterThanOrEqual(2 * MIN_SAMPLES_PER_WINDOW);
    expect(growth).toBeLessThan(MAX_MEMORY_GROWTH);
    for (const organisation of organisations) expect(await verifyOnline(api, organisation.compliance.token)).toMatchObject({ ok: true });
  });
});
