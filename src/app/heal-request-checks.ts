import { invalidArgument } from '../core/errors.js';
import { VALIDATION_STATUSES } from '../store/heal-store.js';
import type { ImprovementFilter } from '../store/store.js';

/** Refuses an improvements() filter that is not one, naming the wrong field. @internal */
export function checkImprovementFilter(filter: ImprovementFilter): void {
  if (typeof filter !== 'object' || filter === null)
    throw invalidArgument('improvements() takes a filter object');
  if (filter.status !== undefined && !VALIDATION_STATUSES.includes(filter.status)) {
    throw invalidArgument(
      `status must be one of ${VALIDATION_STATUSES.join(', ')}, got ${JSON.stringify(filter.status)}`,
    );
  }
  for (const name of ['limit', 'offset', 'since'] as const) {
    const value = filter[name];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0))
      throw invalidArgument(`${name} must be a whole number >= 0, got ${String(value)}`);
  }
}

/** Refuses an applyRemedy()/applyFixer() request that is not one, naming the wrong field. @internal */
export function checkManualRequest(request: unknown, name: string, what: 'action' | 'fixer'): void {
  const shape = `${name}() takes { jobId, ${what}, params?, patternId? }`;
  if (typeof request !== 'object' || request === null) throw invalidArgument(shape);
  const fields = request as Record<string, unknown>;
  for (const key of ['jobId', what] as const)
    if (typeof fields[key] !== 'string' || fields[key] === '')
      throw invalidArgument(`${key} must be a non-empty string; ${shape}`);
  if (fields.patternId !== undefined && typeof fields.patternId !== 'string')
    throw invalidArgument('patternId must be a string');
  const params = fields.params;
  if (
    params !== undefined &&
    (typeof params !== 'object' || params === null || Array.isArray(params))
  )
    throw invalidArgument('params must be an object of parameter values');
}
