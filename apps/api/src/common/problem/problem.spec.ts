import { MAX_FIELD_ERRORS, MAX_FIELD_PATH_LENGTH, MAX_PROBLEM_INSTANCE_LENGTH, MAX_PROBLEM_TEXT_LENGTH, ProblemSchema } from '@retract/contracts';
import fc from 'fast-check';
import { STORABLE_TEXT } from '@retract/contracts';
import { ProblemException } from './problem';

/** A problem document stays within the bounds the OpenAPI document declares for it (docs/architecture.md, "API bounds"). */
describe('ProblemException.toProblem', () => {
  it('answers within the Problem schema whatever the errors, texts and path', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ field: fc.string({ unit: 'grapheme', maxLength: 2000 }), message: fc.string({ maxLength: 5000 }), code: fc.constant('custom') }), {
          maxLength: 300,
        }),
        fc.string({ unit: 'binary', maxLength: 5000 }),
        fc.string({ maxLength: 5000 }),
        (errors, detail, path) => {
          const problem = new ProblemException({ status: 400, code: 'VALIDATION_FAILED', detail, errors }).toProblem(`/api/v1/${path}`, 'req-1');
          expect(ProblemSchema.safeParse(problem).success).toBe(true);
          expect(problem.errors).toHaveLength(Math.min(errors.length, MAX_FIELD_ERRORS));
          problem.errors!.forEach((error, i) => {
            const sent = errors[i];
            expect(error.field).toBe(sent.field.length <= MAX_FIELD_PATH_LENGTH ? sent.field : error.field);
            expect(error.field.length).toBeLessThanOrEqual(MAX_FIELD_PATH_LENGTH);
            if (sent.field.length > MAX_FIELD_PATH_LENGTH) expect(sent.field.startsWith(error.field.slice(0, -1))).toBe(true);
          });
          expect(problem.detail === undefined || problem.detail.length <= MAX_PROBLEM_TEXT_LENGTH).toBe(true);
          expect(problem.instance === undefined || problem.instance.length <= MAX_PROBLEM_INSTANCE_LENGTH).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never cuts a surrogate pair in half', () => {
    const detail = `${'a'.repeat(MAX_PROBLEM_TEXT_LENGTH - 2)}😀😀`;
    const cut = new ProblemException({ status: 400, detail }).toProblem().detail!;
    expect(cut).toBe(`${'a'.repeat(MAX_PROBLEM_TEXT_LENGTH - 2)}…`);
    expect(STORABLE_TEXT.test(cut)).toBe(true);
  });

  it('leaves out an instance longer than the bound, rather than a cut path', () => {
    const long = `/api/v1/${'x'.repeat(MAX_PROBLEM_INSTANCE_LENGTH)}`;
    expect(new ProblemException({ status: 404 }).toProblem(long).instance).toBeUndefined();
    expect(new ProblemException({ status: 404 }).toProblem('/api/v1/x').instance).toBe('/api/v1/x');
  });
});
