import type { Json } from '../core/types.js';
import type { HealReport } from '../heal/heal-report.js';
import type { FixerRequest, RemedyRequest } from '../heal/manual-remedy.js';
import type { HealerPort, HealOutcome } from './ports.js';

/** What the API needs of an engine or client that heals: `mm.heal({ jobId? })`. */
export type HealFunction = (request: { jobId?: string }) => Promise<HealReport[]>;

/** `mm.heal`, and `mm.applyRemedy` / `mm.applyFixer` when the engine or client has them. */
export interface HealFunctions {
  heal: HealFunction;
  applyRemedy?: (request: RemedyRequest) => Promise<HealReport>;
  applyFixer?: (request: FixerRequest) => Promise<HealReport>;
}

/**
 * The learning healer as the seed's functions answer: `mega-mind-self-healer` with how many jobs
 * were looked at and per job what was detected, the pattern (new or known), the remedy applied and
 * the outcome so far; `auto-fix-engine` and `self-heal` with the one job's outcome. Why a job was
 * failed or escalated, what changed, and what to register to let more remedies act go in `message`.
 */
export function healerPortOf(healer: HealFunctions): HealerPort {
  const { heal, applyRemedy, applyFixer } = healer;
  return {
    async heal(request) {
      const reports = await heal(request);
      return { scanned: reports.length, results: reports.map(toOutcome) };
    },
    // Bodies were parsed from JSON, so their parameter values are JSON.
    ...(applyRemedy && {
      applyRemedy: async ({ params, ...request }) =>
        toOutcome(await applyRemedy({ ...request, params: params as Record<string, Json> })),
    }),
    ...(applyFixer && {
      applyFixer: async ({ params, ...request }) =>
        toOutcome(await applyFixer({ ...request, params: params as Record<string, Json> })),
    }),
  };
}

function toOutcome(report: HealReport): HealOutcome {
  const changes =
    report.applied && Object.keys(report.applied.changes).length > 0
      ? `changed: ${JSON.stringify(report.applied.changes)}`
      : undefined;
  const notes = [
    report.reason,
    changes,
    ...report.needs.map((need) => `to enable: ${need}`),
  ].filter((note): note is string => Boolean(note));
  const applied = report.applied
    ? `${report.applied.action} ${JSON.stringify(report.applied.params)}`
    : report.decision === 'none'
      ? null
      : report.decision;
  return {
    jobId: report.jobId,
    detected: `${report.detected.category}: ${report.detected.message}`,
    pattern: report.pattern.id
      ? { id: report.pattern.id, signature: report.pattern.signature, known: !report.pattern.new }
      : null,
    applied,
    outcome: report.outcome,
    ...(notes.length > 0 ? { message: notes.join('; ') } : {}),
  };
}
