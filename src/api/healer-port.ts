import type { HealReport } from '../heal/heal-report.js';
import type { HealerPort, HealOutcome } from './ports.js';

/** What the API needs of an engine or client that heals: `mm.heal({ jobId? })`. */
export type HealFunction = (request: { jobId?: string }) => Promise<HealReport[]>;

/**
 * The learning healer as the seed's `mega-mind-self-healer` answers: how many jobs were looked at,
 * and per job what was detected, the pattern (new or known), the remedy applied and the outcome
 * so far. Why a job was failed or escalated, and what to register to let more remedies act, go in
 * `message`.
 */
export function healerPortOf(heal: HealFunction): HealerPort {
  return {
    async heal(request) {
      const reports = await heal(request);
      return { scanned: reports.length, results: reports.map(toOutcome) };
    },
  };
}

function toOutcome(report: HealReport): HealOutcome {
  const notes = [report.reason, ...report.needs.map((need) => `to enable: ${need}`)].filter(
    (note): note is string => Boolean(note),
  );
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
