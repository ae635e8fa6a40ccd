import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type * as c from '../../src/api/contracts.js';
import type { HealOutcome, HealReport, Finding, MonitorHealth } from '../../src/api/ports.js';
import type { AttemptRecord } from '../../src/store/store.js';
import type { Job, JobError, Pattern, PatternOccurrence } from '../../src/core/types.js';
import type {
  HealingStatistics,
  Improvement,
  PackPattern,
  RemedyStatistic,
} from '../../src/store/store.js';

type Out<S extends z.ZodType> = z.output<S>;

// Checked by `tsc` in `npm test`: a field added to a domain type and not to its contract (or the
// other way round) fails the type check, so the documented JSON never drifts from what is sent.
describe('contracts and domain types', () => {
  it('have the same fields', () => {
    expectTypeOf<keyof Out<typeof c.JobSchema>>().toEqualTypeOf<Exclude<keyof Job, 'leaseToken'>>();
    expectTypeOf<keyof Out<typeof c.JobErrorSchema>>().toEqualTypeOf<keyof JobError>();
    expectTypeOf<keyof Out<typeof c.AttemptSchema>>().toEqualTypeOf<
      Exclude<keyof AttemptRecord, 'leaseToken'>
    >();
    expectTypeOf<keyof Out<typeof c.PatternSchema>>().toEqualTypeOf<keyof Pattern | 'disabled'>();
    expectTypeOf<keyof Out<typeof c.OccurrenceSchema>>().toEqualTypeOf<keyof PatternOccurrence>();
    expectTypeOf<keyof Out<typeof c.ImprovementSchema>>().toEqualTypeOf<keyof Improvement>();
    expectTypeOf<keyof Out<typeof c.RemedyStatisticSchema>>().toEqualTypeOf<
      keyof RemedyStatistic
    >();
    expectTypeOf<keyof Out<typeof c.StatsAnswer>>().toEqualTypeOf<
      keyof HealingStatistics | 'jobs'
    >();
    expectTypeOf<keyof Out<typeof c.PackPatternSchema>>().toEqualTypeOf<keyof PackPattern>();
    expectTypeOf<Out<typeof c.HealOutcomeSchema>>().toEqualTypeOf<HealOutcome>();
    expectTypeOf<Out<typeof c.HealReportSchema>>().toEqualTypeOf<HealReport>();
    expectTypeOf<keyof Out<typeof c.MonitorHealthSchema>>().toEqualTypeOf<keyof MonitorHealth>();
    expectTypeOf<keyof Out<typeof c.FindingSchema>>().toEqualTypeOf<keyof Finding>();
  });
});
